#!/usr/bin/env bash
# npm start: the whole pipeline on this machine. Builds the apps, starts the local Kafka broker
# (or reuses a running one), makes sure PostgreSQL is up, migrates the database, starts the apps
# and the 156/5656 traffic simulator, and prints what arrives. Ctrl-C stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

# The migrations run as the schema's owner; the apps as a role that may only read and write rows
# (decision 0033), which the migrate step creates here if it is missing. Only that step sees the
# owner's URL.
owner_url="${DATABASE_OWNER_URL:-postgres://postgres@127.0.0.1:5432/abuse_monitor}"
unset DATABASE_OWNER_URL
export DATABASE_URL="${DATABASE_URL:-postgres://abuse_monitor_app@127.0.0.1:5432/abuse_monitor}"
export KAFKA_BROKERS="${KAFKA_BROKERS:-127.0.0.1:9092}"
export SIMULATOR_RATE="${SIMULATOR_RATE:-20}"
# Every app's V8 flags, as the image sets them (libs/runtime/src/node-options.ts).
export NODE_OPTIONS="--max-semi-space-size=16${NODE_OPTIONS:+ $NODE_OPTIONS}"
LOG_DIR="$ROOT/.local/logs"
mkdir -p "$LOG_DIR"

pids=()
started_kafka=false
stopping=false
admin_token_name=""

stop_all() {
  $stopping && return
  stopping=true
  echo
  echo "stopping..."
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -n "$admin_token_name" ]; then
    node dist/apps/admin/apps/admin/src/main.js revoke-token --name "$admin_token_name" >/dev/null 2>&1 ||
      echo "could not revoke $admin_token_name; revoke it with npm run -s admin -- revoke-token --name $admin_token_name" >&2
  fi
  if $started_kafka; then bash ops/kafka/kafka.sh stop; fi
  echo "stopped everything this run started."
}
trap stop_all EXIT
trap 'exit 130' INT TERM

if [ ! -d node_modules ]; then npm ci --no-audit --no-fund; fi
echo "==> building"
npm run -s build

echo "==> PostgreSQL"
if ! DATABASE_OWNER_URL="$owner_url" node -e "const {Client}=require('pg');const c=new Client({connectionString:process.env.DATABASE_OWNER_URL.replace(/\/[^/]*$/,'/postgres'),connectionTimeoutMillis:3000});c.connect().then(()=>c.end()).catch(()=>process.exit(1))"; then
  if command -v pg_ctlcluster >/dev/null; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start
  else
    echo "PostgreSQL is not reachable for DATABASE_OWNER_URL; start it or set DATABASE_OWNER_URL and DATABASE_URL" >&2
    exit 1
  fi
fi
# The simulator's spoofed bank hotline becomes a protected originator: its flag says probable spoofing.
DATABASE_OWNER_URL="$owner_url" MIGRATE_CREATE_DATABASE=true MIGRATE_CREATE_ROLE=true \
  PROTECTED_NUMBERS="${PROTECTED_NUMBERS:-1900545413}" node dist/apps/migrate/apps/migrate/src/main.js

echo "==> Kafka"
if ! bash ops/kafka/kafka.sh status >/dev/null 2>&1; then started_kafka=true; fi
bash ops/kafka/kafka.sh start

echo "==> apps (logs in .local/logs/)"
# In sessions of their own, so Ctrl-C reaches only this script, which stops them in order.
setsid node dist/apps/simulator/apps/simulator/src/main.js >"$LOG_DIR/simulator.log" 2>&1 &
pids+=($!)
setsid node dist/apps/ingest/apps/ingest/src/main.js >"$LOG_DIR/ingest.log" 2>&1 &
pids+=($!)
setsid node dist/apps/aggregator/apps/aggregator/src/main.js >"$LOG_DIR/aggregator.log" 2>&1 &
pids+=($!)
export API_PORT="${API_PORT:-3000}"
setsid node dist/apps/api/apps/api/src/main.js >"$LOG_DIR/api.log" 2>&1 &
pids+=($!)
setsid node dist/apps/scheduler/apps/scheduler/src/main.js >"$LOG_DIR/scheduler.log" 2>&1 &
pids+=($!)
# An admin token for this run only, so the API can be tried at once: revoked when the run stops,
# and expiring within a day should the run be killed before it can revoke it.
admin_token_name="local-admin-$(date +%s)"
TOKEN=$(node dist/apps/admin/apps/admin/src/main.js create-token --name "$admin_token_name" --role admin --expires-in 1d 2>/dev/null)
echo "ingest, aggregator, api, scheduler and simulator running (${SIMULATOR_RATE} messages/s). Ctrl-C to stop."
echo "API: http://127.0.0.1:${API_PORT}/api/v1  (OpenAPI: http://127.0.0.1:${API_PORT}/docs)"
echo "review console: http://127.0.0.1:${API_PORT}/console/  (sign in with the token below)"
echo "admin token for this run (revoked when it stops): ${TOKEN}"
echo "  try: curl -H 'Authorization: Bearer ${TOKEN}' 'http://127.0.0.1:${API_PORT}/api/v1/flags?status=open'"

while true; do
  sleep 5
  for pid in "${pids[@]}"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "a process exited unexpectedly; last log lines:" >&2
      tail -n 20 "$LOG_DIR"/*.log >&2
      exit 1
    fi
  done
  node scripts/progress-line.js
done
