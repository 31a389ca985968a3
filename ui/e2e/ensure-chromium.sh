#!/usr/bin/env bash
# The browser tests drive Debian's Chromium (a test tool's own browser download cannot
# work offline). Find it, or install it the platform's way; never skip the tests.
set -euo pipefail
browser="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$browser" ]; then
  exit 0
fi
echo "Chromium not found at $browser: installing Debian's chromium package" >&2
if [ "$(id -u)" = 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
else
  echo "Cannot install Chromium without root. Install it (apt-get install chromium) or set CHROMIUM_PATH." >&2
  exit 1
fi
[ -x "$browser" ] || { echo "Chromium install did not produce $browser" >&2; exit 1; }
