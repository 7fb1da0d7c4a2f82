#!/usr/bin/env bash
# Clock skew (DESIGN §3): a phone whose clock says next year edits a field;
# a colleague edits it later with a correct clock. The server refuses the
# future stamps, the phone corrects its offset and re-stamps, and the later
# edit wins: a clock that runs ahead wins nothing.
source "$(dirname "$0")/lib.sh" "$@"
command -v faketime >/dev/null || { echo "faketime is required (./dev installs it)" >&2; exit 1; }
start_server
"$FSS" --data "$WORK/server" team add north >/dev/null
add_user lina rep north; add_user zhang manager north
device lina; device zhang
c=$(fs lina customer add --name 北京昭智教育 --level A)
sync_dev lina; sync_dev zhang

ahead() { faketime -f '+365d' "$FS" --db "$WORK/lina.db" "$@"; }
ahead customer set "$c" phone=13911110000 >/dev/null     # stamped a year ahead
sleep 0.05
fs zhang customer set "$c" phone=13922220000 >/dev/null  # later, with a true clock
sync_dev zhang
ahead sync >/dev/null                                    # refused, corrected, re-stamped, accepted
sync_dev zhang; ahead sync >/dev/null
check "the later edit wins over the skewed one" "$(fs zhang customer show "$c" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["phone"])')" 13922220000
check "both devices agree" "$(fs lina customer show "$c" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["phone"])')" 13922220000
check "the skewed edit is not lost: it is in the conflict log" \
  "$(fs zhang conflicts --json | python3 -c 'import json,sys; print(sum(c["loser_value"]=="13911110000" for c in json.load(sys.stdin)))')" 1
# Still a year ahead, the phone now stamps with its corrected offset.
ahead customer set "$c" address=北京市海淀区 >/dev/null
ahead sync >/dev/null
check "a new edit from the skewed phone is accepted at once" "$(fs lina status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["pending"])')" 0
sync_dev zhang
for u in lina zhang; do same_as_server $u; done
stop_server
finish
