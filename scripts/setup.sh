#!/usr/bin/env bash
# Installs what handeye needs on Debian: system packages (when missing) and npm dependencies.
# Idempotent: safe to run again; it only installs what is not there.
set -euo pipefail
cd "$(dirname "$0")/.."

# command-to-check:debian-package
NEEDS=(
  "chromium:chromium"
  "Xvfb:xvfb"
  "import:imagemagick"
  "xwininfo:x11-utils"
  "xrandr:x11-xserver-utils"
  "xdotool:xdotool"
  "xclip:xclip"
  "zenity:zenity"
  "xterm:xterm"
  "redis-server:redis-server"
)
missing=()
for pair in "${NEEDS[@]}"; do
  cmd=${pair%%:*}; pkg=${pair#*:}
  command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg")
done
# Chinese UI text must render: the CJK fonts are checked by file, not by command.
[ -e /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] || missing+=("fonts-noto-cjk")
# The OCR tests read pages rendered in these Latin fonts: the same on every machine.
[ -e /usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf ] || missing+=("fonts-liberation")
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=("fonts-dejavu-core")
# The desktop tests' small Tk app runs on Debian's python3.
/usr/bin/python3 -c 'import tkinter' >/dev/null 2>&1 || missing+=("python3-tk")

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing system packages: ${missing[*]}" >&2
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "setup: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
    SUDO="sudo"
  fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci" >&2
  npm ci --no-audit --no-fund
fi
echo "setup: ready" >&2
