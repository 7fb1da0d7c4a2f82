#!/usr/bin/env bash
# Three reps and a manager edit offline (the same customer field concurrently,
# visits, tags, stage changes), then sync in random orders against a real
# server: every replica ends equal to the server's view of its user, the
# manager sees every visit, and the concurrent edit is in the conflict log of
# both writers.
source "$(dirname "$0")/lib.sh" "$@"
start_server
"$FSS" --data "$WORK/server" team add north >/dev/null
for u in lina wang chen; do add_user $u rep north; done
add_user zhang manager north
for u in lina wang chen zhang; do device $u; done

# Each rep's customers and visits, offline.
declare -A CUST
for u in lina wang chen; do
  CUST[$u]=$(fs $u customer add --name "$u 的客户" --level A --phone 1390000000${#u} --tag 重点)
  fs $u visit log --customer "${CUST[$u]}" --notes "first visit by $u" --outcome ok >/dev/null
done
pool=$(fs zhang customer add --name 公海客户 --level C)
for u in lina wang chen zhang; do sync_dev $u; done
check "owner of a rep's new customer" "$(fs lina customer show "${CUST[lina]}" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["owner"])')" lina

# Concurrent edits of the same field by lina and her manager, a tag removed by
# one and added by the other, a stage move, more visits.
fs lina customer set "${CUST[lina]}" phone=13911111111 >/dev/null
fs zhang customer set "${CUST[lina]}" phone=13922222222 >/dev/null
fs lina customer tag "${CUST[lina]}" -重点 >/dev/null
fs zhang customer tag "${CUST[lina]}" +续约 >/dev/null
for u in lina wang chen; do
  fs $u visit log --customer "${CUST[$u]}" --notes "second visit by $u" >/dev/null
done
for round in 1 2; do
  for u in $(printf '%s\n' lina wang chen zhang | shuf); do sync_dev $u; done
done
for u in lina wang chen zhang; do same_as_server $u; done

check "zhang (manager) sees every visit" "$(fs zhang visit list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" 6
check "wang does not see lina's visits" "$(fs wang visit list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" 2
check "the pool customer is visible to reps" "$(fs wang customer list --json | python3 -c 'import json,sys; print(sum(c["name"]=="公海客户" for c in json.load(sys.stdin)["customers"]))')" 1
for u in lina zhang; do
  fs $u conflicts --json >"$WORK/$u.conflicts"
  check "$u's conflict log has the phone conflict, settled" \
    "$(json "$WORK/$u.conflicts" 'sum(c["field"]=="phone" and not c["provisional"] for c in j)')" 1
done
check "add-wins: the concurrent tag add survives, the removed tag is gone" \
  "$(fs lina customer show "${CUST[lina]}" --json | python3 -c 'import json,sys; print(",".join(json.load(sys.stdin)["tags"]))')" 续约
for u in lina wang chen zhang; do
  check "$u has nothing pending" "$(fs $u status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["pending"])')" 0
done
stop_server
finish
