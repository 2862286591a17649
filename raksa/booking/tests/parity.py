"""The parity tests' world: a place where every answer booking can give has a request that gets it,
built and read back by name, so that two runs (two write paths, a batch and one at a time, the fast
lane and django-ninja) compare answer by answer and row by row.

Used by raksa/booking/tests/test_booking_parity.py, test_booking_batch_properties.py and
interfaces/api/tests/test_booking_parity_api.py. The private names of the booking engine that these
tests need are here and only here (``WRITES_IN_ONE_STATEMENT``, ``BOOKED_ALONE``): repoint them when
they move.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, NamedTuple
from unittest import mock

from django.db import transaction
from django.utils import timezone

from raksa.audit.models import AuditEntry
from raksa.booking import batch as batch_module
from raksa.booking.batch import BookingRequest, bookings_create_many
from raksa.booking.models import Booking, BookingChannel, Schedule, Slot
from raksa.booking.services import booking_create
from raksa.booking.tests.helpers import ALL_DAY
from raksa.core.errors import DomainError
from raksa.core.request_context import reset_request_id, set_request_id
from raksa.core.timeutil import BANGKOK, service_day
from raksa.people.models import Scheme
from raksa.testing.factories import (
    CitizenFactory,
    CoverageFactory,
    ServiceFactory,
    UnitFactory,
    UnitServiceFactory,
    make_national_id,
)
from raksa.units.models import UnitStatus, UnitType

# Private names (change these when they move). Which write path booking_create takes:
WRITES_IN_ONE_STATEMENT = "raksa.booking.services.create.writes_in_one_statement"
BOOKED_ALONE = "_one"  # raksa.booking.batch's "book this request with booking_create" (a lone run, a fallback)

DAY_AHEAD = 3  # the world's day: far enough ahead that a midnight during a test changes no answer
INVALID_NATIONAL_ID = "1234567890123"  # 13 digits, wrong check digit
MISSING_SLOT_ID = 10**9

# Every slot by name: (unit, service, days after the world's day, Bangkok hour, capacity). The
# unit and service names are the world's; "withdrawn" is withdrawn, "full" is filled by the holder.
SLOTS: dict[str, tuple[str, str, int, int, int]] = {
    "a": ("home", "svc", 0, 9, 2),
    "b": ("home", "svc", 0, 10, 2),
    "c": ("home", "svc", 0, 11, 2),
    "d": ("home", "svc", 0, 12, 3),
    "full": ("home", "svc", 0, 13, 1),
    "withdrawn": ("home", "svc", 0, 14, 2),
    "one": ("home", "svc", 0, 15, 1),
    "next_day": ("home", "svc", 1, 9, 2),
    "other": ("other", "svc", 0, 9, 2),
    "pending": ("pending", "svc", 0, 9, 2),
    "suspended": ("suspended", "svc", 0, 9, 2),
    "inactive_service": ("home", "inactive_service", 0, 9, 2),
    "clinic_service": ("home", "clinic_service", 0, 9, 2),
    "uncontracted": ("home", "uncontracted", 0, 9, 2),
    "contract_ended": ("home", "contract_ended", 0, 9, 2),
    "closed_schedule": ("home", "closed_schedule", 0, 9, 2),
    "notice": ("home", "notice", 0, 9, 2),
    "window": ("home", "window", 0, 9, 2),
}
UNITS = ("home", "other", "pending", "suspended")


class Ask(NamedTuple):
    """A booking request by name: ``citizen`` asks for ``slot``, the caller acting for ``unit``
    (None: a caller allowed at every unit, as an officer's session)."""

    citizen: str
    slot: str
    unit: str | None = "home"


@dataclass
class World:
    now: dt.datetime
    day: dt.date
    unit_ids: dict[str, int]
    hcodes: dict[str, str]
    service_ids: dict[str, int]
    service_codes: dict[str, str]
    slot_ids: dict[str, int]
    national_ids: dict[str, str]
    citizen_ids: dict[str, int]
    keys: dict[str, str] = field(default_factory=dict)  # unit name -> API key (build_world(api_keys=True))

    def request(self, ask: Ask) -> tuple[str, int, int | None]:
        """(national_id, slot_id, for_unit_id) of ``ask``."""
        slot_id = MISSING_SLOT_ID if ask.slot == "missing" else self.slot_ids[ask.slot]
        return self.national_ids[ask.citizen], slot_id, None if ask.unit is None else self.unit_ids[ask.unit]

    def name_of(self) -> dict[str, dict[Any, str]]:
        """Ids (and codes) back to names, by kind."""
        by_name = {"unit": self.unit_ids, "service": self.service_ids, "slot": self.slot_ids,
                   "citizen": self.citizen_ids, "hcode": self.hcodes, "code": self.service_codes}
        return {kind: {value: name for name, value in names.items()} for kind, names in by_name.items()}


def build_world(*, citizens: int = 12, api_keys: bool = False) -> World:
    """Four pharmacies (verified ``home`` and ``other``, ``pending``, ``suspended``), the services that
    make each refusal, the slots of :data:`SLOTS` on the world's day, UCS citizens ``ucs0``… and one
    citizen for each other answer: ``holder`` (holds ``full``, the only seat of that slot, so any
    other request of theirs at ``home`` that day is ALREADY_BOOKED), ``no_coverage``, ``not_started``,
    ``expired``, ``sss`` (NOT_UCS), ``unknown`` (a valid ID nobody has), ``invalid`` (a wrong check digit)."""
    now = timezone.now()
    day = service_day(now) + dt.timedelta(days=DAY_AHEAD)
    units = {"home": UnitFactory(), "other": UnitFactory(), "pending": UnitFactory(status=UnitStatus.PENDING),
             "suspended": UnitFactory(status=UnitStatus.SUSPENDED)}
    services = {name: ServiceFactory(unit_type=UnitType.PHARMACY) for name in
                ("svc", "uncontracted", "contract_ended", "closed_schedule", "notice", "window")}
    services["inactive_service"] = ServiceFactory(unit_type=UnitType.PHARMACY, active=False)
    services["clinic_service"] = ServiceFactory(unit_type=UnitType.DENTAL)
    for unit in units.values():
        UnitServiceFactory(unit=unit, service=services["svc"])
    for name in ("closed_schedule", "notice", "window", "inactive_service", "clinic_service"):
        UnitServiceFactory(unit=units["home"], service=services[name])
    UnitServiceFactory(unit=units["home"], service=services["contract_ended"], valid_to=day - dt.timedelta(days=1))
    rules = {"closed_schedule": {"active": False}, "notice": {"min_notice_minutes": 10 * 24 * 60},
             "window": {"book_ahead_days": DAY_AHEAD - 2}}
    schedules: dict[tuple[str, str], Schedule] = {}
    slot_ids = {}
    for name, (unit, service, days, hour, capacity) in SLOTS.items():
        schedule = schedules.get((unit, service))
        if schedule is None:
            schedule = schedules[unit, service] = Schedule.objects.create(
                unit=units[unit], service=services[service], weekly_hours=ALL_DAY, slot_minutes=60, seats_per_slot=2,
                **{"book_ahead_days": 14, "min_notice_minutes": 0, **rules.get(service, {})})
        starts = dt.datetime.combine(day + dt.timedelta(days=days), dt.time(hour), tzinfo=BANGKOK)
        slot_ids[name] = Slot.objects.create(
            unit=units[unit], service=services[service], schedule=schedule, starts_at=starts,
            ends_at=starts + dt.timedelta(hours=1), day=starts.date(), capacity=capacity,
            withdrawn=name == "withdrawn").pk
    coverage = {"no_coverage": None, "not_started": {"valid_from": day + dt.timedelta(days=1)},
                "expired": {"valid_to": day - dt.timedelta(days=1)}, "sss": {"scheme": Scheme.SSS}, "holder": {},
                **{f"ucs{i}": {} for i in range(citizens)}}
    national_ids, citizen_ids = {}, {}
    for name, rights in coverage.items():
        national_ids[name] = make_national_id()
        citizen = CitizenFactory(national_id=national_ids[name])
        citizen_ids[name] = citizen.pk
        if rights is not None:
            CoverageFactory(citizen=citizen, **rights)
    national_ids["unknown"], national_ids["invalid"] = make_national_id(), INVALID_NATIONAL_ID
    world = World(now=now, day=day, unit_ids={k: u.pk for k, u in units.items()},
                  hcodes={k: u.hcode for k, u in units.items()}, service_ids={k: s.pk for k, s in services.items()},
                  service_codes={k: s.code for k, s in services.items()}, slot_ids=slot_ids,
                  national_ids=national_ids, citizen_ids=citizen_ids)
    booking_create(actor=None, national_id=national_ids["holder"], slot_id=slot_ids["full"],
                   channel=BookingChannel.PORTAL, now=now, for_unit_id=world.unit_ids["home"])
    if api_keys:
        from raksa.units.services import unit_api_key_issue

        world.keys = {name: unit_api_key_issue(actor=None, unit=unit, label="ระบบร้านยา")[0]
                      for name, unit in units.items()}
    return world


# ---- running requests -------------------------------------------------------------------------------

@contextmanager
def write_path(name: str) -> Iterator[None]:
    """booking_create writes in ``one_statement`` (PostgreSQL) or in a ``transaction`` (elsewhere): force one."""
    with mock.patch(WRITES_IN_ONE_STATEMENT, lambda: name == "one_statement"):
        yield


@contextmanager
def rolled_back() -> Iterator[None]:
    """What runs inside is undone afterwards (a savepoint of the test's transaction): each path of a
    parity test starts from the same world."""
    savepoint = transaction.savepoint()
    try:
        yield
    finally:
        transaction.savepoint_rollback(savepoint)


def book_one_at_a_time(world: World, asks: Sequence[Ask], order: Sequence[int] | None = None) -> list:
    """Each request with booking_create, as the API books for a unit (channel api, no user), in
    ``order`` (indexes of ``asks``; default: as given). One result per ask, in the asks' order: the
    Booking, or the DomainError that refused it."""
    results: list = [None] * len(asks)
    for i in range(len(asks)) if order is None else order:
        national_id, slot_id, unit_id = world.request(asks[i])
        token = set_request_id(f"r{i}")
        try:
            results[i] = booking_create(actor=None, national_id=national_id, slot_id=slot_id,
                                        channel=BookingChannel.API, now=world.now, for_unit_id=unit_id)
        except DomainError as exc:
            results[i] = exc
        finally:
            reset_request_id(token)
    return results


def book_in_batches(world: World, asks: Sequence[Ask], size: int) -> tuple[list, set[int]]:
    """The requests in consecutive batches of ``size`` with bookings_create_many: (one result per
    ask, the indexes of the asks that the batch left to booking_create: runs of one request)."""
    requests = [BookingRequest(*world.request(ask), now=world.now, request_id=f"r{i}") for i, ask in enumerate(asks)]
    alone: set[int] = set()
    real = getattr(batch_module, BOOKED_ALONE)

    def recorded(request: BookingRequest):
        alone.add(requests.index(request))  # (each request_id is its own: equality finds this one)
        return real(request)

    results = []
    with mock.patch.object(batch_module, BOOKED_ALONE, recorded):
        for start in range(0, len(requests), size):
            results += bookings_create_many(requests=requests[start:start + size])
    for result in results:
        if isinstance(result, Exception) and not isinstance(result, DomainError):
            raise result  # an unexpected error, not an answer
    return results, alone


# ---- reading them back by name ------------------------------------------------------------------------

def answer(world: World, result: Any) -> tuple:
    """A result as names and values: the same in two runs that answered alike (references aside)."""
    if isinstance(result, DomainError):
        return ("refused", type(result).__name__, result.status, result.as_dict())
    names = world.name_of()
    facts = result.slot_facts
    return ("booked", names["citizen"][result.citizen_id], names["slot"][result.slot_id],
            names["unit"][result.unit_id], names["service"][result.service_id], result.day, result.status,
            result.channel, result.created_by_id, result.created_at, result.expires_at, result.pk is not None,
            names["slot"][facts.pk], facts.starts_at, names["hcode"][facts.hcode], names["code"][facts.service_code])


def outcome(result: Any) -> str:
    """``booked`` or the error's code (``NOT_ELIGIBLE:REASON+REASON`` for a refused right)."""
    if not isinstance(result, DomainError):
        return "booked"
    reasons = getattr(result, "reasons", None)
    return f"{result.code}:{'+'.join(reasons)}" if reasons else result.code


def rows(world: World, labels: dict[str, str], *, exact_times: bool = True) -> dict[str, Any]:
    """What the database holds for the world, by name: every booking at its units (keyed by the
    label of the request that made it, from ``labels``: reference -> label; ``pre:<citizen>`` for
    the world's own), every slot's seat count, and each booking's audit rows. ``exact_times=False``
    (two worlds built at different times) keeps how long a hold lasts instead of the instants.

    The audit rows' ``at`` is the booking's ``created_at`` on every path (the request's ``now``)."""
    names = world.name_of()
    bookings, ids = {}, {}
    for b in Booking.objects.filter(unit_id__in=world.unit_ids.values()).order_by("pk"):
        label = labels.get(b.reference) or f"pre:{names['citizen'][b.citizen_id]}"
        assert label not in bookings, f"two bookings for {label}"
        ids[str(b.pk)] = label
        times = {"created_at": b.created_at, "expires_at": b.expires_at, "status_changed_at": b.status_changed_at}
        if not exact_times:
            times = {"holds_for": b.expires_at and b.expires_at - b.created_at,
                     "changed_when_created": b.status_changed_at == b.created_at}
        bookings[label] = {"citizen": names["citizen"][b.citizen_id], "unit": names["unit"][b.unit_id],
                           "service": names["service"][b.service_id], "slot": names["slot"][b.slot_id],
                           "days_ahead": (b.day - world.day).days, "status": b.status, "channel": b.channel,
                           "created_by": b.created_by_id, **times}
    audit: dict[str, list] = {label: [] for label in bookings}
    booking_created = {str(b.pk): b.created_at for b in Booking.objects.filter(pk__in=[int(pk) for pk in ids])}
    for entry in AuditEntry.objects.filter(object_type="booking.booking", object_id__in=ids).order_by("pk"):
        after = dict(entry.after or {})
        for key, kind in (("slot", "slot"), ("unit", "unit"), ("service", "service")):
            if key in after:
                after[key] = names[kind][after[key]]
        if "reference" in after:
            after["reference"] = labels.get(after["reference"]) or "pre"
        audit[ids[entry.object_id]].append({
            "action": entry.action, "actor": entry.actor_id, "actor_label": entry.actor_label,
            "before": entry.before, "after": after, "request_id": entry.request_id,
            "at": entry.at if exact_times else entry.at == booking_created[entry.object_id]})
    seats = dict(Slot.objects.filter(pk__in=world.slot_ids.values()).values_list("pk", "booked"))
    return {"bookings": bookings, "audit": audit, "seats": {name: seats[pk] for name, pk in world.slot_ids.items()}}


def references(results: Sequence[Any]) -> dict[str, str]:
    """reference -> ``r<index>`` for the results that are bookings."""
    return {r.reference: f"r{i}" for i, r in enumerate(results) if not isinstance(r, BaseException)}


def snapshot(world: World, results: Sequence[Any]) -> tuple[list[tuple], dict[str, Any]]:
    """(each answer by name, the rows by name) after a run."""
    return [answer(world, r) for r in results], rows(world, references(results))
