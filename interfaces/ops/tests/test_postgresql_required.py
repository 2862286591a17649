"""``make test`` (and so CI) must not pass without PostgreSQL: the tests that need it would skip."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
RACES = "raksa/booking/tests/test_booking_races.py"


def run_races(tmp_path, *, required: bool) -> subprocess.CompletedProcess:
    environ = {key: value for key, value in os.environ.items() if key != "RAKSA_REQUIRE_POSTGRESQL"}
    environ["DATABASE_URL"] = f"sqlite:///{tmp_path}/db.sqlite3"
    if required:
        environ["RAKSA_REQUIRE_POSTGRESQL"] = "1"
    return subprocess.run([sys.executable, "-m", "pytest", RACES, "-q", "-p", "no:cacheprovider"], cwd=ROOT,
                          env=environ, capture_output=True, text=True, timeout=120)


def test_without_postgresql_the_race_tests_fail_the_run_when_it_is_required(tmp_path):
    guarded = run_races(tmp_path, required=True)
    assert guarded.returncode != 0
    assert "but the database is django.db.backends.sqlite3" in guarded.stderr + guarded.stdout
    # Without the guard the same run "passes" with everything skipped: what the guard is for.
    unguarded = run_races(tmp_path, required=False)
    assert unguarded.returncode == 0 and " skipped" in unguarded.stdout and " passed" not in unguarded.stdout


def test_the_test_command_requires_postgresql():
    assert "RAKSA_REQUIRE_POSTGRESQL=1" in (ROOT / "scripts/test.sh").read_text()
