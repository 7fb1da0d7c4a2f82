#!/usr/bin/env bash
# Encrypted bundles through the CLI (`changes export --encrypt`, `changes import`):
#   - the sealed file holds no customer name, phone or note     (strings, grep)
#   - the passphrase from standard input or --passphrase-env     -> imports, dumps equal
#   - a wrong passphrase, a flipped byte, a cut file, a newer
#     format                                                      -> exit 2, one clear line,
#                                                                    nothing imported
#   - a plain bundle still imports                                -> backward compatible
set -euo pipefail
source "$(dirname "$0")/lib.sh" "$@"

r1() { "$FS" --db r1.db "$@"; }
r2() { "$FS" --db r2.db "$@"; }
PASS='blue kettle under the stairs'

# expect_refused STATUS PART COMMAND... : fails with STATUS, one line on stderr
# containing PART, nothing on stdout, and rep 2's replica unchanged.
expect_refused() {
  local want=$1 part=$2
  shift 2
  r2 dump > before.json
  local status=0
  "$@" > out.txt 2> err.txt || status=$?
  local what="[${*#"$FS"}]"
  [ "$status" -eq "$want" ] || fail "$what: exit $status, expected $want (stderr: $(cat err.txt))"
  [ "$(wc -l < err.txt)" -eq 1 ] || fail "$what: stderr is not one line: $(cat err.txt)"
  [[ "$(cat err.txt)" == "fieldsync: "*"$part"* ]] || fail "$what: stderr lacks [$part]: $(cat err.txt)"
  [ ! -s out.txt ] || fail "$what: printed to stdout: $(cat out.txt)"
  r2 dump > after.json
  cmp -s before.json after.json || fail "$what: changed the replica"
  pass
}

# flip FILE OFFSET OUT: OUT is FILE with one bit of byte OFFSET flipped
# (a negative OFFSET counts from the end).
flip() {
  python3 - "$1" "$2" "$3" <<'EOF'
import sys
b = bytearray(open(sys.argv[1], "rb").read())
b[int(sys.argv[2])] ^= 0x10
open(sys.argv[3], "wb").write(b)
EOF
}

r1 init > /dev/null
r2 init > /dev/null
C=$(r1 customer add --name 北京昭智教育 --phone 010-62780000 --level A "notes=Mr Zhao prefers calls after lunch")
r1 visit log --customer "$C" --notes "warehouse manager reported late deliveries" --outcome 下单 --rep wang \
  --satisfaction 4 > /dev/null

# ---------------------------------------------------------------- export
expect_eq "$(printf '%s\n' "$PASS" | r1 changes export --encrypt sealed.fsb)" \
  "exported 2 records to sealed.fsb (encrypted)" "encrypted export"
r1 changes export plain.json > /dev/null

# What a thief with the file sees: the plain bundle shows everything, the
# sealed one nothing (grep -F for the UTF-8 name, strings for the rest).
command -v strings > /dev/null || fail "strings (binutils) is not installed"
for secret in 北京昭智教育 010-62780000 "prefers calls" "late deliveries" "$C" fieldsync-bundle; do
  grep -q -F -- "$secret" plain.json || fail "the plain bundle lacks [$secret]: the check below proves nothing"
  ! grep -q -F -- "$secret" sealed.fsb || fail "the encrypted bundle holds [$secret]"
  pass
done
# strings prints ASCII runs only: the ASCII secrets, found in the plain bundle.
strings -n 6 plain.json > plain-strings.txt
strings -n 6 sealed.fsb > sealed-strings.txt
for secret in 010-62780000 "prefers calls" "late deliveries" "$C" fieldsync-bundle; do
  grep -q -F -- "$secret" plain-strings.txt || fail "strings misses [$secret] in the plain bundle"
  ! grep -q -F -- "$secret" sealed-strings.txt || fail "strings finds [$secret] in the encrypted bundle"
  pass
done
! grep -q -F -- "$PASS" sealed.fsb || fail "the encrypted bundle holds its passphrase"
pass

# ---------------------------------------------------------------- refused, nothing imported
expect_refused 2 "sealed.fsb was not imported: wrong passphrase" \
  bash -c "printf '%s\n' 'blue kettle under the stair' | '$FS' --db r2.db changes import sealed.fsb"
expect_refused 2 "no passphrase given" bash -c "'$FS' --db r2.db changes import sealed.fsb < /dev/null"
for at in 5 9 20 40 60 80 300 -1; do
  flip sealed.fsb "$at" flipped.fsb
  expect_refused 2 "flipped.fsb " bash -c "printf '%s\n' '$PASS' | '$FS' --db r2.db changes import flipped.fsb"
done
flip sealed.fsb 300 flipped.fsb
expect_refused 2 "the passphrase is right, but chunk 1 of 1" \
  bash -c "printf '%s\n' '$PASS' | '$FS' --db r2.db changes import flipped.fsb"
head -c 200 sealed.fsb > cut.fsb
expect_refused 2 "cut.fsb was not imported: the encrypted bundle is damaged or cut short" \
  bash -c "printf '%s\n' '$PASS' | '$FS' --db r2.db changes import cut.fsb"
head -c 30 sealed.fsb > header.fsb
expect_refused 2 "header.fsb is not a usable bundle: the encrypted bundle is cut short" \
  bash -c "printf '%s\n' '$PASS' | '$FS' --db r2.db changes import header.fsb"
python3 -c 'import sys; b = bytearray(open("sealed.fsb", "rb").read()); b[8] = 2; open("v2.fsb", "wb").write(b)'
expect_refused 2 "format version 2; this fieldsync reads version 1" \
  bash -c "printf '%s\n' '$PASS' | '$FS' --db r2.db changes import v2.fsb"
expect_refused 2 "the encrypted bundle comes on standard input, so its passphrase cannot" \
  bash -c "'$FS' --db r2.db changes import - < sealed.fsb"
expect_refused 2 "the environment variable NO_SUCH_VAR (--passphrase-env) is not set or empty" \
  r2 changes import sealed.fsb --passphrase-env NO_SUCH_VAR
expect_refused 2 "plain.json is not an encrypted bundle, though --passphrase-env expects one" \
  env BUNDLE_PASS="$PASS" "$FS" --db r2.db changes import plain.json --passphrase-env BUNDLE_PASS
expect_refused 3 "missing.db" bash -c "printf '%s\n' '$PASS' | '$FS' --db missing.db changes import sealed.fsb"

# ---------------------------------------------------------------- export refusals
expect_refused 2 "the passphrase must have at least 8 characters" \
  bash -c "printf 'short\n' | '$FS' --db r1.db changes export --encrypt short.fsb"
expect_refused 2 "--passphrase-env is for an encrypted bundle: add --encrypt" \
  r1 changes export --passphrase-env BUNDLE_PASS x.fsb
expect_refused 2 "the environment variable BUNDLE_PASS (--passphrase-env) is not set or empty" \
  r1 changes export --encrypt --passphrase-env BUNDLE_PASS x.fsb
# No option takes the passphrase itself: `ps` would show it to every user.
expect_refused 2 "unknown option --passphrase" r1 changes export --encrypt --passphrase "$PASS" x.fsb
expect_refused 2 "unknown option --passphrase" r2 changes import sealed.fsb --passphrase "$PASS"
[ ! -e short.fsb ] && [ ! -e x.fsb ] || fail "a refused export wrote a file"
pass

# ---------------------------------------------------------------- imported
printf '%s\n' "$PASS" | r2 changes import sealed.fsb --json > import1.json
expect_eq "$(pyj 'd["encrypted"]' < import1.json)" "true" "import reports an encrypted bundle"
expect_eq "$(pyj 'd["records"]' < import1.json)" "2" "records imported"
r1 dump > dump1.json
r2 dump > dump2.json
cmp -s dump1.json dump2.json || fail "rep 2 differs from rep 1 after the encrypted hand-over"
pass
expect_eq "$(r2 customer show "$C" --json | pyj 'd["phone"]')" "010-62780000" "phone after the hand-over"

# The bundle itself on standard input, the passphrase in the environment.
export BUNDLE_PASS="$PASS"
r1 customer set "$C" phone=13800000001 > /dev/null
r1 changes export --encrypt --passphrase-env BUNDLE_PASS - > sealed2.fsb
r2 changes import - --passphrase-env BUNDLE_PASS --json < sealed2.fsb > import2.json
expect_eq "$(pyj 'd["rows_changed"]' < import2.json)" "1" "the changed customer"
expect_eq "$(r2 customer show "$C" --json | pyj 'd["phone"]')" "13800000001" "phone after the second hand-over"
unset BUNDLE_PASS

# ---------------------------------------------------------------- plain bundles still import
r1 customer add --name 上海门店 > /dev/null
r1 changes export plain2.json > /dev/null
r2 changes import plain2.json --json > import3.json
expect_eq "$(pyj 'd["encrypted"]' < import3.json)" "false" "a plain bundle"
expect_eq "$(r2 customer list --json | pyj 'd["total"]')" "2" "customers after the plain bundle"

echo "ok: $CHECKS checks"
