#!/usr/bin/env bash
# Ensure the services needed by the test suite are running and provisioned:
#   * PostgreSQL on 127.0.0.1:5432 with role `zhicheng` (password `zhicheng`,
#     CREATEDB) and database `zhicheng` owned by it;
#   * Redis on 127.0.0.1:6379.
# Starts the servers if installed but stopped (no systemd needed). Idempotent:
# when everything is already up and provisioned it changes nothing.
# Install the servers first with `scripts/bootstrap.sh --test`.
#
# Environment: SERVICES_TIMEOUT (seconds to wait for each server, default 30).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

PG_HOST=127.0.0.1
PG_PORT=5432
PG_SOCKET_DIR=/var/run/postgresql
DB_NAME=zhicheng
DB_USER=zhicheng
DB_PASSWORD=zhicheng
REDIS_HOST=127.0.0.1
REDIS_PORT=6379
TIMEOUT="${SERVICES_TIMEOUT:-30}"
export PGCONNECT_TIMEOUT=5

log() { printf '==> %s\n' "$*"; }
die() { printf 'services: ERROR: %s\n' "$*" >&2; exit 1; }

IS_ROOT=0; [ "$(id -u)" -eq 0 ] && IS_ROOT=1
HAVE_SUDO=0; command -v sudo >/dev/null 2>&1 && HAVE_SUDO=1
# Run a command as root (directly, or through sudo). Returns 1 if impossible.
as_root() {
    if [ "$IS_ROOT" -eq 1 ]; then "$@"
    elif [ "$HAVE_SUDO" -eq 1 ]; then sudo "$@"
    else return 1
    fi
}

# wait_for <description> <command...>: retry until success or TIMEOUT seconds.
wait_for() {
    local what="$1"; shift
    local deadline=$((SECONDS + TIMEOUT))
    until "$@" >/dev/null 2>&1; do
        if [ "$SECONDS" -ge "$deadline" ]; then
            printf 'services: ERROR: %s not ready after %ss\n' "$what" "$TIMEOUT" >&2
            return 1
        fi
        sleep 0.5
    done
}

# --------------------------------------------------------------------------
# PostgreSQL server
# --------------------------------------------------------------------------
pg_ready() { pg_isready -q -h "$PG_HOST" -p "$PG_PORT"; }

command -v psql >/dev/null 2>&1 && command -v pg_isready >/dev/null 2>&1 \
    || die "PostgreSQL client tools not found: install the Debian package 'postgresql' (e.g. scripts/bootstrap.sh --test)"

if pg_ready; then
    log "PostgreSQL is running on $PG_HOST:$PG_PORT"
else
    pg_bin="$(ls -d /usr/lib/postgresql/*/bin/postgres 2>/dev/null | sort -V | tail -1 || true)"
    if [ -z "$pg_bin" ] || ! command -v pg_ctlcluster >/dev/null 2>&1; then
        die "PostgreSQL server is not installed: install the Debian package 'postgresql' (e.g. scripts/bootstrap.sh --test)"
    fi
    pg_ver="$(ls /etc/postgresql 2>/dev/null | sort -V | tail -1 || true)"
    if [ -z "$pg_ver" ] || [ ! -d "/etc/postgresql/$pg_ver/main" ]; then
        pg_ver="$(basename "$(dirname "$(dirname "$pg_bin")")")"
        log "No PostgreSQL cluster found; creating cluster $pg_ver/main"
        as_root pg_createcluster "$pg_ver" main \
            || die "could not create PostgreSQL cluster (need root or sudo): pg_createcluster $pg_ver main"
    fi
    log "Starting PostgreSQL cluster $pg_ver/main"
    # May report "already running" if it listens elsewhere; readiness is checked below.
    as_root pg_ctlcluster --skip-systemctl-redirect "$pg_ver" main start \
        || log "pg_ctlcluster start returned non-zero (need root or sudo?); waiting anyway"
    if ! wait_for "PostgreSQL ($PG_HOST:$PG_PORT)" pg_ready; then
        logf="/var/log/postgresql/postgresql-$pg_ver-main.log"
        [ -r "$logf" ] && tail -n 20 "$logf" >&2
        die "PostgreSQL did not become ready on $PG_HOST:$PG_PORT"
    fi
    log "PostgreSQL is up"
fi

# --------------------------------------------------------------------------
# PostgreSQL role and database
# --------------------------------------------------------------------------
app_psql() {
    PGPASSWORD="$DB_PASSWORD" psql -X -q -w -h "$PG_HOST" -p "$PG_PORT" \
        -U "$DB_USER" -d "$DB_NAME" -v ON_ERROR_STOP=1 "$@"
}

provisioned() {
    # Can log in with the password over TCP, has CREATEDB, and owns the database.
    local out
    out="$(app_psql -Atc "SELECT r.rolcreatedb AND d.datdba = r.oid
                          FROM pg_roles r, pg_database d
                          WHERE r.rolname = current_user AND d.datname = current_database()" 2>/dev/null)" \
        && [ "$out" = "t" ]
}

# Superuser psql, trying (in order): the postgres OS user over the Unix socket
# (Debian default: peer auth), then `-U postgres` over TCP (trust/.pgpass/PGPASSWORD).
SUPER_MODE=""
super_psql() {
    local args=(psql -X -q -w -p "$PG_PORT" -d postgres -v ON_ERROR_STOP=1)
    case "$SUPER_MODE" in
        runuser) (cd / && runuser -u postgres -- "${args[@]}" -h "$PG_SOCKET_DIR" "$@") ;;
        su)      (cd / && su -s /bin/sh postgres -c "$(printf '%q ' "${args[@]}" -h "$PG_SOCKET_DIR" "$@")") ;;
        sudo)    (cd / && sudo -n -u postgres "${args[@]}" -h "$PG_SOCKET_DIR" "$@") ;;
        tcp)     psql -X -q -w -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 "$@" ;;
        *)       return 1 ;;
    esac
}

find_super_mode() {
    local modes=() m
    if [ "$IS_ROOT" -eq 1 ]; then
        command -v runuser >/dev/null 2>&1 && modes+=(runuser)
        modes+=(su)
    elif [ "$HAVE_SUDO" -eq 1 ]; then
        modes+=(sudo)
    fi
    modes+=(tcp)
    for m in "${modes[@]}"; do
        SUPER_MODE="$m"
        if [ "$(super_psql -Atc 'SELECT 1' 2>/dev/null </dev/null)" = "1" ]; then
            return 0
        fi
    done
    SUPER_MODE=""
    return 1
}

if provisioned; then
    log "PostgreSQL role '$DB_USER' and database '$DB_NAME' already set up"
else
    find_super_mode || die "cannot connect to PostgreSQL as superuser 'postgres' (tried the postgres OS user over the socket and -U postgres over TCP). Create role '$DB_USER' (password '$DB_PASSWORD', CREATEDB) and database '$DB_NAME' owned by it manually."
    log "Provisioning role '$DB_USER' and database '$DB_NAME' (as postgres via $SUPER_MODE)"
    super_psql <<SQL
SELECT format('CREATE ROLE %I LOGIN CREATEDB PASSWORD %L', '$DB_USER', '$DB_PASSWORD')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_USER')
\gexec
ALTER ROLE "$DB_USER" LOGIN CREATEDB PASSWORD '$DB_PASSWORD';
SELECT format('CREATE DATABASE %I OWNER %I', '$DB_NAME', '$DB_USER')
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$DB_NAME')
\gexec
ALTER DATABASE "$DB_NAME" OWNER TO "$DB_USER";
SQL
    provisioned || die "role/database created, but cannot log in as '$DB_USER' with its password over TCP ($PG_HOST:$PG_PORT); check pg_hba.conf (needs md5/scram-sha-256 or trust for host connections)"
    log "PostgreSQL role and database ready"
fi

# --------------------------------------------------------------------------
# Redis
# --------------------------------------------------------------------------
command -v redis-cli >/dev/null 2>&1 \
    || die "redis-cli not found: install the Debian package 'redis-server' (e.g. scripts/bootstrap.sh --test)"

redis_ready() { [ "$(redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null)" = "PONG" ]; }

if redis_ready; then
    log "Redis is running on $REDIS_HOST:$REDIS_PORT"
else
    command -v redis-server >/dev/null 2>&1 \
        || die "Redis server is not installed: install the Debian package 'redis-server' (e.g. scripts/bootstrap.sh --test)"
    data_dir=/var/lib/redis
    log_dir=/var/log/redis
    run=(as_root)
    if ! as_root mkdir -p "$data_dir" "$log_dir" 2>/dev/null; then
        # Neither root nor sudo: run Redis as the current user inside the repo.
        data_dir="$ROOT/var/redis"; log_dir="$ROOT/var/redis"
        mkdir -p "$data_dir"
        run=()
    fi
    log "Starting Redis on $REDIS_HOST:$REDIS_PORT"
    "${run[@]}" redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" \
        --save "" --appendonly no --dir "$data_dir" --logfile "$log_dir/ci.log" \
        || die "could not start redis-server"
    if ! wait_for "Redis ($REDIS_HOST:$REDIS_PORT)" redis_ready; then
        as_root tail -n 20 "$log_dir/ci.log" >&2 2>/dev/null || true
        die "Redis did not become ready on $REDIS_HOST:$REDIS_PORT"
    fi
    log "Redis is up"
fi

log "Services ready: postgres://$DB_USER:***@$PG_HOST:$PG_PORT/$DB_NAME, redis://$REDIS_HOST:$REDIS_PORT/0"
