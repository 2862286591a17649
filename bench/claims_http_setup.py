"""Set up the claims-over-HTTP benchmark (scripts/bench-claims-http.sh): bench pharmacies open all day with API keys,
citizens with an open visit today at one of them (verified by face a moment ago), and the request plans:

* ``warm.jsonl`` / ``rate.jsonl``: one claim per visit (``POST /api/v1/claims``, a fresh Idempotency-Key each), for
  bench/loadgen.py;
* ``storm.jsonl``: the retry storm, ``--storm`` submissions of which ``--repeat`` (20 %) send again a key already
  sent, with the same body, a few requests after the first (so that most are in flight together), for
  bench/claims_http_storm.py.

Speed of setting up: the visits and their verification attempts are written in bulk, as ``visit_open`` and
``attempt_record`` write them (an open visit, ``face``, its rights snapshot left empty; a ``verified`` attempt),
without their audit rows. Run with DJANGO_SETTINGS_MODULE and DATABASE_URL set.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.booking_setup import make_citizens, make_units  # noqa: E402
from bench.verify_setup import citizen_ids_of  # noqa: E402
from raksa.core.timeutil import service_day  # noqa: E402
from raksa.core.weekly_hours import DAYS  # noqa: E402
from raksa.units.models import FeeRate, Province, Service, Unit, UnitType  # noqa: E402
from raksa.verification.models import AttemptOutcome, VerificationAttempt, VerifyMethod, Visit  # noqa: E402

CITIZEN_OFFSET = 3_000_000  # bench citizens' numbers: the booking runs use 0… and 1,000,000…, verification 2,000,000…
ALL_DAY = {day: [["00:00", "24:00"]] for day in DAYS}


def fee_rated_service() -> Service:
    """The first active pharmacy service, with a fee rate in force (the demo's, or one made here)."""
    service = Service.objects.filter(unit_type=UnitType.PHARMACY, active=True).order_by("code").first()
    if not FeeRate.objects.filter(service=service, effective_to__isnull=True).exists():
        FeeRate.objects.create(service=service, amount_baht="180.00", effective_from=dt.date(2020, 1, 1),
                               illustrative=True, note="bench")
    return service


def open_visits(units: list[tuple], national_ids: list[str], service: Service, rng: random.Random) -> list[tuple]:
    """One open visit today per citizen (``len(national_ids) // len(units)`` per unit), each with its verified
    face attempt. Returns (API key, authen code) pairs."""
    per_unit = len(national_ids) // len(units)
    citizen_ids = citizen_ids_of(national_ids)
    now, day = timezone.now(), service_day()
    taken = set(Visit.objects.values_list("authen_code", flat=True))
    rows: list[tuple[str, str]] = []
    with transaction.atomic():
        for u, (unit, key) in enumerate(units):
            batch = []
            for j in range(per_unit):
                code = f"PP{rng.randrange(10**10):010d}"
                while code in taken:
                    code = f"PP{rng.randrange(10**10):010d}"
                taken.add(code)
                batch.append(Visit(authen_code=code, citizen_id=citizen_ids[national_ids[u * per_unit + j]],
                                   unit_id=unit.pk, service_id=service.pk, day=day, method=VerifyMethod.FACE,
                                   verified_by_label="bench", opened_at=now))
            Visit.objects.bulk_create(batch)
            VerificationAttempt.objects.bulk_create([
                VerificationAttempt(at=now, unit_id=unit.pk, citizen_id=v.citizen_id, actor_label="bench",
                                    method=VerifyMethod.FACE, outcome=AttemptOutcome.VERIFIED, visit=v) for v in batch])
            rows += [(key, v.authen_code) for v in batch]
    return rows


def claim_request(key: str, authen_code: str, idempotency_key: str) -> dict:
    return {"path": "/api/v1/claims", "key": key, "headers": {"Idempotency-Key": idempotency_key},
            "body": {"authen_code": authen_code, "icd10": ["J02.9"]}}


def storm_plan(visits: list[tuple], repeat: int, rng: random.Random) -> list[dict]:
    """Every visit's claim once, then ``repeat`` of them again (same key, same body) inserted 1 to 48 places after
    the first send: with 64 clients taking requests in plan order, the two are usually in flight together."""
    plan = [claim_request(key, code, str(uuid.UUID(int=rng.getrandbits(128)))) for key, code in visits]
    rng.shuffle(plan)
    for i in sorted(rng.sample(range(len(plan)), repeat), reverse=True):
        plan.insert(min(len(plan), i + rng.randint(1, 48)), dict(plan[i]))
    return plan


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--units", type=int, default=100)
    parser.add_argument("--rate-claims", type=int, default=20000, help="claims available to the rate phase")
    parser.add_argument("--warm-claims", type=int, default=3000)
    parser.add_argument("--storm", type=int, default=10000, help="submissions in the retry storm")
    parser.add_argument("--repeat-share", type=float, default=0.2, help="the storm's share of repeated keys")
    parser.add_argument("--hcode-base", type=int, default=70000)
    parser.add_argument("--citizen-offset", type=int, default=CITIZEN_OFFSET)
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(12)
    service = fee_rated_service()
    province = Province.objects.get(code="10")
    units = make_units(args.units, 1, service, province, args.hcode_base)
    Unit.objects.filter(pk__in=[u.pk for u, _ in units]).update(opening_hours=ALL_DAY)
    repeats = round(args.storm * args.repeat_share)
    storm_visits = args.storm - repeats
    phases = {"warm": args.warm_claims, "rate": args.rate_claims, "storm": storm_visits}
    total = sum(phases.values())
    total += (-total) % args.units  # whole visits per unit
    ids = make_citizens(total, args.citizen_offset)
    visits = open_visits(units, ids, service, rng)
    rng.shuffle(visits)  # each phase's claims come from every unit, in no particular order
    start = 0
    for name, count in phases.items():
        chosen = visits[start:start + count]
        start += count
        plan = (storm_plan(chosen, repeats, rng) if name == "storm"
                else [claim_request(key, code, str(uuid.UUID(int=rng.getrandbits(128)))) for key, code in chosen])
        with (out / f"{name}.jsonl").open("w") as f:
            f.writelines(json.dumps(row) + "\n" for row in plan)
    meta = {"day": service_day().isoformat(), "unit_ids": [u.pk for u, _ in units], "visits": len(visits),
            "storm_submissions": args.storm, "storm_repeats": repeats, "storm_visits": storm_visits}
    (out / "meta.json").write_text(json.dumps(meta))
    with connection.cursor() as cursor:  # settle what was bulk-written (as bench.sh settles the registry)
        cursor.execute("VACUUM (ANALYZE) verification_visit, verification_verificationattempt, people_citizen,"
                       " people_coverage, units_unit, units_unitapikey, claims_claim, claims_claimsubmission")
    print(json.dumps({k: v for k, v in meta.items() if not k.endswith("_ids")}), file=sys.stderr)


if __name__ == "__main__":
    main()
