"""Demo data set: catalogue, units, logins, documented citizens (through the audited services) and the
bulk citizens (``loader``, with one summary audit row). Everything in one transaction: all or nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import connection, transaction

from raksa.audit.services import audit_record
from raksa.core.weekly_hours import DAYS
from raksa.demo import accounts, catalogue, generator, names
from raksa.demo.claims_history import HistoryReport, claims_history_create
from raksa.demo.loader import LoadReport, load_citizens
from raksa.people.models import Citizen, Coverage
from raksa.people.services import citizen_register, coverage_change
from raksa.units import services as unit_services
from raksa.units.models import Province, Service, Unit, UnitStatus, UnitType

PROVINCES_CSV = Path(unit_services.__file__).resolve().parent / "data" / "provinces.csv"
CONTRACTS_FROM = (catalogue.RATES_FROM, generator.ANCHOR)  # contracts start between these dates
MIN_UNITS = 12  # the 3 documented units + one of each of the 7 types + a suspended and a pending one

# Unit types of the random units (after one of each): pharmacies are the most numerous.
TYPE_WEIGHTS = ((UnitType.PHARMACY, 40), (UnitType.WARM_CLINIC, 12), (UnitType.DENTAL, 12),
                (UnitType.NURSING_CLINIC, 10), (UnitType.THAI_TRADITIONAL, 10), (UnitType.PHYSIOTHERAPY, 8),
                (UnitType.MEDICAL_LAB, 8))
STATUS_WEIGHTS = ((UnitStatus.VERIFIED, 85), (UnitStatus.PENDING, 10), (UnitStatus.SUSPENDED, 5))
SUSPEND_REASONS = (
    "ใบอนุญาตประกอบกิจการหมดอายุ อยู่ระหว่างต่ออายุ (licence expired, renewal pending)",
    "พบการเบิกซ้ำซ้อน อยู่ระหว่างตรวจสอบ (duplicate claims under review)",
    "ไม่ผ่านการตรวจประเมินมาตรฐานหน่วยบริการ (failed the standards audit)",
)
NAME_PATTERNS = {
    UnitType.PHARMACY: ("ร้านยา{w}", "{w}เภสัช", "ร้านยา{w}ฟาร์มาซี"),
    UnitType.NURSING_CLINIC: ("คลินิกการพยาบาลและการผดุงครรภ์{w}",),
    UnitType.PHYSIOTHERAPY: ("คลินิกกายภาพบำบัด{w}", "{w}กายภาพบำบัดคลินิก"),
    UnitType.MEDICAL_LAB: ("คลินิกเทคนิคการแพทย์{w}", "{w} แล็บ คลินิกเทคนิคการแพทย์"),
    UnitType.DENTAL: ("คลินิกทันตกรรม{w}", "{w}ทันตแพทย์"),
    UnitType.THAI_TRADITIONAL: ("คลินิกการแพทย์แผนไทย{w}", "{w}แพทย์แผนไทย"),
    UnitType.WARM_CLINIC: ("คลินิกชุมชนอบอุ่น{w}", "คลินิกเวชกรรม{w} (ชุมชนอบอุ่น)"),
}
_WEEKDAYS, _SAT, _SUN = DAYS[:5], "sat", "sun"
# Per type, (weekday hours, Saturday, Sunday) variants; an empty list means closed.
HOURS = {
    UnitType.PHARMACY: (([["08:00", "21:00"]], [["08:00", "21:00"]], [["09:00", "17:00"]]),
                        ([["08:30", "20:30"]], [["08:30", "20:30"]], [])),
    UnitType.WARM_CLINIC: (([["08:00", "12:00"], ["13:00", "20:00"]], [["08:00", "12:00"]], []),
                           ([["17:00", "20:00"]], [["09:00", "15:00"]], [["09:00", "12:00"]])),
    UnitType.DENTAL: (([["10:00", "19:00"]], [["10:00", "17:00"]], []),
                      ([["17:00", "20:00"]], [["09:00", "16:00"]], [["09:00", "16:00"]])),
    UnitType.NURSING_CLINIC: (([["16:00", "20:00"]], [["08:00", "12:00"]], [["08:00", "12:00"]]),
                              ([["07:00", "09:00"], ["16:00", "20:00"]], [["08:00", "16:00"]], [])),
    UnitType.PHYSIOTHERAPY: (([["09:00", "18:00"]], [["09:00", "15:00"]], []),
                             ([["13:00", "20:00"]], [["09:00", "17:00"]], [["09:00", "12:00"]])),
    UnitType.MEDICAL_LAB: (([["07:00", "16:00"]], [["07:00", "12:00"]], []),
                           ([["06:30", "15:00"]], [["06:30", "12:00"]], [["07:00", "11:00"]])),
    UnitType.THAI_TRADITIONAL: (([["09:00", "18:00"]], [["09:00", "18:00"]], [["09:00", "18:00"]]),
                                ([["10:00", "20:00"]], [["10:00", "20:00"]], [])),
}


@dataclass
class SeedResult:
    units: list[Unit] = field(default_factory=list)
    services: int = 0
    items: int = 0
    logins: list[str] = field(default_factory=list)
    demo_citizens: int = 0
    demo_faces: int = 0
    load: LoadReport | None = None
    history: HistoryReport | None = None


def provinces_with_coordinates() -> dict[str, tuple[Province, Decimal, Decimal]]:
    provinces = Province.objects.in_bulk()
    with PROVINCES_CSV.open(encoding="utf-8") as f:
        coords = {row["code"]: (Decimal(row["lat"]), Decimal(row["lon"])) for row in csv.DictReader(f)}
    return {code: (province, *coords[code]) for code, province in provinces.items() if code in coords}


def opening_hours(unit_type: str, variant: int) -> dict[str, list[list[str]]]:
    weekdays, saturday, sunday = HOURS[unit_type][variant % len(HOURS[unit_type])]
    hours = {day: [list(interval) for interval in weekdays] for day in _WEEKDAYS}
    hours[_SAT] = [list(interval) for interval in saturday]
    hours[_SUN] = [list(interval) for interval in sunday]
    return hours


def catalogue_load(*, actor=None) -> dict[str, Service]:
    """Services of the demo catalogue and their rates (through ``fee_rate_set``): illustrative, except the
    published figures (``CatalogueItem.public``). A service with a ``since`` date has no rate before it."""
    services = {}
    for item in catalogue.CATALOGUE:
        service, _ = Service.objects.get_or_create(
            code=item.code, defaults={"name_th": item.name_th, "name_en": item.name_en, "unit_type": item.unit_type,
                                      "illustrative": not item.public})
        services[item.code] = service
        if service.fee_rates.exists():
            continue
        note = catalogue.PUBLIC_NOTE if item.public else catalogue.ILLUSTRATIVE_NOTE
        if item.old_baht is not None:
            unit_services.fee_rate_set(actor=actor, service=service, amount_baht=item.old_baht,
                                       effective_from=item.first_rate_from, note=note, illustrative=not item.public)
        unit_services.fee_rate_set(actor=actor, service=service, amount_baht=item.baht,
                                   effective_from=catalogue.RATES_FROM if item.old_baht is not None
                                   else item.first_rate_from,
                                   note=note, illustrative=not item.public)
    return services


def items_load(*, actor=None) -> int:
    """The claimable items (medicines, supplies, add-ons) and their prices from RATES_FROM, through the
    items services (``raksa.claims.items``): illustrative prices except the published ones."""
    from raksa.claims.items import item_create, item_price_set
    from raksa.claims.models import Item

    existing = set(Item.objects.values_list("code", flat=True))
    made = 0
    for spec in catalogue.ITEMS:
        if spec.code in existing:
            continue
        item = item_create(actor=actor, code=spec.code, name_th=spec.name_th, name_en=spec.name_en,
                           unit_types=spec.unit_types, unit_label=spec.unit_label, max_quantity=spec.max_quantity,
                           illustrative=not spec.public)
        item_price_set(actor=actor, item=item, baht_per_unit=spec.baht, effective_from=catalogue.RATES_FROM,
                       illustrative=not spec.public)
        made += 1
    return made


def _weighted(rng: random.Random, weights) -> str:
    values, w = zip(*weights, strict=True)
    return rng.choices(values, weights=w)[0]


def _address(rng: random.Random, province: Province) -> tuple[str, str]:
    number = f"{rng.randint(1, 399)}" + (f"/{rng.randint(1, 30)}" if rng.random() < 0.4 else "")
    road = rng.choice(names.ROADS)
    tambon = rng.choice(names.SUBDISTRICTS)
    if province.code == "10":
        return f"{number} {road} {names.BANGKOK_SUBDISTRICT_WORD}{tambon}", rng.choice(names.BANGKOK_DISTRICTS)
    district = "อำเภอพระนครศรีอยุธยา" if province.code == "14" else f"อำเภอเมือง{province.name_th}"
    return f"{number} หมู่ {rng.randint(1, 15)} {road} ตำบล{tambon}", district


def _phone(rng: random.Random, province_code: str) -> str:
    if province_code == "10" and rng.random() < 0.6:
        return f"02-{rng.randint(100, 999)}-{rng.randint(0, 9999):04d}"
    return f"0{rng.choice('689')}{rng.randint(0, 9)}-{rng.randint(0, 999):03d}-{rng.randint(0, 9999):04d}"


def units_create(*, seed: int, count: int, services: dict[str, Service], actor=None) -> list[Unit]:
    """The documented demo units, then ``count - 3`` generated ones: every type, across provinces,
    mostly verified, some pending, a few suspended; each contracted for every service of its type."""
    rng = random.Random(f"raksa-demo-units:{seed}")
    provinces = provinces_with_coordinates()
    hcodes = iter(rng.sample([h for h in range(10000, 100000) if f"{h:05d}" not in accounts.DEMO_HCODES],
                             count - len(accounts.DEMO_UNITS)))
    plans = []
    for demo in accounts.DEMO_UNITS:
        plans.append((demo.hcode, demo.name, demo.unit_type, demo.province_code, demo.address, demo.district,
                      demo.status))
    gaps = {demo.hcode: set(demo.not_contracted) for demo in accounts.DEMO_UNITS}
    used_names = {plan[1] for plan in plans}
    all_types = [t for t, _ in TYPE_WEIGHTS]
    for k in range(count - len(accounts.DEMO_UNITS)):
        unit_type = all_types[k] if k < len(all_types) else _weighted(rng, TYPE_WEIGHTS)
        if k == len(all_types):
            status = UnitStatus.SUSPENDED
        elif k == len(all_types) + 1:
            status = UnitStatus.PENDING
        else:
            status = _weighted(rng, STATUS_WEIGHTS)
        province_code = generator.weighted_province(rng.random())
        name = rng.choice(NAME_PATTERNS[unit_type]).format(w=rng.choice(names.UNIT_NAME_WORDS))
        base, branch = name, 2
        while name in used_names:
            name, branch = f"{base} สาขา {branch}", branch + 1
        used_names.add(name)
        address, district = _address(rng, provinces[province_code][0])
        plans.append((f"{next(hcodes):05d}", name, unit_type, province_code, address, district, status))

    units = []
    span = (CONTRACTS_FROM[1] - CONTRACTS_FROM[0]).days
    for hcode, name, unit_type, province_code, address, district, status in plans:
        province, lat, lon = provinces[province_code]
        jitter = Decimal("0.000001")
        unit = unit_services.unit_register(
            actor=actor, hcode=hcode, name=name, unit_type=unit_type, province=province, address=address,
            district=district,
            latitude=(lat + Decimal(rng.uniform(-0.08, 0.08))).quantize(jitter),
            longitude=(lon + Decimal(rng.uniform(-0.08, 0.08))).quantize(jitter),
            opening_hours=opening_hours(unit_type, rng.randrange(4)), phone=_phone(rng, province_code))
        if status == UnitStatus.VERIFIED:
            unit = unit_services.unit_verify(actor=actor, unit=unit, reason="ตรวจสอบเอกสารใน OSS ครบถ้วน")
        elif status == UnitStatus.SUSPENDED:
            unit = unit_services.unit_verify(actor=actor, unit=unit, reason="ตรวจสอบเอกสารใน OSS ครบถ้วน")
            unit = unit_services.unit_suspend(actor=actor, unit=unit, reason=rng.choice(SUSPEND_REASONS))
        valid_from = CONTRACTS_FROM[0] + dt.timedelta(days=rng.randrange(span))
        for item in catalogue.services_for_type(unit_type):
            if item.code in gaps.get(hcode, ()):
                continue
            unit_services.unit_service_contract(actor=actor, unit=unit, service=services[item.code],
                                                valid_from=max(valid_from, item.since or valid_from))
        units.append(unit)
    return units


def logins_create() -> list[str]:
    """The documented logins (``accounts.DEMO_LOGINS``), all with ``accounts.DEMO_PASSWORD``."""
    user_model = get_user_model()
    hashed = None  # one PBKDF2 hash, reused: the demo password is public anyway, and hashing is slow
    created = []
    units = {u.hcode: u for u in Unit.objects.filter(hcode__in=accounts.DEMO_HCODES)}
    for login in accounts.DEMO_LOGINS:
        if login.kind == "officer":
            user = unit_services.officer_create(actor=None, username=login.username, password=accounts.DEMO_PASSWORD,
                                                first_name=login.first_name, last_name=login.last_name)
            hashed = hashed or user.password
        else:
            user = user_model(username=login.username, first_name=login.first_name, last_name=login.last_name,
                              is_staff=login.kind == "superuser", is_superuser=login.kind == "superuser")
            if hashed is None:
                user.set_password(accounts.DEMO_PASSWORD)
                hashed = user.password
            user.password = hashed
            user.save()
            audit_record(actor=None, action="user.create", obj=user,
                         after={"username": user.username, "superuser": user.is_superuser})
        for hcode, role in login.memberships:
            unit_services.staff_add(actor=None, user=user, unit=units[hcode], role=role)
        created.append(login.username)
    return created


def schedules_create(units: list[Unit]) -> int:
    """Bookable times at the demo units (verified ones): every contracted service except the pharmacy groups
    added in 2024 (``CatalogueItem.since``; sixteen more schedules of 14 days of slots each would double the
    first start, and people book a pharmacy for the common groups), the unit's opening hours, half-hour slots
    with two seats, bookable 14 days ahead with 30 minutes' notice."""
    from raksa.booking.services import schedule_set
    from raksa.units.models import UnitService

    made = 0
    for unit in units:
        if unit.hcode not in accounts.DEMO_HCODES or not unit.is_verified:
            continue
        for contract in UnitService.objects.filter(unit=unit, valid_to__isnull=True).select_related("service"):
            if contract.service.code in catalogue.ADDED_LATER:
                continue
            schedule_set(actor=None, unit=unit, service=contract.service, weekly_hours=unit.opening_hours,
                         slot_minutes=30, seats_per_slot=2, book_ahead_days=14, min_notice_minutes=30)
            made += 1
    return made


def demo_citizens_create() -> int:
    for person in accounts.DEMO_CITIZENS:
        citizen = citizen_register(actor=None, national_id=person.national_id, first_name_th=person.first_name_th,
                                   last_name_th=person.last_name_th, birth_date=person.birth_date,
                                   title_th=person.title_th, sex=person.sex, laser_code=person.laser_code)
        for cover in person.coverages:
            coverage_change(actor=None, citizen=citizen, scheme=cover.scheme, subtype=cover.subtype,
                            valid_from=cover.valid_from, valid_to=cover.valid_to)
    return len(accounts.DEMO_CITIZENS)


def demo_faces_enrol() -> int:
    """Enrol the reference faces of the demo citizens marked ``face_enrolled`` from the photos shipped inside
    installed packages (only the encoding is kept). The others' references come from the civil registry at the
    counter (raksa.people.face_fetch, the stand-in in the demo), as every reference does in production; seeding does
    not ask the registry itself because it runs without the stand-in (tests, benchmarks, before `make run` starts
    it)."""
    from raksa.integrations.face.engine import FaceQuality, get_engine
    from raksa.integrations.face.samples import sample_photo
    from raksa.people.faces import face_template_set
    from raksa.people.selectors import citizen_get_by_national_id

    engine, enrolled = get_engine(), 0
    for person in accounts.DEMO_CITIZENS:
        if not (person.face_photo and person.face_enrolled):
            continue
        found = engine.analyse(sample_photo(person.face_photo))
        if found.quality != FaceQuality.OK:
            raise RuntimeError(f"the demo photo {person.face_photo} gave {found.quality}, not a usable face")
        face_template_set(actor=None, citizen=citizen_get_by_national_id(person.national_id),
                          encoding=found.encoding, source=f"demo_photo:{person.face_photo}")
        enrolled += 1
    return enrolled


def main_units_by_province(units: list[Unit]) -> dict[str, int]:
    """A verified warm clinic per province (lowest hcode): the main unit of UCS members living there."""
    chosen: dict[str, Unit] = {}
    for unit in units:
        if unit.unit_type == UnitType.WARM_CLINIC and unit.status == UnitStatus.VERIFIED:
            current = chosen.get(unit.province_id)
            if current is None or unit.hcode < current.hcode:
                chosen[unit.province_id] = unit
    return {code: unit.pk for code, unit in chosen.items()}


def seed_demo(*, citizens: int, units: int, seed: int, workers: int | None = None, progress=None) -> SeedResult:
    if units < MIN_UNITS:
        raise ValueError(f"at least {MIN_UNITS} units are needed (got {units})")
    if not 0 <= citizens <= generator.MAX_CITIZENS:
        raise ValueError(f"citizens must be between 0 and {generator.MAX_CITIZENS}")
    result = SeedResult()
    with transaction.atomic():
        services = catalogue_load()
        result.services = len(services)
        result.items = items_load()
        result.units = units_create(seed=seed, count=units, services=services)
        result.logins = logins_create()
        schedules_create(result.units)
        result.demo_citizens = demo_citizens_create()
        result.demo_faces = demo_faces_enrol()
        report = load_citizens(seed=seed, count=citizens, main_units=main_units_by_province(result.units),
                               workers=workers, progress=progress)
        result.load = report
        if connection.vendor == "postgresql":  # the history's queries plan on the rows just loaded
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {Citizen._meta.db_table}, {Coverage._meta.db_table}")
        result.history = claims_history_create(seed=seed, first_generated_id=report.first_id)
        last_id = report.first_id + citizens - 1 if report.first_id else None
        audit_record(
            actor=None, action="demo.seed", object_type="people.citizen",
            object_id=f"{report.first_id}-{last_id}" if report.first_id else "",
            after={"seed": seed, "citizens": citizens, "coverages": report.coverages, "units": units,
                   "method": report.method, "workers": report.workers, "first_citizen_id": report.first_id,
                   "last_citizen_id": last_id,
                   "seconds": round(report.seconds, 3), "anchor": generator.ANCHOR.isoformat(),
                   "generator": "raksa.demo.generator/1"})
        commit_started = time.perf_counter()
    report.seconds += time.perf_counter() - commit_started  # the commit runs the deferred foreign-key checks
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # fresh planner statistics after a bulk load
            cursor.execute(f"ANALYZE {Citizen._meta.db_table}, {Coverage._meta.db_table}")
    return result
