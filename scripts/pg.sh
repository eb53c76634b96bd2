#!/usr/bin/env bash
# A private, throw-away PostgreSQL cluster for the server's tests.
#
#   eval "$(bash scripts/pg.sh start DIR)"   # prints: export TITLEDESK_TEST_PG=postgres://…
#   bash scripts/pg.sh stop DIR
#
# Installs Debian's postgresql package when missing, then runs initdb and
# pg_ctl as an unprivileged user (PostgreSQL refuses to run as root):
# the current user, or the package's `postgres` account when that is root.
# The cluster listens only on a Unix socket inside DIR (no TCP port), trusts
# local connections, and trades durability for speed (fsync off): it holds
# test data only. TITLEDESK_PG_DURABLE=1 keeps PostgreSQL's durable defaults
# (fsync, synchronous commit), for benchmarks. `stop` shuts it down and
# removes DIR.
set -euo pipefail

cmd=${1:-}
dir=${2:-}
if [ -z "$cmd" ] || [ -z "$dir" ]; then
  echo "usage: $0 start|stop DIR" >&2
  exit 2
fi

bindir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -n "$d" ] && echo "$d"
}

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

case "$cmd" in
start)
  if [ -z "$(bindir)" ]; then
    sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    # A system cluster the package may start is no obstacle: ours listens on
    # no TCP port and keeps its socket in DIR.
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  fi
  bin=$(bindir)
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$dir"
  fi
  as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; exit 1; }
  fast="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  [ "${TITLEDESK_PG_DURABLE:-}" = 1 ] && fast=""
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses='' -c unix_socket_directories='$dir' $fast \
        -c max_connections=300 -c shared_buffers=128MB" start >/dev/null ||
    { cat "$dir/server.log" >&2; exit 1; }
  as_owner "$bin/psql" -h "$dir" -U postgres -d postgres -qAt -c "CREATE DATABASE titledesk_test" >/dev/null
  echo "export TITLEDESK_TEST_PG='postgres://postgres@/titledesk_test?host=$dir'"
  ;;
stop)
  bin=$(bindir)
  if [ -d "$dir/data" ]; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
  fi
  rm -rf "$dir"
  ;;
*)
  echo "usage: $0 start|stop DIR" >&2
  exit 2
  ;;
esac
