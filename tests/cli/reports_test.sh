#!/usr/bin/env bash
# Field work through the CLI: visit plan/checkin/checkout/void and the
# timeline flags, tasks, complaints, today, the reports and the CSV export,
# in Beijing time at fixed instants (--at, --as-of); then every bad input:
# its exit status, one line on stderr, nothing on stdout, the replica
# unchanged.
set -euo pipefail
source "$(dirname "$0")/lib.sh" "$@"
export TZ=Asia/Shanghai

db() { "$FS" --db r.db --plaintext "$@"; }  # plain: as() below writes its settings with python3
as() {  # as USER ROLE: sign in as USER on r.db (settings only, no server)
  python3 - r.db "$1" "$2" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
for k, v in (("user", sys.argv[2]), ("role", sys.argv[3]), ("team", "north")):
    c.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", ("setting:" + k, v))
c.commit()
PY
}

db init > /dev/null
as lina rep
SHOP=$(db customer add --name 北京昭智教育 --level A --owner lina lat=39.9 lng=116.4 annual_sales=750000 lifecycle=repeat)
MALL=$(db customer add --name 华联超市 --level B --owner lina annual_sales=200000)
KIOSK=$(db customer add --name "报亭, 东门" --level C --owner lina annual_sales=50000)

# ---------------------------------------------------------------- visits
V1=$(db visit plan --customer "$SHOP" --at 2026-11-22T09:00+08:00 --purpose 季度回访)
[[ "$V1" =~ $UUID_RE ]] || fail "visit plan printed [$V1]"
pass
expect_eq "$(db visit checkin "$V1" --at 2026-11-22T09:05+08:00 --lat 39.9045 --lng 116.4 --accuracy 8)" \
  "checked in, 500.4 m from the customer (farther than 500 m: flagged)
check-in verified (provisional)" "far check-in message; the device's own verdict until the server's: 500.4 m with an 8 m fix may be within 500 m"
out=$(db visit checkout "$V1" --at 2026-11-22T10:00+08:00 --outcome 下单 --satisfaction 4 --order 12800.5 \
  --notes $'说明: "急", 需要\n回电' --next 2026-11-29T09:00+08:00 --json)
TASK=$(pyj 'd["task"]' <<< "$out")
[[ "$TASK" =~ $UUID_RE ]] || fail "checkout --next made no task: $out"
pass
expect_eq "$(db task show "$TASK" --json | pyj '[d["origin_visit"], d["assignee"], d["title"], d["status"]["stage"] if isinstance(d["status"], dict) else d["status"]]')" \
  "[\"$V1\", \"lina\", \"回访 北京昭智教育\", \"open\"]" "follow-up task"

V2=$(db visit plan --customer "$MALL" --at 2026-11-23T10:00+08:00)
expect_eq "$(db visit checkin "$V2" --at 2026-11-23T10:02+08:00)" "checked in without a location (flagged)
check-in unverified: no location (provisional)" "no location"
V3=$(db visit log --customer "$SHOP" --at 2026-11-21T23:30+08:00 --rep lina --lat 39.9 --lng 116.4)
expect_eq "$(db visit show "$V3" --json | pyj 'd["distance_m"]')" "0.0" "visit log stores the distance too"
as wangqiang manager
expect_eq "$(db visit void "$V3" --reason 重复录入 && echo voided)" "voided" "a manager voids"
timeline=$(db visit list --customer "$SHOP" --json)
expect_eq "$(pyj '[(v["id"], v["flags"]) for v in d]' <<< "$timeline")" \
  "[[\"$V1\", [\"far\"]], [\"$V3\", [\"voided\"]]]" "timeline: latest first, voided marked"
expect_contains "$(db visit list --customer "$SHOP")" "far check-in" "human timeline flags"
expect_eq "$(db visit list --json | pyj 'len(d)')" "2" "voided visits leave the plain list"
expect_eq "$(pyj '[v["far"] for v in d]' <<< "$timeline")" "[true, false]" "JSON flag keys"

# ---------------------------------------------------------------- tasks, today
T2=$(db task add --customer "$MALL" title=寄样品 due=2026-11-20T17:00+08:00 assignee=lina)
db task done "$T2"
expect_eq "$(db task show "$T2" --json | pyj 'd["status"]')" "done" "task done"
as lina rep
today=$(db today --as-of 2026-11-29T08:00+08:00 --json)
expect_eq "$(pyj 'd["date"]' <<< "$today")" "2026-11-29" "today's date"
expect_eq "$(pyj '[t["id"] for t in d["tasks"]]' <<< "$today")" "[\"$TASK\"]" "today: the follow-up is due"
expect_eq "$(pyj '[(c["name"], c["days_since"], c["overdue"]) for c in d["key_customers_due"]]' <<< "$today")" \
  '[["北京昭智教育", 7, false]]' "today: A customer due after 7 days; B visited 6 days ago"
expect_eq "$(db today --as-of 2026-11-23T08:00+08:00 --json | pyj '[v["id"] for v in d["planned_visits"]]')" "[]" \
  "a checked-in visit is no longer planned"
expect_contains "$(db today --as-of 2026-11-29T08:00+08:00)" "Tasks due (1)" "human today"

# ---------------------------------------------------------------- complaints
K=$(db complaint add --customer "$MALL" --channel phone --severity high --description 送货晚了 --at 2026-11-20T09:00+08:00)
db complaint move "$K" investigating --handler wangqiang
expect_eq "$(db complaint list --open --as-of 2026-11-22T12:00+08:00 --json | pyj '[(c["id"], c["status"], c["age_days"]) for c in d]')" \
  "[[\"$K\", \"investigating\", 2]]" "open complaints by age"

# ---------------------------------------------------------------- reports
expect_eq "$(db report abc --json | pyj '[(r["name"], r["abc"], r["level"]) for r in d]')" \
  '[["北京昭智教育", "A", "A"], ["华联超市", "B", "B"], ["报亭, 东门", "C", "C"]]' "ABC at exactly 75 % / 95 %"
expect_eq "$(db report churn --as-of 2026-11-23T12:00+08:00 --json | pyj '[(r["name"], r["reasons"]) for r in d]')" \
  '[["华联超市", ["open_complaint"]], ["报亭, 东门", ["inactive"]]]' "churn reasons (level B before C)"
expect_eq "$(db report coverage --as-of 2026-11-30T12:00+08:00 --json | pyj '[d["month"], d["key_customers"], d["visited"], d["share"]]')" \
  '["2026-11", 1, 1, 1.0]' "coverage this month"
expect_eq "$(db report coverage --as-of 2026-12-01T00:10+08:00 --json | pyj '[d["month"], d["visited"]]')" \
  '["2026-12", 0]' "a new month in Beijing"
expect_eq "$(db report feed --flagged --json | pyj '[v["id"] for v in d]')" "[\"$V2\", \"$V1\"]" "feed --flagged"
expect_eq "$(db report feed --from 2026-11-22 --to 2026-11-22 --json | pyj '[v["id"] for v in d]')" "[\"$V1\"]" "feed by date"
expect_eq "$(db report feed --outcome 下单 --rep lina --json | pyj 'len(d)')" "1" "feed by outcome and rep"
expect_eq "$(db report feed --verdict verified --json | pyj '[(v["id"], v["verdict_reasons"], v["verdict_provisional"]) for v in d]')" \
  "[[\"$V1\", [], true]]" "feed by verdict"
expect_eq "$(db report feed --verdict unverified --json | pyj '[v["id"] for v in d]')" "[\"$V2\"]" "feed: unverified"
expect_contains "$(db report feed)" "unverified: no location (provisional)" "the feed's verdict column"
expect_eq "$(db report feed --verdict suspicious)" "no visits" "feed: no suspicious check-in"
expect_eq "$(db report verdicts --json | pyj '[(r["rep"], r["verified"], r["unverified"], r["suspicious"]) for r in d]')" \
  '[["lina", 1, 1, 0]]' "check-ins per rep by verdict"
expect_eq "$(db report per-rep --json | pyj '[(r["rep"], r["day"], r["visits"]) for r in d]')" \
  '[["lina", "2026-11-22", 1], ["lina", "2026-11-23", 1]]' "visits per rep per day"
expect_eq "$(db report per-rep --by week --json | pyj '[(r["rep"], r["week"], r["visits"]) for r in d]')" \
  '[["lina", "2026-W47", 1], ["lina", "2026-W48", 1]]' "visits per rep per week"
expect_eq "$(db report lifecycle --json | pyj '[d["repeat"], d["unknown"]]')" "[1, 2]" "lifecycle counts"
expect_eq "$(db report complaints --json | pyj 'd["investigating"]')" "1" "complaints by stage"

# ---------------------------------------------------------------- export
expect_eq "$(db export visits --from 2026-11-22 --to 2026-11-22 --out visits.csv)" "wrote 1 visits to visits.csv" "export"
python3 - visits.csv "$V1" "$SHOP" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
want = ("\ufeffvisit_id,customer_id,customer,rep,kind,status,planned_at,checkin_at,checkout_at,checkin_lat,"
        "checkin_lng,distance_m,flags,purpose,outcome,satisfaction,order_amount,next_follow_up,notes,verdict,"
        "verdict_reasons,checkin_device_time,checkin_received_at\r\n"
        f"{sys.argv[2]},{sys.argv[3]},北京昭智教育,lina,visit,completed,2026-11-22 09:00,2026-11-22 09:05,"
        "2026-11-22 10:00,39.9045,116.4,500.38,far,季度回访,下单,4,12800.5,2026-11-29 09:00,"
        "\"说明: \"\"急\"\", 需要\n回电\",verified (provisional),,2026-11-22 09:05,\r\n").encode()
if data != want:
    sys.exit(f"visits.csv differs:\n{data!r}\n{want!r}")
PY
pass
expect_eq "$(db export customers --out customers.csv --json | pyj 'd["rows"]')" "3" "export customers"
expect_contains "$(cat customers.csv)" '"报亭, 东门"' "quoted name"

# ---------------------------------------------------------------- bad input
P=$(db visit plan --customer "$KIOSK" --at 2026-11-25T10:00+08:00)
db dump > before.json
expect_fail() {  # STATUS MESSAGE_PART COMMAND...
  local want=$1 part=$2
  shift 2
  local status=0
  "$@" > out.txt 2> err.txt || status=$?
  local what="[${*#"$FS"}]"
  [ "$status" -eq "$want" ] || fail "$what: exit $status, expected $want (stderr: $(cat err.txt))"
  [ "$(wc -l < err.txt)" -eq 1 ] || fail "$what: stderr is not one line: $(cat err.txt)"
  [[ "$(cat err.txt)" == "fieldsync: "*"$part"* ]] || fail "$what: stderr lacks [$part]: $(cat err.txt)"
  [ ! -s out.txt ] || fail "$what: printed to stdout: $(cat out.txt)"
  db dump > after.json
  cmp -s before.json after.json || fail "$what: changed the replica"
  pass
}
expect_fail 2 "missing --customer ID" db visit plan --at 2026-11-24T10:00+08:00
expect_fail 2 "missing --at TIME" db visit plan --customer "$SHOP"
expect_fail 2 "expects a time" db visit plan --customer "$SHOP" --at tomorrow
expect_fail 3 "no customer with id nope" db visit plan --customer nope --at 2026-11-24T10:00+08:00
expect_fail 4 "is already checked in; a check-in is written once" db visit checkin "$V1" --lat 39.95 --lng 116.45
expect_fail 3 "no visit with id nope" db visit checkin nope
expect_fail 2 "latitude and longitude go together" db visit checkin "$P" --lat 39.9
expect_fail 2 "latitude must be between -90 and 90" db visit checkin "$P" --lat 91 --lng 116.4
expect_fail 4 "is not checked in yet: check in first" db visit checkout "$P"
expect_fail 2 "--lat must be a number" db visit checkin "$V2" --lat north --lng 116.4
expect_fail 4 "is already completed" db visit checkout "$V1"
expect_fail 2 "satisfaction is 1 to 5" db visit checkout "$V2" --satisfaction 9
expect_fail 2 "an order amount cannot be negative" db visit checkout "$V2" --order -5
expect_fail 2 "check-out cannot be before the check-in" db visit checkout "$V2" --at 2026-11-23T10:00+08:00
expect_fail 2 "--task-title needs --next TIME" db visit checkout "$V2" --task-title x
expect_fail 5 "only a manager can void a visit" db visit void "$V1" --reason 不要了
expect_fail 2 "missing --reason TEXT" db visit void "$V1"
expect_fail 2 "latitude must be between -90 and 90" db visit log --customer "$SHOP" --lat 95 --lng 116.4
expect_fail 2 "visit.voided is set by: fieldsync visit void" db visit set "$V1" voided=true
expect_fail 4 "is already done" db task done "$T2"
expect_fail 3 "no task with id nope" db task done nope
expect_fail 4 "a complaint only moves forward" db complaint move "$K" received
expect_fail 2 "an answered complaint needs a resolution" db complaint move "$K" answered
expect_fail 2 "unknown complaint stage 'closed'" db complaint move "$K" closed
expect_fail 2 "complaint.channel must be one of" db complaint add --customer "$MALL" --channel fax
expect_fail 2 "--by is day or week" db report per-rep --by month
expect_fail 2 "--verdict is verified, unverified or suspicious, not \"trusted\"" db report feed --verdict trusted
expect_fail 2 "expected a date YYYY-MM-DD, got '2026/11/01'" db report feed --from 2026/11/01
expect_fail 2 "--from is after --to" db export visits --from 2026-11-30 --to 2026-11-01 --out x.csv
expect_fail 2 "missing --out FILE" db export visits
expect_fail 2 "--days must be at least 1" db report churn --days 0
expect_fail 4 "customers.csv already exists (--force overwrites it)" db export customers --out customers.csv
expect_eq "$(db export customers --out customers.csv --force)" "wrote 3 customers to customers.csv" "--force"
expect_fail 1 "cannot create a temporary file beside no-such-dir/v.csv" db export visits --out no-such-dir/v.csv
expect_fail 5 "only a manager can change the team's visit cadence" db config cadence A=3
as wangqiang manager
expect_fail 2 "unknown level 'E'" db config cadence E=3
expect_fail 2 "a visit cadence is 1..3650 days, not 0" db config cadence A=0
expect_eq "$(db config cadence A=10 radius=600 --json | pyj '[d["cadence_days"]["A"], d["cadence_days"]["B"], d["checkin_radius_m"]]')" \
  "[10, 14, 600.0]" "a manager sets the cadence"
expect_eq "$(db visit list --customer "$SHOP" --json | pyj 'd[0]["flags"]')" "[]" "500.4 m is within a 600 m radius"
expect_eq "$(db team config --cadence-b 21 --json | pyj '[d["cadence_days"]["A"], d["cadence_days"]["B"], d["checkin_radius_m"], d["synced"]]')" \
  "[10, 21, 600.0, true]" "team config edits the same synced row"
db dump > before.json
expect_fail 2 "a visit cadence is 1..3650 days, not 0" db team config --cadence-c 0
expect_fail 2 "radius must be a number of metres, got 'far'" db team config --radius far
expect_eq "$(db team config | grep source)" "source               the team's configuration (synced)" "the text form names the source"
expect_fail 2 "min_dwell (minutes) must be a whole number from 0 to 1440, got '2000'" db team config --min-dwell 2000
expect_fail 2 "max_speed (km/h) must be a whole number from 1 to 2000, got 'fast'" db team config --max-speed fast
expect_eq "$(db team config --min-dwell 20 --max-speed 90 --max-offset 600 --json | pyj '[d["min_dwell_min"], d["max_speed_kmh"], d["max_offset_s"]]')" \
  "[20, 90, 600]" "a manager sets the verification thresholds"
expect_contains "$(db team config)" "shortest visit       20 minutes" "the thresholds in the text form"
[ -z "$(ls ./*.tmp-* 2> /dev/null)" ] || fail "an export left a temporary file"
pass

echo "ok: reports, $CHECKS checks"
