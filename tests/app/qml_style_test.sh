#!/bin/bash
# The app's QML speaks the theme and stays in small files: no colour literal
# ("#rrggbb", a named colour) in any QML file but Theme.qml, where each colour
# is written once; no QML file over 300 lines (pages included;
# forms, dialogs and rows in files of their own).
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
for f in "$dir"/*.qml; do
  lines=$(wc -l < "$f")
  if [ "$lines" -gt 300 ]; then
    echo "$(basename "$f") has $lines lines: move a form, a dialog or a row into a file of its own" >&2
    status=1
  fi
done
[ "$status" = 0 ] && echo "no colour literal outside Theme.qml, no file over 300 lines ($(ls "$dir"/*.qml | wc -l) QML files)"
exit "$status"
