# Shared helpers for the CLI test scripts (sourced, not run).
#   FS      the fieldsync binary under test (absolute path)
#   WORK    a fresh temporary directory, removed on exit; the script runs in it

FS="$(cd "$(dirname "${1:?usage: $0 PATH_TO_fieldsync}")" && pwd)/$(basename "$1")"
[ -x "$FS" ] || { echo "not executable: $FS" >&2; exit 1; }
WORK="$(mktemp -d "${TMPDIR:-/tmp}/fieldsync-cli-test.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

# Times print in the local zone: pin it so expected strings are exact.
export TZ=UTC
CHECKS=0

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

pass() {
  CHECKS=$((CHECKS + 1))
}

# expect_eq ACTUAL EXPECTED WHAT
expect_eq() {
  [ "$1" == "$2" ] || fail "$3: expected [$2], got [$1]"
  pass
}

# expect_contains HAYSTACK NEEDLE WHAT
expect_contains() {
  [[ "$1" == *"$2"* ]] || fail "$3: [$2] not found in: $1"
  pass
}

# jq-like: reads JSON on stdin, evaluates a Python expression over it (bound
# to `d`) and prints the result: strings raw, everything else as JSON.
pyj() {
  python3 -c '
import json, sys
d = json.load(sys.stdin)
r = eval(sys.argv[1])
print(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False, sort_keys=True))
' "$1"
}

UUID_RE='^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
