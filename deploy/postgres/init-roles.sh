#!/bin/sh
# PostgreSQL's first start (docker-entrypoint-initdb.d): one login role per service and a database it
# owns (chatroulette_<service>), which no other role may connect to. A service then creates its tables
# in its own database and cannot read another's. Passwords: POSTGRES_<SERVICE>_PASSWORD.
# Runs only when the data volume is new; for an existing volume run it once by hand
# (docker compose exec postgres sh /docker-entrypoint-initdb.d/init-roles.sh).
set -eu
for service in auth messages roulette media; do
  var="POSTGRES_$(echo "$service" | tr '[:lower:]' '[:upper:]')_PASSWORD"
  eval "password=\${$var:-}"
  if [ -z "$password" ]; then
    echo "init-roles: $var is not set" >&2
    exit 1
  fi
  psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname postgres \
    -v role="$service" -v password="$password" -v db="chatroulette_$service" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'role') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role')\gexec
ALTER ROLE :"role" WITH LOGIN PASSWORD :'password';
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'role') WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db')\gexec
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT ALL ON DATABASE :"db" TO :"role";
SQL
done
