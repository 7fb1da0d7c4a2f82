#!/usr/bin/env bash
# `fieldsync sync --watch`: a device that keeps syncing as the app does. With a
# timer far in the future, a change another device pushes must still arrive
# within seconds: only the server's WebSocket poke can have brought it. Then
# the server restarts and the watcher reconnects by itself; SIGTERM stops it
# cleanly with nothing pending.
# Usage: watch_test.sh FIELDSYNC FIELDSYNC_SERVER
source "$(dirname "$0")/lib.sh" "$1" "$2"
FS_ARGS=(--plaintext)  # the device's rows are read with python3's sqlite3 as the watcher writes them

"$FSS" --data "$WORK/server" team add north >/dev/null
add_user lina rep north
add_user zhang manager north
start_server
device lina
device zhang

# Bad flag combinations first.
set +e
fs zhang sync --period 5 >/dev/null 2>"$WORK/err"; rc=$?
set -e
check "--period without --watch is refused" "$rc" "2"
grep -q -- "--period goes with --watch" "$WORK/err" && echo "ok - says why" || fail "no message: $(cat "$WORK/err")"
set +e
fs zhang sync --watch --period 0 >/dev/null 2>"$WORK/err"; rc=$?
set -e
check "--period 0 is refused" "$rc" "2"

"$FS" --db "$WORK/zhang.db" "${FS_ARGS[@]}" sync --watch --period 3600 --json >"$WORK/watch.log" 2>&1 &
WATCH=$!
wait_for() { # seconds python-condition-over-events
  local deadline=$((SECONDS + $1))
  while [ $SECONDS -lt $deadline ]; do
    if python3 - "$WORK/watch.log" "$2" <<'PY'
import json, sys
events = []
for line in open(sys.argv[1]):
    try: events.append(json.loads(line))
    except ValueError: pass
sys.exit(0 if eval(sys.argv[2]) else 1)
PY
    then return 0; fi
    sleep 0.1
  done
  return 1
}
if wait_for 30 'any(e.get("event") == "live" and e.get("connected") for e in events) and any(e.get("state") == "idle" for e in events)'; then
  echo "ok - the watcher is connected and up to date"
else
  fail "the watcher never connected: $(cat "$WORK/watch.log")"
fi

# lina logs a visit and syncs; zhang's watcher must have it within seconds.
c=$(fs lina customer add --name 北京昭智教育 --level A --owner lina)
fs lina visit log --customer "$c" --notes "poked" >/dev/null
sync_dev lina
deadline=$((SECONDS + 30))
got=0
while [ $SECONDS -lt $deadline ]; do
  got=$(sql "$WORK/zhang.db" "SELECT count(*) FROM visit WHERE customer = '$c'")
  [ "$got" = "1" ] && break
  sleep 0.1
done
check "the visit reached the watching manager by the poke (timer: 1 h)" "$got" "1"

# The server restarts on the same port: the watcher says so and comes back.
stop_server
if wait_for 30 'any(e.get("event") == "live" and not e.get("connected") for e in events)'; then
  echo "ok - the watcher noticed the server going away"
else
  fail "no live-off event: $(tail -5 "$WORK/watch.log")"
fi
start_server "$PORT"
if wait_for 45 'sum(1 for e in events if e.get("event") == "live" and e.get("connected")) >= 2'; then
  echo "ok - the watcher reconnected by itself"
else
  fail "no reconnection: $(tail -5 "$WORK/watch.log")"
fi
fs lina customer set "$c" phone=13800000001 >/dev/null
sync_dev lina
deadline=$((SECONDS + 30))
phone=""
while [ $SECONDS -lt $deadline ]; do
  phone=$(sql "$WORK/zhang.db" "SELECT phone FROM customer WHERE id = '$c'")
  [ "$phone" = "13800000001" ] && break
  sleep 0.1
done
check "after the restart pokes still arrive" "$phone" "13800000001"

# zhang edits while watching, from another command: the watcher notices the
# write to its file and pushes it without a sync command.
fs zhang customer set "$c" "notes=经理批注" >/dev/null
deadline=$((SECONDS + 30))
while [ $SECONDS -lt $deadline ]; do
  [ "$(fs zhang status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["pending"])')" = "0" ] && break
  sleep 0.2
done
check "the watcher pushed zhang's own edit" "$(fs zhang status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["pending"])')" "0"

kill -TERM "$WATCH"
rc=0
wait "$WATCH" || rc=$?
check "SIGTERM stops the watcher with exit status 0" "$rc" "0"
tail -1 "$WORK/watch.log" | grep -q '"event": *"stopped"' && echo "ok - it says it stopped" \
  || fail "last line: $(tail -1 "$WORK/watch.log")"
sync_dev lina
same_as_server lina
same_as_server zhang
finish
