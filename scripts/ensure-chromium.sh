#!/usr/bin/env bash
# The e2e tests drive Debian's Chromium (never a downloaded browser). Install it when it is missing.
set -euo pipefail
bin="${CHROMIUM_PATH:-/usr/bin/chromium}"
[ -x "$bin" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "e2e: installing Debian's chromium (apt-get)..."
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null
  exit 0
fi
echo "e2e needs Chromium at $bin: install it (sudo apt-get install -y chromium) or set CHROMIUM_PATH" >&2
exit 1
