#!/usr/bin/env bash
# Installs a Debian package a test tool needs when it is missing:
#   bash scripts/apt-install.sh WHAT "apt-get install ARGS..." "HINT without apt-get"
# WHAT names the missing tool in messages. Needs root; otherwise says the command to run.
set -euo pipefail
what="$1"
install_command="$2"
without_apt="$3"
if ! command -v apt-get >/dev/null 2>&1; then
  echo "$what is missing and there is no apt-get here: $without_apt" >&2
  exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "$what is missing; install it as root with: sudo $install_command" >&2
  exit 1
fi
echo "==> $what is missing: $install_command"
export DEBIAN_FRONTEND=noninteractive
# A fresh machine's package lists may be stale or absent: refresh them once if the first try fails.
if ! $install_command >/dev/null; then
  apt-get update -qq
  $install_command >/dev/null
fi
