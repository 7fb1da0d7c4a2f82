#!/usr/bin/env bash
# Sign-in, sign-out and revocation with a real server and CLI devices:
# `logout` revokes the token on the server; a device an administrator revokes
# stops syncing with exit status 6 and says why (`sync`, `sync --watch`,
# `status`); `logout` with the server down says so, exits 1 and forgets the
# token anyway; a password is never sent over plain http:// beyond this
# machine; failed sign-ins and revocations are in the server's log, the
# password and token never.
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
lina_token=$(sql "$WORK/lina.db" "SELECT value FROM meta WHERE key = 'setting:token'")
device_state() { "$FSS" --data "$WORK/server" device list --json | python3 -c '
import json, sys
print(next(("revoked" if d["revoked"] else "active") for d in json.load(sys.stdin) if d["device"] == sys.argv[1]))' "$1"; }

# --- logout revokes the token on the server
out=$(fs lina logout 2>&1) && status=0 || status=$?
check "logout exits 0" "$status" 0
check "logout says the server revoked the token" "$(echo "$out" | grep -c 'the server revoked this device')" 1
check "the server lists lina's device as revoked" "$(device_state "$lina_device")" revoked
code=$(curl -s -o "$WORK/old.json" -w '%{http_code}' -X POST -H "Authorization: Bearer $lina_token" \
  -H 'Content-Type: application/json' -d '{}' "$URL/v1/logout")
check "the old token now gets 401" "$code" 401
check "... with the error revoked" "$(json "$WORK/old.json" 'j["error"]')" revoked
out=$(fs lina sync 2>&1) && status=0 || status=$?
check "sync after logout: not signed in (exit 3)" "$status" 3
echo "$PASSWORD" | fs lina login --server "$URL" --user lina --password-stdin >/dev/null
check "signing in again makes the device active" "$(device_state "$lina_device")" active
sync_dev lina

# --- an administrator revokes lina's device (a lost phone)
"$FSS" --data "$WORK/server" device revoke "$lina_device" >"$WORK/revoke.out" 2>"$WORK/revoke.err"
check "device revoke prints what it did" "$(cat "$WORK/revoke.out")" "device $lina_device revoked"
check "device revoke logs who did it, on stderr" \
  "$(grep -c "device $lina_device (lina's .*) revoked by an administrator (fieldsync-server device revoke, run by " "$WORK/revoke.err")" 1
fs lina customer add --name "Written after the revocation" >/dev/null
out=$(fs lina sync 2>&1) && status=0 || status=$?
check "sync of a revoked device exits 6" "$status" 6
check "... and says it was revoked" "$(echo "$out" | grep -c "revoked this device's sign-in: this device was signed out by an administrator")" 1
out=$(fs lina sync 2>&1) && status=0 || status=$?
check "it stays revoked (exit 6) without asking the server again" "$status" 6
check "status shows the revocation" "$(fs lina status --json | python3 -c 'import json,sys; j=json.load(sys.stdin); print(j["signed_in"], "signed out by an administrator" in j["revoked"])')" "False True"
check "nothing written on the device is lost" "$(fs lina status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["pending"])')" 1
sync_dev wang   # wang is not affected
echo "$PASSWORD" | fs lina login --server "$URL" --user lina --password-stdin >/dev/null
sync_dev lina
check "signed in again, the waiting change went up" "$(fs lina status --json | python3 -c 'import json,sys; j=json.load(sys.stdin); print(j["pending"], j["revoked"])')" "0 None"

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

# --- logout with the server down: said, exit 1, token forgotten anyway
echo "$PASSWORD" | fs wang login --server "$URL" --user wang --password-stdin >/dev/null
kill_server
out=$(fs wang logout 2>&1) && status=0 || status=$?
check "logout with the server down exits 1" "$status" 1
check "... and says the server still accepts the token" \
  "$(echo "$out" | grep -c "cannot reach $URL.*the server accepts it until an administrator revokes this device (fieldsync-server device revoke $wang_device)")" 1
check "... and the token is gone from the device" "$(fs wang status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["signed_in"])')" False
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
check "no token in the log" "$(grep -c -F "$lina_token" "$WORK/server.log" || true)" 0
stop_server
finish
