"""Set up the booking surge: hot units, many units, their schedules for tomorrow, API keys, citizens,
and the request plans for bench/loadgen.py. Run with DJANGO_SETTINGS_MODULE and DATABASE_URL set.

Bench citizens have national IDs starting with 5 (a category the demo generator never uses), so they
never clash with the seeded registry they sit beside.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402

from raksa.booking.models import Slot  # noqa: E402
from raksa.booking.services import schedule_set  # noqa: E402
from raksa.core.timeutil import service_day  # noqa: E402
from raksa.people import national_id as nid  # noqa: E402
from raksa.people.models import Citizen, Coverage  # noqa: E402
from raksa.people.services import citizen_fields_for_id  # noqa: E402
from raksa.units.models import Province, Service, Unit, UnitService, UnitStatus, UnitType  # noqa: E402
from raksa.units.services import unit_api_key_issue  # noqa: E402

HOURS = {d: [["08:00", "20:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}  # 24 half-hour slots


def bench_national_id(i: int) -> str:
    first12 = f"59{i:010d}"
    return first12 + str(nid.check_digit(first12))


@transaction.atomic
def make_units(count: int, seats: int, service: Service, province: Province, start_hcode: int) -> list[tuple]:
    """``count`` units with the first free hcodes from ``start_hcode`` on (the seeded registry's units
    have random hcodes anywhere in 10000-99999)."""
    taken = set(Unit.objects.filter(hcode__gte=f"{start_hcode:05d}").values_list("hcode", flat=True))
    hcodes = [h for h in (f"{n:05d}" for n in range(start_hcode, 100000)) if h not in taken][:count]
    if len(hcodes) < count:
        raise SystemExit(f"no {count} free hcodes from {start_hcode} on")
    units = Unit.objects.bulk_create([
        Unit(hcode=hcode, name=f"ร้านยาทดสอบโหลด {hcode}", unit_type=UnitType.PHARMACY,
             province=province, status=UnitStatus.VERIFIED) for hcode in hcodes])
    UnitService.objects.bulk_create([UnitService(unit=u, service=service, valid_from=dt.date(2020, 1, 1))
                                     for u in units])
    result = []
    for unit in units:
        schedule_set(actor=None, unit=unit, service=service, weekly_hours=HOURS, slot_minutes=30,
                     seats_per_slot=seats, book_ahead_days=2, min_notice_minutes=0)
        key, _ = unit_api_key_issue(actor=None, unit=unit, label="bench")
        result.append((unit, key))
    return result


def make_citizens(count: int, offset: int) -> list[str]:
    ids = [bench_national_id(offset + i) for i in range(count)]
    for start in range(0, count, 5000):
        chunk = ids[start:start + 5000]
        with transaction.atomic():
            citizens = Citizen.objects.bulk_create([
                Citizen(first_name_th="ทดสอบ", last_name_th=f"โหลด{start + i}", birth_date=dt.date(1980, 1, 1),
                        **citizen_fields_for_id(national_id)) for i, national_id in enumerate(chunk)])
            Coverage.objects.bulk_create([Coverage(citizen=c, scheme="UCS", subtype="WEL",
                                                   valid_from=dt.date(2020, 1, 1)) for c in citizens])
    return ids


def pgbench_tables(units: list[Unit], day: dt.date, ids: list[str]) -> int:
    """Lookup tables for bench/booking.pgbench: the n-th bench citizen's HMAC and the n-th slot's key."""
    from django.db import connection

    from raksa.core.pii import lookup_hash

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_citizen, bench_slot")
        cursor.execute("CREATE TABLE bench_citizen (n int PRIMARY KEY, cid_hash bytea NOT NULL, citizen_id bigint)")
        cursor.execute("CREATE TABLE bench_slot (n int PRIMARY KEY, slot_id bigint NOT NULL, key_digest bytea,"
                       " unit_id bigint, service_id bigint, day date)")
        with cursor.connection.cursor().copy("COPY bench_citizen (n, cid_hash) FROM STDIN") as copy:
            for n, national_id in enumerate(ids, start=1):
                copy.write_row((n, lookup_hash(national_id)))
        cursor.execute("UPDATE bench_citizen b SET citizen_id = p.id FROM people_citizen p"
                       " WHERE p.cid_hash = b.cid_hash")
        cursor.execute(
            "INSERT INTO bench_slot (n, slot_id, key_digest, unit_id, service_id, day) "
            "SELECT row_number() OVER (ORDER BY s.id), s.id, "
            "(SELECT k.digest FROM units_unitapikey k WHERE k.unit_id = s.unit_id LIMIT 1),"
            " s.unit_id, s.service_id, s.day "
            "FROM booking_slot s WHERE s.unit_id = ANY(%s) AND s.day = %s", [[u.pk for u in units], day])
        cursor.execute("ANALYZE bench_citizen; ANALYZE bench_slot")
        cursor.execute("SELECT count(*) FROM bench_slot")
        return cursor.fetchone()[0]


def pgbench_script() -> str:
    """POST /api/v1/bookings's database work as a pgbench script, built from the very SQL strings
    raksa.booking.sql holds (both prepared, as pgbench -M prepared does): the facts query, then
    the one-statement write. Each ``%s`` becomes what the app would bind; lookups in bench_citizen /
    bench_slot (primary-key reads) stand in for values the app computes in Python (the ID's HMAC,
    the slot's unit, service and day from the facts). The API key lookup is not in it: the app
    remembers live keys (raksa.units.selectors), so a surge rarely reads them."""
    from raksa.booking.sql import INSERT_IN_ONE_STATEMENT_SQL, SLOT_FACTS_BY_HASH_SQL

    def bind(sql: str, values: list[str]) -> str:
        parts = sql.split("%s")
        assert len(parts) == len(values) + 1, (len(parts), len(values))
        return "".join(p + v for p, v in zip(parts, values, strict=False)) + parts[-1]

    slot = "(SELECT slot_id FROM bench_slot WHERE n = :s)"
    facts = bind(SLOT_FACTS_BY_HASH_SQL, ["(SELECT cid_hash FROM bench_citizen WHERE n = :c)", slot])
    write = bind(INSERT_IN_ONE_STATEMENT_SQL, [
        slot, "upper(substr(md5(random()::text), 1, 8))", "(SELECT citizen_id FROM bench_citizen WHERE n = :c)",
        "(SELECT unit_id FROM bench_slot WHERE n = :s)", "(SELECT service_id FROM bench_slot WHERE n = :s)",
        "(SELECT day FROM bench_slot WHERE n = :s)", "'awaiting_citizen'", "'portal'", "NULL", "now()",
        "now() + interval '2 hours'", "now()",
        "now()", "NULL", "'system'", "'booking.create'", "'booking.booking'", "'{\"status\": \"awaiting_citizen\"}'",
        "md5(random()::text)"])
    # Random citizens meet the same unit twice now and then: the app answers ALREADY_BOOKED (an error);
    # pgbench would stop that client, so here the clash inserts nothing instead.
    write = write.replace(" FROM seat RETURNING id", " FROM seat ON CONFLICT DO NOTHING RETURNING id")
    assert "ON CONFLICT" in write
    return ("-- Generated by bench/booking_setup.py from raksa.booking.services (see pgbench_script there).\n"
            "\\set c random(1, :ncitizens)\n\\set s random(1, :nslots)\n" + facts + ";\n" + write + ";\n")


def plan(units: list[tuple], ids: list[str], per_unit: int, day: dt.date, rng: random.Random) -> list[dict]:
    """``per_unit`` requests per unit, each a distinct citizen booking a random slot of that day."""
    rows = []
    for n, (unit, key) in enumerate(units):
        slots = list(Slot.objects.filter(unit=unit, day=day).values_list("pk", flat=True))
        for j in range(per_unit):
            citizen = ids[(n * per_unit + j) % len(ids)]
            rows.append({"path": "/api/v1/bookings", "key": key,
                         "body": {"national_id": citizen, "slot_id": rng.choice(slots)}})
    rng.shuffle(rows)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--hot-units", type=int, default=4)
    parser.add_argument("--hot-seats", type=int, default=10)
    parser.add_argument("--hot-oversubscribe", type=float, default=1.5)
    parser.add_argument("--many-units", type=int, default=300)
    parser.add_argument("--many-requests", type=int, default=60)
    parser.add_argument("--many-seats", type=int, default=3)
    parser.add_argument("--warm-units", type=int, default=20)
    parser.add_argument("--warm-requests", type=int, default=40)
    parser.add_argument("--pgbench-units", type=int, default=40)
    parser.add_argument("--pgbench-seats", type=int, default=100)
    # A second surge on the same database (make bench's durable run) needs units and citizens of its own.
    parser.add_argument("--hcode-base", type=int, default=70000, help="hot units from here, many +1000, warm +2000,"
                        " pgbench +3000")
    parser.add_argument("--citizen-offset", type=int, default=0, help="bench citizens' numbers start here")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(42)
    service = Service.objects.filter(unit_type=UnitType.PHARMACY, active=True).order_by("code").first()
    if service is None:
        service = Service.objects.create(code="BENCH1", name_th="บริการทดสอบ", name_en="Bench", unit_type="pharmacy")
    province = Province.objects.get(code="10")
    base = args.hcode_base
    hot = make_units(args.hot_units, args.hot_seats, service, province, base)
    many = make_units(args.many_units, args.many_seats, service, province, base + 1000)
    warm = make_units(args.warm_units, args.hot_seats, service, province, base + 2000)
    hot_seats = args.hot_units * 24 * args.hot_seats
    hot_requests = int(hot_seats * args.hot_oversubscribe / args.hot_units)
    ids = make_citizens(max(hot_requests * args.hot_units, args.many_requests * args.many_units) + 10,
                        args.citizen_offset)
    tomorrow = service_day() + dt.timedelta(days=1)
    for name, rows in (("warm", plan(warm, ids, args.warm_requests, tomorrow, rng)),
                       ("hot", plan(hot, ids, hot_requests, tomorrow, rng)),
                       ("many", plan(many, ids, args.many_requests, tomorrow, rng))):
        with (out / f"{name}.jsonl").open("w") as f:
            for row in rows:
                f.write(json.dumps(row) + "\n")
    pgbench_units = make_units(args.pgbench_units, args.pgbench_seats, service, province, base + 3000)
    npgslots = pgbench_tables([u for u, _ in pgbench_units], tomorrow, ids)
    (out / "booking.pgbench").write_text(pgbench_script())
    meta = {"service_id": service.pk, "day": tomorrow.isoformat(), "hot_seats": hot_seats,
            "citizens": len(ids), "pgbench_slots": npgslots}
    print(json.dumps(meta), file=sys.stderr)
    meta["surge_unit_ids"] = [u.pk for u, _ in hot + many + warm]  # bench/booking_report.py checks their seats
    (out / "meta.json").write_text(json.dumps(meta))


if __name__ == "__main__":
    main()
