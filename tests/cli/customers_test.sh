#!/usr/bin/env bash
# The customer commands over the domain layer: search in every form, filters,
# sorts, pages with the total, duplicate refusal on add, the duplicates
# command, the pool commands' refusals offline, and every bad input (clear
# message, non-zero exit, nothing saved).
set -u
source "$(dirname "$0")/lib.sh" "$1"

db() { "$FS" --db c.db "$@"; }
# expect_fail STATUS MESSAGE COMMAND...: exit status and the one stderr line.
expect_fail() {
  local status="$1" message="$2"; shift 2
  local err rc
  err=$("$@" 2>&1 >/dev/null); rc=$?
  expect_eq "$rc" "$status" "exit status of: $*"
  expect_contains "$err" "$message" "message of: $*"
}
names() { pyj '[c["name"] for c in d["customers"]]'; }

db init > /dev/null
NOW=$(python3 -c 'import time; print(int(time.time()))')
ago() { date -u -d "@$((NOW - $1 * 86400))" +%Y-%m-%dT%H:%M:%SZ; }

ZZ=$(db customer add --name 北京昭智教育 --level A --phone 010-6234-5678 --region 华北 --owner lina --tag 重点 lifecycle=repeat)
BANK=$(db customer add --name 北京银行 --level A --phone 95526 --region 华北 --owner wang)
CS=$(db customer add --name 长沙湘江食品 --level B --phone 0731-88881234 --region 华中 --owner lina --tag 食品)
XM=$(db customer add --name 厦门鹭岛贸易有限公司 --level C --region 华南 lifecycle=lead)
SH=$(db customer add --name 上海照志文化 --level D --phone 021-55558888 --region 华东 lifecycle=lead)
OLD=$(db customer add --name 广州绿色家园 --level C --region 华南 --owner lina)
db customer archive "$OLD"
db contact add --customer "$ZZ" --name 张伟 --phone "138 0013 8000" > /dev/null
db visit log --customer "$ZZ" --at "$(ago 3)" > /dev/null
db visit log --customer "$BANK" --at "$(ago 10)" > /dev/null
db visit log --customer "$SH" --at "$(ago 100)" > /dev/null

# ---------------------------------------------------------------- search
expect_eq "$(db customer list --json | names)" '["北京银行", "北京昭智教育", "长沙湘江食品", "上海照志文化", "厦门鹭岛贸易有限公司"]' "everybody, pinyin order, archived left out"
expect_eq "$(db customer list --search bjzz --json | names)" '["北京昭智教育"]' "initials"
expect_eq "$(db customer list --search beijing --json | names)" '["北京银行", "北京昭智教育"]' "full pinyin"
expect_eq "$(db customer list --search zhaozhi --json | names)" '["北京昭智教育", "上海照志文化"]' "pinyin from the middle, homophones"
expect_eq "$(db customer list --search 昭智 --json | names)" '["北京昭智教育"]' "two Chinese characters"
expect_eq "$(db customer list --search 昭 --json | names)" '["北京昭智教育"]' "one Chinese character"
expect_eq "$(db customer list --search yinhang --json | names)" '["北京银行"]' "银行 reads yin hang"
expect_eq "$(db customer list --search 0013 --json | names)" '["北京昭智教育"]' "a contact's phone digits"
expect_eq "$(db customer list --search "北京 张伟" --json | names)" '["北京昭智教育"]' "two terms, both must match"
expect_eq "$(db customer list --search 广州 --json | names)" '[]' "archived not found"
expect_eq "$(db customer list --search 广州 --archived --json | names)" '["广州绿色家园"]' "--archived"
expect_eq "$(db customer list --search ！ --json | pyj 'd["total"]')" '0' "nothing searchable"

# ---------------------------------------------------------------- filters and sorts
expect_eq "$(db customer list --search bjzz --level A --overdue --json | names)" '[]' "bjzz, A, overdue: visited 3 days ago"
expect_eq "$(db customer list --search bj --level A --overdue --json | names)" '["北京银行"]' "bj, A, overdue"
expect_eq "$(db customer list --overdue --json | names)" '["北京银行", "长沙湘江食品", "上海照志文化", "厦门鹭岛贸易有限公司"]' "overdue"
expect_eq "$(db customer list --pool --json | names)" '["上海照志文化", "厦门鹭岛贸易有限公司"]' "pool"
expect_eq "$(db customer list --owner lina --json | names)" '["北京昭智教育", "长沙湘江食品"]' "owner"
expect_eq "$(db customer list --tag 重点 --json | names)" '["北京昭智教育"]' "tag"
expect_eq "$(db customer list --region 华北 --json | names)" '["北京银行", "北京昭智教育"]' "region"
expect_eq "$(db customer list --stage lead --json | names)" '["上海照志文化", "厦门鹭岛贸易有限公司"]' "stage"
expect_eq "$(db customer list --sort last-visit --json | names)" '["长沙湘江食品", "厦门鹭岛贸易有限公司", "上海照志文化", "北京银行", "北京昭智教育"]' "longest unvisited first"
expect_eq "$(db customer list --sort level --desc --json | names)" '["上海照志文化", "厦门鹭岛贸易有限公司", "长沙湘江食品", "北京银行", "北京昭智教育"]' "level, descending"
PAGE=$(db customer list --limit 2 --offset 2 --json)
expect_eq "$(echo "$PAGE" | names)" '["长沙湘江食品", "上海照志文化"]' "second page"
expect_eq "$(echo "$PAGE" | pyj '[d["total"], d["offset"]]')" '[5, 2]' "total and offset"
expect_eq "$(echo "$PAGE" | pyj 'd["customers"][0]["overdue"]')" 'true' "rows say overdue"
OUT=$(db customer list --search beijing)
expect_contains "$OUT" "北京昭智教育" "text listing"
expect_contains "$OUT" "(1-2 of 2)" "text listing counts"

# ---------------------------------------------------------------- duplicates
BEFORE=$(db customer list --json | pyj 'd["total"]')
expect_fail 4 "1 likely duplicate(s) already on this device (撞单); nothing was saved" \
  db customer add --name 昭智教育有限公司
OUT=$(db customer add --name 新客户 --phone "+86 138-0013-8000" 2>/dev/null); rc=$?
expect_eq "$rc" "4" "same phone refused"
expect_contains "$OUT" "same phone" "the suggestion says why"
expect_contains "$OUT" "$ZZ" "the suggestion names the customer"
DUP=$(db customer add --name 北京照智教育 --json 2>/dev/null)
expect_eq "$(echo "$DUP" | pyj '[[s["id"], s["reason"]] for s in d["duplicates"]]')" "[[\"$ZZ\", \"same_pinyin\"]]" "--json suggestions"
expect_eq "$(db customer list --json | pyj 'd["total"]')" "$BEFORE" "nothing saved by refused adds"
FORCED=$(db customer add --name 昭智教育有限公司 --force 2>err.txt)
[[ $FORCED =~ $UUID_RE ]] || fail "customer add --force printed [$FORCED]"
pass
expect_contains "$(cat err.txt)" "saved despite 1 likely duplicate(s)" "--force notes the duplicate"
expect_eq "$(db customer duplicates "$FORCED" --json | pyj '[[s["id"], s["reason"], s["detail"]] for s in d]')" \
  "[[\"$ZZ\", \"name_contains\", \"北京昭智教育\"]]" "duplicates of a stored customer"
expect_eq "$(db customer duplicates --name 厦门鹭岛贸易 --json | pyj '[[s["id"], s["owner"]] for s in d]')" \
  "[[\"$XM\", null]]" "a pool customer is suggested (claim it instead)"
expect_eq "$(db customer duplicates --name 全新的公司 --phone 12345678901)" "no likely duplicates" "no duplicates"
expect_fail 2 "give either a customer ID or --name NAME" db customer duplicates
expect_fail 2 "give either a customer ID or --name NAME" db customer duplicates "$ZZ" --name x
expect_fail 2 "--phone goes with --name, not with an ID" db customer duplicates "$ZZ" --phone 123
expect_fail 3 "not-an-id" db customer duplicates not-an-id

# ---------------------------------------------------------------- bad list input
expect_fail 2 'unknown level "E" (levels: A, B, C, D)' db customer list --level E
expect_fail 2 'unknown stage "vip"' db customer list --stage vip
expect_fail 2 "--sort must be name, last-visit or level, got \"date\"" db customer list --sort date
expect_fail 2 "limit must be 1..1000, got 0" db customer list --limit 0
expect_fail 2 "--limit needs a whole number, got \"ten\"" db customer list --limit ten
expect_fail 2 "offset must not be negative, got -1" db customer list --offset -1
expect_fail 2 "--pool and --owner exclude each other" db customer list --pool --owner lina
expect_fail 2 "the required argument for option '--search' is missing" db customer list --search

# ---------------------------------------------------------------- pool, offline and signed out
expect_fail 5 "sign in first" db customer claim "$XM"
expect_eq "$(db customer claims)" "no claims made on this device" "no claims"
expect_eq "$(db customer claims --json)" "[]" "no claims (JSON)"
expect_fail 5 "only a manager can return customers to the pool" db customer return-to-pool --idle-days 30
expect_fail 2 "missing --idle-days N" db customer return-to-pool
expect_eq "$(db customer list --pool --json | names)" '["上海照志文化", "厦门鹭岛贸易有限公司", "昭智教育有限公司"]' "refusals changed nothing"

echo "customers: $CHECKS checks passed"
