#!/usr/bin/env bash
# Claims at scale on the PostgreSQL at $DATABASE_URL (called by scripts/bench.sh after the verification run, on the
# seeded registry). One JSON line per figure on stdout:
#   claims.adjudicate.rate / .seconds / .count  manage.py claims_adjudicate deciding RAKSA_BENCH_CLAIMS claims
#       (default 1,000,000) written by bench/claims_setup.py: six weeks of the seeded units' days, the registry's
#       citizens, visits, verification attempts, ~5% faults of 19 kinds
#   claims.adjudicate.load_s / evaluate_s / write_s  where the time goes (summed over the workers)
#   claims.adjudicate.faults / faults_missed / false_flags  every decision checked against the plan
#       (bench/claims_report.py): each fault caught by its rule, no reason on a claim its kind does not explain
#   BENCH_CLAIMS_WORKERS  processes deciding (default 2)
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?DATABASE_URL must name the benchmark PostgreSQL}"
export DJANGO_SETTINGS_MODULE=config.settings.dev DJANGO_DEBUG=0
work=$(mktemp -d /tmp/raksa-bench-claims.XXXXXX)
trap 'rm -rf "$work"' EXIT
claims=${RAKSA_BENCH_CLAIMS:-1000000}
started=$(date +%s)
echo "claims bench: writing $claims claims with their visits (bench/claims_setup.py)" >&2
.venv/bin/python bench/claims_setup.py --claims "$claims" --out "$work/setup.json" >&2
echo "claims bench: set up in $(( $(date +%s) - started )) s; deciding them (manage.py claims_adjudicate)" >&2
.venv/bin/python manage.py claims_adjudicate --workers "${BENCH_CLAIMS_WORKERS:-2}" \
  --batch-size "${BENCH_CLAIMS_BATCH:-10000}" > "$work/run.json"
cat "$work/run.json" >&2
.venv/bin/python bench/claims_report.py "$work/run.json"
echo "claims bench: done in $(( $(date +%s) - started )) s" >&2
