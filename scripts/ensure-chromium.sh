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
install_command='apt-get install -y chromium'
if ! command -v apt-get >/dev/null 2>&1; then
  echo "Chromium is missing and there is no apt-get here: install Chromium and set CHROMIUM_PATH" >&2
  exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Chromium is missing; install it as root with: sudo $install_command" >&2
  exit 1
fi
echo "==> chromium is missing: $install_command"
export DEBIAN_FRONTEND=noninteractive
if ! $install_command >/dev/null; then
  apt-get update -qq
  $install_command >/dev/null
fi
echo "==> chromium: $chromium"
