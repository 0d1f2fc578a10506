#!/usr/bin/env bash
# PostgreSQL on loopback for the test suite: installs Debian's server when it is missing (as root),
# starts the cluster on PG_PORT (5432) when it is down, and creates the role and the database when
# they are missing, so DATABASE_URL=postgres://playground:secret@127.0.0.1:5432/playground works.
# Idempotent. Prints "<started|running> <version> <cluster>": the caller stops only what it started.
set -euo pipefail
port="${PG_PORT:-5432}"
role="${PG_ROLE:-playground}"
password="${PG_PASSWORD:-secret}"
database="${PG_DATABASE:-playground}"

as_root_or_fail() {
  if [ "$(id -u)" != 0 ]; then
    echo "$1 needs root: run 'sudo bash $0', or point DATABASE_URL at a PostgreSQL you have." >&2
    exit 1
  fi
}

if ! command -v pg_lsclusters >/dev/null 2>&1; then
  as_root_or_fail "Installing PostgreSQL"
  echo "Installing Debian's postgresql…" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi

# The cluster that owns the port; a fresh install has created "<version> main" on 5432.
read -r version cluster status < <(pg_lsclusters --no-header | awk -v port="$port" '$3 == port { print $1, $2, $4; exit }') || true
if [ -z "${version:-}" ]; then
  as_root_or_fail "Creating a PostgreSQL cluster"
  version="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
  cluster=main
  if pg_lsclusters --no-header | awk '{ print $1, $2 }' | grep -qx "$version $cluster"; then
    echo "Cluster $version/$cluster exists but is not on port $port; set PG_PORT to its port." >&2
    exit 1
  fi
  pg_createcluster --port "$port" "$version" "$cluster" >&2
  status=down
fi

state=running
if [ "$status" != online ]; then
  as_root_or_fail "Starting PostgreSQL"
  pg_ctlcluster "$version" "$cluster" start
  state=started
fi
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p "$port" && break
  sleep 1
done

# Role and database, created only when missing; the password is (re)set so the URL always works.
if ! PGPASSWORD="$password" psql -h 127.0.0.1 -p "$port" -U "$role" -d "$database" -tAc 'SELECT 1' >/dev/null 2>&1; then
  as_root_or_fail "Creating the role and database"
  (cd / && runuser -u postgres -- psql -p "$port" -v ON_ERROR_STOP=1 -q -v role="$role" -v password="$password" -v database="$database") >&2 <<'SQL'
SELECT format('CREATE ROLE %I', :'role') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('ALTER ROLE %I LOGIN PASSWORD %L', :'role', :'password') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'database', :'role') WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'database') \gexec
SQL
  PGPASSWORD="$password" psql -h 127.0.0.1 -p "$port" -U "$role" -d "$database" -tAc 'SELECT 1' >/dev/null
fi
echo "$state $version $cluster"
