#!/usr/bin/env bash
# fieldsync-server seed-demo against a real server: bad flags are refused
# without touching anything; the same seed gives a byte-identical dump; the
# data went through the hub's merge path (log, sequence, audit user); a rep
# who signs in with the printed demo password and syncs holds exactly their own
# customers and the public pool, a manager their team's; seeded rows can be
# edited by devices; seeding a directory that holds data is refused and
# changes nothing.
source "$(dirname "$0")/lib.sh" "$@"
SEED=(--reps 8 --customers 120 --visits 400 --seed 5 --today 2026-11-20)

# Bad flags: a clear message, exit 2, no directory made.
expect_usage() { # "what" "message part" ARGS...
  local what="$1" part="$2" out status
  shift 2
  out=$("$FSS" --data "$WORK/bad" seed-demo "$@" 2>&1) && status=0 || status=$?
  check "$what: exit status" "$status" 2
  case "$out" in *"$part"*) echo "ok - $what: says '$part'" ;; *) fail "$what: message '$out' lacks '$part'" ;; esac
}
expect_usage "--reps 0" "--reps must be from 1 to 2000" --reps 0
expect_usage "--reps not a number" "for option '--reps' is invalid" --reps many
expect_usage "--customers negative" "--customers must be from 0 to 1000000" --customers -3
expect_usage "--visits without customers" "visits need at least one customer" --customers 0 --visits 10
expect_usage "--today malformed" "--today takes a date as YYYY-MM-DD" --today 22/11/2026
expect_usage "--today impossible" "--today takes a date as YYYY-MM-DD" --today 2026-02-30
expect_usage "--today in the future" "is in the future" --today 2999-01-01
expect_usage "unknown flag" "unrecognised option '--fast'" --fast
check "no directory made by refused flags" "$([ -e "$WORK/bad" ] && echo yes || echo no)" no
out=$("$FSS" seed-demo 2>&1) && status=0 || status=$?
check "no --data: exit status" "$status" 2
case "$out" in *"--data DIR is required"*) echo "ok - no --data: says so" ;; *) fail "no --data: '$out'" ;; esac

# Seed, twice with the same seed: byte-identical; another seed differs.
"$FSS" --data "$WORK/server" seed-demo "${SEED[@]}" --json >"$WORK/seed.json"
"$FSS" --data "$WORK/again" seed-demo "${SEED[@]}" >"$WORK/again.txt"
"$FSS" --data "$WORK/other" seed-demo --reps 8 --customers 120 --visits 400 --seed 6 --today 2026-11-20 >/dev/null
"$FSS" --data "$WORK/server" dump >"$WORK/server.dump"
"$FSS" --data "$WORK/again" dump >"$WORK/again.dump"
"$FSS" --data "$WORK/other" dump >"$WORK/other.dump"
# The server's own records (the check-in verdicts it derives at merge) carry
# its clock and identity, which no seed decides: compare without those stamps.
# Every other byte is the seed's.
without_server_stamps() {
  python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
for row in d.get("visit", {}).values():
    for f in ("verdict", "verdict_reasons"):
        if f in row:
            row[f].pop("clock", None)
print(json.dumps(d, sort_keys=True, ensure_ascii=False))' "$1"
}
if cmp -s <(without_server_stamps "$WORK/server.dump") <(without_server_stamps "$WORK/again.dump"); then
  echo "ok - same seed, the same dump (but for the server's own stamps)"
else
  fail "same seed, different dumps"
fi
check "every checked-in visit judged, no arrival time invented" \
  "$(json "$WORK/server.dump" 'sum(1 for v in j["visit"].values() if "checkin_at" in v and "verdict" not in v)'):$(json "$WORK/server.dump" 'sum(1 for v in j["visit"].values() if "checkin_received_at" in v)')" "0:0"
check "the demo has verified, unverified and suspicious check-ins" \
  "$(json "$WORK/seed.json" 'all(j["verdicts"].get(k, 0) > 0 for k in ("verified", "unverified", "suspicious"))')" True
check "suspicious ones for each reason the demo plants" \
  "$(json "$WORK/server.dump" '",".join(sorted({r for v in j["visit"].values() if "verdict_reasons" in v for r in v["verdict_reasons"]["value"].split(",")} & {"far", "short_stay", "clock_offset", "no_location"}))')" \
  "clock_offset,far,no_location,short_stay"
if cmp -s "$WORK/server.dump" "$WORK/other.dump"; then fail "another seed gave the same dump"; else echo "ok - another seed, another company"; fi
check "the text output names the demo passwords" "$(grep -c 'demo-admin' "$WORK/again.txt")" 1

check "customers seeded" "$(json "$WORK/seed.json" 'j["customers"]')" 120
check "visits seeded" "$(json "$WORK/seed.json" 'j["visits"]')" 400
check "teams" "$(json "$WORK/seed.json" '",".join(t["name"] for t in j["teams"])')" beijing,shanghai
check "users: admin, 2 managers, 8 reps" \
  "$(json "$WORK/seed.json" '",".join(r + "=" + str(sum(u["role"] == r for u in j["users"])) for r in ("admin", "manager", "rep"))')" \
  admin=1,manager=2,rep=8
check "accounts hold the same users" \
  "$("$FSS" --data "$WORK/server" user list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" 11
check "dump holds every customer" "$(json "$WORK/server.dump" 'len(j["customer"])')" 120
check "dump holds every visit" "$(json "$WORK/server.dump" 'len(j["visit"])')" 400
changes=$(json "$WORK/seed.json" 'j["changes"]')
check "one hub log record per row, in sequence" \
  "$(sql "$WORK/server/hub.db" 'SELECT count(*) = max(seq) AND min(seq) = 1 FROM hub_log'):$(sql "$WORK/server/hub.db" 'SELECT count(*) FROM hub_log')" \
  "1:$changes"
check "audit trail: every record by seed-demo" \
  "$(sql "$WORK/server/hub.db" "SELECT count(*) FROM hub_log WHERE user = 'seed-demo'")" "$changes"
check "customers pushed with their customer for scoped pulls" \
  "$(sql "$WORK/server/hub.db" "SELECT count(*) FROM hub_log WHERE customer = ''")" 0

# Seeding again: refused, exit 4, nothing changed.
out=$("$FSS" --data "$WORK/server" seed-demo "${SEED[@]}" 2>&1) && status=0 || status=$?
check "seeding twice: exit status" "$status" 4
case "$out" in *"already holds data (11 users, 2 teams, $changes changes)"*) echo "ok - seeding twice: says why" ;;
  *) fail "seeding twice: '$out'" ;; esac
"$FSS" --data "$WORK/server" dump >"$WORK/server.after"
if cmp -s "$WORK/server.dump" "$WORK/server.after"; then echo "ok - the refused seed changed nothing"; else fail "the refused seed changed the data"; fi
mkdir -p "$WORK/users-only"
echo "$PASSWORD" | "$FSS" --data "$WORK/users-only" user add --name root --role admin --password-stdin >/dev/null
out=$("$FSS" --data "$WORK/users-only" seed-demo 2>&1) && status=0 || status=$?
check "a directory with only a user is refused too" "$status" 4

# Sign in with the printed demo passwords and sync.
start_server
read -r rep rep_pw other other_pw manager manager_pw < <(json "$WORK/seed.json" \
  '" ".join(x for u in [[u for u in j["users"] if u["role"]=="rep" and u["team"]=="beijing"][0], [u for u in j["users"] if u["role"]=="rep" and u["team"]=="shanghai"][0], [u for u in j["users"] if u["role"]=="manager" and u["team"]=="beijing"][0]] for x in (u["name"], u["password"]))')
login() { # device user password
  "$FS" --db "$WORK/$1.db" init >/dev/null
  printf '%s\n' "$3" | "$FS" --db "$WORK/$1.db" login --server "$URL" --user "$2" --password-stdin >/dev/null
  "$FS" --db "$WORK/$1.db" sync >/dev/null
}
login "$rep" "$rep" "$rep_pw"
login "$other" "$other" "$other_pw"
login "$manager" "$manager" "$manager_pw"
out=$(printf 'wrong-password\n' | "$FS" --db "$WORK/x.db" login --server "$URL" --user "$rep" --password-stdin 2>&1) && status=0 || status=$?
check "a wrong password is still refused" "$([ "$status" -ne 0 ] && echo refused)" refused

# Expected scopes, from the server's full dump: owner -> team.
owners() { # dump-file: sorted "id owner" of its customers
  json "$1" '"\n".join(sorted(i + " " + (c.get("owner", {}).get("value") or "-") for i, c in j["customer"].items()))'
}
team_of() { json "$WORK/seed.json" "\",\".join(sorted(u[\"name\"] for u in j[\"users\"] if u[\"team\"]==\"$1\" and u[\"role\"]==\"rep\"))"; }
expected() { # who: reps to include (comma list) -> the customers they, plus the pool, hold
  owners "$WORK/server.dump" | awk -v reps=",$1," '$2 == "-" || index(reps, "," $2 ",")'
}
for who in "$rep:$rep" "$other:$other" "$manager:$(team_of beijing)"; do
  device=${who%%:*}
  fs "$device" dump >"$WORK/$device.dump"
  [ -n "$(expected "${who#*:}")" ] || fail "no expected customers for $device"
  if [ "$(owners "$WORK/$device.dump")" = "$(expected "${who#*:}")" ]; then
    echo "ok - $device holds exactly the customers of ${who#*:} and the pool ($(json "$WORK/$device.dump" 'len(j["customer"])'))"
  else
    fail "$device holds other customers than those of ${who#*:} and the pool"
  fi
  same_as_server "$device"
done
pool=$(json "$WORK/seed.json" 'j["pool"]')
own=$(json "$WORK/seed.json" "[u for u in j[\"users\"] if u[\"name\"]==\"$rep\"][0][\"customers\"]")
check "$rep: own customers + pool" "$(json "$WORK/$rep.dump" 'len(j["customer"])')" $((own + pool))
check "$rep's visits are all at their own customers" \
  "$(json "$WORK/$rep.dump" 'all(v["customer"]["value"] in j["customer"] and j["customer"][v["customer"]["value"]].get("owner",{}).get("value") is not None for v in j["visit"].values())')" True
check "$manager sees every visit of the beijing team" \
  "$(json "$WORK/$manager.dump" 'len(j["visit"])')" \
  "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); reps=set(sys.argv[2].split(",")); print(sum(d["customer"][v["customer"]["value"]].get("owner",{}).get("value") in reps for v in d["visit"].values()))' "$WORK/server.dump" "$(team_of beijing)")"
check "$manager does not see the shanghai team's customers" \
  "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); reps=set(sys.argv[2].split(",")); print(sum((c.get("owner",{}).get("value") in reps) for c in d["customer"].values()))' "$WORK/$manager.dump" "$(team_of shanghai)")" 0

# Seeded rows are ordinary rows: the rep edits one (their clock is ahead of
# the seed's stamps, so the edit wins) and the server takes it.
mine=$(json "$WORK/$rep.dump" "[i for i, c in j['customer'].items() if c.get('owner',{}).get('value') == '$rep'][0]")
fs "$rep" customer set "$mine" "notes=演示后补充的备注" >/dev/null
fs "$rep" sync >/dev/null
check "$rep's edit of a seeded customer is accepted" "$(fs "$rep" status --json | python3 -c 'import json,sys; s=json.load(sys.stdin); print(s["pending"], s["rejected"])')" "0 0"
"$FSS" --data "$WORK/server" dump >"$WORK/server.edited"
check "the server holds the edit" "$(json "$WORK/server.edited" "j['customer']['$mine']['notes']['value']")" 演示后补充的备注
fs "$manager" sync >/dev/null
check "the manager receives it" "$(json <(fs "$manager" dump) "j['customer']['$mine']['notes']['value']")" 演示后补充的备注
stop_server
finish
