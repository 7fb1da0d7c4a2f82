#!/bin/bash
# The app's QML speaks the theme: no colour literal ("#rrggbb", a named
# colour) in any QML file but Theme.qml, where each colour is written once.
set -u
dir="$1"
status=0
for f in "$dir"/*.qml; do
  [ "$(basename "$f")" = Theme.qml ] && continue
  if hits=$(grep -nE '"#[0-9A-Fa-f]{3,8}"|"(white|black|red|green|blue|grey|gray|orange|yellow|transparent)"' "$f"); then
    echo "colour literal outside Theme.qml in $(basename "$f"):" >&2
    echo "$hits" >&2
    status=1
  fi
done
[ "$status" = 0 ] && echo "no colour literal outside Theme.qml ($(ls "$dir"/*.qml | wc -l) QML files)"
exit "$status"
