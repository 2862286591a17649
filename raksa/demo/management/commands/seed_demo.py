"""``manage.py seed_demo``: demo units, logins and citizens (COPY on PostgreSQL, bulk_create elsewhere)."""

from __future__ import annotations

import json
import sys
from collections import Counter

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from raksa.demo import display
from raksa.demo.claims_history import HISTORY_DAYS
from raksa.demo.seed import MIN_UNITS, seed_demo
from raksa.units.models import Province, Unit


class Command(BaseCommand):
    help = "Load demo data: units of every type, demo logins, documented citizens and N generated citizens."

    def add_arguments(self, parser):
        parser.add_argument("--citizens", type=int, default=2000, help="generated citizens (default 2000)")
        parser.add_argument("--units", type=int, default=60, help=f"units, at least {MIN_UNITS} (default 60)")
        parser.add_argument("--seed", type=int, default=2026, help="random seed; same seed, same data (default 2026)")
        parser.add_argument("--workers", type=int, default=None,
                            help="processes generating citizens (default: CPUs - 1 for 100,000 or more, else none)")
        parser.add_argument("--if-empty", action="store_true", help="do nothing if any unit already exists")
        parser.add_argument("--json", action="store_true",
                            help="print the seed rate as one JSON line on stdout; everything else on stderr")

    def handle(self, *args, citizens, units, seed, workers, if_empty, json: bool, **options):
        out = sys.stderr if json else self.stdout
        if Unit.objects.exists():
            if if_empty:
                out.write("Demo data not loaded: the database already has units (--if-empty).\n")
                return
            raise CommandError("The database already has units; seed_demo loads into an empty registry. "
                               "Use --if-empty to skip, or a fresh database.")
        if not Province.objects.exists():
            raise CommandError("No provinces: run `manage.py migrate` first.")
        if units < MIN_UNITS:
            raise CommandError(f"--units must be at least {MIN_UNITS}.")
        if citizens < 0:
            raise CommandError("--citizens cannot be negative.")

        def progress(done: int, seconds: float) -> None:
            if citizens >= 100_000 and (done % 100_000 == 0 or done == citizens):
                sys.stderr.write(f"  {done:,} / {citizens:,} citizens, {done / max(seconds, 1e-9):,.0f}/s\n")

        out.write(f"Seeding demo data into {connection.vendor} (seed {seed}): {units} units, "
                  f"{citizens:,} citizens...\n")
        try:
            result = seed_demo(citizens=citizens, units=units, seed=seed, workers=workers, progress=progress)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        load = result.load
        by_type = Counter(u.unit_type for u in result.units)
        by_status = Counter(u.status for u in result.units)
        out.write(f"Units: {len(result.units)} ({', '.join(f'{t} {n}' for t, n in sorted(by_type.items()))}; "
                  f"{', '.join(f'{s} {n}' for s, n in sorted(by_status.items()))}), each contracted for the "
                  f"services of its type.\n")
        out.write(f"Catalogue: {result.services} services, {result.items} claimable items; fee rates and prices are "
                  f"ILLUSTRATIVE, not official (อัตราตัวอย่าง ไม่ใช่อัตราจริง), except the published telemedicine "
                  f"fees and home specimen collection.\n")
        out.write(f"Citizens: {load.citizens:,} generated + {result.demo_citizens} documented, {load.coverages:,} "
                  f"coverage rows, loaded with {load.method.upper()} ({load.workers or 'no'} worker processes) "
                  f"in {load.seconds:.1f} s "
                  f"({load.citizens_per_s:,.0f} citizens/s).\n")
        history = result.history
        out.write(f"Claims history ({HISTORY_DAYS} days, documented pharmacies): {history.visits} visits, "
                  f"{history.claims} claims ({history.corrections} corrections); current claims "
                  f"{', '.join(f'{s} {n}' for s, n in sorted(history.status.items()))}; {history.open_today} "
                  f"visits open today without a claim; {history.seconds:.1f} s.\n")
        out.write(f"Reference faces: {result.demo_faces} demo citizens enrolled from photos shipped in installed "
                  f"packages (only the encoding is kept, encrypted); the others are fetched from the civil registry "
                  f"at the counter.\n")
        out.write("\n".join(display.logins_lines() + display.citizens_lines()) + "\n")
        if json:
            self.stdout.write(_json_line("seed.citizens_per_s", round(load.citizens_per_s, 1), "citizens/s"))


def _json_line(name: str, value, unit: str) -> str:
    return json.dumps({"name": name, "value": value, "unit": unit})
