#!/usr/bin/env bash
# Checks the Prometheus configuration, its alert rules and their unit tests with promtool, and the
# Alertmanager configuration with amtool:
#   ops/prometheus/prometheus.yml, ops/prometheus/alerts.yml, ops/prometheus/alerts.test.yml,
#   ops/alertmanager/alertmanager.yml
# Installs Debian's prometheus and prometheus-alertmanager packages (which ship promtool and amtool,
# and the servers the end-to-end tests run) first if a tool is missing.
# Runs every check and exits non-zero if any failed.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=()
if ! command -v promtool >/dev/null 2>&1; then packages+=(prometheus); fi
if ! command -v amtool >/dev/null 2>&1; then packages+=(prometheus-alertmanager); fi
if [ "${#packages[@]}" -gt 0 ]; then
  bash scripts/apt-install.sh "${packages[*]}" \
    "apt-get install -y --no-install-recommends ${packages[*]}" \
    "install Prometheus's promtool (2.42 or later) and Alertmanager's amtool (0.25 or later) and retry"
fi
echo "==> $(promtool --version 2>&1 | head -1)"
echo "==> $(amtool --version 2>&1 | head -1)"

status=0
check() {
  echo "==> $*"
  if ! "$@"; then
    echo "FAILED: $*" >&2
    status=1
  fi
}
# check config resolves rule_files relative to the config file, so it works from any directory.
check promtool check config ops/prometheus/prometheus.yml
check promtool check rules ops/prometheus/alerts.yml
check promtool test rules ops/prometheus/alerts.test.yml
check amtool check-config ops/alertmanager/alertmanager.yml

if [ "$status" -eq 0 ]; then echo "prometheus and alertmanager config, rules and rule tests: OK"; fi
exit "$status"
