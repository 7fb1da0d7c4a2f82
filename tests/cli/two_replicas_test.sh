#!/usr/bin/env bash
# Two reps' phones, offline, syncing only by bundle files:
#   - the same fields (phone, notes) edited on both      -> one winner everywhere,
#                                                          provisional flag on both
#   - a tag removed on one while re-added on the other    -> add wins
#   - a visit logged on a customer archived on the other  -> visit kept, flagged
#   - export/import both ways, then again                 -> idempotent
#   - dump on both                                        -> identical bytes
set -euo pipefail
source "$(dirname "$0")/lib.sh" "$@"

r1() { "$FS" --db r1.db "$@"; }
r2() { "$FS" --db r2.db "$@"; }

# ---------------------------------------------------------------- setup
D1=$(r1 init)
D2=$(r2 init)
[[ $D1 =~ ^[0-9a-f]{32}$ ]] || fail "init printed [$D1], not a device id"
[[ $D2 =~ ^[0-9a-f]{32}$ ]] || fail "init printed [$D2], not a device id"
[ "$D1" != "$D2" ] || fail "two replicas share device id $D1"
expect_eq "$(r1 init)" "$D1" "init on an existing database keeps its device id"

C=$(r1 customer add --name 北京昭智教育 --level A --phone 010-62780000 --tag vip --tag 教育 --region 海淀)
S=$(r1 customer add --name 上海门店 --level B --owner zhang)
[[ $C =~ $UUID_RE ]] || fail "customer add printed [$C], not an id"
[[ $S =~ $UUID_RE ]] || fail "customer add printed [$S], not an id"

# Rep 1 hands the customers to rep 2 (through stdout/stdin this time).
r1 changes export - > hand-over.json
expect_eq "$(pyj 'd["format"]' < hand-over.json)" "fieldsync-bundle" "bundle format"
expect_eq "$(pyj 'd["from"]' < hand-over.json)" "$D1" "bundle names its device"
r2 changes import - < hand-over.json > import0.txt
expect_contains "$(cat import0.txt)" "records applied" "import summary"
expect_eq "$(r2 customer show "$C" --json | pyj 'd["name"]')" "北京昭智教育" "UTF-8 name after hand-over"
expect_eq "$(r2 customer show "$C" --json | pyj 'd["tags"]')" '["vip", "教育"]' "tags after hand-over"
expect_eq "$(r2 customer list --json | pyj 'd["total"]')" "2" "customers on rep 2"

# ---------------------------------------------------------------- concurrent edits
# Rep 1 first, rep 2 later (wall clock): under last-writer-wins rep 2's edit wins.
r1 customer set "$C" phone=13800000001 "notes=一号的笔记"
r1 customer tag "$C" -vip -教育
r1 customer archive "$S"

r2 customer set "$C" phone=13900000002 "notes=二号的笔记"
r2 customer tag "$C" +vip +重点
V=$(r2 visit log --customer "$S" --notes 现场拜访 --outcome 下单 --rep wang --satisfaction 4 \
      --lat 31.2304 --lng 121.4737 --accuracy 8 --at 2026-11-22T09:30+08:00)
[[ $V =~ $UUID_RE ]] || fail "visit log printed [$V], not an id"

expect_eq "$(r1 customer list --json | pyj '[c["name"] for c in d["customers"]]')" '["北京昭智教育"]' "archived customer hidden on rep 1"

# ---------------------------------------------------------------- exchange both ways
r1 changes export r1.json > /dev/null
r2 changes export r2.json > /dev/null
r1 changes import r2.json --json > import1.json
r2 changes import r1.json --json > import2.json
expect_eq "$(pyj 'd["provisional_conflicts"]' < import1.json)" "2" "rep 1 flags phone and notes"
expect_eq "$(pyj 'd["provisional_conflicts"]' < import2.json)" "2" "rep 2 flags phone and notes"

r1 dump > dump1.json
r2 dump > dump2.json
cmp dump1.json dump2.json || fail "dumps differ after exchanging bundles"
pass

# Importing the same bundles again changes nothing.
r1 changes import r2.json --json > again1.json
r2 changes import r1.json --json > again2.json
expect_eq "$(pyj 'd["rows_changed"]' < again1.json)" "0" "re-import on rep 1"
expect_eq "$(pyj 'd["rows_changed"]' < again2.json)" "0" "re-import on rep 2"
r1 dump > dump1b.json
r2 dump > dump2b.json
cmp dump1.json dump1b.json || fail "re-import changed rep 1"
cmp dump2.json dump2b.json || fail "re-import changed rep 2"
cmp dump1b.json dump2b.json || fail "dumps differ after re-import"
pass
expect_eq "$(r1 conflicts --json | pyj 'len(d)')" "2" "re-import adds no conflict flags"

# dump is the canonical JSON of the state, UTF-8 untouched.
expect_eq "$(pyj 'sorted(d.keys())' < dump1.json)" '["complaint", "conflict", "contact", "customer", "photo", "task", "team_config", "visit"]' "dump entities"
grep -q '"北京昭智教育"' dump1.json || fail "dump does not carry the UTF-8 name as is"
pass

# ---------------------------------------------------------------- converged values
for r in r1 r2; do
  row=$($r customer show "$C" --json)
  expect_eq "$(pyj 'd["phone"]' <<< "$row")" "13900000002" "$r: phone (later write wins)"
  expect_eq "$(pyj 'd["notes"]' <<< "$row")" "二号的笔记" "$r: notes (later write wins)"
  expect_eq "$(pyj 'd["tags"]' <<< "$row")" '["vip", "重点"]' "$r: tags (vip re-added concurrently wins over its removal; 教育 removed)"
  expect_eq "$(pyj 'd["level"]' <<< "$row")" "A" "$r: level untouched"

  # The visit on the archived customer: kept, listed, flagged.
  visits=$($r visit list --json)
  expect_eq "$(pyj '[v["id"] for v in d]' <<< "$visits")" "[\"$V\"]" "$r: visit listed"
  expect_eq "$(pyj 'd[0]["customer_archived"]' <<< "$visits")" "true" "$r: visit flagged customer_archived"
  expect_eq "$(pyj 'd[0]["customer_missing"]' <<< "$visits")" "false" "$r: customer is on the replica"
  expect_eq "$(pyj 'd[0]["customer"]' <<< "$visits")" "$S" "$r: visit's customer"
  expect_eq "$(pyj 'd[0]["status"]' <<< "$visits")" "completed" "$r: visit status"
  expect_eq "$(pyj 'd[0]["checkin_at"]' <<< "$visits")" "1795311000000" "$r: check-in time (09:30+08:00)"
  expect_eq "$(pyj '[d[0]["checkin_lat"], d[0]["checkin_lng"], d[0]["checkin_accuracy"]]' <<< "$visits")" \
    "[31.2304, 121.4737, 8.0]" "$r: check-in place"
  expect_eq "$(pyj 'd[0]["notes"]' <<< "$visits")" "现场拜访" "$r: visit notes"
  expect_contains "$($r visit list)" "customer archived" "$r: human visit list flags the visit"
  expect_eq "$($r visit list --customer "$S" --json | pyj 'len(d)')" "1" "$r: visit list --customer"

  # The archived customer: hidden by default, there with --all.
  expect_eq "$($r customer list --json | pyj '[c["id"] for c in d["customers"]]')" "[\"$C\"]" "$r: customer list hides archived"
  expect_eq "$($r customer list --all --json | pyj '{c["name"]: c["archived"] for c in d["customers"]}')" \
    '{"上海门店": true, "北京昭智教育": false}' "$r: customer list --all"

  # Both replicas flag the concurrent edits provisionally, the same way round.
  conflicts=$($r conflicts --json)
  expect_eq "$(pyj 'sorted((c["field"], c["provisional"], c["entity"], c["row"]) for c in d)' <<< "$conflicts")" \
    "[[\"notes\", true, \"customer\", \"$C\"], [\"phone\", true, \"customer\", \"$C\"]]" "$r: provisional flags"
  expect_eq "$(pyj '{c["field"]: [c["winner_value"], c["loser_value"]] for c in d}' <<< "$conflicts")" \
    '{"notes": ["二号的笔记", "一号的笔记"], "phone": ["13900000002", "13800000001"]}' "$r: winner and loser"
  expect_contains "$($r conflicts)" "provisional" "$r: human conflict list marks provisional flags"
done

# A third phone that gets the visit but not its customer: still listed, flagged.
"$FS" --db r3.db init > /dev/null
python3 - r2.json visit-only.json <<'EOF'
import json, sys
b = json.load(open(sys.argv[1]))
b["records"] = [r for r in b["records"] if r["entity"] == "visit"]
json.dump(b, open(sys.argv[2], "w"), ensure_ascii=False)
EOF
"$FS" --db r3.db changes import visit-only.json > /dev/null
visits=$("$FS" --db r3.db visit list --json)
expect_eq "$(pyj '[(v["id"], v["customer_missing"], v["customer_archived"]) for v in d]' <<< "$visits")" \
  "[[\"$V\", true, false]]" "r3: visit without its customer"
expect_contains "$("$FS" --db r3.db visit list)" "customer missing" "r3: human visit list flags the missing customer"

# The human table keeps the UTF-8 name and aligns it.
expect_contains "$(r2 customer list)" "北京昭智教育" "human customer list"

# A later edit on one side converges again after another exchange.
r2 customer set "$C" level=B
r2 changes export r2.json > /dev/null
r1 changes import r2.json > /dev/null
r1 changes export r1.json > /dev/null
r2 changes import r1.json > /dev/null
expect_eq "$(r1 customer show "$C" --json | pyj 'd["level"]')" "B" "sequential edit reaches rep 1"
cmp <(r1 dump) <(r2 dump) || fail "dumps differ after the second round"
pass

echo "ok: two replicas, $CHECKS checks"
