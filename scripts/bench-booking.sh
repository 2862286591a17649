#!/usr/bin/env bash
# Booking surge over HTTP against the WSGI server (granian) on the PostgreSQL at $DATABASE_URL, then the same booking
# transaction as plain SQL with pgbench. Prints one JSON line per figure on stdout; logs on stderr.
# Called by scripts/bench.sh (which starts and stops the cluster); runnable alone with DATABASE_URL set.
# BENCH_DURABLE=1: the durable run (bench.sh restarts the cluster with fsync on first): units and citizens of its
# own beside the first run's, figures named booking.durable.*, and booking_report.py checks that PostgreSQL flushes.
# The server's log (stderr) is kept in a file: bench/server_log.py counts the batches' one-by-one fallbacks during
# the surge (booking.batch.fallbacks), prints their reasons, and passes every other line on to stderr.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?DATABASE_URL must name the benchmark PostgreSQL}"
export DJANGO_SETTINGS_MODULE=config.settings.dev DJANGO_DEBUG=0 RAKSA_REQUEST_LOG_LEVEL=WARNING
CLIENTS=${BENCH_CLIENTS:-64}
WORKERS=${BENCH_WORKERS:-2}
# Threads wait on their batch: more threads make bigger batches (in-process: 8.6 bookings a batch with 16 threads,
# 16.5 with 32). 2 x 32 beat 2 x 16 in both of two alternating pairs of surges here, and 1 x 64 lost to both.
THREADS=${BENCH_THREADS:-32}
# Only a batch's leader and a key lookup hold a connection (the lane gives it back before waiting), so a few do;
# a small pool keeps the same few PostgreSQL backends busy.
export DATABASE_POOL_MAX=${BENCH_POOL:-4} DATABASE_POOL_MIN=${BENCH_POOL:-4}
port=${BENCH_HTTP_PORT:-$((40000 + RANDOM % 10000))}
work=$(mktemp -d /tmp/raksa-bench-booking.XXXXXX)
server_pid="" log_shown=0
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; wait 2>/dev/null
  [ "$log_shown" = 1 ] || cat "$work/server.log" >&2 2>/dev/null  # stopped early: the server's log may say why
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 143' INT TERM  # so that the EXIT trap also runs when interrupted

setup_args=() report_args=() run=""
if [ "${BENCH_DURABLE:-0}" = 1 ]; then
  setup_args=(--hcode-base 80000 --citizen-offset 1000000) report_args=(--durable) run=" (durable)"
fi
echo "booking bench$run: setting up units, schedules, citizens and request plans" >&2
.venv/bin/python bench/booking_setup.py --out "$work" "${setup_args[@]}" >&2
.venv/bin/granian --interface wsgi config.wsgi:application --host 127.0.0.1 --port "$port" \
  --workers "$WORKERS" --blocking-threads "$THREADS" --log-level warning 2> "$work/server.log" &
server_pid=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done

# A running service has its connections open and its statements prepared before a surge: warm it up
# on units of its own (not measured), then measure.
echo "booking bench$run: warm-up (not measured)" >&2
.venv/bin/python bench/loadgen.py "$work/warm.jsonl" --port "$port" --concurrency "$CLIENTS" --max-seconds 20 >&2
echo "booking bench$run: surge of $CLIENTS clients (hot units until full, then many units)" >&2
surge_from=$(stat -c %s "$work/server.log")  # the log's size when the surge starts: what follows is the surge's
.venv/bin/python bench/loadgen.py "$work/hot.jsonl" "$work/many.jsonl" --port "$port" --concurrency "$CLIENTS" \
  --max-seconds "${BENCH_PHASE_SECONDS:-40}" > "$work/http.json"
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
.venv/bin/python bench/server_log.py "$work/server.log" --surge-from "$surge_from" > "$work/fallbacks.json"
log_shown=1
cat "$work/http.json" >&2

read -r host pgport user db < <(.venv/bin/python -c "
import os, urllib.parse as u; p = u.urlparse(os.environ['DATABASE_URL'])
print(p.hostname, p.port or 5432, p.username, p.path.lstrip('/'))")
ncit=$(.venv/bin/python -c "import json; print(json.load(open('$work/meta.json'))['citizens'])")
nslots=$(.venv/bin/python -c "import json; print(json.load(open('$work/meta.json'))['pgbench_slots'])")
pgbench=$(ls -d /usr/lib/postgresql/*/bin/pgbench | sort -V | tail -n1)
echo "booking bench$run: pgbench, $CLIENTS clients, same transaction as plain SQL" >&2
"$pgbench" -h "$host" -p "$pgport" -U "$user" -n -M prepared -c "$CLIENTS" -j 2 -T 10 \
  -D ncitizens="$ncit" -D nslots="$nslots" -f "$work/booking.pgbench" "$db" > "$work/pgbench.txt" 2>&1
grep -E "tps|failed|latency" "$work/pgbench.txt" >&2

.venv/bin/python bench/booking_report.py "$work/http.json" "$work/pgbench.txt" "$work/meta.json" \
  "$work/fallbacks.json" "${report_args[@]}"
