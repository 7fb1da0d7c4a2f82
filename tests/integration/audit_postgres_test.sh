#!/usr/bin/env bash
# fieldsync-server audit on PostgreSQL: a company with devices that synced
# (and a conflict) moves from SQLite to PostgreSQL; every audit query — each
# filter, paging, table, --json and --csv — prints byte for byte what it
# prints on SQLite; a change pushed to a server instance on PostgreSQL is in
# the audit at once; a database without a hub is refused (exit 3).
# Usage: audit_postgres_test.sh FIELDSYNC FIELDSYNC_SERVER FS_PG_CLUSTER
source "$(dirname "$0")/lib.sh" "$1" "$2"
source "$(dirname "$0")/pg_lib.sh" "$3"
export TZ=Asia/Shanghai

pg_start
PGSTORE=$(pg_create_db audit)

"$FSS" --data "$WORK/server" seed-demo --reps 2 --customers 20 --visits 40 --seed 3 --today 2026-11-20 --json \
  >"$WORK/seed.json"
read -r rep rep_pw manager manager_pw < <(json "$WORK/seed.json" \
  '" ".join(x for u in [[u for u in j["users"] if u["role"]=="rep"][0], [u for u in j["users"] if u["role"]=="manager"][0]] for x in (u["name"], u["password"]))')
start_server
login() { # user password device-name
  "$FS" --db "$WORK/$1.db" "${FS_ARGS[@]}" init >/dev/null
  printf '%s\n' "$2" | "$FS" --db "$WORK/$1.db" "${FS_ARGS[@]}" login --server "$URL" --user "$1" --device-name "$3" --password-stdin >/dev/null
  sync_dev "$1"
}
login "$rep" "$rep_pw" "$rep 的手机"
login "$manager" "$manager_pw" "Manager's tablet"
c=$(fs "$rep" customer add --name 审计测试客户 --level A --force)
v=$(fs "$rep" visit log --customer "$c" --notes "first visit")
sync_dev "$rep"; sync_dev "$manager"
fs "$rep" visit set "$v" "notes=rep's second thought" >/dev/null
fs "$manager" visit set "$v" "notes=经理批注" >/dev/null
sync_dev "$rep"; sync_dev "$manager"
stop_server
"$FSS" migrate --from "sqlite:$WORK/server" --to "$PGSTORE" >/dev/null

# The same question, the same answer, on both stores.
rep_device=$(fs "$rep" status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["device"])')
queries=(
  "--limit 1000"
  "--row $v"
  "--row $v --oldest-first --json"
  "--customer $c --csv"
  "--customer 审计测试客户 --json"
  "--device ${rep_device:0:8} --json"
  "--user $manager"
  "--user seed-demo --entity complaint --limit 5 --json"
  "--entity conflict --json"
  "--since 2000-01-01 --until 2999-01-01 --limit 7 --csv"
  "--limit 10 --before 30 --json"
  "--limit 10 --after 30 --oldest-first"
)
same=0
for q in "${queries[@]}"; do
  # shellcheck disable=SC2086
  "$FSS" --data "$WORK/server" audit $q >"$WORK/sqlite.out" 2>"$WORK/sqlite.err"
  # shellcheck disable=SC2086
  "$FSS" --store "$PGSTORE" audit $q >"$WORK/pg.out" 2>"$WORK/pg.err"
  if [ -s "$WORK/sqlite.out" ] && cmp -s "$WORK/sqlite.out" "$WORK/pg.out" && cmp -s "$WORK/sqlite.err" "$WORK/pg.err"; then
    same=$((same + 1))
  else
    fail "audit $q: PostgreSQL prints otherwise than SQLite"; diff "$WORK/sqlite.out" "$WORK/pg.out" | head -5 >&2 || true
  fi
done
check "every query prints the same on both stores" "$same" "${#queries[@]}"
check "the row's story on PostgreSQL: conflict, manager, rep, the server's verdict, creation" \
  "$("$FSS" --store "$PGSTORE" audit --row "$v" --json | python3 -c 'import json,sys; print(",".join(e["device"]["name"] for e in json.load(sys.stdin)))')" \
  "server,Manager's tablet,$rep 的手机,server,$rep 的手机"

# A server instance on PostgreSQL takes a change; the audit sees it at once.
start_instance "$PGSTORE"
use_instance "$rep" "$INSTANCE_URL"
fs "$rep" visit set "$v" outcome=signed >/dev/null
sync_dev "$rep"
check "a change pushed through PostgreSQL is in the audit while the instance serves" \
  "$("$FSS" --store "$PGSTORE" audit --row "$v" --limit 1 --json 2>/dev/null | python3 -c 'import json,sys; e=json.load(sys.stdin)[0]; print(e["user"], e["changes"])')" \
  "$rep outcome=signed"

# A database without a hub.
EMPTY=$(pg_create_db empty)
out=$("$FSS" --store "$EMPTY" audit 2>&1) && status=0 || status=$?
check "a database without a hub: exit status" "$status" 3
case "$out" in *"holds no fieldsync hub"*) echo "ok - a database without a hub: says so" ;; *) fail "empty database: '$out'" ;; esac
check "nothing was created in it" "$(pg_psql "$(pg_db_of "$EMPTY")" "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")" 0
finish
