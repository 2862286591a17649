#!/usr/bin/env bash
# A private, throwaway PostgreSQL cluster for tests and benchmarks.
#   scripts/pg-cluster.sh start DIR PORT   -> prints the DATABASE_URL to use
#   scripts/pg-cluster.sh restart DIR PORT -> stops the server (keeping its data) and starts it again, same URL
#   scripts/pg-cluster.sh stop DIR
# Runs the server as the 'postgres' system user when we are root (initdb refuses root).
# Settings favour speed over durability (fsync off): this cluster is thrown away afterwards.
# RAKSA_PG_DURABLE=1 (start or restart) keeps PostgreSQL's durable defaults instead: fsync=on,
# synchronous_commit=on, full_page_writes=on; every other setting stays the same (make bench's durable run).
set -euo pipefail
cmd=${1:?start|stop}; dir=${2:?directory}; port=${3:-55432}

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
[ -x "$bindir/initdb" ] || { echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

server_stop() {
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
  fi
}

server_start() {
  local durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  [ "${RAKSA_PG_DURABLE:-0}" = 1 ] && durability="-c fsync=on -c synchronous_commit=on -c full_page_writes=on"
  as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start -o \
    "-p $port -k $dir -c listen_addresses=127.0.0.1 $durability -c max_connections=300 -c shared_buffers=512MB \
     -c work_mem=16MB -c maintenance_work_mem=256MB -c max_wal_size=4GB -c checkpoint_timeout=30min" >/dev/null \
    || { cat "$dir/server.log" >&2; exit 1; }
}

case "$cmd" in
start)
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres: "$dir"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    as_owner "$bindir/initdb" -D "$dir/data" -U raksa --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
  fi
  server_start
  as_owner "$bindir/createdb" -h 127.0.0.1 -p "$port" -U raksa raksa 2>/dev/null || true
  echo "postgres://raksa@127.0.0.1:$port/raksa"
  ;;
restart)
  server_stop
  server_start
  echo "postgres://raksa@127.0.0.1:$port/raksa"
  ;;
stop)
  server_stop
  rm -rf "$dir"
  ;;
*) echo "usage: $0 start|restart|stop DIR [PORT]" >&2; exit 2 ;;
esac
