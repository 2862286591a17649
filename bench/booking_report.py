"""Print the booking figures as JSON lines, including overbooked seats counted in the database."""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

OVERBOOKED_SQL = """
SELECT coalesce(sum(greatest(0, held - capacity)), 0), coalesce(sum(abs(held - booked)), 0)
FROM (SELECT s.id, s.capacity, s.booked,
             count(b.id) FILTER (WHERE b.status IN ('awaiting_citizen', 'confirmed', 'checked_in', 'completed',
                                                    'no_show')) AS held
      FROM booking_slot s LEFT JOIN booking_booking b ON b.slot_id = s.id
      WHERE s.unit_id IN (SELECT id FROM units_unit WHERE hcode < '73000')
      GROUP BY s.id) per_slot
"""


def line(name: str, value, unit: str) -> None:
    print(json.dumps({"name": name, "value": value, "unit": unit}))


def main() -> None:
    http = json.loads(Path(sys.argv[1]).read_text())
    pgbench = Path(sys.argv[2]).read_text()
    with connection.cursor() as cursor:
        cursor.execute(OVERBOOKED_SQL)
        overbooked, mismatched = cursor.fetchone()
    outcomes = http["outcomes"]
    booked = outcomes.get("201", 0)
    expected = {"201", "409 SLOT_FULL"}
    errors = sum(n for outcome, n in outcomes.items() if outcome not in expected)
    rate = round(booked / http["seconds"], 1) if http["seconds"] else 0.0
    match = re.search(r"tps = ([0-9.]+)", pgbench)
    pg_rate = round(float(match.group(1)), 1) if match else 0.0
    line("booking.http.rate", rate, "bookings/s")
    line("booking.http.requests_per_s", http["rate"], "requests/s")
    line("booking.http.p50_ms", http["p50_ms"], "ms")
    line("booking.http.p99_ms", http["p99_ms"], "ms")
    line("booking.http.errors", errors, "requests")
    line("booking.overbooked", int(overbooked) + int(mismatched), "seats")
    line("booking.pgbench.rate", pg_rate, "transactions/s")
    line("booking.ratio", round(rate / pg_rate, 3) if pg_rate else 0.0, "ratio")


if __name__ == "__main__":
    main()
