# Shared by the PostgreSQL integration scripts (after lib.sh): a database on
# the test PostgreSQL server, and fieldsync-server instances on it.
# Usage: source pg_lib.sh FS_PG_CLUSTER
# Under ctest the cluster of the `postgres` fixture is used
# (FIELDSYNC_TEST_PG_DIR); run by hand, the script starts its own with
# FS_PG_CLUSTER (tests/pg) and stops it at exit.
PGC="$1"
FS_ARGS=(--plaintext)  # use_instance rewrites a device's server setting with python3's sqlite3
PG_OWN_DIR=""
PG_DBS=()
INSTANCE_PIDS=()

pg_bin() {
  local d
  for d in "${FIELDSYNC_PG_BIN:-}" "$(pg_config --bindir 2>/dev/null || true)" $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -n "$d" ] && [ -x "$d/psql" ] && { echo "$d"; return; }
  done
  echo "psql not found: install Debian's postgresql package (./dev deps)" >&2
  exit 1
}
PSQL="$(pg_bin)/psql"

pg_start() {
  if [ -n "${FIELDSYNC_TEST_PG_DIR:-}" ] && [ -s "$FIELDSYNC_TEST_PG_DIR/port" ]; then
    PG_PORT=$(cat "$FIELDSYNC_TEST_PG_DIR/port")
  else
    # Not under $WORK: as root the server runs as the postgres user, who
    # cannot enter a 0700 folder of root's.
    PG_OWN_DIR="$(mktemp -u -d /tmp/fieldsync-pg-XXXXXX)"
    "$PGC" start "$PG_OWN_DIR" >/dev/null
    PG_PORT=$(cat "$PG_OWN_DIR/port")
  fi
}

pg_psql() { # DATABASE SQL: the values, one row a line, columns separated by |
  "$PSQL" -X -q -t -A -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U fieldsync -d "$1" -c "$2"
}

pg_create_db() { # PREFIX: a new empty database; prints its URL
  local name="${1}_$$_${RANDOM}"
  pg_psql postgres "CREATE DATABASE $name" >/dev/null
  PG_DBS+=("$name")
  echo "postgresql://fieldsync@127.0.0.1:$PG_PORT/$name"
}

pg_db_of() { echo "${1##*/}"; }  # URL -> database name

start_instance() { # STORE: a server instance on an ephemeral port; sets INSTANCE_PID and INSTANCE_URL
  local portfile
  portfile="$(mktemp "$WORK/port.XXXXXX")"
  rm -f "$portfile"
  "$FSS" --store "$1" serve --listen 127.0.0.1:${2:-0} --port-file "$portfile" >>"$WORK/server.log" 2>&1 &
  INSTANCE_PID=$!
  INSTANCE_PIDS+=("$INSTANCE_PID")
  for _ in $(seq 200); do [ -s "$portfile" ] && break; sleep 0.05; done
  [ -s "$portfile" ] || { cat "$WORK/server.log" >&2; echo "server instance did not start" >&2; exit 1; }
  INSTANCE_URL="http://127.0.0.1:$(cat "$portfile")"
}

pg_cleanup() {
  local p d
  for p in "${INSTANCE_PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  if [ -n "${PG_PORT:-}" ]; then
    for d in "${PG_DBS[@]}"; do pg_psql postgres "DROP DATABASE IF EXISTS $d WITH (FORCE)" >/dev/null 2>&1 || true; done
  fi
  [ -n "$PG_OWN_DIR" ] && "$PGC" stop "$PG_OWN_DIR" >/dev/null 2>&1 || true
}
trap 'pg_cleanup; cleanup' EXIT

# The same device served by another instance from its next sync on, as a
# load balancer would send it: same token, same cursor, no new sign-in.
use_instance() { # device URL
  python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("UPDATE meta SET value=? WHERE key=?", (sys.argv[2], "setting:server")); c.commit()' \
    "$WORK/$1.db" "$2"
}

add_store_user() { # STORE name role team
  echo "$PASSWORD" | "$FSS" --store "$1" user add --name "$2" --role "$3" --team "$4" --password-stdin >/dev/null
}

same_as_store() { # STORE device: its dump equals the store's dump of what its user may see
  fs "$2" dump >"$WORK/$2.dump"
  "$FSS" --store "$1" dump --as "$2" >"$WORK/$2.server.dump"
  if cmp -s "$WORK/$2.dump" "$WORK/$2.server.dump"; then echo "ok - $2's replica equals the server's view of $2"
  else fail "$2's replica differs from the server's view"; diff "$WORK/$2.dump" "$WORK/$2.server.dump" | head -20 >&2 || true; fi
}

pending_of() { fs "$1" status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["pending"])'; }
