#!/usr/bin/env bash
# FIELDSYNC_FAST_PASSWORD_HASH=1 (the minimum Argon2id cost, for tests and
# demos) must exist only in builds made with -DFIELDSYNC_FAST_HASH_SWITCH=ON.
#  1. CMake: a Release (and MinSizeRel) configuration turns the switch off and
#     compiles ServerCommands.cpp with FIELDSYNC_FAST_HASH_SWITCH=0; the
#     RelWithDebInfo build of ./dev test and ./dev run turns it on.
#  2. This build's fieldsync-server does what its switch says: with the
#     switch, a user added under the variable gets a minimum-cost hash; without
#     it, a full-cost one and a note that the variable is ignored.
# Usage: fast_hash_switch_test.sh SOURCE_DIR FIELDSYNC_SERVER SWITCH(ON|OFF)
set -euo pipefail
SRC="$1"
FSS="$2"
SWITCH="$3"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
check() { if [ "$2" != "$3" ]; then fail "$1: got '$2', expected '$3'"; else echo "ok - $1"; fi; }

# configure TYPE: the switch's cached value and the definition ServerCommands.cpp gets.
configure() {
  local dir="$WORK/build-$1"
  cmake -S "$SRC" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="$1" -DFIELDSYNC_BUILD_TESTS=OFF -DFIELDSYNC_BUILD_BENCH=OFF \
    -DFIELDSYNC_BUILD_APP=OFF >"$dir.log" 2>&1 || { cat "$dir.log" >&2; fail "configuring $1"; return; }
  local cached define
  cached="$(sed -n 's/^FIELDSYNC_FAST_HASH_SWITCH:BOOL=//p' "$dir/CMakeCache.txt")"
  # The compile command of the server's ServerCommands.cpp names the definition.
  define="$(grep -A6 'build sync-server/CMakeFiles/fieldsync-server.dir/ServerCommands.cpp.o' "$dir/build.ninja" |
    grep -o 'FIELDSYNC_FAST_HASH_SWITCH=[01]' | head -1)"
  echo "$cached $define"
}
check "Release turns the switch off" "$(configure Release)" "OFF FIELDSYNC_FAST_HASH_SWITCH=0"
check "MinSizeRel turns the switch off" "$(configure MinSizeRel)" "OFF FIELDSYNC_FAST_HASH_SWITCH=0"
check "RelWithDebInfo (./dev test, ./dev run) turns it on" "$(configure RelWithDebInfo)" "ON FIELDSYNC_FAST_HASH_SWITCH=1"

# This build's server, with the variable set.
export FIELDSYNC_FAST_PASSWORD_HASH=1
"$FSS" --data "$WORK/server" team add north >/dev/null
echo "correct-horse-battery" | "$FSS" --data "$WORK/server" user add --name lina --role rep --team north \
  --password-stdin >/dev/null 2>"$WORK/err"
hash="$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT password FROM user").fetchone()[0])' \
  "$WORK/server/accounts.db")"
cost="$(echo "$hash" | grep -o 'm=[0-9]*,t=[0-9]*')"
if [ "$SWITCH" = ON ] || [ "$SWITCH" = 1 ] || [ "$SWITCH" = TRUE ]; then
  check "a build with the switch hashes at the minimum cost under the variable" "$cost" "m=8,t=1"
  check "and says nothing about it on the command line" "$(cat "$WORK/err")" ""
else
  check "a build without the switch hashes at the full cost under the variable" "$cost" "m=65536,t=2"
  grep -q "FIELDSYNC_FAST_PASSWORD_HASH is ignored" "$WORK/err" && echo "ok - and says the variable is ignored" ||
    fail "no note that the variable is ignored: $(cat "$WORK/err")"
fi

if [ "$failures" -ne 0 ]; then echo "$failures check(s) failed" >&2; exit 1; fi
echo "all checks passed"
