"""Set up the verification benchmark (scripts/bench-verify.sh): bench units with API keys, citizens booked today
at them, one unused rights QR per citizen, and the request plans for bench/loadgen.py; also the units and people
of the authen-code race (bench/verify_race.py). Run with DJANGO_SETTINGS_MODULE and DATABASE_URL set.

Speed of setting up: the bookings and the codes are written in bulk, as the rows ``booking_create`` (confirmed,
channel LINE) and ``rights_qr_issue`` (a token's SHA-256 digest, bound to that day's booking) write, without
their audit rows (bench/tests/test_verify_setup.py redeems such a code through the domain function). The codes
are valid for RAKSA_RIGHTS_QR_SECONDS from the moment they are written: scripts/bench-verify.sh sets it to
15 minutes for this process only, as the surge comes a minute or more after set-up (the check `expires_at > now`
costs the same whatever the value).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import secrets
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.booking_setup import make_citizens, make_units  # noqa: E402
from raksa.booking.models import Booking, BookingChannel, BookingStatus, Slot  # noqa: E402
from raksa.booking.services.create import new_reference  # noqa: E402
from raksa.core.pii import lookup_hash  # noqa: E402
from raksa.core.timeutil import service_day  # noqa: E402
from raksa.people.models import Citizen  # noqa: E402
from raksa.units.models import Province, Service, UnitType  # noqa: E402
from raksa.verification.models import RightsQrToken  # noqa: E402
from raksa.verification.services import TOKEN_PREFIX, token_digest  # noqa: E402

# Bench citizens' numbers (bench.booking_setup.bench_national_id): the booking runs use 0… and 1,000,000…
CITIZEN_OFFSET = 2_000_000
SEATS = 10  # 12 slots a day (08:00-20:00) x 10 seats: room for each unit's booked citizens


def citizen_ids_of(national_ids: list[str]) -> dict[str, int]:
    hashes = {bytes(lookup_hash(n)): n for n in national_ids}
    rows = Citizen.objects.filter(cid_hash__in=list(hashes)).values_list("cid_hash", "id")
    return {hashes[bytes(h)]: pk for h, pk in rows}


def book_today(units: list[tuple], national_ids: list[str], day: dt.date) -> list[tuple[str, Booking]]:
    """One confirmed booking today per citizen, ``len(national_ids) // len(units)`` per unit, spread over the
    unit's slots of the day; the slots' seat counters count them. Returns (API key, booking) pairs."""
    per_unit = len(national_ids) // len(units)
    citizen_ids = citizen_ids_of(national_ids)
    rows: list[tuple[str, Booking]] = []
    with transaction.atomic():
        for u, (unit, key) in enumerate(units):
            slots = list(Slot.objects.filter(unit=unit, day=day).order_by("starts_at"))
            batch = []
            for j in range(per_unit):
                slot = slots[j % len(slots)]
                batch.append(Booking(reference=new_reference(), citizen_id=citizen_ids[national_ids[u * per_unit + j]],
                                     unit_id=unit.pk, service_id=slot.service_id, slot=slot, day=day,
                                     status=BookingStatus.CONFIRMED, channel=BookingChannel.LINE))
            Booking.objects.bulk_create(batch)
            rows += [(key, b) for b in batch]
        with connection.cursor() as cursor:
            cursor.execute("UPDATE booking_slot s SET booked = s.booked + n.c FROM (SELECT slot_id, count(*) AS c"
                           " FROM booking_booking WHERE id = ANY(%s) GROUP BY slot_id) n WHERE s.id = n.slot_id",
                           [[b.pk for _, b in rows]])
    return rows


def issue_codes(bookings: list[tuple[str, Booking]]) -> list[dict]:
    """An unused rights QR for each booked citizen (the row rights_qr_issue writes); the plan's requests."""
    now = timezone.now()
    expires_at = now + dt.timedelta(seconds=settings.RAKSA_RIGHTS_QR_SECONDS)
    plan, tokens = [], []
    for key, booking in bookings:
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)  # as rights_qr_issue draws it
        tokens.append(RightsQrToken(digest=token_digest(token), citizen_id=booking.citizen_id, booking=booking,
                                    issued_at=now, expires_at=expires_at))
        plan.append({"path": "/api/v1/visits/rights-qr", "key": key, "body": {"token": token}})
    RightsQrToken.objects.bulk_create(tokens, batch_size=5000)
    return plan


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--units", type=int, default=200, help="units whose counters redeem codes in the surge")
    parser.add_argument("--per-unit", type=int, default=50, help="booked citizens per unit (one code each)")
    parser.add_argument("--warm-units", type=int, default=20)
    parser.add_argument("--warm-per-unit", type=int, default=50)
    parser.add_argument("--race-units", type=int, default=8)
    parser.add_argument("--race-people", type=int, default=200)
    parser.add_argument("--hcode-base", type=int, default=60000, help="surge units from here, warm +1000, race +2000")
    parser.add_argument("--citizen-offset", type=int, default=CITIZEN_OFFSET, help="bench citizens' numbers from here"
                        " (another run on the same database needs citizens of its own)")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    service = Service.objects.filter(unit_type=UnitType.PHARMACY, active=True).order_by("code").first()
    province = Province.objects.get(code="10")
    surge = make_units(args.units, SEATS, service, province, args.hcode_base)
    warm = make_units(args.warm_units, SEATS, service, province, args.hcode_base + 1000)
    race = make_units(args.race_units, SEATS, service, province, args.hcode_base + 2000)
    n_surge, n_warm = args.units * args.per_unit, args.warm_units * args.warm_per_unit
    ids = make_citizens(n_surge + n_warm + args.race_people, args.citizen_offset)
    day = service_day()
    rng = random.Random(11)
    for name, units, people in (("surge", surge, ids[:n_surge]), ("warm", warm, ids[n_surge:n_surge + n_warm])):
        plan = issue_codes(book_today(units, people, day))
        rng.shuffle(plan)  # codes arrive at the units' counters in no particular order
        with (out / f"{name}.jsonl").open("w") as f:
            f.writelines(json.dumps(row) + "\n" for row in plan)
    race_people = list(citizen_ids_of(ids[n_surge + n_warm:]).values())
    meta = {"day": day.isoformat(), "service_id": service.pk, "surge_unit_ids": [u.pk for u, _ in surge],
            "surge_codes": n_surge, "race_unit_ids": [u.pk for u, _ in race], "race_citizen_ids": race_people,
            "codes_valid_seconds": settings.RAKSA_RIGHTS_QR_SECONDS}
    (out / "meta.json").write_text(json.dumps(meta))
    # Settle what was just bulk-written, as bench.sh settles the seeded registry: a service's tables are not
    # freshly loaded, and autovacuum analysing them mid-surge would take a core from the measurement.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) booking_booking, booking_slot, verification_rightsqrtoken, people_citizen,"
                       " people_coverage, units_unit, units_unitapikey")
    print(json.dumps({k: v for k, v in meta.items() if not k.endswith("_ids")}), file=sys.stderr)


if __name__ == "__main__":
    main()
