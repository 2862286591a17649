"""make bench's count of batch fallbacks: a record logged by raksa.booking.batch under the settings the bench's
server runs with reaches its stderr as a JSON line, and bench/server_log.py counts it (surge only) and says why."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

EMIT = """
import logging, sys
import django
django.setup()
log = logging.getLogger("raksa.booking.batch")
log.warning("booking.batch.fallback", extra={"reason": "statement failed: deadlock detected", "requests": 7})
sys.stderr.flush()
open(sys.argv[1], "w").write(str(sys.stderr.tell()) if sys.stderr.seekable() else "0")
log.warning("booking.batch.fallback", extra={"reason": "citizen asks twice in the batch", "requests": 2})
log.warning("booking.batch.fallback", extra={"reason": "citizen asks twice in the batch", "requests": 1})
log.warning("booking.batch.fallback", extra={"reason": "statement failed: deadlock detected", "requests": 16})
logging.getLogger("raksa.booking.batch").error("Booking one request of a batch failed")
print("a line granian printed itself", file=sys.stderr)
"""


def test_fallback_records_of_the_surge_are_counted_by_reason_and_other_lines_pass_through(tmp_path):
    log, offset = tmp_path / "server.log", tmp_path / "offset"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev", "DJANGO_DEBUG": "0",
           "RAKSA_REQUEST_LOG_LEVEL": "WARNING"}  # as scripts/bench-booking.sh starts the server
    with log.open("w") as stderr:
        subprocess.run([sys.executable, "-c", EMIT, str(offset)], cwd=ROOT, env=env, stderr=stderr, check=True)
    first = json.loads(log.read_text().splitlines()[0])
    assert (first["logger"], first["level"], first["message"]) == ("raksa.booking.batch", "WARNING",
                                                                  "booking.batch.fallback")
    assert (first["reason"], first["requests"]) == ("statement failed: deadlock detected", 7)

    result = subprocess.run([sys.executable, "bench/server_log.py", str(log), "--surge-from", offset.read_text()],
                            cwd=ROOT, capture_output=True, text=True, check=True)
    assert json.loads(result.stdout) == {
        "fallbacks": 19, "warm_up_fallbacks": 7,
        "reasons": {"statement failed: deadlock detected": 16, "citizen asks twice in the batch": 3}}
    assert "surge: 16 requests booked one by one after a batch fell back: statement failed" in result.stderr
    assert "warm-up (not counted): 7 requests" in result.stderr
    assert "Booking one request of a batch failed" in result.stderr and "a line granian printed itself" in result.stderr
    assert '"booking.batch.fallback"' not in result.stderr  # summarised, not repeated


def test_a_log_without_fallbacks_counts_zero(tmp_path):
    log = tmp_path / "server.log"
    log.write_text('{"logger": "raksa.request", "message": "request", "status": 500}\nnot json {\n{"broken": \n')
    result = subprocess.run([sys.executable, "bench/server_log.py", str(log)], cwd=ROOT, capture_output=True,
                            text=True, check=True)
    assert json.loads(result.stdout) == {"fallbacks": 0, "reasons": {}, "warm_up_fallbacks": 0}
    assert "not json {" in result.stderr and '"status": 500' in result.stderr
