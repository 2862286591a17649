#!/usr/bin/env bash
# Verification at the counter on the PostgreSQL at $DATABASE_URL (called by scripts/bench.sh after the LINE run, on
# the durable cluster: every opened visit is a flushed commit, as in production). One JSON line per figure:
#   verify.qr.rate / verify.qr.p99_ms (+ p50_ms, errors, visits)  64 clients redeem fresh rights QR codes over HTTP
#       (POST /api/v1/visits/rights-qr, each a booked citizen's code at its unit: check-in, visit, authen code)
#       against granian as in the booking run (2 workers x 32 threads, Django's psycopg pool)
#   verify.authen.duplicates (+ opened, people)  bench/verify_race.py: 8 units race for the same 200 people
#   verify.face.p50_ms / verify.face.p99_ms  bench/face.py: the face engine on one 640 x 480 webcam frame
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench-http-common.sh verify  # server settings, port, "$work", clean-up on exit

echo "verify bench: units, citizens booked today, their rights QR codes, request plans" >&2
RAKSA_RIGHTS_QR_SECONDS=900 .venv/bin/python bench/verify_setup.py --out "$work" \
  --units "${BENCH_VERIFY_UNITS:-200}" --per-unit "${BENCH_VERIFY_PER_UNIT:-50}" ${BENCH_VERIFY_SETUP_ARGS:-} >&2
export DATABASE_POOL_MAX=${BENCH_POOL:-8} DATABASE_POOL_MIN=${BENCH_POOL:-8}
.venv/bin/granian --interface wsgi config.wsgi:application --host 127.0.0.1 --port "$port" \
  --workers "${BENCH_WORKERS:-2}" --blocking-threads "${BENCH_THREADS:-32}" --log-level warning 2> "$work/server.log" &
server_pid=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
echo "verify bench: warm-up (not measured), then $CLIENTS clients redeem rights QR codes" >&2
.venv/bin/python bench/loadgen.py "$work/warm.jsonl" --port "$port" --concurrency "$CLIENTS" --max-seconds 20 >&2
.venv/bin/python bench/loadgen.py "$work/surge.jsonl" --port "$port" --concurrency "$CLIENTS" \
  --max-seconds "${BENCH_PHASE_SECONDS:-40}" > "$work/http.json"
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
grep -v '^$' "$work/server.log" >&2 || true
cat "$work/http.json" >&2
.venv/bin/python bench/verify_report.py "$work/http.json" "$work/meta.json"
echo "verify bench: 8 units race for the same 200 people" >&2
.venv/bin/python bench/verify_race.py "$work/meta.json"
echo "verify bench: the face engine, one webcam frame at a time" >&2
.venv/bin/python bench/face.py
