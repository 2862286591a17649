#!/usr/bin/env bash
# `make test`: a throwaway PostgreSQL cluster, the whole suite against it, then the cluster is removed.
# pytest's exit code passes through: 5 ("no tests collected") fails the run like any other error.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-system-deps.sh
dir=$(mktemp -d /tmp/raksa-test-pg.XXXXXX)
port=${RAKSA_TEST_PG_PORT:-$((20000 + RANDOM % 20000))}
trap 'scripts/pg-cluster.sh stop "$dir"' EXIT
trap 'exit 143' INT TERM  # so that the EXIT trap also runs when interrupted
DATABASE_URL=$(scripts/pg-cluster.sh start "$dir" "$port")
# Tests that need PostgreSQL (races, batches) fail the run instead of skipping when it is missing.
export DATABASE_URL DJANGO_SETTINGS_MODULE=config.settings.test RAKSA_REQUIRE_POSTGRESQL=1
echo "PostgreSQL test cluster at $DATABASE_URL" >&2
.venv/bin/ruff check .
.venv/bin/python -m pytest "$@"
