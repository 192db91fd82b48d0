#!/usr/bin/env bash
# Makes sure the local PostgreSQL answers on 127.0.0.1:5432, starting the Debian cluster if needed.
set -euo pipefail
host=127.0.0.1
port=5432
answers() { node -e "
  const s=require('net').connect($port,'$host');
  s.setTimeout(2000,()=>process.exit(1)); s.on('connect',()=>{s.end();process.exit(0)}); s.on('error',()=>process.exit(1));"; }
if answers; then exit 0; fi
if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
  version=$(ls /etc/postgresql | sort -V | tail -1)
  echo "starting PostgreSQL $version" >&2
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
  for _ in $(seq 1 30); do answers && exit 0; sleep 1; done
fi
echo "PostgreSQL does not answer on $host:$port: start it, or point DATABASE_OWNER_URL, DATABASE_URL, TEST_POSTGRES_URL and TEST_APP_POSTGRES_URL elsewhere" >&2
exit 1
