#!/usr/bin/env bash
# Sign-in, sign-out and revocation with a real server and CLI devices:
# the token lives in the key file, never in the (encrypted) replica; `logout`
# revokes the token on the server and wipes the device (replica, WAL, key
# file), and refuses while changes are unsynced unless --force; a device an
# administrator revokes is wiped by its next sync, which exits 6 and says how
# many unsynced changes were lost (`sync`, `sync --watch`); `logout` with the
# server down says so, exits 1 and wipes anyway; a password is never sent
# over plain http:// beyond this machine; failed sign-ins and revocations are
# in the server's log, the password and token never.
source "$(dirname "$0")/lib.sh" "$@"
start_server
"$FSS" --data "$WORK/server" team add north >/dev/null
add_user lina rep north
add_user wang rep north
device lina
device wang
fs lina customer add --name "Lina Co" >/dev/null
sync_dev lina
lina_device=$(fs lina status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["device"])')
lina_token=$(json "$WORK/lina.db.keys" 'j["token"]')
check "the token is in the key file" "${#lina_token}" 43
check "the key file is mode 0600" "$(stat -c %a "$WORK/lina.db.keys")" 600
check "no token in the replica or its WAL" "$(cat "$WORK/lina.db" "$WORK/lina.db-wal" 2>/dev/null | grep -c -a -F -e "$lina_token" || true)" 0
check "no customer name in the replica or its WAL" "$(cat "$WORK/lina.db" "$WORK/lina.db-wal" 2>/dev/null | grep -c -a "Lina Co" || true)" 0
check "a stock SQLite cannot read the replica" "$(sql "$WORK/lina.db" "SELECT count(*) FROM meta" 2>/dev/null || echo refused)" refused
device_state() { "$FSS" --data "$WORK/server" device list --json | python3 -c '
import json, sys
print(next(("revoked" if d["revoked"] else "active") for d in json.load(sys.stdin) if d["device"] == sys.argv[1]))' "$1"; }

# --- logout refuses while changes are unsynced, then revokes and wipes
fs lina customer add --name "Not yet synced" >/dev/null
out=$(fs lina logout 2>&1) && status=0 || status=$?
check "logout with an unsynced change is refused (exit 4)" "$status" 4
check "... saying how many changes and of what kind" "$(echo "$out" | grep -c 'logout would lose 1 change not yet synced (1 customer): run fieldsync sync first, or fieldsync logout --force')" 1
check "... and the replica and key file stay" "$(ls "$WORK/lina.db" "$WORK/lina.db.keys" | wc -l)" 2
check "... still signed in" "$(fs lina status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["signed_in"])')" True
sync_dev lina
out=$(fs lina logout 2>&1) && status=0 || status=$?
check "logout exits 0" "$status" 0
check "logout says the server revoked the token" "$(echo "$out" | grep -c 'the server revoked this device')" 1
check "... and that the device's data was removed" "$(echo "$out" | grep -c "this device's data was removed: the replica $WORK/lina.db, its WAL and its key file $WORK/lina.db.keys")" 1
check "the replica, its WAL and its key file are gone" "$(ls "$WORK"/lina.db* 2>/dev/null | wc -l)" 0
check "the server lists lina's device as revoked" "$(device_state "$lina_device")" revoked
code=$(curl -s -o "$WORK/old.json" -w '%{http_code}' -X POST -H "Authorization: Bearer $lina_token" \
  -H 'Content-Type: application/json' -d '{}' "$URL/v1/logout")
check "the old token now gets 401" "$code" 401
check "... with the error revoked" "$(json "$WORK/old.json" 'j["error"]')" revoked
out=$(fs lina sync 2>&1) && status=0 || status=$?
check "sync after logout: no replica (exit 3)" "$status" 3
device lina
lina_device2=$(fs lina status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["device"])')
check "signing in again is a new device, active" "$(device_state "$lina_device2")" active
sync_dev lina
check "... and gets its data back from the server" "$(fs lina customer list --json | grep -c -e '"Lina Co"' -e '"Not yet synced"')" 2

# --- an administrator revokes lina's device (a lost phone): the next sync wipes it
"$FSS" --data "$WORK/server" device revoke "$lina_device2" >"$WORK/revoke.out" 2>"$WORK/revoke.err"
check "device revoke prints what it did" "$(cat "$WORK/revoke.out")" "device $lina_device2 revoked"
check "device revoke logs who did it, on stderr" \
  "$(grep -c "device $lina_device2 (lina's .*) revoked by an administrator (fieldsync-server device revoke, run by " "$WORK/revoke.err")" 1
fs lina customer add --name "Written after the revocation" >/dev/null
out=$(fs lina sync 2>&1) && status=0 || status=$?
check "sync of a revoked device exits 6" "$status" 6
check "... and says it was revoked" "$(echo "$out" | grep -c "revoked this device's sign-in: this device was signed out by an administrator")" 1
check "... and that its data was removed, with how many changes were lost" \
  "$(echo "$out" | grep -c "this device's data was removed: the replica $WORK/lina.db, its WAL and its key file $WORK/lina.db.keys (1 unsynced change was lost)")" 1
check "the replica, its WAL, its key file and token are gone" "$(ls "$WORK"/lina.db* 2>/dev/null | wc -l)" 0
sync_dev wang   # wang is not affected
device lina
sync_dev lina
check "signed in again, lina's synced data comes back" "$(fs lina customer list --json | grep -c -e '"Lina Co"' -e '"Not yet synced"')" 2
check "... but not the change the wipe lost" "$(fs lina customer list --json | grep -c '"Written after the revocation"' || true)" 0

# --- sync --watch stops on revoked with exit 6
fs wang sync --watch --period 1 >"$WORK/watch.out" 2>"$WORK/watch.err" &
watch_pid=$!
for _ in $(seq 100); do grep -q "up to date" "$WORK/watch.out" && break; sleep 0.1; done
wang_device=$(fs wang status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["device"])')
"$FSS" --data "$WORK/server" device revoke "$wang_device" >/dev/null 2>&1
status=0
wait "$watch_pid" || status=$?
check "sync --watch of a revoked device ends with exit 6" "$status" 6
check "... after printing the revoked state" "$(grep -c '^.*  revoked: ' "$WORK/watch.out")" 1
check "... and wiping the device" "$(grep -c "this device's data was removed" "$WORK/watch.err")" 1
check "wang's replica and key file are gone" "$(ls "$WORK"/wang.db* 2>/dev/null | wc -l)" 0

# --- logout --force with the server down: said, exit 1, wiped anyway
device wang
wang_device=$(fs wang status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["device"])')
fs wang customer add --name "Never synced" >/dev/null
kill_server
out=$(fs wang logout --force 2>&1) && status=0 || status=$?
check "logout --force with the server down exits 1" "$status" 1
check "... and says the server still accepts the token" \
  "$(echo "$out" | grep -c "cannot reach $URL.*The server accepts the old token until an administrator revokes this device (fieldsync-server device revoke $wang_device)")" 1
check "... and that the unsynced change was discarded" "$(echo "$out" | grep -c "1 unsynced change was lost")" 1
check "... and the replica and key file are gone" "$(ls "$WORK"/wang.db* 2>/dev/null | wc -l)" 0
start_server "$PORT"

# --- no password over plain http:// to another machine
"$FS" --db "$WORK/new.db" init >/dev/null
out=$(echo "$PASSWORD" | "$FS" --db "$WORK/new.db" login --server http://sync.example.com --user lina --password-stdin 2>&1) \
  && status=0 || status=$?
check "login over http:// to another machine is refused (exit 2)" "$status" 2
check "... with a message naming https://" "$(echo "$out" | grep -c "use the server's https:// address")" 1

# --- the server's log: failed sign-ins and revocations, never a password or token
out=$(echo "wrong-password" | "$FS" --db "$WORK/new.db" login --server "$URL" --user lina --password-stdin 2>&1) || true
echo "wrong-password" | "$FS" --db "$WORK/new.db" login --server "$URL" --user nobody --password-stdin >/dev/null 2>&1 || true
check "a failed sign-in is logged with user, address and reason" \
  "$(grep -c 'sign-in failed: user lina from 127.0.0.1: wrong password' "$WORK/server.log")" 1
check "an unknown user is logged as such" "$(grep -c 'sign-in failed: user nobody from 127.0.0.1: no such user' "$WORK/server.log")" 1
check "the logout is logged" "$(grep -c "device $lina_device (lina's .*) signed out: its token is revoked (POST /v1/logout by lina from 127.0.0.1)" "$WORK/server.log")" 1
check "no password in the log" "$(grep -c -e "$PASSWORD" -e wrong-password "$WORK/server.log" || true)" 0
check "no token in the log" "$(grep -c -F -e "$lina_token" "$WORK/server.log" || true)" 0
stop_server
finish
