#!/usr/bin/env bash
# Reassignment (DESIGN §4 scopes): a manager moves a customer from lina to
# wang while lina is offline with an unsynced visit to it. Lina's visit still
# reaches the server and the manager (she wrote it while she owned the
# customer); an edit she made after the reassignment is refused and kept on
# her device as rejected; her device then drops the customer; wang receives
# it whole, with its history.
source "$(dirname "$0")/lib.sh" "$@"
start_server
"$FSS" --data "$WORK/server" team add north >/dev/null
add_user lina rep north; add_user wang rep north; add_user zhang manager north
for u in lina wang zhang; do device $u; done

c=$(fs lina customer add --name 北京昭智教育 --level A --phone 13900000001)
fs lina visit log --customer "$c" --notes "第一次拜访" >/dev/null
sync_dev lina; sync_dev zhang; sync_dev wang
check "wang cannot see lina's customer" "$(fs wang customer list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')" 0

# Offline on lina's phone: a visit, before the reassignment...
v2=$(fs lina visit log --customer "$c" --notes "离线记录的回访")
sleep 0.05
fs zhang customer set "$c" owner=wang >/dev/null   # ...the manager reassigns...
sleep 0.05
fs lina customer set "$c" phone=13900000009 >/dev/null   # ...and lina edits after it.
sync_dev zhang
fs lina sync >/dev/null 2>&1 || true   # lina's sync reports the refused edit
sync_dev lina

check "lina's device dropped the customer" "$(fs lina customer list --all --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')" 0
check "lina's device dropped its visits" "$(fs lina visit list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" 0
fs lina status --json >"$WORK/lina.status"
check "lina's refused edit is kept as rejected" "$(json "$WORK/lina.status" 'j["rejected"]')" 1
check "nothing else pending on lina's device" "$(json "$WORK/lina.status" 'j["pending"]')" 0

sync_dev wang; sync_dev zhang
check "wang received the customer" "$(fs wang customer show "$c" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["owner"])')" wang
check "wang received both visits, lina's offline one included" \
  "$(fs wang visit list --json | python3 -c 'import json,sys; print(sorted(v["notes"] for v in json.load(sys.stdin)))')" \
  "['离线记录的回访', '第一次拜访']"
check "the manager sees lina's offline visit" "$(fs zhang visit show "$v2" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["notes"])')" 离线记录的回访
check "the refused phone edit did not land" "$(fs wang customer show "$c" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["phone"])')" 13900000001
for u in lina wang zhang; do same_as_server $u; done
stop_server
finish
