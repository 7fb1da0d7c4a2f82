#!/usr/bin/env bash
# The team's configuration with a real server: the manager sets the visit
# cadence, the rep's device receives it at its next sync and its overdue list
# follows; the rep cannot change it; another team keeps the defaults.
source "$(dirname "$0")/lib.sh" "$@"
start_server
"$FSS" --data "$WORK/server" team add north >/dev/null
"$FSS" --data "$WORK/server" team add south >/dev/null
add_user lina rep north; add_user zhang manager north; add_user zhou rep south
for u in lina zhang zhou; do device $u; done
total() { python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])'; }

# Lina's A customer, last visited 10 days ago: overdue at the default 7 days.
c=$(fs lina customer add --name 十日客户 --level A --owner lina --phone 021-55550000)
fs lina visit log --customer "$c" --at "$(date -u -d '10 days ago' +%Y-%m-%dT%H:%M)" >/dev/null
sync_dev lina
check "overdue at the default cadence" "$(fs lina customer list --overdue --json | total)" 1
check "the rep's device has no team configuration yet" \
  "$(fs lina team config --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["cadence_days"]["A"], d["synced"])')" "7 False"

# The rep cannot change it (refused on the device: exit status 5).
status=0; fs lina team config --cadence-a 3 >/dev/null 2>"$WORK/err.txt" || status=$?
check "a rep is refused" "$status" 5
check "with the reason" "$(cat "$WORK/err.txt")" "fieldsync: only a manager can change the team's visit cadence"

# The manager sets A to 14 days; the rep syncs and the customer is not overdue.
check "the manager sets it" "$(fs zhang team config --cadence-a 14 --radius 800 --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["cadence_days"]["A"], d["checkin_radius_m"], d["synced"])')" "14 800.0 True"
sync_dev zhang
sync_dev lina
check "the rep received it" "$(fs lina team config --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["cadence_days"]["A"], d["checkin_radius_m"], d["synced"])')" "14 800.0 True"
check "no longer overdue at 14 days" "$(fs lina customer list --overdue --json | total)" 0

# Another team's rep: the defaults, not north's.
sync_dev zhou
check "south keeps the defaults" "$(fs zhou team config --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["cadence_days"]["A"], d["synced"])')" "7 False"
same_as_server lina
same_as_server zhou
finish
