#!/usr/bin/env bash
# Clocks that heal (docs/time.md): phones whose clocks are a year ahead or a
# month behind, through a real server. No edit is left queued, no captured
# time reaches the server in the future (or a month in the past), a fixed
# clock heals within one sync, and a bundle from a phone a year ahead cannot
# wedge a healthy tablet.
source "$(dirname "$0")/lib.sh" "$@"
command -v faketime >/dev/null || { echo "faketime is required (./dev installs it)" >&2; exit 1; }
start_server
"$FSS" --data "$WORK/server" team add north >/dev/null
add_user lina rep north
DAY=86400000

# dev NAME: a device of lina's with its own replica file NAME.db, synced.
dev() {
  "$FS" --db "$WORK/$1.db" init >/dev/null
  echo "$PASSWORD" | "$FS" --db "$WORK/$1.db" login --server "$URL" --user lina --password-stdin >/dev/null
  "$FS" --db "$WORK/$1.db" sync >/dev/null
}
at() { local shift_="$1" who="$2"; shift 2; faketime -f "$shift_" "$FS" --db "$WORK/$who.db" "$@"; }
now_ms() { date +%s%3N; }
# server_field ENTITY ID FIELD: the value the server holds.
server_field() {
  "$FSS" --data "$WORK/server" dump --as lina \
    | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d[sys.argv[1]][sys.argv[2]][sys.argv[3]]["value"])' "$@"
}
pending() { "$FS" --db "$WORK/$1.db" status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["pending"])'; }
# near T: T is within five minutes of now (the server's bound on drift).
near() { python3 -c 'import sys,time; print(abs(int(sys.argv[1]) - time.time()*1000) <= 300000)' "$1"; }
same_dump() { # device: its dump equals the server's view of lina
  "$FS" --db "$WORK/$1.db" dump >"$WORK/$1.dump"
  "$FSS" --data "$WORK/server" dump --as lina >"$WORK/$1.server.dump"
  if cmp -s "$WORK/$1.dump" "$WORK/$1.server.dump"; then echo "ok - $1 equals the server"
  else fail "$1 differs from the server"; diff "$WORK/$1.dump" "$WORK/$1.server.dump" | head -20 >&2 || true; fi
}

dev phone
c=$("$FS" --db "$WORK/phone.db" customer add --name 北京昭智教育 --level A --owner lina)
dev tablet
"$FS" --db "$WORK/phone.db" sync >/dev/null; "$FS" --db "$WORK/tablet.db" sync >/dev/null

# 1. A bundle from a phone a year ahead does not wedge the tablet.
at +365d phone customer set "$c" phone=13911110000 >/dev/null
at +365d phone changes export "$WORK/future.bundle" >/dev/null
out=$("$FS" --db "$WORK/tablet.db" changes import "$WORK/future.bundle")
check "the import says what it left out and why" \
  "$(grep -c 'not imported: .* stamped more than 5 minutes ahead' <<<"$out")" 1
"$FS" --db "$WORK/tablet.db" customer set "$c" address=北京市海淀区 >/dev/null
rc=0; "$FS" --db "$WORK/tablet.db" sync >/dev/null || rc=$?
check "the tablet's own edit syncs at once" "$rc/$(pending tablet)" 0/0
at +365d phone sync >/dev/null
"$FS" --db "$WORK/tablet.db" sync >/dev/null
check "the phone's edit arrives through the server" "$(server_field customer "$c" phone)" 13911110000
check "and the tablet's is kept" "$(server_field customer "$c" address)" 北京市海淀区
same_dump tablet

# 2. A check-in logged offline a year ahead is stored at the time it really was.
dev phone2
v=$(at +365d phone2 visit plan --customer "$c" --at "$(now_ms)")
at +365d phone2 visit checkin "$v" >/dev/null
at +365d phone2 sync >/dev/null
check "nothing left queued" "$(pending phone2)" 0
check "the check-in is not a year in the future on the server" "$(near "$(server_field visit "$v" checkin_at)")" True
# Then its owner fixes the date: the next sync heals the offset.
"$FS" --db "$WORK/phone2.db" sync >/dev/null
v2=$("$FS" --db "$WORK/phone2.db" visit plan --customer "$c" --at "$(now_ms)")
"$FS" --db "$WORK/phone2.db" visit checkin "$v2" >/dev/null
"$FS" --db "$WORK/phone2.db" sync >/dev/null
check "after the fix a check-in is not stored a year in the past" "$(near "$(server_field visit "$v2" checkin_at)")" True
same_dump phone2

# 3. A phone a month behind: its offline check-in is moved to when it really was.
dev phone3
v3=$(at -30d phone3 visit plan --customer "$c" --at "$(now_ms)")
at -30d phone3 visit checkin "$v3" >/dev/null
at -30d phone3 sync >/dev/null
check "nothing left queued (a month behind)" "$(pending phone3)" 0
check "the check-in is not a month in the past on the server" "$(near "$(server_field visit "$v3" checkin_at)")" True

# 4. A clock fixed half-way: edits made a year ahead, synced with a true clock.
dev phone4
v4=$(at +365d phone4 visit plan --customer "$c" --at "$(now_ms)")
at +365d phone4 visit checkin "$v4" >/dev/null
at +365d phone4 customer set "$c" region=海淀 >/dev/null
rc=0; "$FS" --db "$WORK/phone4.db" sync >/dev/null || rc=$?
check "the edits stamped a year ahead are re-stamped and accepted" "$rc/$(pending phone4)" 0/0
check "their check-in is not in the future on the server" "$(near "$(server_field visit "$v4" checkin_at)")" True
check "the edit is there" "$(server_field customer "$c" region)" 海淀
for d in phone phone2 phone3 phone4 tablet; do "$FS" --db "$WORK/$d.db" sync >/dev/null; same_dump "$d"; done
stop_server
finish
