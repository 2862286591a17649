"""Making a booking: ``booking_create``, the launch-day hot path, and the pieces the batch shares.

On PostgreSQL a booking costs two statements: one query for the citizen, the slot and the rights facts
(``sql.SLOT_FACTS_*``), and one that takes the seat and inserts the booking and its audit row
(``sql.INSERT_IN_ONE_STATEMENT_SQL``, atomic as any single statement). Other databases take the seat,
insert and audit in one transaction. Either way the seat UPDATE applies the seat rule again, so it
never overbooks. :mod:`raksa.booking.batch` books many requests with the same ``new_booking``.
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
import secrets
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone

from raksa.audit.services import audit_insert_params, audit_record
from raksa.booking import errors, sql
from raksa.booking.locks import slot_take_seat
from raksa.booking.models import (
    ONE_ACTIVE_BOOKING_CONSTRAINT,
    UNIT_MADE_CHANNELS,
    Booking,
    BookingChannel,
    BookingStatus,
    Slot,
)
from raksa.booking.selectors import booking_held
from raksa.core import pii
from raksa.core.db import is_violation_of, prepared_cursor
from raksa.core.errors import Forbidden, InvalidInput
from raksa.core.timeutil import service_day
from raksa.eligibility.services import Facts, as_date, coverage_from_row, decide
from raksa.messaging.notify import BOOKING_AWAITING, BOOKING_CONFIRMED, bookings_notify
from raksa.people import national_id as nid
from raksa.people.models import Citizen
from raksa.people.selectors import citizen_not_found

logger = logging.getLogger(__name__)

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over the phone
_FROM_BASE32 = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", REFERENCE_ALPHABET)


def new_reference() -> str:
    """8 symbols of 32, each equally likely (40 random bits, base32-written in our alphabet): as eight
    ``secrets.choice`` calls, but with one call to the system's randomness instead of sixteen (20 → 3 µs)."""
    return base64.b32encode(secrets.token_bytes(5)).decode().translate(_FROM_BASE32)


def is_one_per_day_clash(exc: IntegrityError) -> bool:
    """The insert broke "one active booking per citizen, unit and day" (by the constraint's name)."""
    return is_violation_of(exc, Booking, ONE_ACTIVE_BOOKING_CONSTRAINT)


def check_bookable(slot: Slot | SlotFacts, now: dt.datetime) -> None:
    """SLOT_NOT_BOOKABLE unless the slot is offered, far enough ahead and inside the booking window.
    ``slot`` should come with its schedule (select_related) on hot paths."""
    schedule = slot.schedule
    if slot.withdrawn or not schedule.active:
        raise errors.slot_not_bookable("This time is no longer offered (the unit is closed or changed its hours).",
                                       "ช่วงเวลานี้ไม่เปิดให้จองแล้ว (หน่วยปิดหรือเปลี่ยนเวลาทำการ)")
    if slot.starts_at < now + dt.timedelta(minutes=schedule.min_notice_minutes):
        raise errors.slot_not_bookable(
            f"Bookings must be made at least {schedule.min_notice_minutes} minutes ahead.",
            f"ต้องจองล่วงหน้าอย่างน้อย {schedule.min_notice_minutes} นาที")
    if slot.day > service_day(now) + dt.timedelta(days=schedule.book_ahead_days):
        raise errors.slot_not_bookable(f"Bookings open {schedule.book_ahead_days} days ahead.",
                                       f"จองล่วงหน้าได้ไม่เกิน {schedule.book_ahead_days} วัน")


def booking_snapshot(booking: Booking | NewBooking) -> dict[str, Any]:
    """What the audit row keeps of a booking."""
    return {"reference": booking.reference, "status": booking.status, "slot": booking.slot_id,
            "day": booking.day.isoformat(), "unit": booking.unit_id, "service": booking.service_id}


def booking_create(
    *, actor: Any, citizen: Citizen | None = None, national_id: str | None = None, slot_id: int,
    channel: str = BookingChannel.LINE, now: dt.datetime | None = None, for_unit_id: int | None = None,
    actor_label: str = "",
) -> Booking:
    """Book a seat for ``citizen``, or for the citizen with ``national_id`` (one of the two). Citizens
    booking for themselves get ``confirmed``; a unit booking for a citizen (``UNIT_MADE_CHANNELS``:
    the portal, the unit's software through the API) gets ``awaiting_citizen`` until the citizen
    confirms, and the seat is held until ``expires_at``. ``for_unit_id``: the caller acts for that unit
    only (FORBIDDEN otherwise). A citizen in LINE has no user: ``actor=None, actor_label="line:<userId>"``
    names them in the audit row. Raises SLOT_NOT_FOUND, CITIZEN_NOT_FOUND, FORBIDDEN, SLOT_NOT_BOOKABLE,
    NOT_ELIGIBLE, ALREADY_BOOKED, SLOT_FULL."""
    now = now or timezone.now()
    if channel not in BookingChannel.values:
        raise InvalidInput(f"Unknown channel '{channel}'.", f"ไม่รู้จักช่องทาง '{channel}'", code="INVALID_CHANNEL")
    if (citizen is None) == (national_id is None):
        raise TypeError("booking_create needs exactly one of citizen and national_id")
    found = slot_with_facts(citizen.pk if citizen is not None else None,
                            None if national_id is None else pii.lookup_hash(nid.normalize(national_id)), slot_id)
    booking = new_booking(found, actor=actor, channel=channel, now=now, for_unit_id=for_unit_id).as_booking()
    try:
        if writes_in_one_statement():
            # Inside a caller's transaction a savepoint keeps a clash from aborting it; alone, the
            # statement is its own transaction (no BEGIN/COMMIT round trips).
            with transaction.atomic() if connection.in_atomic_block else nullcontext():
                booked = _insert_in_one_statement(booking, actor, actor_label)
            if booked:  # right after the statement (its own transaction when alone; see notify_booked)
                notify_booked([booking])
        else:
            with transaction.atomic():
                booked = _insert_in_transaction(booking, actor, actor_label)
                if booked:
                    notify_booked([booking])
    except IntegrityError as exc:
        if is_one_per_day_clash(exc):
            raise errors.already_booked() from None
        raise
    if not booked:  # no seat; unless the citizen holds a booking that day (then that is the answer)
        if booking_held(citizen_id=booking.citizen_id, unit_id=booking.unit_id, day=booking.day):
            raise errors.already_booked()
        raise errors.slot_full()
    return booking


def notify_booked(bookings: list[Booking] | list[NewBooking]) -> None:
    """Tell the citizens in LINE (one job row for the lot): confirmed for their own bookings, awaiting
    their confirmation for a unit's. In the booking's transaction; after a single-statement booking
    (autocommit) the job row follows it, and a failure to write it is logged, never the booking's
    failure: the booking stands, and the citizen sees it in "นัดของฉัน"."""
    by_kind: dict[str, list[int]] = {}
    for booking in bookings:
        kind = BOOKING_CONFIRMED if booking.status == BookingStatus.CONFIRMED else BOOKING_AWAITING
        by_kind.setdefault(kind, []).append(booking.pk)
    for kind, ids in by_kind.items():
        if connection.in_atomic_block:
            bookings_notify(kind=kind, booking_ids=ids)
            continue
        try:
            bookings_notify(kind=kind, booking_ids=ids)
        except DatabaseError:
            logger.exception("booking.notify_failed", extra={"kind": kind, "bookings": len(ids)})


def new_booking(found: Found | None, *, actor: Any, channel: str, now: dt.datetime,
                for_unit_id: int | None) -> NewBooking:
    """The booking to make for what the facts query found, or the reason there is none (raised):
    SLOT_NOT_FOUND, CITIZEN_NOT_FOUND, FORBIDDEN, SLOT_NOT_BOOKABLE, NOT_ELIGIBLE, ALREADY_BOOKED, in
    that order; SLOT_FULL is the seat's to say. ALREADY_BOOKED comes before the seat, so a citizen who
    holds a booking that day hears so whether or not the slot asked for is full (booking_create asks
    after a seat was refused)."""
    if found is None:
        raise errors.slot_not_found()
    slot = found.slot
    if found.citizen_id is None:
        raise citizen_not_found()
    if for_unit_id is not None and slot.unit_id != for_unit_id:
        raise Forbidden("You do not act for this unit.", "คุณไม่มีสิทธิดำเนินการแทนหน่วยบริการนี้")
    check_bookable(slot, now)
    decision = decide(found.facts)
    if not decision.eligible:
        raise errors.NotEligible(decision)
    if found.holds_booking:  # (asked by the batch's facts query; booking_create learns it when writing)
        raise errors.already_booked()
    citizen_id = found.citizen_id
    awaiting = channel in UNIT_MADE_CHANNELS
    return NewBooking(
        reference=new_reference(), citizen_id=citizen_id, unit_id=slot.unit_id, service_id=slot.service_id,
        slot_id=slot.pk, day=slot.day, status=BookingStatus.AWAITING_CITIZEN if awaiting else BookingStatus.CONFIRMED,
        channel=channel, created_by_id=actor.pk if getattr(actor, "is_authenticated", False) else None,
        created_at=now, expires_at=min(now + confirm_window(), slot.starts_at) if awaiting else None,
        slot_facts=slot)


def confirm_window() -> dt.timedelta:
    return dt.timedelta(minutes=settings.RAKSA_BOOKING_CONFIRM_MINUTES)


@dataclass(slots=True)
class NewBooking:
    """A booking being made, as plain values (a batch of them costs no model instances); ``pk`` is
    set once it is inserted. ``slot_facts``: the slot's time, unit code and service code, for the
    caller's answer without another query."""

    reference: str
    citizen_id: int
    unit_id: int
    service_id: int
    slot_id: int
    day: dt.date
    status: str
    channel: str
    created_by_id: int | None
    created_at: dt.datetime
    expires_at: dt.datetime | None
    slot_facts: SlotFacts
    pk: int | None = None

    def as_booking(self) -> Booking:
        booking = Booking(
            pk=self.pk, reference=self.reference, citizen_id=self.citizen_id, unit_id=self.unit_id,
            service_id=self.service_id, slot_id=self.slot_id, day=self.day, status=self.status, channel=self.channel,
            created_by_id=self.created_by_id, created_at=self.created_at, expires_at=self.expires_at,
            status_changed_at=self.created_at)
        booking.slot_facts = self.slot_facts
        return booking


def writes_in_one_statement() -> bool:
    """PostgreSQL can take the seat and insert both rows in one statement (data-modifying CTEs)."""
    return connection.vendor == "postgresql"


def booking_values(booking: Booking) -> list[Any]:
    """The booking's values in ``sql.BOOKING_COLUMNS`` order, adapted for this database."""
    ops = connection.ops
    return [booking.reference, booking.citizen_id, booking.unit_id, booking.service_id, booking.slot_id,
            ops.adapt_datefield_value(booking.day), booking.status, booking.channel, booking.created_by_id,
            ops.adapt_datetimefield_value(booking.created_at), ops.adapt_datetimefield_value(booking.expires_at),
            ops.adapt_datetimefield_value(booking.status_changed_at)]


def booking_insert_row(booking: Booking) -> None:
    """INSERT the booking (its seat already taken) and set its pk, in the caller's transaction."""
    with connection.cursor() as cursor:
        cursor.execute(sql.INSERT_BOOKING_SQL, booking_values(booking))
        booking.pk = cursor.fetchone()[0]


def _insert_in_one_statement(booking: Booking, actor: Any, actor_label: str) -> bool:
    values = booking_values(booking)
    audit = audit_insert_params(actor=actor, actor_label=actor_label, action="booking.create",
                                object_type="booking.booking", after=booking_snapshot(booking), at=booking.created_at)
    with prepared_cursor(sql.INSERT_IN_ONE_STATEMENT_SQL, [booking.slot_id, *values[:4], *values[5:], *audit]) as c:
        row = c.fetchone()
    if row is None:
        return False
    booking.pk = row[0]
    return True


def _insert_in_transaction(booking: Booking, actor: Any, actor_label: str) -> bool:
    if not slot_take_seat(booking.slot_id):
        return False
    booking_insert_row(booking)
    # at: the booking's moment, as the batch stamps it: every path alike
    audit_record(actor=actor, actor_label=actor_label, action="booking.create", obj=booking,
                 after=booking_snapshot(booking), at=booking.created_at)
    return True


def _as_datetime(value) -> dt.datetime:
    """Raw SQL gives aware datetimes on PostgreSQL and naive UTC ones (or text) on SQLite."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value


def slot_with_facts(citizen_id: int | None, citizen_hash: bytes | None, slot_id: int) -> Found | None:
    """What the facts query found, or None if there is no such slot."""
    if citizen_hash is None:
        query, who = sql.SLOT_FACTS_BY_ID_SQL, citizen_id
    else:
        query, who = sql.SLOT_FACTS_BY_HASH_SQL, citizen_hash
    with prepared_cursor(query, [who, slot_id]) as cursor:
        row = cursor.fetchone()
    return None if row is None else facts_from_row(row, sql.SLOT_FACTS_COLUMNS.at)


@dataclass(frozen=True, slots=True)
class ScheduleRules:
    active: bool
    min_notice_minutes: int
    book_ahead_days: int


@dataclass(frozen=True, slots=True)
class SlotFacts:
    """What booking needs of a slot, its schedule, unit and service (read in the facts query). Plain
    values, not model instances: building four models per booking was a fifth of the surge lane's
    Python time (py-spy --gil). Attribute names match :class:`Slot` where :func:`check_bookable`
    reads them."""

    pk: int
    unit_id: int
    service_id: int
    schedule: ScheduleRules
    day: dt.date
    starts_at: dt.datetime
    ends_at: dt.datetime
    withdrawn: bool
    hcode: str
    service_code: str


@dataclass(frozen=True, slots=True)
class Found:
    """What one booking's facts query found: the citizen's id (None if unknown), the slot, the rights
    facts, and whether the citizen already holds an active booking at the unit that day (when the
    query asked: the batch's does; one booking's learns it when writing)."""

    citizen_id: int | None
    slot: SlotFacts
    facts: Facts
    holds_booking: bool


def facts_from_row(row: tuple, at: dict[str, int]) -> Found:
    """What a row with the columns of ``sql.SLOT_FACTS_COLUMNS`` (at positions ``at``) says."""
    citizen_id = row[at["citizen_id"]]
    day = as_date(row[at["slot_day"]])
    slot = SlotFacts(
        pk=row[at["slot_id"]], unit_id=row[at["unit_id"]], service_id=row[at["service_id"]], day=day,
        starts_at=_as_datetime(row[at["starts_at"]]), ends_at=_as_datetime(row[at["ends_at"]]),
        withdrawn=bool(row[at["withdrawn"]]),
        schedule=ScheduleRules(active=bool(row[at["schedule_active"]]),
                               min_notice_minutes=row[at["min_notice_minutes"]],
                               book_ahead_days=row[at["book_ahead_days"]]),
        hcode=row[at["hcode"]], service_code=row[at["service_code"]])
    facts = Facts(day=day, coverage=coverage_from_row(citizen_id, row, at),
                  later_coverage=bool(row[at["later_coverage"]]), unit_status=row[at["unit_status"]],
                  unit_type=row[at["unit_type"]], service_active=bool(row[at["service_active"]]),
                  service_unit_type=row[at["service_unit_type"]], contracted=bool(row[at["contracted"]]))
    holds = "holds_booking" in at and bool(row[at["holds_booking"]])
    return Found(citizen_id=citizen_id, slot=slot, facts=facts, holds_booking=holds)
