#!/usr/bin/env bash
# bash scripts/repeat-fault-test.sh [RUNS]: runs test/pipeline-faults.e2e-spec.ts RUNS times (10)
# in a row against a broker and a PostgreSQL cluster of its own, so the restarts it makes leave the
# local ones (and whatever else uses them) alone. Every app's output of run N is kept in
# .local/fault-runs/run-N/, jest's in run-N.jest.txt; one line per run goes to summary.txt.
#
# The broker: ops/kafka/kafka.sh on FAULTS_KAFKA_PORT (19092), data in .local/fault-runs/kafka.
# PostgreSQL: the Debian cluster FAULTS_PG_CLUSTER ("15/faults" style; created on FAULTS_PG_PORT,
# 5433, with trust on 127.0.0.1 if missing). Needs `npm run build` first, like every e2e test.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
out=.local/fault-runs
port=${FAULTS_KAFKA_PORT:-19092}
pg_port=${FAULTS_PG_PORT:-5433}
[ -f dist/apps/ingest/apps/ingest/src/main.js ] || { echo "run npm run build first" >&2; exit 1; }
command -v pg_ctlcluster >/dev/null || { echo "needs Debian's pg_ctlcluster (postgresql-common)" >&2; exit 1; }
version=$(ls /etc/postgresql | sort -V | tail -1)
cluster=${FAULTS_PG_CLUSTER:-$version/faults}
if [ ! -d "/etc/postgresql/$cluster" ]; then
  pg_createcluster "${cluster%/*}" "${cluster#*/}" -p "$pg_port" >/dev/null
  printf 'local all all trust\nhost all all 127.0.0.1/32 trust\n' >"/etc/postgresql/$cluster/pg_hba.conf"
  printf "listen_addresses = '127.0.0.1'\nport = %s\n" "$pg_port" >"/etc/postgresql/$cluster/conf.d/90-faults.conf"
fi
pg_ctlcluster --skip-systemctl-redirect "${cluster%/*}" "${cluster#*/}" start 2>/dev/null || true
mkdir -p "$out"
export KAFKA_PORT=$port KAFKA_CONTROLLER_PORT=$((port + 1)) KAFKA_DATA_DIR="$PWD/$out/kafka"
bash ops/kafka/kafka.sh start
trap 'bash ops/kafka/kafka.sh stop' EXIT
export KAFKA_BROKERS=127.0.0.1:$port TEST_POSTGRES_CLUSTER=$cluster
export TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:$pg_port/postgres
export TEST_APP_POSTGRES_URL=postgres://abuse_monitor_app@127.0.0.1:$pg_port/postgres
passed=0
for i in $(seq 1 "$runs"); do
  rm -rf "$out/run-$i"
  export TEST_APP_LOG_DIR="$PWD/$out/run-$i"
  start=$(date +%s)
  if npx jest --runInBand test/pipeline-faults.e2e-spec.ts >"$out/run-$i.jest.txt" 2>&1; then
    result=passed
    passed=$((passed + 1))
  else
    result=FAILED
  fi
  echo "$(date -u +%FT%TZ) run $i of $runs: $result in $(($(date +%s) - start)) s" | tee -a "$out/summary.txt"
done
echo "$passed of $runs runs passed"
[ "$passed" -eq "$runs" ]
