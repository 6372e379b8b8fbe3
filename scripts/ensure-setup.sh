#!/usr/bin/env bash
# Fast check run before the demo, the tests and the bench: runs setup.sh only when something is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
for cmd in chromium Xvfb import xwininfo xrandr xdotool xclip zenity xterm redis-server; do
  command -v "$cmd" >/dev/null 2>&1 || exec bash scripts/setup.sh
done
for f in /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc /usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf; do
  [ -e "$f" ] || exec bash scripts/setup.sh
done
/usr/bin/python3 -c 'import tkinter' >/dev/null 2>&1 || exec bash scripts/setup.sh
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  exec bash scripts/setup.sh
fi
