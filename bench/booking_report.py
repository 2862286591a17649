"""Print the booking figures as JSON lines, including overbooked seats counted in the database.

    booking_report.py HTTP_JSON PGBENCH_TXT META_JSON FALLBACKS_JSON [--durable]

--durable names the figures of make bench's durable run (booking.durable.*) and refuses to report
them unless PostgreSQL really runs with fsync, synchronous_commit and full_page_writes on.
"""

from __future__ import annotations

import argparse
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
      WHERE s.unit_id = ANY(%s)
      GROUP BY s.id) per_slot
"""
DURABILITY = ("fsync", "synchronous_commit", "full_page_writes")

# Figure names: the first run's are the historical ones (kept as they were); the durable run's are booking.durable.*.
NAMES = {
    False: {"rate": "booking.http.rate", "requests_per_s": "booking.http.requests_per_s",
            "p50_ms": "booking.http.p50_ms", "p99_ms": "booking.http.p99_ms", "errors": "booking.http.errors",
            "overbooked": "booking.overbooked", "fallbacks": "booking.batch.fallbacks",
            "pgbench": "booking.pgbench.rate", "ratio": "booking.ratio"},
    True: {"rate": "booking.durable.rate", "requests_per_s": "booking.durable.requests_per_s",
           "p50_ms": "booking.durable.p50_ms", "p99_ms": "booking.durable.p99_ms", "errors": "booking.durable.errors",
           "overbooked": "booking.durable.overbooked", "fallbacks": "booking.durable.batch.fallbacks",
           "pgbench": "booking.durable.pgbench.rate", "ratio": "booking.durable.ratio"},
}


def line(name: str, value, unit: str) -> None:
    print(json.dumps({"name": name, "value": value, "unit": unit}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    for name in ("http", "pgbench", "meta", "fallbacks"):
        parser.add_argument(name, type=Path)
    parser.add_argument("--durable", action="store_true")
    args = parser.parse_args()
    http = json.loads(args.http.read_text())
    pgbench = args.pgbench.read_text()
    meta = json.loads(args.meta.read_text())
    fallbacks = json.loads(args.fallbacks.read_text())
    with connection.cursor() as cursor:
        settings = {}
        for setting in DURABILITY:
            cursor.execute(f"SHOW {setting}")
            settings[setting] = cursor.fetchone()[0]
        cursor.execute(OVERBOOKED_SQL, [meta["surge_unit_ids"]])
        overbooked, mismatched = cursor.fetchone()
    print(f"booking bench: PostgreSQL ran with {', '.join(f'{k}={v}' for k, v in settings.items())}", file=sys.stderr)
    if args.durable and any(value != "on" for value in settings.values()):
        raise SystemExit("booking bench: the durable run needs fsync, synchronous_commit and full_page_writes on")
    names = NAMES[args.durable]
    outcomes = http["outcomes"]
    booked = outcomes.get("201", 0)
    expected = {"201", "409 SLOT_FULL"}
    errors = sum(n for outcome, n in outcomes.items() if outcome not in expected)
    rate = round(booked / http["seconds"], 1) if http["seconds"] else 0.0
    match = re.search(r"tps = ([0-9.]+)", pgbench)
    pg_rate = round(float(match.group(1)), 1) if match else 0.0
    line(names["rate"], rate, "bookings/s")
    line(names["requests_per_s"], http["rate"], "requests/s")
    line(names["p50_ms"], http["p50_ms"], "ms")
    line(names["p99_ms"], http["p99_ms"], "ms")
    line(names["errors"], errors, "requests")
    line(names["overbooked"], int(overbooked) + int(mismatched), "seats")
    line(names["fallbacks"], fallbacks["fallbacks"], "requests")
    line(names["pgbench"], pg_rate, "transactions/s")
    line(names["ratio"], round(rate / pg_rate, 3) if pg_rate else 0.0, "ratio")


if __name__ == "__main__":
    main()
