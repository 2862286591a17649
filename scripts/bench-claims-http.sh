#!/usr/bin/env bash
# Claims over HTTP on the PostgreSQL at $DATABASE_URL (called by scripts/bench.sh after the verification run, on
# the durable cluster: every claim is a flushed commit, as in production). One JSON line per figure:
#   claims.http.rate / claims.http.p99_ms (+ p50_ms, errors)  64 clients send claims over HTTP (POST /api/v1/claims
#       with a fresh Idempotency-Key, each for an open visit of the sending unit: stored, the rules run, the visit
#       closed with its EP code) against granian as in the other runs (2 workers x 32 threads, Django's psycopg pool)
#   claims.duplicates (+ claims.storm.*)  bench/claims_http_storm.py: a retry storm of 10,000 submissions, 20 % of
#       them a key sent again with the same body while the first is in flight; authen codes with more than one claim
#       (must be 0) and keys whose answers differ (must be 0)
# Knobs: BENCH_CLAIMS_UNITS (100), BENCH_CLAIMS_RATE (claims available to the rate phase, 20000), BENCH_CLAIMS_STORM
# (10000), BENCH_CLAIMS_SECONDS (the rate phase's limit, 30), BENCH_CLIENTS (64).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench-http-common.sh claims  # server settings, port, "$work", clean-up on exit

echo "claims bench: units with API keys, citizens with an open visit today, request plans" >&2
.venv/bin/python bench/claims_http_setup.py --out "$work" --units "${BENCH_CLAIMS_UNITS:-100}" \
  --rate-claims "${BENCH_CLAIMS_RATE:-20000}" --storm "${BENCH_CLAIMS_STORM:-10000}" \
  --warm-claims "${BENCH_CLAIMS_WARM:-3000}" ${BENCH_CLAIMS_SETUP_ARGS:-} >&2
export DATABASE_POOL_MAX=${BENCH_POOL:-8} DATABASE_POOL_MIN=${BENCH_POOL:-8}
.venv/bin/granian --interface wsgi config.wsgi:application --host 127.0.0.1 --port "$port" \
  --workers "${BENCH_WORKERS:-2}" --blocking-threads "${BENCH_THREADS:-32}" --log-level warning 2> "$work/server.log" &
server_pid=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
echo "claims bench: warm-up (not measured), then $CLIENTS clients send claims" >&2
.venv/bin/python bench/loadgen.py "$work/warm.jsonl" --port "$port" --concurrency "$CLIENTS" --max-seconds 20 >&2
.venv/bin/python bench/loadgen.py "$work/rate.jsonl" --port "$port" --concurrency "$CLIENTS" \
  --max-seconds "${BENCH_CLAIMS_SECONDS:-30}" > "$work/http.json"
cat "$work/http.json" >&2
.venv/bin/python bench/claims_http_report.py "$work/http.json"
echo "claims bench: the retry storm (20 % repeated keys, in flight together)" >&2
.venv/bin/python bench/claims_http_storm.py "$work/storm.jsonl" "$work/meta.json" --port "$port" --concurrency "$CLIENTS"
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
grep -v '^$' "$work/server.log" >&2 || true
