#!/usr/bin/env bash
# Fault tests (DESIGN §8): the server is killed with SIGKILL at random points
# while a device pushes in small batches; after each restart and resync every
# change the device saw acknowledged is on the server, none is duplicated, and
# all replicas converge. A device killed mid-pull recovers consistently.
# 20 rounds; FIELDSYNC_LONG=1: 100.
source "$(dirname "$0")/lib.sh" "$@"
FS_ARGS=(--plaintext)  # the device's acknowledged mark is read with python3's sqlite3
rounds=20
[ "${FIELDSYNC_LONG:-0}" = 1 ] && rounds=100
start_server
"$FSS" --data "$WORK/server" team add north >/dev/null
add_user lina rep north; add_user zhang manager north
device lina; device zhang
c=$(fs lina customer add --name 北京昭智教育 --level A)
sync_dev lina
visits=0
lost=0
interrupted=0
for round in $(seq "$rounds"); do
  for k in $(seq 12); do
    fs lina visit log --customer "$c" --notes "round $round visit $k" >/dev/null
    visits=$((visits + 1))
  done
  fs lina customer set "$c" notes="round $round" >/dev/null
  fs lina sync --batch 1 --timeout 30 >/dev/null 2>&1 &
  pusher=$!
  sleep "0.0$((RANDOM % 3))$((RANDOM % 10))"
  kill_server
  wait "$pusher" 2>/dev/null || true
  # Did the kill land mid-push? (Some rounds must, or this test proves nothing.)
  [ "$(fs lina status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["pending"])')" != 0 ] && interrupted=$((interrupted + 1))
  # Durability: the server's mark for this device is at least what it told the device.
  device_acked=$(sql "$WORK/lina.db" "select value from meta where key='acked'")
  server_acked=$(sql "$WORK/server/hub.db" "select max(acked) from hub_device")
  if python3 -c "import sys; sys.exit(0 if int('$server_acked') >= int('$device_acked') else 1)"; then :; else
    fail "round $round: the device saw $device_acked acknowledged, the server holds only $server_acked"; lost=1
  fi
  start_server "$PORT"
  # The manager's device is killed at a random point of its pull, then resumes.
  fs zhang sync >/dev/null 2>&1 &
  puller=$!
  sleep "0.0$((RANDOM % 5))"
  kill -9 "$puller" 2>/dev/null || true
  wait "$puller" 2>/dev/null || true
  sync_dev lina
done
check "no acknowledged change was lost in $rounds kills" "$lost" 0
[ "$interrupted" -gt 0 ] && echo "ok - $interrupted of $rounds kills interrupted a push" || fail "no kill interrupted a push"
[ "$interrupted" -lt "$rounds" ] || echo "note: every kill interrupted a push"

sync_dev zhang; sync_dev lina
check "the server has every visit exactly once" \
  "$(sql "$WORK/server/hub.db" "select count(*) from visit")" "$visits"
check "no record was accepted twice" \
  "$(sql "$WORK/server/hub.db" "select count(*) from (select device, device_seq from hub_log group by 1, 2 having count(*) > 1)")" 0
check "the manager's device has every visit" "$(fs zhang visit list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" "$visits"
check "lina has nothing pending" "$(fs lina status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["pending"])')" 0
for u in lina zhang; do same_as_server $u; done
stop_server
finish
