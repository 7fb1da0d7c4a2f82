#!/usr/bin/env bash
# Every bad input: a non-zero exit status from the documented policy, exactly
# one line "fieldsync: <message>" on stderr, nothing on stdout, and the
# replica unchanged (dump before == dump after).
#   2 usage / invalid input   3 not found   4 refused by state   1 I/O, other
set -euo pipefail
source "$(dirname "$0")/lib.sh" "$@"

db() { "$FS" --db r.db "$@"; }

db init > /dev/null
C=$(db customer add --name 北京昭智教育 --level A --tag vip)
V=$(db visit log --customer "$C" --lat 39.9 --lng 116.4 --at 2026-11-22T09:30:00Z)
db dump > before.json

# expect_fail STATUS MESSAGE_PART COMMAND...
expect_fail() {
  local want=$1 part=$2
  shift 2
  local status=0
  "$@" > out.txt 2> err.txt || status=$?
  local what="[${*#"$FS"}]"
  [ "$status" -eq "$want" ] || fail "$what: exit $status, expected $want (stderr: $(cat err.txt))"
  [ "$(wc -l < err.txt)" -eq 1 ] || fail "$what: stderr is not one line: $(cat err.txt)"
  [[ "$(cat err.txt)" == "fieldsync: "* ]] || fail "$what: stderr does not start with 'fieldsync: ': $(cat err.txt)"
  [[ "$(cat err.txt)" == *"$part"* ]] || fail "$what: stderr lacks [$part]: $(cat err.txt)"
  [ ! -s out.txt ] || fail "$what: printed to stdout: $(cat out.txt)"
  db dump > after.json
  cmp -s before.json after.json || fail "$what: changed the replica"
  pass
}

# ---------------------------------------------------------------- usage (2)
expect_fail 2 "missing command" "$FS" --db r.db
expect_fail 2 "unknown command 'frobnicate'" db frobnicate
expect_fail 2 "unknown command 'customers'" db customers list
expect_fail 2 "unknown customer command 'delete'" db customer delete "$C"
expect_fail 2 "unknown visit command 'add'" db visit add --customer "$C"
expect_fail 2 "customer: missing command" db customer
expect_fail 2 "unknown option --nme" db customer add --nme 某公司
expect_fail 2 "unknown option --colour" db customer list --colour
expect_fail 2 "missing --name NAME" db customer add --level A
expect_fail 2 "the required argument for option '--name' is missing" db customer add --name
expect_fail 2 "the required argument for option '--name' is missing" db customer add --name --level A
expect_fail 2 "customer.name is required and cannot be empty" db customer add --name ""
expect_fail 2 'customer.level must be one of: A, B, C, D; got "E"' db customer add --name 某公司 --level E
expect_fail 2 'customer.level must be one of: A, B, C, D; got "Z"' db customer set "$C" level=Z
expect_fail 2 "unknown field customer.colour" db customer set "$C" colour=red
expect_fail 2 'customer.lat expects a number, got "north"' db customer set "$C" lat=north
expect_fail 2 'customer.archived expects true or false, got "maybe"' db customer set "$C" archived=maybe
expect_fail 2 'expected FIELD=VALUE, got "phone"' db customer set "$C" phone
# One bad assignment among good ones: nothing of the write lands.
expect_fail 2 'customer.lat expects a number' db customer set "$C" phone=123 lat=x
expect_fail 2 "customer set: missing arguments" db customer set "$C"
expect_fail 2 "customer.tags is a tag set" db customer set "$C" tags=x
expect_fail 2 'expected +TAG to add or -TAG to remove, got "vip"' db customer tag "$C" vip
expect_fail 2 "unexpected argument 'extra'" db customer list extra
expect_fail 2 "visit log: missing --customer ID" db visit log --notes x
expect_fail 2 "--lat and --lng go together" db visit log --customer "$C" --lat 1
expect_fail 2 "visit.satisfaction must be" db visit log --customer "$C" --satisfaction 9
expect_fail 2 'visit.kind must be one of' db visit log --customer "$C" --kind party
expect_fail 2 'visit.checkin_at expects a time' db visit log --customer "$C" --at yesterday
expect_fail 2 "customer list: missing --db PATH" "$FS" customer list
expect_fail 2 "option '--db' cannot be specified more than once" db --db other.db dump
expect_fail 2 "option '--json' does not take any arguments" db customer list --json=yes
expect_fail 2 "argument 6 (after --name) is not valid UTF-8 text" db customer add --name $'\xb1\xb1\xbe\xa9'
expect_fail 2 "a new task needs title" db task add --customer "$C" due=2026-12-01

# ---------------------------------------------------------------- not found (3)
expect_fail 3 "no customer with id 01a00000-0000-7000-8000-000000000000" \
  db customer show 01a00000-0000-7000-8000-000000000000
expect_fail 3 "no customer with id nope" db customer set nope phone=1
expect_fail 3 "no customer with id nope" db customer archive nope
expect_fail 3 "no customer with id nope" db customer tag nope +x
expect_fail 3 "no visit with id nope" db visit show nope
expect_fail 3 "visit.customer: no customer with id nope" db visit log --customer nope
expect_fail 3 "contact.customer: no customer with id nope" db contact add --customer nope --name 李
expect_fail 3 "no conflict with id nope" db conflicts resolve nope
expect_fail 3 "no database at missing.db" "$FS" --db missing.db customer list
[ ! -e missing.db ] || fail "a command other than init created missing.db"
pass

# ---------------------------------------------------------------- refused by state (4)
expect_fail 4 "visit.checkin_at is write-once and already set to 2026-11-22T09:30:00Z" \
  db visit set "$V" checkin_at=2026-11-23T10:00:00Z
expect_fail 4 "visit.checkin_lat is write-once and already set to 39.9" db visit set "$V" checkin_lat=40.1
expect_fail 4 'visit.status cannot move back from "completed" to "planned"' db visit set "$V" status=planned

# ---------------------------------------------------------------- bundles
printf 'garbage{' > garbage.json
expect_fail 2 "garbage.json is not a bundle: not valid JSON" db changes import garbage.json
: > empty.json
expect_fail 2 "empty.json is not a bundle: not valid JSON" db changes import empty.json
echo '{"format": "zip"}' > wrong.json
expect_fail 2 'not a fieldsync bundle' db changes import wrong.json
expect_fail 2 "not valid JSON" db changes import - < garbage.json
echo '{"format": "fieldsync-bundle", "version": 1e400}' > overflow.json
expect_fail 2 "overflow.json is not a bundle: not valid JSON (number overflow" db changes import overflow.json

# A real bundle from another replica, cut short or with one bad record at the
# end: refused whole, none of its good records applied.
"$FS" --db other.db init > /dev/null
"$FS" --db other.db customer add --name 上海门店 > /dev/null
"$FS" --db other.db changes export good.json > /dev/null
head -c 200 good.json > truncated.json
expect_fail 2 "truncated.json is not a bundle: not valid JSON" db changes import truncated.json
python3 - good.json bad-record.json <<'EOF'
import json, sys
b = json.load(open(sys.argv[1]))
bad = dict(b["records"][0])
bad["set"] = {"colour": "red"}
b["records"].append(bad)
json.dump(b, open(sys.argv[2], "w"), ensure_ascii=False)
EOF
expect_fail 2 "bad-record.json is not a valid bundle: record 1:" db changes import bad-record.json
expect_fail 1 "cannot read no-such-file.json" db changes import no-such-file.json
expect_fail 1 "cannot write no-such-dir/out.json" db changes export no-such-dir/out.json
[ ! -e no-such-dir ] || fail "export created a directory"
pass

# The good bundle still imports afterwards.
db changes import good.json > /dev/null
expect_eq "$(db customer list --json | pyj 'sorted(c["name"] for c in d["customers"])')" '["上海门店", "北京昭智教育"]' "good bundle imports"

# Values that start with '-' are values, not options.
N=$(db customer add --name -临时- --phone -1)
V2=$(db visit log --customer "$N" --lat -33.8688 --lng -.25 --notes "-现场-")
expect_eq "$(db customer show "$N" --json | pyj '[d["name"], d["phone"]]')" '["-临时-", "-1"]' "dash values in customer add"
expect_eq "$(db visit show "$V2" --json | pyj '[d["checkin_lat"], d["checkin_lng"], d["notes"]]')" \
  '[-33.8688, -0.25, "-现场-"]' "dash values in visit log"

echo "ok: errors, $CHECKS checks"
