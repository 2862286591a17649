#!/usr/bin/env bash
# The citizen's LINE channel on the PostgreSQL at $DATABASE_URL (called by scripts/bench.sh after the booking runs,
# on the durable cluster: every acknowledged webhook is a flushed commit, as in production). One JSON line per figure:
#   line.webhook.rate / line.webhook.p99_ms  signed webhook calls (one event each) acknowledged per second, and their
#                                            p99 latency, 64 clients against the WSGI server (granian, 2 workers)
#   liff.page.p99_ms / liff.page.kb          bench/line_liff.py
#   line.push.lost (+ failed, seconds)       bench/line_push_outage.py: 1,000 pushes across a 10 s stand-in outage
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench-http-common.sh line  # server settings, port, "$work", clean-up on exit

echo "line bench: signed webhook plans" >&2
.venv/bin/python bench/line_webhook_plan.py --out "$work/all.jsonl" --events "${BENCH_WEBHOOK_EVENTS:-22000}"
head -n 2000 "$work/all.jsonl" > "$work/warm.jsonl"
tail -n +2001 "$work/all.jsonl" > "$work/surge.jsonl"
export DATABASE_POOL_MAX=${BENCH_POOL:-8} DATABASE_POOL_MIN=${BENCH_POOL:-8}
.venv/bin/granian --interface wsgi config.wsgi:application --host 127.0.0.1 --port "$port" \
  --workers "${BENCH_WORKERS:-2}" --blocking-threads "${BENCH_THREADS:-32}" --log-level warning 2> "$work/server.log" &
server_pid=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
echo "line bench: webhook warm-up (not measured), then $CLIENTS clients" >&2
.venv/bin/python bench/loadgen.py "$work/warm.jsonl" --port "$port" --concurrency "$CLIENTS" --max-seconds 20 >&2
.venv/bin/python bench/loadgen.py "$work/surge.jsonl" --port "$port" --concurrency "$CLIENTS" --max-seconds 40 \
  > "$work/webhook.json"
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
grep -v '^$' "$work/server.log" >&2 || true
cat "$work/webhook.json" >&2
.venv/bin/python - "$work/webhook.json" <<'PY'
import json, sys
run = json.load(open(sys.argv[1]))
acknowledged = run["outcomes"].get("200", 0)
if acknowledged != run["count"]:
    print(f"line bench: {run['count'] - acknowledged} webhook calls were not acknowledged: {run['outcomes']}", file=sys.stderr)
for name, value, unit in (("line.webhook.rate", round(acknowledged / run["seconds"], 1), "events/s"),
                          ("line.webhook.p99_ms", run["p99_ms"], "ms")):
    print(json.dumps({"name": name, "value": value, "unit": unit}))
PY

echo "line bench: LIFF pages" >&2
.venv/bin/python manage.py collectstatic --noinput -v 0  # the pages name their files through the manifest, as served
.venv/bin/python bench/line_liff.py
echo "line bench: 1,000 pushes across a 10 s outage of the LINE stand-in" >&2
.venv/bin/python bench/line_push_outage.py
