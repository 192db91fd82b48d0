#!/usr/bin/env bash
# Makes sure Chromium is here for the review console's browser tests (driven by playwright-core,
# which must not download a browser of its own): Debian's chromium package, installed if missing.
# CHROMIUM_PATH points the tests at another Chromium; then nothing is installed.
set -euo pipefail
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$chromium" ]; then
  echo "==> chromium: $chromium"
  exit 0
fi
if [ -n "${CHROMIUM_PATH:-}" ]; then
  echo "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable" >&2
  exit 1
fi
bash "$(dirname "$0")/apt-install.sh" Chromium 'apt-get install -y chromium' 'install Chromium and set CHROMIUM_PATH'
echo "==> chromium: $chromium"
