#!/bin/sh
# Run once by the postgres image on a fresh volume: the login the apps connect with. The migrate
# service, as the owner, grants it what each table allows (decision 0033); it owns nothing.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v password="$APP_ROLE_PASSWORD" <<'SQL'
CREATE ROLE abuse_monitor_app LOGIN PASSWORD :'password';
SQL
