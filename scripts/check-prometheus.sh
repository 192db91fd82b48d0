#!/usr/bin/env bash
# Checks the Prometheus configuration, its alert rules and their unit tests with promtool:
#   ops/prometheus/prometheus.yml, ops/prometheus/alerts.yml, ops/prometheus/alerts.test.yml
# Installs Debian's prometheus package (which ships promtool) first if promtool is missing.
# Runs every check and exits non-zero if any failed.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v promtool >/dev/null 2>&1; then
  bash scripts/apt-install.sh promtool 'apt-get install -y --no-install-recommends prometheus' \
    "install Prometheus's promtool (2.42 or later) and retry"
fi
echo "==> $(promtool --version 2>&1 | head -1)"

status=0
run() {
  echo "==> promtool $*"
  if ! promtool "$@"; then
    echo "FAILED: promtool $*" >&2
    status=1
  fi
}
# check config resolves rule_files relative to the config file, so it works from any directory.
run check config ops/prometheus/prometheus.yml
run check rules ops/prometheus/alerts.yml
run test rules ops/prometheus/alerts.test.yml

if [ "$status" -eq 0 ]; then echo "prometheus config, rules and rule tests: OK"; fi
exit "$status"
