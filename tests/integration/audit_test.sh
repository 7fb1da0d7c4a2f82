#!/usr/bin/env bash
# fieldsync-server audit as an admin runs it, against a real server and CLI
# devices: "who changed this visit, when, from which phone" (table, --json,
# CSV), every filter, paging, the server's conflict entries, bad values
# refused with a clear message (exit 2, or 3 for what is not there); a device
# name or customer name carrying terminal escapes or a spreadsheet formula
# cannot reach the admin's terminal or spreadsheet; the audit writes nothing.
source "$(dirname "$0")/lib.sh" "$@"
export TZ=Asia/Shanghai
audit() { "$FSS" --data "$WORK/server" audit "$@"; }
expect_refused() { # "what" STATUS "message part" ARGS...
  local what="$1" want="$2" part="$3" out status
  shift 3
  out=$(audit "$@" 2>&1) && status=0 || status=$?
  check "$what: exit status" "$status" "$want"
  case "$out" in *"$part"*) echo "ok - $what: says '$part'" ;; *) fail "$what: message '$out' lacks '$part'" ;; esac
}
login_as() { # device-file user device-name
  "$FS" --db "$WORK/$1.db" init >/dev/null
  echo "$PASSWORD" | "$FS" --db "$WORK/$1.db" login --server "$URL" --user "$2" --device-name "$3" --password-stdin >/dev/null
}
device_id() { fs "$1" status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["device"])'; }

start_server
started_ms=$(date +%s%3N)
"$FSS" --data "$WORK/server" team add north >/dev/null
add_user lina rep north
add_user wang rep north
add_user zhang manager north
login_as lina lina "Lina's phone"
login_as lina2 lina "Lina's tablet"
login_as zhang zhang "张经理的平板"
lina_id=$(device_id lina)

# lina logs a visit at her customer from the phone; from the tablet she adds
# the outcome; her manager adds a note; a second visit is not part of it.
C=$(fs lina customer add --name 北京昭智教育 --level A --phone 13900000001)
V=$(fs lina visit log --customer "$C" --notes "first visit" --outcome ok)
W=$(fs lina visit log --customer "$C" --notes "another visit")
sync_dev lina
sync_dev lina2
fs lina2 visit set "$V" outcome=ordered >/dev/null
sync_dev lina2
sync_dev zhang
fs zhang visit set "$V" "notes=call back in May, bring samples" >/dev/null
sync_dev zhang
# A concurrent edit of one customer field by lina and zhang: the server's
# conflict entry.
sync_dev lina
fs lina customer set "$C" phone=13911111111 >/dev/null
fs zhang customer set "$C" phone=13922222222 >/dev/null
sync_dev lina
sync_dev zhang
ended_ms=$(date +%s%3N)

# Who changed this visit: the table, newest first, while the server serves.
audit --row "$V" >"$WORK/row.txt" 2>"$WORK/row.err"
# Four changes: the creation, the server's verdict on the check-in (by the
# server, caused by lina's push), the tablet's outcome, the manager's note.
check "--row: a header and four changes" "$(wc -l <"$WORK/row.txt")" 5
check "--row: nothing on stderr when all is shown" "$(wc -c <"$WORK/row.err")" 0
check "--row table: newest first, by user and named device" \
  "$(awk 'NR > 1 { print $3 }' "$WORK/row.txt" | paste -sd,)" zhang,lina,lina,lina
row_line() { sed -n "$1p" "$WORK/row.txt"; }
case "$(row_line 2)" in *"张经理的平板 ("*") "*"visit"*"$V"*"北京昭智教育 ($C)"*'notes="call back in May, bring samples"'*) echo "ok - --row table: the manager's note, device name and short id, customer" ;;
  *) fail "--row table line: '$(row_line 2)'" ;; esac
case "$(row_line 3)" in *"Lina's tablet ("*"outcome=ordered"*) echo "ok - --row table: the outcome from lina's tablet" ;;
  *) fail "--row table line: '$(row_line 3)'" ;; esac
case "$(row_line 4)" in *" lina   [server] "*"verdict=unverified, verdict_reasons=no_location, checkin_received_at="*) echo "ok - --row table: the server's verdict on the check-in" ;;
  *) fail "--row table line: '$(row_line 4)'" ;; esac
case "$(row_line 5)" in *"Lina's phone (${lina_id:0:8})"*"customer=$C, "*) echo "ok - --row table: the visit's creation from lina's phone" ;;
  *) fail "--row table line: '$(row_line 5)'" ;; esac
check "--row table: received times in ISO 8601, local zone" \
  "$(awk 'NR > 1 { print $2 }' "$WORK/row.txt" | grep -cE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\+08:00$')" 4

audit --row "$V" --json >"$WORK/row.json"
check "--json: the same four changes" "$(json "$WORK/row.json" 'len(j)')" 4
check "--json: users and device names" \
  "$(json "$WORK/row.json" '",".join(e["user"] + "/" + e["device"]["name"] for e in j)')" "zhang/张经理的平板,lina/Lina's tablet,lina/server,lina/Lina's phone"
check "--json: the phone's full id" "$(json "$WORK/row.json" 'j[3]["device"]["id"]')" "$lina_id"
check "--json: entity, row, customer id and name" \
  "$(json "$WORK/row.json" 'set((e["entity"], e["row"], e["customer"]["id"], e["customer"]["name"]) for e in j) == {("visit", "'"$V"'", "'"$C"'", "北京昭智教育")}')" True
check "--json: received while the test ran" \
  "$(json "$WORK/row.json" "all($started_ms <= e['received_at_ms'] <= $ended_ms for e in j)")" True
check "--json: the fields written, typed" "$(json "$WORK/row.json" 'j[1]["set"]')" "{'outcome': 'ordered'}"
check "--json: seq descending" "$(json "$WORK/row.json" '[e["seq"] for e in j] == sorted((e["seq"] for e in j), reverse=True)')" True
audit --row "$V" --json --oldest-first >"$WORK/row.oldest.json"
check "--oldest-first: the same, reversed" "$(json "$WORK/row.oldest.json" '[e["seq"] for e in j]')" \
  "$(json "$WORK/row.json" '[e["seq"] for e in reversed(j)]')"

# The same question by customer name or id, by device name, prefix or id.
audit --customer 北京昭智教育 --json >"$WORK/by-name.json"
audit --customer "$C" --json >"$WORK/by-id.json"
if cmp -s "$WORK/by-name.json" "$WORK/by-id.json"; then echo "ok - --customer by name = by id"; else fail "--customer by name and by id differ"; fi
check "--customer: the customer, both visits, and the conflict entry" \
  "$(json "$WORK/by-id.json" '",".join(sorted(set(e["entity"] for e in j)))')" "conflict,customer,visit"
check "--customer: no other row" "$(json "$WORK/by-id.json" 'all(e["customer"]["id"] == "'"$C"'" for e in j)')" True
audit --device "Lina's phone" --json >"$WORK/dev-name.json"
audit --device "${lina_id:0:6}" --json >"$WORK/dev-prefix.json"
audit --device "${lina_id^^}" --json >"$WORK/dev-id.json"
if cmp -s "$WORK/dev-name.json" "$WORK/dev-prefix.json" && cmp -s "$WORK/dev-name.json" "$WORK/dev-id.json"; then
  echo "ok - --device by name = by id prefix = by id (any case)"; else fail "--device forms disagree"; fi
check "--device: lina's phone's changes only" "$(json "$WORK/dev-id.json" 'len(j) > 0 and all(e["device"]["id"] == "'"$lina_id"'" for e in j)')" True
check "--user zhang" "$(audit --user zhang --json | python3 -c 'import json,sys; print(sorted(set(e["user"] for e in json.load(sys.stdin))))')" "['zhang']"
check "--entity visit --user lina: the two creations, the server's verdict on each, and the tablet's outcome" \
  "$(audit --entity visit --user lina --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" 5

# The server's conflict entry.
audit --entity conflict --json >"$WORK/conflict.json"
check "conflict entry: one, written by the server" \
  "$(json "$WORK/conflict.json" '[(e["by_server"], e["device"]["name"], e["user"]) for e in j]')" "[(True, 'server', 'zhang')]"
check "conflict entry: kept zhang's phone, lost lina's" "$(json "$WORK/conflict.json" 'j[0]["changes"]')" \
  "customer phone: kept 13922222222, lost 13911111111 (row $C)"
case "$(audit --entity conflict | sed -n 2p)" in *" zhang  [server]  conflict "*"customer phone: kept 13922222222, lost 13911111111 (row "*) echo "ok - conflict entry in the table: device [server]" ;;
  *) fail "conflict entry table line: '$(audit --entity conflict | sed -n 2p)'" ;; esac

# Paging: --limit, the note naming the next page, --before.
total=$(audit --json --limit 1000 | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
audit --limit 2 --json >"$WORK/page1.json" 2>"$WORK/page1.err"
check "--limit 2: two changes" "$(json "$WORK/page1.json" 'len(j)')" 2
next=$(json "$WORK/page1.json" 'j[-1]["seq"]')
case "$(cat "$WORK/page1.err")" in *"2 changes shown, newest first; older ones match too: add --before $next"*) echo "ok - the note names the next page" ;;
  *) fail "--limit note: '$(cat "$WORK/page1.err")'" ;; esac
seen=2
while :; do
  audit --limit 2 --before "$next" --json >"$WORK/page.json" 2>"$WORK/page.err"
  seen=$((seen + $(json "$WORK/page.json" 'len(j)')))
  [ -s "$WORK/page.err" ] || break
  next=$(json "$WORK/page.json" 'j[-1]["seq"]')
done
check "pages of 2 cover the log once" "$seen" "$total"

# Time filters: ages, local and zoned ISO 8601, milliseconds.
check "--since 1h: everything" "$(audit --since 1h --json --limit 1000 | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" "$total"
out=$(audit --since 2999-01-01 2>&1 >/dev/null)
check "--since in the future: says nothing matches" "$out" "fieldsync-server: audit: no changes match"
check "--until 2000-01-01T08:00 (local) = 2000-01-01T00:00Z: nothing" \
  "$(audit --until 2000-01-01T08:00 --json 2>/dev/null):$(audit --until 2000-01-01T00:00Z --json 2>/dev/null)" "[]:[]"
check "--since/--until in milliseconds around the run" \
  "$(audit --since "$started_ms" --until "$((ended_ms + 1))" --json --limit 1000 | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" "$total"

# CSV: RFC 4180 with a header, BOM, CRLF; as many rows as the JSON.
audit --csv --limit 1000 >"$WORK/all.csv"
check "--csv: starts with a BOM and the header" "$(head -c 40 "$WORK/all.csv" | od -An -c | tr -s ' ' | head -1 | cut -c1-16)" " 357 273 277 s e"
check "--csv: CRLF line ends" "$(python3 -c 'import sys; d=open(sys.argv[1],"rb").read(); print(d.count(b"\r\n") == d.count(b"\n"))' "$WORK/all.csv")" True
check "--csv: a row per change" "$(python3 -c 'import csv,sys; print(len(list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig", newline="")))))' "$WORK/all.csv")" "$total"
check "--csv: the visit's manager note, whole" \
  "$(python3 -c 'import csv,sys; print([r["changes"] for r in csv.DictReader(open(sys.argv[1], encoding="utf-8-sig", newline="")) if r["row"] == sys.argv[2] and r["user"] == "zhang"][0])' "$WORK/all.csv" "$V")" \
  'notes="call back in May, bring samples"'

# Attack: a rep names the device (at sign-in) and a customer with terminal
# escape sequences, a line break and spreadsheet formulas. The table shows
# them as one line of plain text; the CSV cells start with an apostrophe.
evil_device=$'=HYPERLINK("http://evil.example")\e]0;owned\a\e[2J\nfake row'
login_as wang wang "$evil_device"
E=$(fs wang customer add --name $'=cmd|\' /C calc\'!A0\e[31m')
sync_dev wang
audit --user wang >"$WORK/evil.txt"
check "escapes: no ESC, BEL or other control byte reaches the terminal" \
  "$(python3 -c 'import sys; d=open(sys.argv[1],"rb").read(); print(sum(b < 0x20 and b != 0x0a for b in d) + d.count(b"\x7f"))' "$WORK/evil.txt")" 0
check "escapes: one line per change (the device name's line break is a space)" "$(wc -l <"$WORK/evil.txt")" 2
case "$(sed -n 2p "$WORK/evil.txt")" in *' =HYPERLINK("http://evil… ('*')  customer '*) echo "ok - escapes: the name is shown as text, cut, with the device's id" ;;
  *) fail "escapes: '$(sed -n 2p "$WORK/evil.txt")'" ;; esac
audit --user wang --csv >"$WORK/evil.csv"
check "formulas: the device name and customer name cells start with an apostrophe" \
  "$(python3 -c 'import csv,sys; r=list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig", newline="")))[0]; print(r["device_name"][:2], r["customer_name"][:2], r["changes"][:5])' "$WORK/evil.csv")" "'= '= name="
check "--json keeps the name exactly" "$(audit --user wang --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["device"]["name"] == sys.argv[1])' "$evil_device")" True

# Bad values: a clear message and exit 2; what is not there: exit 3.
expect_refused "--since in words" 2 "--since \"yesterday\" is not a time: give 2026-11-22" --since yesterday
expect_refused "--until impossible date" 2 "is not a time" --until 2026-02-30
expect_refused "--since after --until" 2 "--since must be before --until" --since 2026-11-22 --until 2026-11-21
expect_refused "--limit 0" 2 "--limit must be from 1 to 1000000" --limit 0
expect_refused "--limit too big" 2 "--limit must be from 1 to 1000000" --limit 1000001
expect_refused "--limit not a number" 2 "for option '--limit' is invalid" --limit lots
expect_refused "--before negative" 2 "--before takes a log position" --before -1
expect_refused "--entity unknown" 2 "--entity must be one of customer, contact, visit" --entity vist
expect_refused "--row not an id" 2 "--row takes a row id like" --row 42
expect_refused "--row unknown" 3 "no row 0193b0a0-5c3e-7d2a-9f10-2b3c4d5e6f70 on this server" --row 0193b0a0-5c3e-7d2a-9f10-2b3c4d5e6f70
expect_refused "--customer is a visit" 2 "$V is a visit, not a customer: use --row" --customer "$V"
expect_refused "--customer unknown name" 3 "no customer named \"nobody\"" --customer nobody
expect_refused "--device unknown" 3 "no device named \"ffff\" or whose id starts with it" --device ffff
expect_refused "--json and --csv" 2 "give --json or --csv, not both" --json --csv
expect_refused "unknown flag" 2 "unrecognised option '--who'" --who lina
out=$(audit --user nobody 2>&1 >/dev/null)
check "--user unknown: nothing matches, and says there is no such user" "$out" \
  'fieldsync-server: audit: no changes match (there is no user "nobody": fieldsync-server user list names them)'
out=$("$FSS" audit 2>&1) && status=0 || status=$?
check "no --data: exit status" "$status" 2
out=$("$FSS" --data "$WORK/nowhere" audit 2>&1) && status=0 || status=$?
check "a directory without a hub: exit status" "$status" 3
case "$out" in *"no hub.db in $WORK/nowhere"*) echo "ok - a directory without a hub: says so" ;; *) fail "no hub: '$out'" ;; esac
check "a directory without a hub is not created" "$([ -e "$WORK/nowhere" ] && echo yes || echo no)" no
"$FSS" audit --help >"$WORK/help.txt"
check "audit --help: its own usage" "$(head -1 "$WORK/help.txt" | cut -c1-40)" "Usage: fieldsync-server --data DIR audit"

# The audit writes nothing: the stopped server's files are byte-identical after it.
stop_server
before=$(sha256sum "$WORK/server/hub.db" "$WORK/server/accounts.db")
audit --row "$V" >/dev/null
audit --csv --limit 1000 >/dev/null
audit --customer 北京昭智教育 --since 1d --json >/dev/null
check "the audit leaves hub.db and accounts.db unchanged" "$(sha256sum "$WORK/server/hub.db" "$WORK/server/accounts.db")" "$before"
finish
