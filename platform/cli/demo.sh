#!/usr/bin/env bash
# fieldsync demos, run by `./dev run` (see README and docs/demo.md):
#
#   demo.sh server FIELDSYNC FIELDSYNC_SERVER
#       The company demo: a sync server on 127.0.0.1 with demo data
#       (seed-demo), two reps' phones and their manager's tablet as CLI
#       devices. The reps work offline, everyone syncs, the manager sees the
#       merged team feed and the conflict log.
#   demo.sh app FIELDSYNC_SERVER FIELDSYNC_APP [--manager]
#       The same server and data, then the desktop app signed in as a demo rep
#       (or as the manager); the server stops when the app is closed.
#   demo.sh offline FIELDSYNC
#       Two phones and no server: changes travel as bundle files.
#
# Everything happens in a temporary directory that is removed at the end; the
# server is stopped on every exit path.
set -euo pipefail

usage() {
  sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}
executable() { [ -x "$1" ] || { echo "demo.sh: $1 is not an executable" >&2; exit 2; }; echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; }

DEMO="$(mktemp -d "${TMPDIR:-/tmp}/fieldsync-demo.XXXXXX")"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$DEMO"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# Everyone works in Beijing time (POSIX form: no tzdata needed).
export TZ=CST-8

if [ -t 1 ]; then BOLD=$'\033[1m' DIM=$'\033[2m' OFF=$'\033[0m'; else BOLD="" DIM="" OFF=""; fi
section() { printf '\n%s== %s ==%s\n' "$BOLD" "$*" "$OFF"; }
say() { printf '%s\n' "$*"; }
shown() { printf '%s$ %s%s\n' "$DIM" "$*" "$OFF"; }

# ------------------------------------------------------------ the server part

# start_company_server FIELDSYNC_SERVER: seeds a small demo company into
# $DEMO/server, serves it on 127.0.0.1 (a free port) and sets URL and the
# users table SEEDED (the seed-demo output). Demo passwords are hashed at the
# lowest Argon2id cost: they are printed anyway, and the demo stays quick.
start_company_server() {
  local fss="$1"
  export FIELDSYNC_FAST_PASSWORD_HASH=1
  shown "fieldsync-server --data server seed-demo --reps 4 --customers 60 --visits 240"
  SEEDED=$("$fss" --data "$DEMO/server" seed-demo --reps 4 --customers 60 --visits 240)
  printf '%s\n' "$SEEDED"
  shown "fieldsync-server --data server serve --listen 127.0.0.1:0 --port-file port &"
  "$fss" --data "$DEMO/server" serve --listen 127.0.0.1:0 --port-file "$DEMO/port" --log-level warn \
    >"$DEMO/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 200); do [ -s "$DEMO/port" ] && break; sleep 0.05; done
  if [ ! -s "$DEMO/port" ]; then
    cat "$DEMO/server.log" >&2
    echo "demo.sh: the server did not start" >&2
    exit 1
  fi
  URL="http://127.0.0.1:$(cat "$DEMO/port")"
  say "The server listens on $URL (plain HTTP: loopback only)."
}

# seeded COLUMN USER: one column of a user's row in the seed-demo table
# (USER ROLE TEAM PASSWORD CUSTOMERS NAME).
seeded() { printf '%s\n' "$SEEDED" | awk -v col="$1" -v who="$2" '$1 == who && NF == 6 { print $col }'; }
# seeded_users ROLE: the login names of that role, in table order.
seeded_users() { printf '%s\n' "$SEEDED" | awk -v role="$1" 'NF == 6 && $2 == role { print $1 }'; }

# ------------------------------------------------------------ app demo

# run_app FIELDSYNC_SERVER FIELDSYNC_APP [--manager]: the server part, then
# the desktop app signed in as the first demo rep, or as their manager.
run_app() {
  local fss app who password
  fss=$(executable "$1")
  app=$(executable "$2")
  section "The company's sync server, with demo data"
  start_company_server "$fss"
  if [ "${3:-}" = "--manager" ]; then who=$(seeded_users manager | head -n 1); else who=$(seeded_users rep | head -n 1); fi
  password=$(seeded 4 "$who")
  section "The desktop app, signed in as $(seeded 6 "$who") ($who)"
  say "Close the app window to stop the demo (the server stops with it)."
  say "The replica app.db is encrypted; this demo keeps its key and token in a key file under keys/"
  say "(--secrets-dir) rather than the desktop's keystore, so it runs the same on any machine."
  shown "fieldsync-app --db app.db --secrets-dir keys --server $URL --user $who --password-stdin"
  printf '%s\n' "$password" | "$app" --db "$DEMO/app.db" --secrets-dir "$DEMO/keys" --server "$URL" --user "$who" \
    --password-stdin
}

# ------------------------------------------------------------ CLI demo

server_demo() {
  local fs fss
  fs=$(executable "$1")
  fss=$(executable "$2")
  FS="$fs"
  cd "$DEMO"

  section "1. The company's sync server, with demo data"
  say "A sales company: a Beijing team of four reps and their manager, 60 customers"
  say "(some in the public pool 公海, owned by nobody), contacts, 240 past visits,"
  say "tasks and complaints. The data goes in through the server's normal merge path."
  start_company_server "$fss"

  local reps manager
  mapfile -t reps < <(seeded_users rep)
  manager=$(seeded_users manager | head -n 1)
  A=${reps[0]} B=${reps[1]} M=$manager
  declare -gA NAME
  for u in "$A" "$B" "$M"; do NAME[$u]=$(seeded 6 "$u"); done

  section "2. Three devices sign in and sync"
  say "${NAME[$A]} ($A) and ${NAME[$B]} ($B) are reps with phones; ${NAME[$M]} ($M) is their"
  say "manager, on a tablet. Each device keeps its own local database (a replica)."
  for u in "$A" "$B" "$M"; do
    on "$u" init >/dev/null
    printf '%s[%s]  $ fieldsync --db %s.db login --server %s --user %s --password-stdin%s\n' \
      "$DIM" "${NAME[$u]}" "$u" "$URL" "$u" "$OFF"
    printf '%s\n' "$(seeded 4 "$u")" | "$FS" --db "$u.db" login --server "$URL" --user "$u" --password-stdin
    on "$u" sync
  done
  for u in "$A" "$B" "$M"; do
    say "${NAME[$u]}'s device holds $(count "$u" 'len(j["customer"])') customers and $(count "$u" 'len(j["visit"])') visits."
  done
  say "Each replica is encrypted (ChaCha20-Poly1305); its key and sign-in token are in $A.db.keys,"
  say "readable by its owner only, never in the database. A lost file alone gives nothing away:"
  local one
  one=$("$FS" --db "$A.db" dump | python3 -c 'import json,sys; print(next(iter(json.load(sys.stdin)["customer"].values()))["name"]["value"])')
  shown "strings $A.db $A.db-wal | grep -c '$one'    # one of the customers it holds"
  say "$(cat "$A.db" "$A.db-wal" 2>/dev/null | strings | grep -c "$one" || true)"
  say "A rep sees their own customers and the public pool; the manager sees the whole team's."
  first 8 on "$A" customer list
  say "  ..."
  if has today; then
    say "Planned visits and follow-ups come with the data:"
    on "$A" today
  fi

  # What the demo works on, read from the replicas.
  C=$(pick "$A" "max((i for i, c in j['customer'].items() if own(c, '$A') and has(c, 'lat') and not v(c, 'archived')), key=lambda i: (v(j['customer'][i], 'level') == 'A', v(j['customer'][i], 'annual_sales') or 0))")
  D=$(pick "$B" "next(i for i, c in sorted(j['customer'].items()) if own(c, '$B') and has(c, 'lat') and not v(c, 'archived'))")
  P=$(pick "$B" "next(i for i, c in sorted(j['customer'].items()) if not has(c, 'owner') and not v(c, 'archived'))")
  local c_name d_name p_name c_lat c_lng d_lat d_lng
  c_name=$(pick "$A" "v(j['customer']['$C'], 'name')")
  d_name=$(pick "$B" "v(j['customer']['$D'], 'name')")
  p_name=$(pick "$B" "v(j['customer']['$P'], 'name')")
  read -r c_lat c_lng < <(pick "$A" "'%.6f %.6f' % (v(j['customer']['$C'], 'lat') + 0.0004, v(j['customer']['$C'], 'lng') + 0.0003)")
  read -r d_lat d_lng < <(pick "$B" "'%.6f %.6f' % (v(j['customer']['$D'], 'lat') + 0.027, v(j['customer']['$D'], 'lng'))")

  section "3. Out in the field, no signal"
  say "${NAME[$A]} visits one of their biggest customers, $c_name, and checks in there (GPS ~50 m away):"
  visit "$A" "$C" "$c_lat" "$c_lng" 12 已下单 客户确认下季度订单 38000
  say "${NAME[$B]} visits $d_name, but checks in 3 km away from it:"
  visit "$B" "$D" "$d_lat" "$d_lng" 20 需再跟进 在路上补录的拜访
  say "${NAME[$A]} and ${NAME[$M]} update $c_name at the same time, neither knowing of the other:"
  on "$A" customer set "$C" phone=13800138001 "notes=采购负责人换成了王经理"
  on "$M" customer set "$C" phone=13900139002 "notes=年底前安排高层拜访"
  say "Both reps find the same pool customer, $p_name, and claim it (撞单):"
  claim "$B" "$P"
  claim "$A" "$P"
  say "Nothing has left the devices yet:"
  on "$A" changes pending

  section "4. Back online: everyone syncs"
  say "${NAME[$B]} gets signal first, then ${NAME[$A]}, then ${NAME[$M]}; the reps sync once more."
  for u in "$B" "$A" "$M" "$B" "$A"; do on "$u" sync; done

  section "5. The manager's view: the merged team feed"
  if has report feed; then
    say "Today's check-ins of the team (far ones and those without a location are flagged):"
    on "$M" report feed --from "$(date +%F)"
    say "The whole team's feed has every visit the reps logged; its latest lines:"
    first 6 on "$M" report feed
    if has report verdicts; then
      say "The server judged every check-in as it arrived. Today's suspicious one, and why:"
      on "$M" report feed --verdict suspicious --from "$(date +%F)"
      say "Check-ins per rep by verdict, the demo company's history included:"
      first 6 on "$M" report verdicts
    fi
  else
    say "Every visit of the team, as the manager's tablet holds it (first lines):"
    first 12 on "$M" visit list
  fi
  say "The concurrent edits of $c_name: the later write won on every device,"
  say "and the value it replaced is in the conflict log, for the manager to review:"
  on "$M" conflicts
  on "$M" customer show "$C"
  say "The pool customer went to whoever reached the server first; the other claim was refused:"
  on "$M" customer show "$P"
  on "$A" rejected
  if has customer claims; then on "$A" customer claims; fi

  section "6. Proof: every device holds exactly what the server says it may see"
  for u in "$A" "$B" "$M"; do
    "$FS" --db "$u.db" dump >"$u.dump"
    "$fss" --data "$DEMO/server" dump --as "$u" >"$u.server.dump"
    shown "cmp <(fieldsync --db $u.db dump) <(fieldsync-server --data server dump --as $u)"
    if cmp -s "$u.dump" "$u.server.dump"; then
      say "identical: ${NAME[$u]}'s replica, $(wc -c <"$u.dump") bytes of canonical state"
    else
      say "${NAME[$u]}'s replica differs from the server's view" >&2
      exit 1
    fi
  done

  section "What you just saw"
  # ./dev run --postgres says what stands behind the address instead.
  say "- ${FIELDSYNC_DEMO_SERVERS:-One sync server (fieldsync-server, SQLite inside)} with a demo company: seed-demo."
  say "- Each device works on its own local database, with or without signal; a sync"
  say "  pushes its changes and pulls the others', only the customers its user may see."
  say "- Check-ins keep their time and place for good; far ones are flagged for the manager."
  say "- The server judges every check-in (verified, unverified, suspicious) and says why;"
  say "  a rep's device shows its own verdict until the server's arrives."
  say "- Two people edited the same field offline: one value won everywhere, by the same"
  say "  rule on every device and the server, and the other is kept in the conflict log."
  say "- Two reps claimed the same pool customer: the first claim to arrive won, the other"
  say "  was refused with a reason, so no two reps chase one customer."
  say "Next: docs/demo.md (the demo data), README (the CLI and the server), fieldsync --help."
}

# Shows the command, then runs it on that person's device.
on() {
  local who=$1
  shift
  printf '%s[%s]  $ fieldsync --db %s.db %s%s\n' "$DIM" "${NAME[$who]:-$who}" "$who" "$*" "$OFF"
  "$FS" --db "$who.db" "$@"
}
# first N COMMAND...: the first N lines of a command's output (read whole, so
# that the command never writes into a closed pipe).
first() {
  local n=$1 out
  shift
  out=$("$@")
  printf '%s\n' "$out" | sed -n "1,${n}p"
}
# visit WHO CUSTOMER LAT LNG ACCURACY OUTCOME NOTES [ORDER]: a visit now, with
# its check-in place. Planned, checked in and checked out where this fieldsync
# has that workflow (it stores the distance to the customer), else logged at once.
visit() {
  local who=$1 customer=$2 lat=$3 lng=$4 accuracy=$5 outcome=$6 notes=$7 order=${8:-} out id
  local orders=()
  if has visit plan && has visit checkin && has visit checkout; then
    # Checked in 40 minutes ago, checked out now: a stay the server believes.
    out=$(on "$who" visit plan --customer "$customer" --at "$(date -d '-45 minutes' +%FT%H:%M%:z)" --purpose 拜访)
    printf '%s\n' "$out"
    id=${out##*$'\n'}
    on "$who" visit checkin "$id" --lat "$lat" --lng "$lng" --accuracy "$accuracy" \
      --at "$(date -d '-40 minutes' +%FT%H:%M:%S%:z)"
    [ -z "$order" ] || orders=(--order "$order")
    on "$who" visit checkout "$id" --outcome "$outcome" --notes "$notes" "${orders[@]}" \
      --next "$(date -d '+7 days' +%FT10:00%:z)" --task-title 回访确认
  else
    on "$who" visit log --customer "$customer" --rep "$who" --lat "$lat" --lng "$lng" --accuracy "$accuracy" \
      --outcome "$outcome" --notes "$notes" ${order:+"order_amount=$order"}
  fi
}
# has WORDS...: whether this fieldsync has the command.
has() { "$FS" help "$@" >/dev/null 2>&1; }
# A claim from the pool: `customer claim` where it exists, else the owner field.
claim() {
  if has customer claim; then on "$1" customer claim "$2"; else on "$1" customer set "$2" "owner=$1"; fi
}
# pick WHO EXPR: a Python expression over WHO's dump (bound to j).
pick() {
  "$FS" --db "$1.db" dump | python3 -c '
import json, sys
j = json.load(sys.stdin)
def v(row, field): return row.get(field, {}).get("value")
def has(row, field): return v(row, field) is not None
def own(row, who): return v(row, "owner") == who
print(eval(sys.argv[1]))' "$2"
}
count() { pick "$1" "$2"; }

# ------------------------------------------------------------ offline demo

offline_demo() {
  FS=$(executable "$1")
  cd "$DEMO"
  declare -gA NAME=([li]=李娜 [wang]=王强)
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
  say "The file holds the customer book, so 李娜 seals it with a passphrase she tells 王强 in person"
  say "(read from standard input, or as here from an environment variable; never from the command line)."
  export HANDOVER_PASS='blue kettle under the stairs'
  li changes export --encrypt --passphrase-env HANDOVER_PASS handover.fsb
  say "(the file travels by USB stick, chat attachment, whatever works offline)"
  wang changes import --passphrase-env HANDOVER_PASS handover.fsb
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
  "$FS" --db li.db dump >li-dump.json
  "$FS" --db wang.db dump >wang-dump.json
  shown "fieldsync --db li.db dump > li-dump.json; fieldsync --db wang.db dump > wang-dump.json"
  say "Canonical JSON of everything synced, every value with its clock; the start of it:"
  sed -n '1,12p' li-dump.json
  say "  ..."
  shown "cmp li-dump.json wang-dump.json"
  if cmp li-dump.json wang-dump.json; then
    say "identical: $(wc -c <li-dump.json) bytes of canonical state on each phone"
  else
    say "the dumps differ: the replicas did not converge" >&2
    exit 1
  fi

  section "Done"
  say "Try it yourself: $(basename "$FS") --help"
}

case "${1:-}" in
  server) [ $# -eq 3 ] || usage; server_demo "$2" "$3" ;;
  app) [ $# -eq 3 ] || [ $# -eq 4 ] || usage; run_app "$2" "$3" "${4:-}" ;;
  offline) [ $# -eq 2 ] || usage; offline_demo "$2" ;;
  *) usage ;;
esac
