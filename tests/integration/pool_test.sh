#!/usr/bin/env bash
# The public pool with a real server and two rep devices: both claim the same
# pool customer offline; wang claims first, lina reaches the server first.
# Lina wins; wang's claim is refused as lost, naming lina, and stays in his
# claims list after the customer has left his device.
source "$(dirname "$0")/lib.sh" "$@"
start_server
"$FSS" --data "$WORK/server" team add north >/dev/null
add_user lina rep north; add_user wang rep north; add_user zhang manager north
for u in lina wang zhang; do device $u; done
claims() { fs "$1" customer claims --json >"$WORK/$1.claims"; }

p=$(fs zhang customer add --name 公海客户甲 --level B --phone 021-66668888)
sync_dev zhang; sync_dev lina; sync_dev wang
check "wang sees the pool customer" "$(fs wang customer list --pool --json | python3 -c 'import json,sys; print([c["name"] for c in json.load(sys.stdin)["customers"]])')" "['公海客户甲']"

# Offline: wang claims first, lina a moment later.
fs wang customer claim "$p" >/dev/null
sleep 0.05
fs lina customer claim "$p" >/dev/null
claims wang
check "wang's claim waits for the server" "$(json "$WORK/wang.claims" '[c["status"] for c in j]')" "['pending']"
check "offline, the customer is wang's at once" "$(fs wang customer list --owner wang --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')" 1

sync_dev lina
fs wang sync >/dev/null 2>&1 || true   # the refused claim makes this sync report an error
sync_dev wang

claims lina
check "lina's claim won" "$(json "$WORK/lina.claims" '[c["status"] for c in j]')" "['won']"
claims wang
check "wang's claim is lost" "$(json "$WORK/wang.claims" '[c["status"] for c in j]')" "['lost']"
check "and says who holds the customer" "$(json "$WORK/wang.claims" 'j[0]["reason"]')" "customer $p: claim lost: it is already owned by lina"
check "and which customer it was, after it left wang's device" "$(json "$WORK/wang.claims" 'j[0]["name"]')" 公海客户甲
check "wang's device no longer holds it" "$(fs wang customer list --archived --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')" 0
fs wang customer claims >"$WORK/wang.claims.txt"
check "the text listing shows the loss" "$(grep -c 'lost.*claim lost: it is already owned by lina' "$WORK/wang.claims.txt")" 1
"$FSS" --data "$WORK/server" dump >"$WORK/server.dump"
check "the server holds lina as the owner" "$(json "$WORK/server.dump" "j['customer']['$p']['owner']['value']")" lina

# The manager's return-to-pool: nothing is idle yet (lina got it just now).
check "a fresh claim is not idle" "$(fs zhang customer return-to-pool --idle-days 1 --dry-run --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["customers"]))')" 0
finish
