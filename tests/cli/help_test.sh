#!/usr/bin/env bash
# --help on every command and group: exit 0, usage on stdout, nothing on
# stderr, no database needed (and none created).
set -euo pipefail
source "$(dirname "$0")/lib.sh" "$@"

COMMANDS=(
  "init" "dump"
  "customer add" "customer set" "customer tag" "customer archive" "customer show" "customer list"
  "contact add" "contact set" "contact archive" "contact show" "contact list"
  "visit log" "visit set" "visit reopen" "visit show" "visit list"
  "visit plan" "visit checkin" "visit checkout" "visit void"
  "task add" "task set" "task archive" "task reopen" "task show" "task list" "task done"
  "complaint set" "complaint void" "complaint reopen" "complaint show"
  "complaint add" "complaint move" "complaint list"
  "today" "report abc" "report churn" "report coverage" "report feed" "report per-rep" "report lifecycle"
  "report complaints" "export visits" "export customers" "config cadence" "team config"
  "changes export" "changes import" "changes pending"
  "conflicts list" "conflicts resolve"
)
CMD_GROUPS=(customer contact visit task complaint report export config team changes conflicts)

# expect_help EXPECTED_USAGE_PREFIX ARGS...
expect_help() {
  local want=$1
  shift
  local status=0
  "$FS" "$@" > out.txt 2> err.txt || status=$?
  [ "$status" -eq 0 ] || fail "[$*]: exit $status: $(cat err.txt)"
  [ ! -s err.txt ] || fail "[$*]: wrote to stderr: $(cat err.txt)"
  [[ "$(head -n 1 out.txt)" == "$want"* ]] || fail "[$*]: first line [$(head -n 1 out.txt)], expected [$want...]"
  pass
}

for cmd in "${COMMANDS[@]}"; do
  read -r -a words <<< "$cmd"
  expect_help "Usage: fieldsync --db PATH $cmd" "${words[@]}" --help
  expect_help "Usage: fieldsync --db PATH $cmd" "${words[@]}" -h
  expect_help "Usage: fieldsync --db PATH $cmd" help "${words[@]}"
  expect_help "Usage: fieldsync --db PATH $cmd" --db nowhere.db "${words[@]}" --bogus-option --help
done
for group in "${CMD_GROUPS[@]}"; do
  expect_help "Usage: fieldsync --db PATH $group COMMAND" "$group" --help
  expect_help "Usage: fieldsync --db PATH $group COMMAND" help "$group"
done
[ ! -e nowhere.db ] || fail "help created a database"
pass

# Top level: every group and command is listed.
expect_help "fieldsync — " --help
expect_help "fieldsync — " -h
expect_help "fieldsync — " help
top=$(cat out.txt)
for name in init dump "${CMD_GROUPS[@]}"; do
  grep -qE "^  $name " <<< "$top" || fail "top-level help does not list $name"
  pass
done

# Command help shows the command's options and the global ones.
"$FS" customer add --help > out.txt
for opt in "--name NAME" "--phone P" "--level A|B|C|D" "--address A" "--region R" "--owner U" "--tag T" \
           "--db PATH" "--json" "-h, --help"; do
  grep -qF -- "$opt" out.txt || fail "customer add --help lacks $opt"
  pass
done
"$FS" visit log --help > out.txt
for opt in --customer --notes --outcome --kind --rep --satisfaction --lat --lng --accuracy --at checkin_at; do
  grep -qF -- "$opt" out.txt || fail "visit log --help lacks $opt"
  pass
done

# Help for something that does not exist is a usage error.
status=0
"$FS" frobnicate --help > out.txt 2> err.txt || status=$?
expect_eq "$status" "2" "help for an unknown command"
expect_eq "$(cat err.txt)" "fieldsync: unknown command 'frobnicate' (commands: init, customer, contact, visit, task, complaint, today, report, export, config, team, changes, conflicts, dump, rekey, login, logout, sync, status, rejected)" "unknown command message"

echo "ok: help, $CHECKS checks"
