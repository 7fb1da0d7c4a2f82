#!/usr/bin/env bash
# Runs app_keystore_test against a real Secret Service: gnome-keyring on a
# D-Bus session of its own, its login keyring unlocked with a throwaway
# password, in a throwaway home. (./dev installs gnome-keyring.)
# Usage: keystore_test.sh APP_KEYSTORE_TEST
set -euo pipefail
test_binary="$1"
for tool in dbus-run-session gnome-keyring-daemon; do
  command -v "$tool" >/dev/null || { echo "$tool is required (./dev installs it)" >&2; exit 1; }
done
home="$(mktemp -d)"
trap 'rm -rf "$home"' EXIT
export HOME="$home" XDG_RUNTIME_DIR="$home/run" XDG_DATA_HOME="$home/data"
mkdir -m 700 -p "$XDG_RUNTIME_DIR"
exec dbus-run-session -- bash -c '
  set -e
  eval "$(printf throwaway | gnome-keyring-daemon --unlock --components=secrets --daemonize)"
  export GNOME_KEYRING_CONTROL
  exec "$0"
' "$test_binary"
