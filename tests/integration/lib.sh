# Shared by the integration scripts: a real fieldsync-server on 127.0.0.1 (an
# ephemeral port) and fieldsync devices driven through the CLI.
# Usage: source lib.sh FIELDSYNC FIELDSYNC_SERVER
set -euo pipefail
FS="$1"
FSS="$2"
WORK="$(mktemp -d)"
SERVER_PID=""
export FIELDSYNC_FAST_PASSWORD_HASH=1   # minimum Argon2id cost: tests sign in often
PASSWORD="correct-horse-battery"
failures=0
# Extra arguments for every device command: a script that reads or writes a
# device's own tables with python3's sqlite3 sets FS_ARGS=(--plaintext), so
# its devices are plain files (the encrypted default is tested elsewhere).
FS_ARGS=()

cleanup() {
  [ -n "$SERVER_PID" ] && kill -9 "$SERVER_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
check() { # check "what" actual expected
  if [ "$2" != "$3" ]; then fail "$1: got '$2', expected '$3'"; else echo "ok - $1"; fi
}
finish() {
  if [ "$failures" -ne 0 ]; then echo "$failures check(s) failed" >&2; exit 1; fi
  echo "all checks passed"
}

# json FILE EXPR: evaluates a Python expression over the JSON in FILE (bound to j).
json() { python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"; }

start_server() { # [PORT]: restart on the same port (devices keep their server URL)
  rm -f "$WORK/port"
  "$FSS" --data "$WORK/server" serve --listen "127.0.0.1:${1:-0}" --port-file "$WORK/port" >>"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 100); do [ -s "$WORK/port" ] && break; sleep 0.05; done
  [ -s "$WORK/port" ] || { cat "$WORK/server.log" >&2; echo "server did not start" >&2; exit 1; }
  PORT=$(cat "$WORK/port")
  URL="http://127.0.0.1:$PORT"
}
stop_server() { kill -TERM "$SERVER_PID"; wait "$SERVER_PID" || true; SERVER_PID=""; }
kill_server() { kill -9 "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""; }

add_user() { # name role team
  echo "$PASSWORD" | "$FSS" --data "$WORK/server" user add --name "$1" --role "$2" --team "$3" --password-stdin >/dev/null
}
device() { # name: init + login
  "$FS" --db "$WORK/$1.db" "${FS_ARGS[@]}" init >/dev/null
  echo "$PASSWORD" | "$FS" --db "$WORK/$1.db" "${FS_ARGS[@]}" login --server "$URL" --user "$1" --password-stdin >/dev/null
}
fs() { local who="$1"; shift; "$FS" --db "$WORK/$who.db" "${FS_ARGS[@]}" "$@"; }
sync_dev() { fs "$1" sync >/dev/null; }
same_as_server() { # device: its dump equals the server's dump of what its user may see
  fs "$1" dump >"$WORK/$1.dump"
  "$FSS" --data "$WORK/server" dump --as "$1" >"$WORK/$1.server.dump"
  if cmp -s "$WORK/$1.dump" "$WORK/$1.server.dump"; then echo "ok - $1's replica equals the server's view of $1"
  else fail "$1's replica differs from the server's view"; diff "$WORK/$1.dump" "$WORK/$1.server.dump" | head -20 >&2 || true; fi
}

# sql FILE QUERY: one value from a SQLite file (python3's sqlite3 module).
sql() { python3 -c 'import sqlite3,sys; r=sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone(); print(r[0] if r and r[0] is not None else 0)' "$1" "$2"; }
