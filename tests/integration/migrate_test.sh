#!/usr/bin/env bash
# fieldsync-server migrate: a company that started on SQLite moves to
# PostgreSQL. A seeded demo company with devices that synced changes is
# copied; both stores dump identically (whole and as each user); a server
# on PostgreSQL, on the same address, takes the devices' existing tokens and
# cursors (they sync on, pulling only what is new); migrating into a store
# that holds data is refused (exit 4) and a bad --to is a usage error
# (exit 2); and the way back, PostgreSQL to SQLite, gives the same dumps.
# Usage: migrate_test.sh FIELDSYNC FIELDSYNC_SERVER FS_PG_CLUSTER
source "$(dirname "$0")/lib.sh" "$1" "$2"
source "$(dirname "$0")/pg_lib.sh" "$3"

pg_start
PGSTORE=$(pg_create_db migrate)
DB=$(pg_db_of "$PGSTORE")

"$FSS" --data "$WORK/server" seed-demo --reps 2 --customers 20 --visits 40 --seed 3 --today 2026-11-20 --json \
  >"$WORK/seed.json"
read -r rep rep_pw manager manager_pw < <(json "$WORK/seed.json" \
  '" ".join(x for u in [[u for u in j["users"] if u["role"]=="rep"][0], [u for u in j["users"] if u["role"]=="manager"][0]] for x in (u["name"], u["password"]))')
start_server
login() { # user password
  "$FS" --db "$WORK/$1.db" "${FS_ARGS[@]}" init >/dev/null
  printf '%s\n' "$2" | "$FS" --db "$WORK/$1.db" "${FS_ARGS[@]}" login --server "$URL" --user "$1" --password-stdin >/dev/null
  sync_dev "$1"
}
login "$rep" "$rep_pw"
login "$manager" "$manager_pw"
c=$(fs "$rep" customer add --name 迁移测试客户 --level A --force)
fs "$rep" visit log --customer "$c" --notes "before the move" >/dev/null
sync_dev "$rep"; sync_dev "$manager"
fs "$manager" customer set "$c" "notes=经理批注" >/dev/null
sync_dev "$manager"; sync_dev "$rep"
stop_server

# SQLite -> PostgreSQL.
rc=0
"$FSS" migrate --from "sqlite:$WORK/server" --to "$PGSTORE" --json >"$WORK/migrate.json" 2>"$WORK/migrate.err" || rc=$?
check "migrate sqlite -> postgres: exit status" "$rc" 0
check "the report says verified" "$(json "$WORK/migrate.json" 'j["verified"]')" True
check "the report's head is the hub's" "$(json "$WORK/migrate.json" 'j["head"]')" \
  "$(sql "$WORK/server/hub.db" 'SELECT max(seq) FROM hub_log')"
same_dumps() { # what STORE-A STORE-B: dump and dump --as every user identical
  local who ok=1
  "$FSS" --store "$2" dump >"$WORK/a.dump"
  "$FSS" --store "$3" dump >"$WORK/b.dump"
  cmp -s "$WORK/a.dump" "$WORK/b.dump" || { ok=0; fail "$1: the dumps differ"; diff "$WORK/a.dump" "$WORK/b.dump" | head >&2 || true; }
  for who in $("$FSS" --store "$2" user list --json | python3 -c 'import json,sys; print(" ".join(u["name"] for u in json.load(sys.stdin)))'); do
    "$FSS" --store "$2" dump --as "$who" >"$WORK/a.dump"
    "$FSS" --store "$3" dump --as "$who" >"$WORK/b.dump"
    cmp -s "$WORK/a.dump" "$WORK/b.dump" || { ok=0; fail "$1: the dumps as $who differ"; }
  done
  [ "$ok" = 1 ] && echo "ok - $1: the same dump, whole and as each user"
}
same_dumps "sqlite -> postgres" "sqlite:$WORK/server" "$PGSTORE"
check "the log moved with its positions" \
  "$(pg_psql "$DB" "SELECT count(*) || ':' || max(seq) FROM hub_log")" \
  "$(sql "$WORK/server/hub.db" "SELECT count(*) || ':' || max(seq) FROM hub_log")"
check "the users moved" "$("$FSS" --store "$PGSTORE" user list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" \
  "$("$FSS" --data "$WORK/server" user list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"

# Refusals.
# A store with nothing but a team holds data too.
TEAMONLY=$(pg_create_db teamonly)
"$FSS" --store "$TEAMONLY" team add north >/dev/null
out=$("$FSS" migrate --from "sqlite:$WORK/server" --to "$TEAMONLY" 2>&1) && rc=0 || rc=$?
check "migrate into a store with only a team: exit status" "$rc" 4
check "nothing was copied there" "$("$FSS" --store "$TEAMONLY" user list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" 0
# A database the accounts cannot be set up in (a table of its own named
# "user"): the migrate fails before copying anything, not half-way.
FOREIGN=$(pg_create_db foreign)
pg_psql "$(pg_db_of "$FOREIGN")" 'CREATE TABLE "user" (login TEXT PRIMARY KEY)'
out=$("$FSS" migrate --from "sqlite:$WORK/server" --to "$FOREIGN" 2>&1) && rc=0 || rc=$?
[ "$rc" -ne 0 ] && echo "ok - migrate into a database it cannot use fails (exit $rc)" || fail "migrate into a foreign database succeeded"
check "and leaves no hub data behind" \
  "$(pg_psql "$(pg_db_of "$FOREIGN")" 'SELECT count(*) FROM hub_log')" 0
out=$("$FSS" migrate --from "sqlite:$WORK/server" --to "$PGSTORE" 2>&1) && rc=0 || rc=$?
check "migrate into a store that holds data: exit status" "$rc" 4
case "$out" in *empty*|*"holds data"*) echo "ok - says why: $out" ;; *) fail "no clear message: '$out'" ;; esac
"$FSS" --store "$PGSTORE" dump >"$WORK/after-refusal.dump"
"$FSS" --data "$WORK/server" dump >"$WORK/sqlite.dump"
cmp -s "$WORK/after-refusal.dump" "$WORK/sqlite.dump" && echo "ok - the refused migrate changed nothing" \
  || fail "the refused migrate changed the destination"
out=$("$FSS" migrate --from "sqlite:$WORK/server" --to "mysql://db.example.com/crm" 2>&1) && rc=0 || rc=$?
check "a bad --to: exit status" "$rc" 2
case "$out" in *--to*) echo "ok - names --to: $out" ;; *) fail "no clear message: '$out'" ;; esac
out=$("$FSS" migrate --from "sqlite:$WORK/server" 2>&1) && rc=0 || rc=$?
check "no --to: exit status" "$rc" 2

# The devices carry on against PostgreSQL on the same address, with the
# tokens and cursors they have.
cursor_of() { fs "$1" status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["cursor"])'; }
rep_cursor=$(cursor_of "$rep")
"$FSS" --store "$PGSTORE" serve --listen "127.0.0.1:$PORT" --port-file "$WORK/pgport" >>"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 100); do [ -s "$WORK/pgport" ] && break; sleep 0.05; done
check "the PostgreSQL server took the same address" "$(cat "$WORK/pgport" 2>/dev/null)" "$PORT"
out=$(fs "$rep" sync --json) && rc=0 || rc=$?
check "the rep's token works on the new store" "$rc" 0
check "nothing re-pulled from zero" "$(echo "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["pulled"])')" 0
check "the cursor kept its place" "$(cursor_of "$rep")" "$rep_cursor"
fs "$manager" visit log --customer "$c" --notes "after the move" >/dev/null
fs "$manager" customer set "$c" "phone=13800000009" >/dev/null
sync_dev "$manager"
out=$(fs "$rep" sync --json)
check "the rep pulls just the three new changes (the visit, the server's verdict on it, the phone)" "$(echo "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["pulled"])')" 3
check "positions go on after the copied log" "$(cursor_of "$rep")" "$((rep_cursor + 3))"
same_as_store "$PGSTORE" "$rep"
same_as_store "$PGSTORE" "$manager"
stop_server

# PostgreSQL -> SQLite: the way back.
rc=0
"$FSS" migrate --from "$PGSTORE" --to "sqlite:$WORK/back" >"$WORK/back.txt" 2>&1 || rc=$?
check "migrate postgres -> sqlite: exit status" "$rc" 0
grep -q "Verified" "$WORK/back.txt" && echo "ok - says verified" || fail "no verification line: $(cat "$WORK/back.txt")"
same_dumps "postgres -> sqlite" "$PGSTORE" "sqlite:$WORK/back"
finish
