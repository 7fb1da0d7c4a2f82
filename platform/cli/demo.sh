#!/usr/bin/env bash
# fieldsync demo: two sales reps' phones work offline and sync by handing each
# other bundle files. Run by `./dev run` as: platform/cli/demo.sh PATH_TO_fieldsync
# Everything happens in a temporary directory that is removed at the end.
set -euo pipefail

if [ $# -ne 1 ] || [ ! -x "$1" ]; then
  echo "usage: $0 PATH_TO_fieldsync" >&2
  exit 2
fi
FS="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
DEMO="$(mktemp -d "${TMPDIR:-/tmp}/fieldsync-demo.XXXXXX")"
trap 'rm -rf "$DEMO"' EXIT
cd "$DEMO"
# Both reps work in Beijing time (POSIX form: no tzdata needed).
export TZ=CST-8

if [ -t 1 ]; then BOLD=$'\033[1m' DIM=$'\033[2m' OFF=$'\033[0m'; else BOLD="" DIM="" OFF=""; fi
section() { printf '\n%s== %s ==%s\n' "$BOLD" "$*" "$OFF"; }
say() { printf '%s\n' "$*"; }
# Shows the command, then runs it on that rep's phone.
on() {
  local who=$1 name
  shift
  case "$who" in li) name=李娜 ;; wang) name=王强 ;; esac
  printf '%s[%s]  $ fieldsync --db %s.db %s%s\n' "$DIM" "$name" "$who" "$*" "$OFF"
  "$FS" --db "$who.db" "$@"
}
li() { on li "$@"; }
wang() { on wang "$@"; }
# capture VAR li|wang ARGS...: runs and shows the command, keeps its output in VAR.
capture() {
  local var=$1 out
  shift
  out=$(on "$@")
  printf '%s\n' "$out"
  printf -v "$var" '%s' "${out##*$'\n'}"
}

section "1. Two phones, no network"
say "李娜 and 王强 each have a phone with its own local database (a replica)."
li init
wang init

section "2. 李娜 adds a customer and hands it to 王强"
capture C li customer add --name 北京昭智教育 --level A --phone 010-62780000 --region 海淀 --owner lina \
  --tag 教育 --tag 重点客户
li contact add --customer "$C" --name 张校长 --title 校长 --phone 13600000000 --primary
li changes export handover.json
say "(the file travels by USB stick, chat attachment, whatever works offline)"
wang changes import handover.json
wang customer list

section "3. Both edit the same customer while offline"
say "李娜 has a new phone number and notes; 王强, unaware, records a different one."
li customer set "$C" phone=13800000001 "notes=校长要求下周演示"
wang customer set "$C" phone=13900000002 "notes=需要报价单"
say "李娜 takes the 重点客户 tag off; 王强 adds 续约 at the same time."
li customer tag "$C" -重点客户
wang customer tag "$C" +续约
say "Each logs a visit (the check-in time and place are written once, never edited)."
li visit log --customer "$C" --notes 演示了新课程 --outcome 意向强 --rep lina --satisfaction 5 \
  --lat 39.9929 --lng 116.3103 --accuracy 12 --at 2026-11-22T10:00+08:00
wang visit log --customer "$C" --notes 送报价单 --outcome 待签约 --rep wangqiang --at 2026-11-22T15:30+08:00
li changes pending

section "4. They meet and swap bundles both ways"
li changes export li.json
wang changes export wang.json
li changes import wang.json
wang changes import li.json
say "Importing the same file again changes nothing:"
li changes import wang.json

section "5. What each phone shows now"
for who in li wang; do
  "$who" customer list
  "$who" visit list
done
say "The later edit won on both phones; the tag removal and the concurrent add both took effect."
li customer show "$C"

section "6. Conflicts: flagged provisionally on both phones"
say "Both edits are kept in the flag; the hub confirms them on the next online sync."
li conflicts
wang conflicts

section "7. Proof of convergence"
"$FS" --db li.db dump > li-dump.json
"$FS" --db wang.db dump > wang-dump.json
printf '%s$ fieldsync --db li.db dump > li-dump.json; fieldsync --db wang.db dump > wang-dump.json%s\n' "$DIM" "$OFF"
say "Canonical JSON of everything synced, every value with its clock; the start of it:"
sed -n '1,12p' li-dump.json
say "  ..."
printf '%s$ cmp li-dump.json wang-dump.json%s\n' "$DIM" "$OFF"
if cmp li-dump.json wang-dump.json; then
  say "identical: $(wc -c < li-dump.json) bytes of canonical state on each phone"
else
  say "the dumps differ: the replicas did not converge" >&2
  exit 1
fi

section "Done"
say "Try it yourself: $(basename "$FS") --help"
