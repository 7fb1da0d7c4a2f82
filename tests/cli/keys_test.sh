#!/usr/bin/env bash
# Keys through the CLI (docs/security.md, "Device data at rest"): a new
# replica is encrypted and its key is in PATH.keys (0600); without its key it
# does not open, and the message names the key file and FIELDSYNC_REPLICA_KEY;
# a key file others may read is refused; the environment's key wins; an old
# plain replica with a token inside is encrypted in place with its dump
# unchanged and the token moved to the key file; --plaintext keeps a plain
# file plain; rekey keeps every row and the old key no longer opens it.
set -euo pipefail
source "$(dirname "$0")/lib.sh" "$@"
unset FIELDSYNC_REPLICA_KEY

# expect_fail STATUS MESSAGE_PART COMMAND...: one line on stderr, nothing on stdout
expect_fail() {
  local want=$1 part=$2
  shift 2
  local status=0
  "$@" > out.txt 2> err.txt || status=$?
  [ "$status" -eq "$want" ] || fail "[$*]: exit $status, expected $want (stderr: $(cat err.txt))"
  [ "$(wc -l < err.txt)" -eq 1 ] || fail "[$*]: stderr is not one line: $(cat err.txt)"
  [[ "$(cat err.txt)" == *"$part"* ]] || fail "[$*]: stderr lacks [$part]: $(cat err.txt)"
  [ ! -s out.txt ] || fail "[$*]: printed to stdout: $(cat out.txt)"
  pass
}
plain_sql() { python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "$1" "$2"; }
keyfield() { # FILE FIELD: the field of a key file; empty if the file or field is absent
  python3 -c 'import json,os,sys; p=sys.argv[1]; print(json.load(open(p)).get(sys.argv[2], "") if os.path.exists(p) else "")' "$1" "$2"
}

# ------------------------------------------------ a new replica is encrypted
out=$("$FS" --db r.db init --json)
expect_eq "$(pyj 'd["encrypted"], d["key_file"]' <<< "$out")" '[true, "r.db.keys"]' "init says where the key is"
expect_eq "$(stat -c %a r.db.keys)" 600 "the key file is mode 0600"
KEY=$(keyfield r.db.keys key)
[[ "$KEY" =~ ^[0-9a-f]{64}$ ]] || fail "the key file holds no 64-hex-digit key: $(cat r.db.keys)"
pass
"$FS" --db r.db customer add --name 北京昭智教育 --phone 13912345678 "notes=wants the 12500 order" >/dev/null
"$FS" --db r.db dump > before.json
for secret in 北京昭智教育 13912345678 "12500 order"; do
  [ "$(cat r.db r.db-wal 2>/dev/null | grep -c -a -F -e "$secret" || true)" = 0 ] || fail "$secret is readable in r.db"
  pass
done
python3 -c 'import sqlite3,sys; sqlite3.connect(sys.argv[1]).execute("SELECT 1 FROM meta").fetchone()' r.db 2>/dev/null \
  && fail "a stock SQLite read the encrypted replica"
pass
"$FS" --db other.db init >/dev/null
[ "$(keyfield other.db.keys key)" != "$KEY" ] || fail "two replicas share a key"
pass

# ------------------------------------------------ without its key
sum=$(sha256sum r.db)
mv r.db.keys elsewhere.keys
expect_fail 1 "the replica r.db is encrypted and its key is missing: no key file r.db.keys and no FIELDSYNC_REPLICA_KEY in the environment" \
  "$FS" --db r.db customer list
expect_eq "$(sha256sum r.db)" "$sum" "a missing key changes nothing"
[ ! -e r.db.keys ] || fail "a key file was made for an encrypted replica"
pass
# The environment's key opens it without the key file...
expect_eq "$(FIELDSYNC_REPLICA_KEY=$KEY "$FS" --db r.db dump | cmp - before.json && echo same)" same "the key from the environment"
# ... a wrong one does not, and says where it came from.
expect_fail 1 "this key does not open it" env FIELDSYNC_REPLICA_KEY="$(keyfield other.db.keys key)" "$FS" --db r.db customer list
expect_contains "$(cat err.txt)" "(the key came from FIELDSYNC_REPLICA_KEY)" "the wrong key's source is named"
expect_fail 2 "FIELDSYNC_REPLICA_KEY must be 64 hex digits" env FIELDSYNC_REPLICA_KEY=xyz "$FS" --db r.db customer list
expect_eq "$(sha256sum r.db)" "$sum" "wrong keys change nothing"
mv elsewhere.keys r.db.keys

# ------------------------------------------------ a key file others may read
chmod 644 r.db.keys
expect_fail 1 "the key file r.db.keys may be read or written by others (mode 0644); refusing to use it: chmod 600 r.db.keys" \
  "$FS" --db r.db customer list
chmod 600 r.db.keys
"$FS" --db r.db dump | cmp -s - before.json || fail "the replica no longer opens"
pass

# ------------------------------------------------ --plaintext, and migrating an old plain replica
"$FS" --db old.db --plaintext init >/dev/null
"$FS" --db old.db --plaintext customer add --name 华联超市 --phone 13800001111 >/dev/null
expect_eq "$(plain_sql old.db "SELECT count(*) FROM customer")" 1 "--plaintext: a stock SQLite reads the file"
expect_eq "$(keyfield old.db.keys key)" "" "--plaintext: no key in the key file"
# As an older version left it: the token inside the file.
python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", ("setting:token", "old-token-7c1d9a2e")); c.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", ("setting:server", "http://127.0.0.1:1")); c.commit()' old.db
rm -f old.db.keys
"$FS" --db old.db --plaintext dump > old-before.json
expect_eq "$("$FS" --db old.db dump | cmp - old-before.json && echo same)" same "migrated in place, every row kept"
expect_eq "$(keyfield old.db.keys token)" old-token-7c1d9a2e "the token moved to the key file"
[[ "$(keyfield old.db.keys key)" =~ ^[0-9a-f]{64}$ ]] || fail "the migrated replica has no key"
pass
[ "$(cat old.db old.db-wal 2>/dev/null | grep -c -a -e old-token-7c1d9a2e -e 13800001111 || true)" = 0 ] \
  || fail "the token or a phone number is still readable in old.db"
pass
expect_eq "$("$FS" --db old.db status --json | pyj 'd["signed_in"]')" true "still signed in with the moved token"
expect_fail 1 "it is encrypted (open it without --plaintext)" "$FS" --db old.db --plaintext customer list

# ------------------------------------------------ rekey
OLD=$(keyfield r.db.keys key)
out=$("$FS" --db r.db rekey)
expect_eq "$out" "rekeyed r.db: its new key is in r.db.keys; the old key no longer opens it" "rekey says what it did"
NEW=$(keyfield r.db.keys key)
[ "$NEW" != "$OLD" ] || fail "rekey kept the key"
pass
expect_eq "$(keyfield r.db.keys next_key)" "" "no rekey left pending"
"$FS" --db r.db dump | cmp -s - before.json || fail "rekey lost rows"
pass
expect_fail 1 "this key does not open it" env FIELDSYNC_REPLICA_KEY="$OLD" "$FS" --db r.db customer list
expect_fail 2 "rekey: the key comes from FIELDSYNC_REPLICA_KEY" env FIELDSYNC_REPLICA_KEY="$NEW" "$FS" --db r.db rekey
expect_fail 2 "rekey: a --plaintext replica has no key to rotate" "$FS" --db r.db --plaintext rekey

# ------------------------------------------------ logout on a replica nobody signed in on
expect_eq "$("$FS" --db r.db logout)" "not signed in; nothing was removed" "logout when not signed in"
[ -e r.db ] && [ -e r.db.keys ] || fail "logout removed a replica nobody signed in on"
pass

echo "ok: keys, $CHECKS checks"
