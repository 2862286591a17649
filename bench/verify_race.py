"""``verify.authen.duplicates``: a surge in which 8 units race for the same 200 people, then the people with more
than one open visit are counted (must be 0) and the visits opened (should be 200: one per person).

Each unit is a process of its own (its own PostgreSQL connection, truly in parallel, no shared interpreter
lock), calling ``visit_open`` (the function the face, LINE and rights-QR routes all end in) for person after
person; before each person the 8 processes wait at a barrier, so the 8 calls for one person start together.
Every call's outcome is counted: one "opened" per person, the rest refused with VISIT_OPEN_ELSEWHERE (or, for a
unit whose insert lost the race to itself, the same visit back). Reads bench/verify_setup.py's meta.json.

    verify_race.py META_JSON   (DATABASE_URL and DJANGO_SETTINGS_MODULE set)
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

django.setup()

from django.db import connection, connections  # noqa: E402

from raksa.core.errors import DomainError  # noqa: E402
from raksa.people.models import Citizen  # noqa: E402
from raksa.units.models import Service, Unit  # noqa: E402
from raksa.verification.models import VerifyMethod  # noqa: E402
from raksa.verification.visits import visit_open  # noqa: E402

DUPLICATES_SQL = """
SELECT count(*) FROM (SELECT citizen_id FROM verification_visit WHERE status = 'open' AND citizen_id = ANY(%s)
                      GROUP BY citizen_id HAVING count(*) > 1) twice
"""
OPENED_SQL = "SELECT count(*), count(DISTINCT citizen_id) FROM verification_visit WHERE citizen_id = ANY(%s)"


def unit_counter(unit_id: int, service_id: int, citizen_ids: list[int], barrier, results) -> None:
    """One unit's counter: for each person in turn, wait for the other units, then try to open the visit."""
    connections.close_all()  # never the parent's connection: a fresh one for this process
    unit, service = Unit.objects.get(pk=unit_id), Service.objects.get(pk=service_id)
    people = list(Citizen.objects.filter(pk__in=citizen_ids).order_by("pk"))
    outcomes: Counter = Counter()
    for citizen in people:
        barrier.wait(timeout=60)
        try:
            opened = visit_open(actor=None, unit=unit, citizen=citizen, service=service, method=VerifyMethod.FACE,
                                face_distance=0.35, actor_label="bench:race")
            outcomes["opened" if opened.created else "same visit"] += 1
        except DomainError as refusal:
            outcomes[refusal.code] += 1
    connections.close_all()
    results.put(dict(outcomes))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("meta", type=Path)
    args = parser.parse_args()
    meta = json.loads(args.meta.read_text())
    units, people = meta["race_unit_ids"], meta["race_citizen_ids"]
    connections.close_all()  # the children are forked: none may inherit an open connection
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(len(units)), context.Queue()
    workers = [context.Process(target=unit_counter, args=(u, meta["service_id"], people, barrier, results))
               for u in units]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    outcomes: Counter = Counter()
    for _ in workers:
        outcomes.update(results.get(timeout=600))
    for worker in workers:
        worker.join()
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute(DUPLICATES_SQL, [people])
        duplicates = cursor.fetchone()[0]
        cursor.execute(OPENED_SQL, [people])
        opened, persons = cursor.fetchone()
    print(f"verify bench: {len(units)} units raced for {len(people)} people in {seconds:.1f} s: {dict(outcomes)}; "
          f"{opened} visits for {persons} people", file=sys.stderr)
    if sum(outcomes.values()) != len(units) * len(people):
        raise SystemExit(f"verify bench: a unit's process did not finish: {dict(outcomes)}")
    for name, value, unit in (("verify.authen.duplicates", duplicates, "people"),
                              ("verify.authen.opened", opened, "visits"),
                              ("verify.authen.people", len(people), "people")):
        print(json.dumps({"name": name, "value": value, "unit": unit}))


if __name__ == "__main__":
    main()
