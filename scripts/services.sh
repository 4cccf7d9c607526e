#!/usr/bin/env bash
# scripts/services.sh — run a command with PostgreSQL and Redis available.
#
#   bash scripts/services.sh <command> [args...]
#
# Makes sure PostgreSQL and Redis are reachable, exports DATABASE_URL and
# REDIS_URL, runs <command> as a child process, then stops whatever this script
# started and exits with the command's exit status.
#
# * DATABASE_URL already set -> it is used as is and no PostgreSQL is started.
#   REDIS_URL already set    -> it is used as is and no Redis is started.
# * Otherwise a project-local PostgreSQL cluster (<repo>/.local/pg) and Redis
#   (<repo>/.local/redis) are started on 127.0.0.1 and stopped again at the end.
#
# Settings (environment):
#   COUPONS_PG_PORT     PostgreSQL port           (default 55432)
#   COUPONS_REDIS_PORT  Redis port                (default 56379)
#   COUPONS_DB_NAME     database to create/use    (default coupons)
#   COUPONS_PG_BIN_DIR  directory with pg_ctl/initdb/postgres (auto-detected)
#   COUPONS_LOCAL_DIR   state directory           (default <repo>/.local)
#
# Exported to the command (in addition to DATABASE_URL / REDIS_URL):
#   COUPONS_PG_BIN_DIR, COUPONS_PG_DATA, COUPONS_PG_PORT, COUPONS_PG_SOCKET_DIR,
#   COUPONS_REDIS_PORT, COUPONS_REDIS_DIR, COUPONS_REDIS_PIDFILE,
#   COUPONS_REDIS_SERVER_BIN, COUPONS_REDIS_CONF_ARGS, COUPONS_REDIS_START_CMD
# (the PG_DATA/PG_PORT/PG_SOCKET_DIR and REDIS_* ones only when this script
# manages that server). COUPONS_REDIS_START_CMD is an executable script
# (.local/redis/start-cmd) that restarts the same Redis (daemonized) exactly as
# it was started here, e.g. after a test killed it.
#
# Signals: SIGINT/SIGTERM/SIGHUP received while the command runs are forwarded
# to the command's process group (it runs in its own group), then this script
# waits for that group to exit before stopping the servers.
# Only one run per state directory at a time (flock on .local/services.lock).
# Crash recovery: servers left running by a killed earlier run on the same
# data dirs are stopped and started fresh; stale pid files are removed.
#
# Status lines go to stderr, prefixed with [services].

# Functions called only from traps look unreachable to shellcheck:
# shellcheck disable=SC2317
set -euo pipefail

log() { printf '[services] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

if [ "$#" -eq 0 ]; then
  echo "usage: bash scripts/services.sh <command> [args...]" >&2
  exit 2
fi

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd -P)"

PG_PORT="${COUPONS_PG_PORT:-55432}"
REDIS_PORT="${COUPONS_REDIS_PORT:-56379}"
DB_NAME="${COUPONS_DB_NAME:-coupons}"
DB_USER="coupons"
START_TIMEOUT=60   # seconds to wait for a server to become ready
STOP_TIMEOUT=30    # seconds to wait for a server to stop

case "$PG_PORT" in ''|*[!0-9]*) die "COUPONS_PG_PORT must be a port number (got '$PG_PORT')";; esac
case "$REDIS_PORT" in ''|*[!0-9]*) die "COUPONS_REDIS_PORT must be a port number (got '$REDIS_PORT')";; esac
[[ "$DB_NAME" =~ ^[A-Za-z_][A-Za-z0-9_-]*$ ]] \
  || die "COUPONS_DB_NAME must match [A-Za-z_][A-Za-z0-9_-]* (got '$DB_NAME')"

IS_ROOT=0
[ "$(id -u)" -eq 0 ] && IS_ROOT=1
PG_OS_USER="postgres"   # only used when running as root

NEED_PG=0
NEED_REDIS=0
[ -z "${DATABASE_URL:-}" ] && NEED_PG=1
[ -z "${REDIS_URL:-}" ] && NEED_REDIS=1

# State of this run (used by the traps).
PG_STARTED=0
REDIS_STARTED=0
CHILD_PID=""
CHILD_PGID=""   # = CHILD_PID when the command runs in its own process group
SIG_COUNT=0
POLICY_RC_CREATED=0

# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------

# Is something accepting TCP connections on 127.0.0.1:$1 ?
port_in_use() {
  # shellcheck disable=SC2016  # $1 is expanded by the inner bash
  timeout 3 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"' _ "$1" 2>/dev/null
}

# One line describing who listens on port $1 (best effort).
port_owner() {
  if command -v ss >/dev/null 2>&1; then
    ss -Hltnp "sport = :$1" 2>/dev/null | head -n 1 | tr -s ' ' || true
  fi
}

# Is pid $1 running? A zombie counts as gone (daemons are reparented to init,
# which may be slow to reap them, e.g. in containers).
pid_alive() {
  local key val _
  [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null || return 1
  if [ -r "/proc/$1/status" ]; then
    while read -r key val _; do
      # explicit status: a bare 'return' inside a trap handler would return
      # the status from before the trap
      if [ "$key" = "State:" ]; then
        if [ "$val" = "Z" ]; then return 1; else return 0; fi
      fi
    done <"/proc/$1/status" 2>/dev/null
  fi
  return 0
}

proc_comm() { cat "/proc/$1/comm" 2>/dev/null || true; }
proc_cwd() { readlink "/proc/$1/cwd" 2>/dev/null || true; }

# Wait up to $2 seconds for pid $1 to disappear. Returns 1 on timeout.
wait_pid_gone() {
  local pid=$1 deadline=$((SECONDS + $2))
  while pid_alive "$pid"; do
    [ "$SECONDS" -ge "$deadline" ] && return 1
    sleep 0.1
  done
  return 0
}

# Does process group $1 still have a live (non-zombie) member?
group_alive() {
  local pg=$1 f line rest state
  if [ ! -d /proc/self ]; then
    kill -0 -- "-$pg" 2>/dev/null
    return $?
  fi
  for f in /proc/[0-9]*/stat; do
    { read -r line <"$f"; } 2>/dev/null || continue
    rest="${line##*) }"          # "state ppid pgrp ..."
    state="${rest%% *}"
    rest="${rest#* }"; rest="${rest#* }"
    if [ "${rest%% *}" = "$pg" ] && [ "$state" != "Z" ]; then
      return 0
    fi
  done
  return 1
}

# ---------------------------------------------------------------------------
# PostgreSQL
# ---------------------------------------------------------------------------

pg_bin_ok() { [ -x "$1/pg_ctl" ] && [ -x "$1/initdb" ] && [ -x "$1/postgres" ]; }

find_pg_bin_dir() {
  local c d
  if [ -n "${COUPONS_PG_BIN_DIR:-}" ]; then
    pg_bin_ok "$COUPONS_PG_BIN_DIR" && { echo "$COUPONS_PG_BIN_DIR"; return 0; }
    log "warning: COUPONS_PG_BIN_DIR=$COUPONS_PG_BIN_DIR has no pg_ctl/initdb/postgres; auto-detecting"
  fi
  if c="$(command -v pg_ctl 2>/dev/null)"; then
    d="$(dirname "$(readlink -f "$c")")"
    pg_bin_ok "$d" && { echo "$d"; return 0; }
  fi
  if c="$(command -v pg_config 2>/dev/null)"; then
    d="$(pg_config --bindir 2>/dev/null || true)"
    [ -n "$d" ] && pg_bin_ok "$d" && { echo "$d"; return 0; }
  fi
  while IFS= read -r d; do
    pg_bin_ok "$d" && { echo "$d"; return 0; }
  done < <(printf '%s\n' /usr/lib/postgresql/*/bin | sort -t/ -k4,4 -V -r)
  return 1
}

# Run a command as the user that owns the cluster (postgres when we are root),
# from inside the cluster directory, without the lock file descriptor.
run_pg() {
  if [ "$IS_ROOT" -eq 1 ]; then
    (cd "$PG_DIR" && exec runuser -u "$PG_OS_USER" -- "$@") 9>&-
  else
    (cd "$PG_DIR" && exec "$@") 9>&-
  fi
}

pg_tool() {  # path of a client tool: bin dir first, then PATH
  if [ -x "$PG_BIN_DIR/$1" ]; then echo "$PG_BIN_DIR/$1"; else command -v "$1"; fi
}

# Processes named postgres whose working directory is our data dir
# (a postmaster chdirs into its data directory; so do its children).
our_postgres_pids() {
  local p pid
  [ -d /proc/self ] || return 0
  for p in /proc/[0-9]*; do
    pid="${p#/proc/}"
    [ "$(proc_comm "$pid")" = "postgres" ] || continue
    [ "$(proc_cwd "$pid")" = "$PG_DATA_REAL" ] && echo "$pid"
  done
  return 0
}

# Is $1 the postmaster of our data dir?
is_our_postmaster() {
  local pid=$1
  pid_alive "$pid" || return 1
  if [ -d /proc/self ]; then
    [ "$(proc_comm "$pid")" = "postgres" ] && [ "$(proc_cwd "$pid")" = "$PG_DATA_REAL" ]
  else
    run_pg "$PG_BIN_DIR/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1
  fi
}

# Recover from an earlier run that did not shut down cleanly.
pg_recover_previous_run() {
  local pidfile="$PG_DATA/postmaster.pid" pid leftovers
  [ -f "$pidfile" ] || return 0
  pid="$(head -n 1 "$pidfile" 2>/dev/null | tr -dc '0-9')"
  if [ -n "$pid" ] && is_our_postmaster "$pid"; then
    log "PostgreSQL from an earlier run is still running on this data dir (pid $pid); stopping it (fast)"
    if ! run_pg "$PG_BIN_DIR/pg_ctl" -D "$PG_DATA" -m fast -w -t "$STOP_TIMEOUT" stop >/dev/null 2>&1; then
      log "fast stop failed; trying immediate stop"
      run_pg "$PG_BIN_DIR/pg_ctl" -D "$PG_DATA" -m immediate -w -t "$STOP_TIMEOUT" stop >/dev/null 2>&1 \
        || kill -KILL "$pid" 2>/dev/null || true
    fi
    wait_pid_gone "$pid" "$STOP_TIMEOUT" || die "could not stop the old PostgreSQL (pid $pid)"
  else
    log "removing stale postmaster.pid (pid ${pid:-?} is not a running PostgreSQL of this cluster)"
    rm -f "$pidfile"
  fi
  # Backends orphaned by a killed postmaster keep the shared memory in use.
  leftovers="$(our_postgres_pids)"
  if [ -n "$leftovers" ]; then
    log "killing leftover PostgreSQL processes of this cluster: ${leftovers//$'\n'/ }"
    # shellcheck disable=SC2086
    kill -KILL $leftovers 2>/dev/null || true
    for pid in $leftovers; do wait_pid_gone "$pid" 10 || true; done
  fi
  rm -f "$PG_RUN"/.s.PGSQL.* 2>/dev/null || true
  rm -f "$pidfile"
  # verify: pg_ctl must now consider the cluster stopped
  if run_pg "$PG_BIN_DIR/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
    die "pg_ctl still reports a server running on $PG_DATA; stop it manually"
  fi
}

pg_setup() {
  PG_BIN_DIR="$(find_pg_bin_dir)" \
    || die "PostgreSQL server binaries (pg_ctl, initdb, postgres) not found; install postgresql-15 or set COUPONS_PG_BIN_DIR, or set DATABASE_URL"
  PG_DIR="$LOCAL_DIR/pg"
  PG_DATA="$PG_DIR/data"
  PG_RUN="$PG_DIR/run"
  PG_LOG_DIR="$PG_DIR/log"
  PG_LOG="$PG_LOG_DIR/postgres.log"
  PG_MARKER="$PG_DIR/.initdb-done"
  local psql pg_isready major have_major sock_dir deadline out

  psql="$(pg_tool psql)" || die "psql not found (expected in $PG_BIN_DIR or on PATH)"
  pg_isready="$(pg_tool pg_isready)" || die "pg_isready not found (expected in $PG_BIN_DIR or on PATH)"

  if [ "$IS_ROOT" -eq 1 ]; then
    id -u "$PG_OS_USER" >/dev/null 2>&1 \
      || die "running as root but there is no '$PG_OS_USER' user to run PostgreSQL as (initdb refuses root)"
    # PostgreSQL runs as $PG_OS_USER, which must be able to reach .local/pg.
    if ! runuser -u "$PG_OS_USER" -- test -x "$(dirname "$LOCAL_DIR")" 2>/dev/null; then
      die "the '$PG_OS_USER' user cannot reach $(dirname "$LOCAL_DIR") (a directory on that path is not traversable, e.g. /root is 0700), so PostgreSQL cannot keep its data in $LOCAL_DIR/pg. Move the repo elsewhere (e.g. /work or /srv), 'chmod o+x' the parent directories, set COUPONS_LOCAL_DIR to a directory '$PG_OS_USER' can reach, or set DATABASE_URL to an existing server."
    fi
    if ! runuser -u "$PG_OS_USER" -- test -x "$LOCAL_DIR" 2>/dev/null; then
      chmod o+x "$LOCAL_DIR"   # search permission only; file modes inside are unchanged
    fi
  fi
  mkdir -p "$PG_DIR" "$PG_RUN" "$PG_LOG_DIR"
  if [ "$IS_ROOT" -eq 1 ]; then
    if [ "$(stat -c %U "$PG_DIR")" != "$PG_OS_USER" ] || { [ -e "$PG_DATA" ] && [ "$(stat -c %U "$PG_DATA")" != "$PG_OS_USER" ]; }; then
      chown -R "$PG_OS_USER:" "$PG_DIR"
    fi
    chown "$PG_OS_USER:" "$PG_RUN" "$PG_LOG_DIR"
    runuser -u "$PG_OS_USER" -- test -w "$PG_DIR" \
      || die "the '$PG_OS_USER' user cannot write to $PG_DIR"
  fi
  PG_DATA_REAL="$(readlink -f "$PG_DATA")"

  major="$("$PG_BIN_DIR/postgres" -V | sed -E 's/^[^0-9]*([0-9]+).*/\1/')"

  # --- initialize the cluster if needed ------------------------------------
  if [ -f "$PG_DATA/PG_VERSION" ] && [ -f "$PG_MARKER" ]; then
    have_major="$(cat "$PG_DATA/PG_VERSION")"
    [ "$have_major" = "$major" ] \
      || die "$PG_DATA was created by PostgreSQL $have_major but the binaries in $PG_BIN_DIR are version $major; delete $PG_DIR (its data is lost) or set COUPONS_PG_BIN_DIR"
    pg_recover_previous_run
  else
    if [ -f "$PG_DATA/postmaster.pid" ]; then
      pg_recover_previous_run   # never wipe under a running server
    fi
    if [ -e "$PG_DATA" ]; then
      log "wiping incomplete PostgreSQL data dir $PG_DATA"
      rm -rf "$PG_DATA"
    fi
    rm -f "$PG_MARKER"
    log "initializing PostgreSQL $major cluster in $PG_DATA"
    if ! run_pg "$PG_BIN_DIR/initdb" -D "$PG_DATA" -U postgres --auth=trust \
        --encoding=UTF8 --locale=C >"$PG_LOG_DIR/initdb.log" 2>&1; then
      tail -n 20 "$PG_LOG_DIR/initdb.log" >&2 || true
      die "initdb failed (full log: $PG_LOG_DIR/initdb.log)"
    fi
    # Our settings live in coupons.conf (rewritten on every start).
    printf "\n# project settings, written by scripts/services.sh\ninclude_if_exists = 'coupons.conf'\n" >>"$PG_DATA/postgresql.conf"
    touch "$PG_MARKER"
  fi

  # --- settings --------------------------------------------------------------
  # Unix socket paths are limited to ~107 bytes; without a socket everything
  # still works over TCP (DATABASE_URL uses 127.0.0.1 anyway).
  sock_dir="$PG_RUN"
  if [ "${#PG_RUN}" -gt 90 ]; then
    log "warning: $PG_RUN is too long for a unix socket path; PostgreSQL will listen on TCP only"
    sock_dir=""
  fi
  cat >"$PG_DATA/coupons.conf" <<EOF
# Written by scripts/services.sh on every start; edits are overwritten.
# Local development cluster: loopback only, trust auth (see pg_hba.conf).
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '${sock_dir//\'/\'\'}'
max_connections = 200
shared_buffers = 256MB
fsync = on
log_line_prefix = '%m [%p] %q%u@%d '
EOF
  [ "$IS_ROOT" -eq 1 ] && chown "$PG_OS_USER:" "$PG_DATA/coupons.conf"

  # --- start -------------------------------------------------------------------
  if port_in_use "$PG_PORT"; then
    die "port $PG_PORT on 127.0.0.1 is already in use by something that is not this project's PostgreSQL ($(port_owner "$PG_PORT")). Set COUPONS_PG_PORT to a free port, or set DATABASE_URL to use an existing server."
  fi
  # keep the server log from growing forever
  if [ -f "$PG_LOG" ] && [ "$(stat -c %s "$PG_LOG")" -gt $((20 * 1024 * 1024)) ]; then
    mv -f "$PG_LOG" "$PG_LOG.1"
  fi
  log "starting PostgreSQL on 127.0.0.1:$PG_PORT (log: $PG_LOG)"
  PG_STARTED=1
  if ! out="$(run_pg "$PG_BIN_DIR/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t "$START_TIMEOUT" start 2>&1)"; then
    printf '%s\n' "$out" >&2
    log "last lines of $PG_LOG:"
    tail -n 20 "$PG_LOG" >&2 || true
    die "PostgreSQL failed to start"
  fi
  deadline=$((SECONDS + START_TIMEOUT))
  until "$pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -t 2 >/dev/null 2>&1; do
    [ "$SECONDS" -ge "$deadline" ] && die "PostgreSQL did not become ready within ${START_TIMEOUT}s (see $PG_LOG)"
    sleep 0.1
  done

  # --- role + database (idempotent) -------------------------------------------
  if ! out="$("$psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres \
      -v dbname="$DB_NAME" -v dbuser="$DB_USER" 2>&1 <<'SQL'
SELECT format('CREATE ROLE %I LOGIN SUPERUSER', :'dbuser')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'dbuser') \gexec
SELECT format('ALTER ROLE %I LOGIN SUPERUSER', :'dbuser')
 WHERE EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'dbuser' AND NOT (rolsuper AND rolcanlogin)) \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'dbname', :'dbuser')
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'dbname') \gexec
SQL
  )"; then
    printf '%s\n' "$out" >&2
    die "could not create role '$DB_USER' / database '$DB_NAME'"
  fi

  export DATABASE_URL="postgres://$DB_USER@127.0.0.1:$PG_PORT/$DB_NAME"
  export COUPONS_PG_BIN_DIR="$PG_BIN_DIR"
  export COUPONS_PG_DATA="$PG_DATA"
  export COUPONS_PG_PORT="$PG_PORT"
  export COUPONS_PG_SOCKET_DIR="$sock_dir"
  log "PostgreSQL ready: $DATABASE_URL"
}

pg_stop() {
  [ "$PG_STARTED" -eq 1 ] || return 0
  [ -f "$PG_DATA/postmaster.pid" ] || return 0
  log "stopping PostgreSQL"
  if ! run_pg "$PG_BIN_DIR/pg_ctl" -D "$PG_DATA" -m fast -w -t "$STOP_TIMEOUT" stop >/dev/null 2>&1; then
    log "fast stop failed; using immediate stop"
    run_pg "$PG_BIN_DIR/pg_ctl" -D "$PG_DATA" -m immediate -w -t "$STOP_TIMEOUT" stop >/dev/null 2>&1 \
      || log "warning: could not stop PostgreSQL (data dir $PG_DATA)"
  fi
}

# ---------------------------------------------------------------------------
# Redis
# ---------------------------------------------------------------------------

restore_policy_rc() {
  if [ "$POLICY_RC_CREATED" -eq 1 ]; then
    rm -f /usr/sbin/policy-rc.d
    POLICY_RC_CREATED=0
  fi
}

ensure_redis_installed() {
  if command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1; then
    return 0
  fi
  if [ "$IS_ROOT" -ne 1 ]; then
    die "redis-server is not installed. Install it (Debian/Ubuntu: 'sudo apt-get install -y redis-server'; macOS: 'brew install redis') or set REDIS_URL to an existing Redis."
  fi
  command -v apt-get >/dev/null 2>&1 \
    || die "redis-server is not installed and apt-get is not available; install Redis >= 6 or set REDIS_URL"
  local aptlog="$LOCAL_DIR/apt-redis.log"
  log "redis-server not found; installing it with apt-get (log: $aptlog)"
  # Do not let the package start the system-wide redis on port 6379.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 0755 /usr/sbin/policy-rc.d
    POLICY_RC_CREATED=1
  fi
  if ! { DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=120 update \
         && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=120 install -y redis-server; } \
       >"$aptlog" 2>&1 9>&-; then
    restore_policy_rc
    tail -n 20 "$aptlog" >&2 || true
    die "apt-get install redis-server failed (see $aptlog)"
  fi
  restore_policy_rc
  hash -r
  if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then
    die "redis-server/redis-cli still not on PATH after installing"
  fi
  log "installed $(redis-server --version | cut -d' ' -f1-3)"
}

rcli() { timeout 5 "$REDIS_CLI" -h 127.0.0.1 -p "$REDIS_PORT" "$@" 2>/dev/null; }

# Is $1 a redis-server running in our Redis dir?
is_our_redis_pid() {
  local pid=$1
  pid_alive "$pid" || return 1
  if [ -d /proc/self ]; then
    case "$(proc_comm "$pid")" in redis-server*|redis-check*) ;; *) return 1;; esac
    [ "$(proc_cwd "$pid")" = "$REDIS_DIR_REAL" ]
  else
    return 0
  fi
}

# Does the Redis on our port use our data dir?
redis_on_port_is_ours() {
  local dir
  dir="$(rcli config get dir | sed -n 2p || true)"
  [ -n "$dir" ] && [ "$(readlink -f "$dir" 2>/dev/null || echo "$dir")" = "$REDIS_DIR_REAL" ]
}

# Shut down the Redis that runs in our dir (pid $1, may be empty).
redis_shutdown_ours() {
  local pid=${1:-}
  if redis_on_port_is_ours; then
    rcli shutdown nosave >/dev/null || true
  elif [ -n "$pid" ]; then
    kill -TERM "$pid" 2>/dev/null || true
  fi
  if [ -n "$pid" ] && ! wait_pid_gone "$pid" "$STOP_TIMEOUT"; then
    log "Redis (pid $pid) did not stop; killing it"
    kill -KILL "$pid" 2>/dev/null || true
    wait_pid_gone "$pid" 10 || true
  fi
  if [ -z "$pid" ]; then   # no pid known: wait for the port to close
    local deadline=$((SECONDS + STOP_TIMEOUT))
    while port_in_use "$REDIS_PORT" && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.1; done
  fi
}

redis_recover_previous_run() {
  local pid=""
  if [ -f "$REDIS_PIDFILE" ]; then
    pid="$(tr -dc '0-9' <"$REDIS_PIDFILE" 2>/dev/null || true)"
    if [ -n "$pid" ] && is_our_redis_pid "$pid"; then
      log "Redis from an earlier run is still running (pid $pid); shutting it down"
      redis_shutdown_ours "$pid"
    else
      log "removing stale Redis pidfile (pid ${pid:-?} is not running)"
    fi
    rm -f "$REDIS_PIDFILE"
  fi
  # Our Redis without a pidfile (e.g. pidfile deleted by hand)?
  if port_in_use "$REDIS_PORT" && redis_on_port_is_ours; then
    log "Redis using $REDIS_DIR is already running on port $REDIS_PORT; shutting it down"
    redis_shutdown_ours ""
  fi
}

redis_setup() {
  ensure_redis_installed
  REDIS_SERVER="$(command -v redis-server)"
  REDIS_CLI="$(command -v redis-cli)"
  REDIS_DIR="$LOCAL_DIR/redis"
  REDIS_PIDFILE="$REDIS_DIR/redis.pid"
  REDIS_LOG="$REDIS_DIR/redis.log"
  REDIS_START_CMD="$REDIS_DIR/start-cmd"
  mkdir -p "$REDIS_DIR"
  REDIS_DIR_REAL="$(readlink -f "$REDIS_DIR")"

  redis_recover_previous_run

  if port_in_use "$REDIS_PORT"; then
    die "port $REDIS_PORT on 127.0.0.1 is already in use by something that is not this project's Redis ($(port_owner "$REDIS_PORT")). Set COUPONS_REDIS_PORT to a free port, or set REDIS_URL to use an existing Redis."
  fi

  if [ -f "$REDIS_LOG" ] && [ "$(stat -c %s "$REDIS_LOG")" -gt $((20 * 1024 * 1024)) ]; then
    mv -f "$REDIS_LOG" "$REDIS_LOG.1"
  fi

  local args=(
    --bind 127.0.0.1
    --port "$REDIS_PORT"
    --protected-mode yes
    --dir "$REDIS_DIR"
    --appendonly yes
    --save ''
    --maxmemory-policy noeviction
    --daemonize yes
    --pidfile "$REDIS_PIDFILE"
    --logfile "$REDIS_LOG"
  )
  # Helper a test can run to restart this exact Redis (it daemonizes).
  {
    echo '#!/usr/bin/env bash'
    echo '# Written by scripts/services.sh: restarts the project-local Redis exactly as it was started.'
    printf 'exec'
    printf ' %q' "$REDIS_SERVER" "${args[@]}"
    printf '\n'
  } >"$REDIS_START_CMD"
  chmod 0755 "$REDIS_START_CMD"

  log "starting Redis on 127.0.0.1:$REDIS_PORT (log: $REDIS_LOG)"
  REDIS_STARTED=1
  "$REDIS_SERVER" "${args[@]}" 9>&- </dev/null >/dev/null 2>>"$REDIS_LOG" \
    || { tail -n 20 "$REDIS_LOG" >&2 || true; die "redis-server failed to start"; }

  local deadline=$((SECONDS + START_TIMEOUT)) pong
  while :; do
    pong="$(rcli ping || true)"
    [ "$pong" = "PONG" ] && break
    if [ "$SECONDS" -ge "$deadline" ]; then
      tail -n 20 "$REDIS_LOG" >&2 || true
      die "Redis did not answer PING within ${START_TIMEOUT}s (see $REDIS_LOG)"
    fi
    sleep 0.1
  done

  export REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
  export COUPONS_REDIS_PORT="$REDIS_PORT"
  export COUPONS_REDIS_DIR="$REDIS_DIR"
  export COUPONS_REDIS_PIDFILE="$REDIS_PIDFILE"
  export COUPONS_REDIS_SERVER_BIN="$REDIS_SERVER"
  COUPONS_REDIS_CONF_ARGS="$(printf '%q ' "${args[@]}")"
  export COUPONS_REDIS_CONF_ARGS="${COUPONS_REDIS_CONF_ARGS% }"
  export COUPONS_REDIS_START_CMD="$REDIS_START_CMD"
  log "Redis ready: $REDIS_URL"
}

redis_stop() {
  [ "$REDIS_STARTED" -eq 1 ] || return 0
  local pid=""
  [ -f "$REDIS_PIDFILE" ] && pid="$(tr -dc '0-9' <"$REDIS_PIDFILE" 2>/dev/null || true)"
  if [ -n "$pid" ] && ! is_our_redis_pid "$pid"; then pid=""; fi
  if [ -z "$pid" ] && ! redis_on_port_is_ours; then
    return 0   # already gone
  fi
  log "stopping Redis"
  redis_shutdown_ours "$pid"
  rm -f "$REDIS_PIDFILE"
}

# ---------------------------------------------------------------------------
# lock: one services.sh run per state directory at a time
# ---------------------------------------------------------------------------

acquire_lock() {
  local lockfile="$LOCAL_DIR/services.lock" owner
  if ! command -v flock >/dev/null 2>&1; then
    log "warning: flock not found; not guarding against concurrent runs"
    return 0
  fi
  exec 9<>"$lockfile"
  if ! flock -n 9; then
    owner="$(tr -dc '0-9' <"$lockfile" 2>/dev/null || true)"
    die "another scripts/services.sh run (pid ${owner:-?}) is using $LOCAL_DIR (e.g. scripts/start.sh). Stop it first, or reuse its servers by exporting its DATABASE_URL and REDIS_URL, or use COUPONS_LOCAL_DIR + COUPONS_PG_PORT + COUPONS_REDIS_PORT for a separate set."
  fi
  printf '%s\n' "$$" >"$lockfile"
}

# ---------------------------------------------------------------------------
# traps
# ---------------------------------------------------------------------------

on_signal() {
  local sig=$1 num=$2
  SIG_COUNT=$((SIG_COUNT + 1))
  if [ -n "$CHILD_PID" ]; then
    # The command's whole process group gets the signal, as with a terminal
    # Ctrl-C: 'npm run' does not pass signals on to the 'sh -c' it starts.
    if [ -n "$CHILD_PGID" ]; then
      log "got SIG$sig; forwarding it to the command (process group $CHILD_PGID)"
      kill -s "$sig" -- "-$CHILD_PGID" 2>/dev/null || true
    elif pid_alive "$CHILD_PID"; then
      log "got SIG$sig; forwarding it to the command (pid $CHILD_PID)"
      kill -s "$sig" "$CHILD_PID" 2>/dev/null || true
    fi
  else
    log "got SIG$sig during setup; cleaning up"
    exit $((128 + num))
  fi
}

on_exit() {
  local rc=$?
  trap '' INT TERM HUP
  trap - EXIT
  set +e
  restore_policy_rc
  redis_stop
  pg_stop
  exit "$rc"
}

trap on_exit EXIT
trap 'on_signal INT 2' INT
trap 'on_signal TERM 15' TERM
trap 'on_signal HUP 1' HUP

# ---------------------------------------------------------------------------
# main
# ---------------------------------------------------------------------------

if [ "$NEED_PG" -eq 1 ] || [ "$NEED_REDIS" -eq 1 ]; then
  LOCAL_DIR="${COUPONS_LOCAL_DIR:-$REPO_ROOT/.local}"
  mkdir -p "$LOCAL_DIR"
  LOCAL_DIR="$(cd "$LOCAL_DIR" && pwd -P)"
  acquire_lock
fi

# Check/install Redis first so a missing Redis fails before PostgreSQL starts.
[ "$NEED_REDIS" -eq 1 ] && ensure_redis_installed

if [ "$NEED_PG" -eq 1 ]; then
  pg_setup
else
  log "DATABASE_URL is set; using it (not starting PostgreSQL)"
  if [ -z "${COUPONS_PG_BIN_DIR:-}" ] || ! pg_bin_ok "$COUPONS_PG_BIN_DIR"; then
    if d="$(find_pg_bin_dir)"; then export COUPONS_PG_BIN_DIR="$d"; fi
  fi
fi

if [ "$NEED_REDIS" -eq 1 ]; then
  redis_setup
else
  log "REDIS_URL is set; using it (not starting Redis)"
fi

cmd_text="$*"
cmd_text="${cmd_text//$'\n'/ }"
[ "${#cmd_text}" -gt 120 ] && cmd_text="${cmd_text:0:117}..."
log "running: $cmd_text"
# The command runs in its own process group (set -m): a terminal Ctrl-C then
# reaches only this script, which forwards it once to that group; job control
# also keeps SIGINT from being ignored in the command. fd 9 (the lock) is not
# passed on.
set -m
"$@" 9>&- &
CHILD_PID=$!
set +m
# set -m makes the child a process group leader; double-check when we can.
CHILD_PGID="$CHILD_PID"
if { read -r stat_line <"/proc/$CHILD_PID/stat"; } 2>/dev/null; then
  stat_rest="${stat_line##*) }"; stat_rest="${stat_rest#* }"; stat_rest="${stat_rest#* }"
  [ "${stat_rest%% *}" = "$CHILD_PID" ] || CHILD_PGID=""
fi

rc=0
while :; do
  seen=$SIG_COUNT
  rc=0
  wait "$CHILD_PID" || rc=$?
  # wait was interrupted by a (forwarded) signal: keep waiting for the child
  [ "$seen" != "$SIG_COUNT" ] && continue
  break
done

# 'npm run' can exit before the program it started (e.g. node still shutting
# down gracefully): wait until the command's process group is empty before
# stopping the servers. Leftovers after a normal exit get SIGTERM.
if [ -n "$CHILD_PGID" ] && group_alive "$CHILD_PGID"; then
  if [ "$SIG_COUNT" -eq 0 ]; then
    log "command exited but left processes behind (process group $CHILD_PGID); sending them SIGTERM"
    kill -TERM -- "-$CHILD_PGID" 2>/dev/null || true
  else
    log "waiting for the command's remaining processes to exit"
  fi
  deadline=$((SECONDS + STOP_TIMEOUT))
  while group_alive "$CHILD_PGID"; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      log "still running after ${STOP_TIMEOUT}s; sending SIGKILL to process group $CHILD_PGID"
      kill -KILL -- "-$CHILD_PGID" 2>/dev/null || true
      break
    fi
    sleep 0.1
  done
fi
[ "$rc" -eq 0 ] || log "command exited with status $rc"
exit "$rc"
