"""Print the rights-QR surge's figures as JSON lines, with the visits the surge opened counted in the database.

    verify_report.py HTTP_JSON META_JSON

``verify.qr.rate``: redemptions answered 201 (the visit opened, its authen code issued) per second of the surge;
``verify.qr.p99_ms`` / ``p50_ms``: latency of every answer; ``verify.qr.errors``: answers other than 201 (there
should be none: every code is fresh, its booking confirmed for today at the unit that scans it);
``verify.qr.visits``: open visits at the surge's units in the database, which must equal the 201 answers.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

VISITS_SQL = ("SELECT count(*) FROM verification_visit WHERE unit_id = ANY(%s) AND status = 'open'"
              " AND method = 'rights_qr' AND day = %s")


def line(name: str, value, unit: str) -> None:
    print(json.dumps({"name": name, "value": value, "unit": unit}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("http", type=Path)
    parser.add_argument("meta", type=Path)
    args = parser.parse_args()
    http, meta = json.loads(args.http.read_text()), json.loads(args.meta.read_text())
    with connection.cursor() as cursor:
        cursor.execute(VISITS_SQL, [meta["surge_unit_ids"], meta["day"]])
        visits = cursor.fetchone()[0]
    opened = http["outcomes"].get("201", 0)
    if visits != opened:
        print(f"verify bench: {opened} redemptions answered 201 but {visits} visits are open", file=sys.stderr)
    if opened < http["count"]:
        print(f"verify bench: answers other than 201: {http['outcomes']}", file=sys.stderr)
    line("verify.qr.rate", round(opened / http["seconds"], 1) if http["seconds"] else 0.0, "redemptions/s")
    line("verify.qr.p50_ms", http["p50_ms"], "ms")
    line("verify.qr.p99_ms", http["p99_ms"], "ms")
    line("verify.qr.errors", http["count"] - opened, "requests")
    line("verify.qr.visits", visits, "visits")


if __name__ == "__main__":
    main()
