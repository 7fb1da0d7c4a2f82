#!/usr/bin/env bash
# Two fieldsync-server instances on one PostgreSQL database, as behind one
# address (docs/scale-out.md). Devices are pinned alternately to each, and
# every device changes instance between syncs (no sticky sessions): random
# edits and concurrent syncs converge, every replica equal to the server's
# view of its user. A `sync --watch` device on instance B gets a change
# pushed through A within seconds (its timer set to an hour: only the poke
# relayed through PostgreSQL can bring it). Then instance A is killed with
# SIGKILL in the middle of a large push: everything the device saw
# acknowledged is in the hub, and it finishes through B with nothing lost or
# duplicated.
# Usage: scaleout_test.sh FIELDSYNC FIELDSYNC_SERVER FS_PG_CLUSTER
source "$(dirname "$0")/lib.sh" "$1" "$2"
source "$(dirname "$0")/pg_lib.sh" "$3"

SEED=${FIELDSYNC_SEED:-$$}
RANDOM=$SEED
echo "# random edits with FIELDSYNC_SEED=$SEED"
pg_start
STORE=$(pg_create_db scaleout)
DB=$(pg_db_of "$STORE")
"$FSS" --store "$STORE" team add north >/dev/null
for u in lina wang chen; do add_store_user "$STORE" $u rep north; done
add_store_user "$STORE" zhang manager north

start_instance "$STORE"; A_PID=$INSTANCE_PID; A_URL=$INSTANCE_URL
start_instance "$STORE"; B_PID=$INSTANCE_PID; B_URL=$INSTANCE_URL
DEVICES=(lina wang chen zhang)
instance_for() { # device-number round: alternate instances, and switch every round
  if [ $(( ($1 + $2) % 2 )) -eq 0 ]; then echo "$A_URL"; else echo "$B_URL"; fi
}
for i in "${!DEVICES[@]}"; do URL=$(instance_for "$i" 0); device "${DEVICES[$i]}"; done

# Each rep's customer, then rounds of random edits, every device syncing at
# the same time through the instance of the round.
declare -A CUST
for u in lina wang chen; do CUST[$u]=$(fs $u customer add --name "$u 的客户" --level B --force); done
for i in "${!DEVICES[@]}"; do sync_dev "${DEVICES[$i]}"; done
sync_dev zhang
visits=0
for round in 1 2 3; do
  workers=()
  for i in "${!DEVICES[@]}"; do
    u=${DEVICES[$i]}
    use_instance "$u" "$(instance_for "$i" "$round")"
    (
      if [ "$u" = zhang ]; then
        # The manager edits a random rep's customer, concurrently with its owner.
        reps=(lina wang chen)
        fs zhang customer set "${CUST[${reps[$((RANDOM % 3))]}]}" "notes=经理 round $round" >/dev/null
      else
        case $((RANDOM % 3)) in
          0) fs "$u" customer set "${CUST[$u]}" "phone=1390000$round$i$((RANDOM % 10))" >/dev/null ;;
          1) fs "$u" customer tag "${CUST[$u]}" "+标签$round" >/dev/null ;;
          2) fs "$u" customer set "${CUST[$u]}" "notes=$u round $round" >/dev/null ;;
        esac
        fs "$u" visit log --customer "${CUST[$u]}" --notes "$u round $round" >/dev/null
      fi
      sync_dev "$u"
    ) &
    workers+=($!)
  done
  for w in "${workers[@]}"; do wait "$w" || fail "round $round: a device's edit or sync failed"; done
  visits=$((visits + 3))
done
for pass in 1 2; do for u in "${DEVICES[@]}"; do sync_dev "$u"; done; done
for u in "${DEVICES[@]}"; do same_as_store "$STORE" "$u"; done
check "the manager has every rep's visit" \
  "$(fs zhang visit list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" "$visits"
check "both instances serve one log: positions 1..N without gaps" \
  "$(pg_psql "$DB" 'SELECT count(*) = max(seq) AND min(seq) = 1 FROM hub_log')" t

# The live poke crosses instances: zhang watches through B, lina pushes through A.
use_instance zhang "$B_URL"
use_instance lina "$A_URL"
"$FS" --db "$WORK/zhang.db" "${FS_ARGS[@]}" sync --watch --period 3600 --json >"$WORK/watch.log" 2>&1 &
WATCH=$!
watching() { # seconds: until the watcher says it is connected and up to date
  local deadline=$((SECONDS + $1))
  while [ $SECONDS -lt $deadline ]; do
    python3 - "$WORK/watch.log" <<'PY' && return 0
import json, sys
events = []
for line in open(sys.argv[1]):
    try: events.append(json.loads(line))
    except ValueError: pass
ok = any(e.get("event") == "live" and e.get("connected") for e in events) and any(e.get("state") == "idle" for e in events)
sys.exit(0 if ok else 1)
PY
    sleep 0.1
  done
  return 1
}
watching 30 && echo "ok - the watcher is connected to instance B and up to date" \
  || fail "the watcher never connected: $(cat "$WORK/watch.log")"
fs lina visit log --customer "${CUST[lina]}" --notes "poked across instances" >/dev/null
visits=$((visits + 1))
sync_dev lina
deadline=$((SECONDS + 30))
got=0
while [ $SECONDS -lt $deadline ]; do
  got=$(sql "$WORK/zhang.db" "SELECT count(*) FROM visit WHERE notes = 'poked across instances'")
  [ "$got" = "1" ] && break
  sleep 0.1
done
check "a push through A reached the watcher on B by the poke (timer: 1 h)" "$got" 1
kill -TERM "$WATCH"
rc=0
wait "$WATCH" || rc=$?
check "the watcher stopped cleanly" "$rc" 0

# SIGKILL of instance A in the middle of a large push, one change a request.
for k in $(seq 40); do fs chen visit log --customer "${CUST[chen]}" --notes "bulk $k" >/dev/null; done
visits=$((visits + 40))
check "chen has 40 changes pending" "$(pending_of chen)" 40
use_instance chen "$A_URL"
acked_of() { sql "$WORK/chen.db" "SELECT value FROM meta WHERE key = 'acked'"; }
# A watcher polls the device's acknowledged mark every millisecond and kills
# instance A as soon as it moves: the push is then surely under way.
python3 - "$WORK/chen.db" "$A_PID" "$(acked_of)" "$WORK/killer.ready" <<'PY' &
import os, signal, sqlite3, sys, time
db, pid, before, ready = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
c = sqlite3.connect(db, timeout=5)
open(ready, "w").close()
deadline = time.time() + 60
while time.time() < deadline:
    r = c.execute("SELECT value FROM meta WHERE key = 'acked'").fetchone()
    if str(r[0] if r and r[0] is not None else 0) != before: break
    time.sleep(0.001)
os.kill(pid, signal.SIGKILL)
PY
KILLER=$!
while [ ! -e "$WORK/killer.ready" ]; do sleep 0.01; done
fs chen sync --batch 1 --timeout 30 >/dev/null 2>&1 &
PUSHER=$!
wait "$KILLER"
wait "$A_PID" 2>/dev/null || true
rc=0
wait "$PUSHER" || rc=$?
left=$(pending_of chen)
if [ "$left" -gt 0 ] && [ "$left" -lt 40 ]; then echo "ok - the kill landed mid-push ($left of 40 left)"
else fail "the kill did not land mid-push ($left of 40 left, sync exit $rc)"; fi
[ "$rc" -ne 0 ] && echo "ok - the interrupted sync reported a failure" || fail "the interrupted sync exited 0"
device_hex=$(fs chen status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["device"])')
device_acked=$(acked_of)
hub_acked=$(pg_psql "$DB" "SELECT acked FROM hub_device WHERE device = decode('$device_hex', 'hex')")
python3 -c "import sys; sys.exit(0 if int('${hub_acked:-0}') >= int('$device_acked') else 1)" \
  && echo "ok - every change chen saw acknowledged is held (hub mark $hub_acked >= $device_acked)" \
  || fail "chen saw $device_acked acknowledged, the hub holds only ${hub_acked:-nothing}"
# At least what was acknowledged; one more if the kill came between a commit
# and its answer.
held=$(pg_psql "$DB" "SELECT count(*) FROM visit WHERE notes LIKE 'bulk %'")
if [ "$held" -ge $((40 - left)) ] && [ "$held" -le $((41 - left)) ]; then
  echo "ok - the hub holds the $((40 - left)) acknowledged bulk visits ($held)"
else fail "the hub holds $held bulk visits, $((40 - left)) were acknowledged"; fi

# chen carries on through B: nothing lost, nothing twice.
use_instance chen "$B_URL"
sync_dev chen
check "chen has nothing pending" "$(pending_of chen)" 0
check "every bulk visit is in the hub once" "$(pg_psql "$DB" "SELECT count(*) FROM visit WHERE notes LIKE 'bulk %'")" 40
check "no record was accepted twice" \
  "$(pg_psql "$DB" 'SELECT count(*) FROM (SELECT device, device_seq FROM hub_log GROUP BY 1, 2 HAVING count(*) > 1) d')" 0
for u in "${DEVICES[@]}"; do use_instance "$u" "$B_URL"; sync_dev "$u"; done
for u in "${DEVICES[@]}"; do same_as_store "$STORE" "$u"; done
check "the manager has every visit" \
  "$(fs zhang visit list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" "$visits"
finish
