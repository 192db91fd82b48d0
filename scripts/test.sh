#!/usr/bin/env bash
# npm test: builds the apps, makes sure PostgreSQL and the local Kafka broker run (starting the
# broker if needed, and stopping it afterwards if this run started it), checks the Prometheus
# configuration, alert rules and Alertmanager configuration (installing Debian's prometheus and
# prometheus-alertmanager packages if needed: the end-to-end tests also run a real Prometheus and
# Alertmanager), makes sure Chromium is installed for the review console's browser tests (Debian's
# chromium package), then runs every jest test.
# Extra arguments go to jest (CI passes --json --outputFile=...).
set -euo pipefail
cd "$(dirname "$0")/.."
started_kafka=false
cleanup() { if $started_kafka; then bash ops/kafka/kafka.sh stop || true; fi; }
trap cleanup EXIT

npm run -s build
bash scripts/ensure-postgres.sh
bash scripts/check-prometheus.sh
bash scripts/ensure-chromium.sh
if [ -z "${KAFKA_BROKERS:-}" ]; then
  if ! bash ops/kafka/kafka.sh status >/dev/null 2>&1; then started_kafka=true; fi
  bash ops/kafka/kafka.sh start
fi
npx jest --runInBand "$@"
