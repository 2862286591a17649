#!/usr/bin/env bash
# `make bench`: a throwaway PostgreSQL cluster, the demo seed with 1,000,000 citizens (COPY), the
# in-process rights-check benchmark, then the booking surge over HTTP and its pgbench ceiling
# (scripts/bench-booking.sh) beside the seeded registry, then the same surge again with PostgreSQL durable
# (booking.durable.*), then the citizen's LINE channel on that durable cluster (scripts/bench-line.sh), then the
# claims rules engine over RAKSA_BENCH_CLAIMS claims (scripts/bench-claims.sh: claims.adjudicate.*), then
# verification at the counter (scripts/bench-verify.sh: rights-QR redemptions, the authen-code race), then claims
# over HTTP (scripts/bench-claims-http.sh: claims.http.rate/p99_ms, the retry storm's claims.duplicates).
# stdout: one JSON line per figure; everything else goes to stderr.
#   RAKSA_BENCH_PG_PORT   port of the cluster (default: a free random high port)
#   RAKSA_BENCH_CITIZENS  citizens to load (default 1000000)
#   RAKSA_BENCH_UNITS     units (default 200)
#   RAKSA_BENCH_SAMPLES   rights checks to time (default 20000)
#   RAKSA_BENCH_MAX_SECONDS  stop timing checks after this long (default 45; keeps `make bench` < 5 min
#                            on a busy 2-core machine; stderr says how many checks ran)
#   RAKSA_BENCH_SEED      seed of the generated data (default 2026)
#   RAKSA_BENCH_CLAIMS    claims the rules engine decides (default 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
started=$(date +%s)

free_port() {
  "$PY" - <<'PY'
import random, socket
for _ in range(100):
    port = random.randint(20000, 60000)
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            continue
        print(port)
        break
PY
}

# On disk, not in /tmp: where /tmp is a tmpfs, fsync costs nothing and the durable run would measure no flush.
dir=$(mktemp -d "${RAKSA_BENCH_PG_PARENT:-/var/tmp}/raksa-bench-pg.XXXXXX")
case "$(stat -f -c %T "$dir")" in
  tmpfs|ramfs) echo "bench: WARNING: $dir is in memory ($(stat -f -c %T "$dir")): the durable run flushes nothing" >&2 ;;
esac
port=${RAKSA_BENCH_PG_PORT:-$(free_port)}
trap 'scripts/pg-cluster.sh stop "$dir"' EXIT
trap 'exit 143' INT TERM  # so that the EXIT trap also runs when interrupted
DATABASE_URL=$(scripts/pg-cluster.sh start "$dir" "$port")
export DATABASE_URL
export DJANGO_SETTINGS_MODULE=config.settings.dev DJANGO_DEBUG=0  # DEBUG off: no query log in the timings
echo "bench: PostgreSQL at $DATABASE_URL" >&2

"$PY" manage.py migrate --noinput -v 0 >&2
seed_line=$("$PY" manage.py seed_demo --json --citizens "${RAKSA_BENCH_CITIZENS:-1000000}" \
  --units "${RAKSA_BENCH_UNITS:-200}" --seed "${RAKSA_BENCH_SEED:-2026}")
# A registry that has just been bulk-loaded is still being vacuumed in the background; a service in
# production is not. Settle it first so that autovacuum does not take the cores during the timings.
"$PY" manage.py shell -c "from django.db import connection; connection.cursor().execute('VACUUM (ANALYZE)'); connection.cursor().execute('CHECKPOINT')" >&2
"$PY" manage.py bench_eligibility --samples "${RAKSA_BENCH_SAMPLES:-20000}" \
  --max-seconds "${RAKSA_BENCH_MAX_SECONDS:-45}"
echo "$seed_line"
scripts/bench-booking.sh

# The durable run: production keeps PostgreSQL's durable defaults, so the same surge (same plans, same server
# settings) with every commit flushed to disk: fsync=on, synchronous_commit=on, full_page_writes=on. The same
# cluster restarted rather than a second one: the same 1M-citizen registry and every other setting, no second
# seed (a minute), and the first run's bookings sit beside it as a service's earlier bookings would. The restart
# empties shared_buffers; the warm-up of bench-booking.sh reads the hot indexes back, as it did for the first run.
echo "bench: restarting PostgreSQL durable (fsync, synchronous_commit, full_page_writes on)" >&2
durable_started=$(date +%s)
RAKSA_PG_DURABLE=1 scripts/pg-cluster.sh restart "$dir" "$port" >/dev/null
BENCH_DURABLE=1 scripts/bench-booking.sh
echo "bench: the durable run took $(( $(date +%s) - durable_started )) s" >&2
line_started=$(date +%s)
scripts/bench-line.sh
echo "bench: the LINE run took $(( $(date +%s) - line_started )) s" >&2
# The rules engine's million claims go first: its set-up numbers their authen codes in a free range, and the
# verification and claims-over-HTTP runs fill the code space with random codes (no free range of millions left).
claims_started=$(date +%s)
scripts/bench-claims.sh
echo "bench: the claims rules engine run took $(( $(date +%s) - claims_started )) s" >&2
verify_started=$(date +%s)
scripts/bench-verify.sh
echo "bench: the verification run took $(( $(date +%s) - verify_started )) s" >&2
claims_http_started=$(date +%s)
scripts/bench-claims-http.sh
echo "bench: the claims-over-HTTP run took $(( $(date +%s) - claims_http_started )) s" >&2
echo "bench: done in $(( $(date +%s) - started )) s" >&2
