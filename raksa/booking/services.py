"""Bookings: every change is one function here, in one transaction, with its audit row.

Lock order: see :mod:`raksa.booking.locks`.
"""

from __future__ import annotations

import base64
import datetime as dt
import secrets
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from raksa.audit.services import audit_insert_params, audit_insert_sql, audit_record
from raksa.booking import errors
from raksa.booking.locks import TAKE_SEAT_SQL, lock_bookings, lock_slots, slot_release_seat, slot_take_seat
from raksa.booking.models import (
    ACTIVE_STATUSES,
    Booking,
    BookingChannel,
    BookingStatus,
    Schedule,
    Slot,
    WaitlistEntry,
    WaitlistStatus,
)
from raksa.core import pii
from raksa.core.db import prepared_cursor
from raksa.core.errors import Conflict, Forbidden, InvalidInput
from raksa.core.timeutil import service_day
from raksa.core.weekly_hours import week_check
from raksa.eligibility.services import (
    CONTRACT_SQL,
    COVERAGE_COLUMNS,
    COVERAGE_SQL,
    LATER_COVERAGE_SQL,
    Facts,
    as_date,
    coverage_from_row,
    decide,
    eligibility_check,
)
from raksa.people import national_id as nid
from raksa.people.models import Citizen
from raksa.people.selectors import citizen_not_found

_REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over the phone


def _one_per_day_clash(exc: IntegrityError) -> bool:
    """PostgreSQL names the index; SQLite names its columns."""
    text = str(exc)
    return "booking_one_active_per_citizen_unit_day" in text or \
        "booking_booking.citizen_id, booking_booking.unit_id, booking_booking.day" in text


_FROM_BASE32 = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", _REFERENCE_ALPHABET)


def _new_reference() -> str:
    """8 symbols of 32, each equally likely (40 random bits, base32-written in our alphabet): as eight
    ``secrets.choice`` calls, but with one call to the system's randomness instead of sixteen (20 → 3 µs)."""
    return base64.b32encode(secrets.token_bytes(5)).decode().translate(_FROM_BASE32)


def _confirm_window() -> dt.timedelta:
    return dt.timedelta(minutes=settings.RAKSA_BOOKING_CONFIRM_MINUTES)


def _check_bookable(slot: Slot | SlotFacts, now: dt.datetime) -> None:
    """``slot`` should come with its schedule (select_related) on hot paths."""
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


def _insert_booking(*, savepoint: bool = True, **fields: Any) -> Booking:
    """Insert; a clash with the one-active-booking-per-day index becomes ALREADY_BOOKED. Without a
    savepoint (the hot path) the IntegrityError aborts the caller's transaction, which must catch it."""
    if not savepoint:
        return Booking.objects.create(reference=_new_reference(), **fields)
    try:
        with transaction.atomic():
            return Booking.objects.create(reference=_new_reference(), **fields)
    except IntegrityError as exc:
        if _one_per_day_clash(exc):
            raise errors.already_booked() from None
        raise


def _booking_snapshot(booking: Booking | NewBooking) -> dict[str, Any]:
    return {"reference": booking.reference, "status": booking.status, "slot": booking.slot_id,
            "day": booking.day.isoformat(), "unit": booking.unit_id, "service": booking.service_id}


def booking_create(
    *, actor: Any, citizen: Citizen | None = None, national_id: str | None = None, slot_id: int,
    channel: str = BookingChannel.LINE, now: dt.datetime | None = None, for_unit_id: int | None = None,
) -> Booking:
    """Book a seat for ``citizen``, or for the citizen with ``national_id`` (one of the two). Citizens
    booking for themselves get ``confirmed``; a unit booking for a citizen (``channel=portal``) gets
    ``awaiting_citizen`` until the citizen confirms, and the seat is held until ``expires_at``.
    ``for_unit_id``: the caller acts for that unit only (FORBIDDEN otherwise).
    Raises SLOT_FULL, NOT_ELIGIBLE, ALREADY_BOOKED, SLOT_NOT_BOOKABLE, CITIZEN_NOT_FOUND.

    The launch-day hot path, so it costs two statements on PostgreSQL: one query for the citizen, the
    slot and the rights facts, and one statement that takes the seat and inserts the booking and its
    audit row (atomic as any single statement). Other databases take the seat, insert and audit in
    one transaction. Either way the seat UPDATE re-checks that a seat is free, so it never overbooks."""
    now = now or timezone.now()
    if channel not in BookingChannel.values:
        raise InvalidInput(f"Unknown channel '{channel}'.", f"ไม่รู้จักช่องทาง '{channel}'", code="INVALID_CHANNEL")
    if (citizen is None) == (national_id is None):
        raise TypeError("booking_create needs exactly one of citizen and national_id")
    found = _slot_with_facts(citizen.pk if citizen is not None else None,
                             None if national_id is None else pii.lookup_hash(nid.normalize(national_id)), slot_id)
    booking = new_booking(found, actor=actor, channel=channel, now=now, for_unit_id=for_unit_id).as_booking()
    try:
        if _writes_in_one_statement():
            # Inside a caller's transaction a savepoint keeps a clash from aborting it; alone, the
            # statement is its own transaction (no BEGIN/COMMIT round trips).
            with transaction.atomic() if connection.in_atomic_block else nullcontext():
                booked = _insert_in_one_statement(booking, actor)
        else:
            with transaction.atomic():
                booked = _insert_in_transaction(booking, actor)
    except IntegrityError as exc:  # the insert hit the one-active-booking-per-day index
        if _one_per_day_clash(exc):
            raise errors.already_booked() from None
        raise
    if not booked:
        raise errors.slot_full()
    return booking


def new_booking(found: tuple[int | None, SlotFacts, Facts] | None, *, actor: Any, channel: str, now: dt.datetime,
                for_unit_id: int | None) -> NewBooking:
    """The booking to make for what the facts query found, or the reason there is none (raised):
    SLOT_NOT_FOUND, CITIZEN_NOT_FOUND, FORBIDDEN, SLOT_NOT_BOOKABLE, NOT_ELIGIBLE, in that order."""
    if found is None:
        raise errors.slot_not_found()
    citizen_id, slot, facts = found
    if citizen_id is None:
        raise citizen_not_found()
    if for_unit_id is not None and slot.unit_id != for_unit_id:
        raise Forbidden("You do not act for this unit.", "คุณไม่มีสิทธิดำเนินการแทนหน่วยบริการนี้")
    _check_bookable(slot, now)
    decision = decide(facts)
    if not decision.eligible:
        raise errors.NotEligible(decision)
    awaiting = channel == BookingChannel.PORTAL
    return NewBooking(
        reference=_new_reference(), citizen_id=citizen_id, unit_id=slot.unit_id, service_id=slot.service_id,
        slot_id=slot.pk, day=slot.day, status=BookingStatus.AWAITING_CITIZEN if awaiting else BookingStatus.CONFIRMED,
        channel=channel, created_by_id=actor.pk if getattr(actor, "is_authenticated", False) else None,
        created_at=now, expires_at=min(now + _confirm_window(), slot.starts_at) if awaiting else None,
        slot_facts=slot)


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


def _writes_in_one_statement() -> bool:
    """PostgreSQL can take the seat and insert both rows in one statement (data-modifying CTEs)."""
    return connection.vendor == "postgresql"


_BOOKING_COLUMNS = ("reference, citizen_id, unit_id, service_id, slot_id, day, status, channel, created_by_id,"
                    " created_at, expires_at, status_changed_at")


def _booking_values(booking: Booking) -> list[Any]:
    ops = connection.ops
    return [booking.reference, booking.citizen_id, booking.unit_id, booking.service_id, booking.slot_id,
            ops.adapt_datefield_value(booking.day), booking.status, booking.channel, booking.created_by_id,
            ops.adapt_datetimefield_value(booking.created_at), ops.adapt_datetimefield_value(booking.expires_at),
            ops.adapt_datetimefield_value(booking.status_changed_at)]


# Takes the seat, inserts the booking and its audit row; no row back when the slot is full.
_INSERT_IN_ONE_STATEMENT_SQL = (
    "WITH seat AS (" + TAKE_SEAT_SQL + " RETURNING id),"
    " b AS (INSERT INTO booking_booking (" + _BOOKING_COLUMNS + ")"
    " SELECT %s, %s, %s, %s, seat.id, %s, %s, %s, %s, %s, %s, %s FROM seat RETURNING id),"
    " a AS (" + audit_insert_sql("b") + ")"
    " SELECT id FROM b")


def _insert_in_one_statement(booking: Booking, actor: Any) -> bool:
    values = _booking_values(booking)
    audit = audit_insert_params(actor=actor, action="booking.create", object_type="booking.booking",
                                after=_booking_snapshot(booking))
    with prepared_cursor(_INSERT_IN_ONE_STATEMENT_SQL, [booking.slot_id, *values[:4], *values[5:], *audit]) as cursor:
        row = cursor.fetchone()
    if row is None:
        return False
    booking.pk = row[0]
    return True


def _insert_in_transaction(booking: Booking, actor: Any) -> bool:
    if not slot_take_seat(booking.slot_id):
        return False
    with connection.cursor() as cursor:  # a plain INSERT: see audit_record for why
        cursor.execute(f"INSERT INTO booking_booking ({_BOOKING_COLUMNS}) VALUES"
                       " (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING id", _booking_values(booking))
        booking.pk = cursor.fetchone()[0]
    audit_record(actor=actor, action="booking.create", obj=booking, after=_booking_snapshot(booking))
    return True


# What facts_from_row reads, over citizen ``ci``, slot ``s``, schedule ``sc``, unit ``u``, service ``sv``
# and coverage ``c`` (raksa.booking.batch selects the same for many requests at once).
SLOT_FACTS_COLUMNS = (
    "ci.id, s.id, s.unit_id, s.service_id, s.schedule_id, s.day, s.starts_at, s.ends_at, s.withdrawn,"
    " sc.active, sc.min_notice_minutes, sc.book_ahead_days, u.status, u.unit_type, u.hcode,"
    " sv.active, sv.unit_type, sv.code, " + COVERAGE_COLUMNS + ", "
    + LATER_COVERAGE_SQL.format(citizen="ci.id", day="s.day") + ", "
    + CONTRACT_SQL.format(unit="s.unit_id", service="s.service_id", day="s.day")
)


def _slot_facts_sql(citizen_by: str) -> str:
    """The slot (with schedule, unit, service), the citizen's id and the rights facts for the slot's
    day: one query instead of seven. ``citizen_by``: the citizen column the first parameter matches."""
    return (
        "SELECT " + SLOT_FACTS_COLUMNS + " FROM booking_slot s JOIN booking_schedule sc ON sc.id = s.schedule_id"
        " JOIN units_unit u ON u.id = s.unit_id JOIN units_service sv ON sv.id = s.service_id"
        f" LEFT JOIN people_citizen ci ON ci.{citizen_by} = %s"
        " LEFT JOIN people_coverage c ON c.id = " + COVERAGE_SQL.format(citizen="ci.id", day="s.day")
        + " WHERE s.id = %s"
    )


_SLOT_FACTS_BY_ID_SQL = _slot_facts_sql("id")
_SLOT_FACTS_BY_HASH_SQL = _slot_facts_sql("cid_hash")


def _as_datetime(value) -> dt.datetime:
    """Raw SQL gives aware datetimes on PostgreSQL and naive UTC ones (or text) on SQLite."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value


def _slot_with_facts(citizen_id: int | None, citizen_hash: bytes | None, slot_id: int
                     ) -> tuple[int | None, SlotFacts, Facts] | None:
    """(the citizen's id or None if unknown, the slot, the facts), or None if there is no such slot."""
    if citizen_hash is None:
        sql, who = _SLOT_FACTS_BY_ID_SQL, citizen_id
    else:
        sql, who = _SLOT_FACTS_BY_HASH_SQL, citizen_hash
    with prepared_cursor(sql, [who, slot_id]) as cursor:
        row = cursor.fetchone()
    return None if row is None else facts_from_row(row)


@dataclass(frozen=True, slots=True)
class ScheduleRules:
    active: bool
    min_notice_minutes: int
    book_ahead_days: int


@dataclass(frozen=True, slots=True)
class SlotFacts:
    """What booking needs of a slot, its schedule, unit and service (read in the facts query). Plain
    values, not model instances: building four models per booking was a fifth of the surge lane's
    Python time (py-spy --gil). Attribute names match :class:`Slot` where :func:`_check_bookable`
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


def facts_from_row(row: tuple) -> tuple[int | None, SlotFacts, Facts]:
    """(the citizen's id or None if unknown, the slot, the facts) from a :func:`_slot_facts_sql` row."""
    citizen_id, row = row[0], row[1:]
    day = as_date(row[4])
    slot = SlotFacts(pk=row[0], unit_id=row[1], service_id=row[2], day=day, starts_at=_as_datetime(row[5]),
                     ends_at=_as_datetime(row[6]), withdrawn=bool(row[7]),
                     schedule=ScheduleRules(active=bool(row[8]), min_notice_minutes=row[9], book_ahead_days=row[10]),
                     hcode=row[13], service_code=row[16])
    facts = Facts(day=day, coverage=coverage_from_row(citizen_id, row[17:23]), later_coverage=bool(row[23]),
                  unit_status=row[11], unit_type=row[12], service_active=bool(row[14]),
                  service_unit_type=row[15], contracted=bool(row[24]))
    return citizen_id, slot, facts


def _set_status(booking: Booking, status: str, now: dt.datetime, **extra: Any) -> None:
    booking.status = status
    booking.status_changed_at = now
    for key, value in extra.items():
        setattr(booking, key, value)
    booking.save(update_fields=["status", "status_changed_at", *extra])


def _locked_active(booking_id: int) -> Booking:
    booking = lock_bookings([booking_id]).get(booking_id)
    if booking is None:
        raise errors.NotFound("No such booking.", "ไม่พบการจองนี้", code="BOOKING_NOT_FOUND")
    if booking.status not in ACTIVE_STATUSES:
        raise errors.booking_not_active(booking.status)
    return booking


def _next_waiting(slot_id: int) -> WaitlistEntry | None:
    """Lock the oldest waiting entry no other transaction holds. One row at a time: a LIMIT of more
    would lock entries this transaction does not offer, and a concurrent freed seat would skip them
    (found by test_two_seats_freed_at_once_go_to_two_different_waiting_citizens)."""
    return (WaitlistEntry.objects.filter(slot_id=slot_id, status=WaitlistStatus.WAITING)
            .order_by("created_at", "pk").select_for_update(skip_locked=True, of=("self",)).first())


def _free_seat(slot_id: int, now: dt.datetime) -> Booking | None:
    """A seat of ``slot_id`` is no longer used: offer it to the first waiting citizen (the seat stays
    taken, held by their offer), or give it back. Runs in the caller's transaction, after its locks."""
    slot = None
    while (entry := _next_waiting(slot_id)) is not None:
        slot = slot or Slot.objects.select_related("unit", "service", "schedule").get(pk=slot_id)
        if slot.starts_at <= now or slot.withdrawn:
            break
        citizen = entry.citizen
        decision = eligibility_check(citizen=citizen, unit=slot.unit, service=slot.service, on=slot.day)
        has_active = Booking.objects.filter(citizen=citizen, unit_id=slot.unit_id, day=slot.day,
                                            status__in=ACTIVE_STATUSES).exists()
        if not decision.eligible or has_active:
            entry.status = WaitlistStatus.CANCELLED
            entry.save(update_fields=["status"])
            continue
        try:
            offer = _insert_booking(
                citizen=citizen, unit_id=slot.unit_id, service_id=slot.service_id, slot=slot, day=slot.day,
                status=BookingStatus.AWAITING_CITIZEN, channel=BookingChannel.WAITLIST, status_changed_at=now,
                expires_at=min(now + dt.timedelta(minutes=settings.RAKSA_WAITLIST_OFFER_MINUTES), slot.starts_at))
        except Conflict:  # they booked elsewhere that day at this very moment: next in line
            entry.status = WaitlistStatus.CANCELLED
            entry.save(update_fields=["status"])
            continue
        entry.status, entry.offer = WaitlistStatus.OFFERED, offer
        entry.save(update_fields=["status", "offer"])
        audit_record(actor=None, action="waitlist.offer", obj=offer, after=_booking_snapshot(offer))
        return offer
    slot_release_seat(slot_id)
    return None


@transaction.atomic
def booking_confirm(*, actor: Any, booking_id: int, via: str = "line", now: dt.datetime | None = None) -> Booking:
    """The citizen accepts a booking the unit made (or a waitlist offer) before it expires, in LINE
    (``via="line"``) or in person at the unit (``via="in_person"``, recorded by staff)."""
    if via not in ("line", "in_person"):
        raise InvalidInput(f"Unknown confirmation channel '{via}'.", f"ไม่รู้จักช่องทางยืนยัน '{via}'",
                           code="INVALID_CHANNEL", field="via")
    now = now or timezone.now()
    booking = _locked_active(booking_id)
    if booking.status != BookingStatus.AWAITING_CITIZEN:
        return booking  # confirming twice is harmless
    if booking.expires_at and booking.expires_at <= now:
        raise Conflict("The time to confirm this booking has passed; the seat was released.",
                       "หมดเวลายืนยันการจองนี้แล้ว ที่นั่งถูกปล่อยคืน", code="BOOKING_EXPIRED")
    _set_status(booking, BookingStatus.CONFIRMED, now, expires_at=None)
    audit_record(actor=actor, action="booking.confirm", obj=booking, after={"status": booking.status, "via": via})
    return booking


def _end_booking(*, actor: Any, booking_id: int, status: str, action: str, now: dt.datetime | None,
                 allowed: tuple[str, ...] = ACTIVE_STATUSES) -> Booking:
    now = now or timezone.now()
    booking = _locked_active(booking_id)
    if booking.status not in allowed:
        raise errors.booking_not_active(booking.status)
    before = booking.status
    _set_status(booking, status, now, expires_at=None)
    _free_seat(booking.slot_id, now)
    audit_record(actor=actor, action=action, obj=booking, before={"status": before}, after={"status": status})
    return booking


@transaction.atomic
def booking_cancel(*, actor: Any, booking_id: int, now: dt.datetime | None = None) -> Booking:
    return _end_booking(actor=actor, booking_id=booking_id, status=BookingStatus.CANCELLED, action="booking.cancel",
                        now=now, allowed=(BookingStatus.AWAITING_CITIZEN, BookingStatus.CONFIRMED))


@transaction.atomic
def booking_decline(*, actor: Any, booking_id: int, now: dt.datetime | None = None) -> Booking:
    """The citizen declines a booking the unit made for them."""
    return _end_booking(actor=actor, booking_id=booking_id, status=BookingStatus.DECLINED, action="booking.decline",
                        now=now, allowed=(BookingStatus.AWAITING_CITIZEN,))


@transaction.atomic
def booking_reschedule(*, actor: Any, booking_id: int, new_slot_id: int, now: dt.datetime | None = None) -> Booking:
    """Move a booking to another slot of the same unit and service, atomically: the new seat is
    taken before the old one is freed, in one transaction; if the new slot is full nothing changes."""
    now = now or timezone.now()
    booking = _locked_active(booking_id)
    if booking.status == BookingStatus.CHECKED_IN:
        raise errors.booking_not_active(booking.status)
    if new_slot_id == booking.slot_id:
        return booking
    slots = lock_slots([booking.slot_id, new_slot_id])
    new_slot = slots.get(new_slot_id)
    if new_slot is None:
        raise errors.slot_not_found()
    if (new_slot.unit_id, new_slot.service_id) != (booking.unit_id, booking.service_id):
        raise InvalidInput("A booking can only move to another time of the same unit and service.",
                           "เปลี่ยนได้เฉพาะเวลาอื่นของหน่วยบริการและบริการเดิม", code="SLOT_MISMATCH", field="slot")
    _check_bookable(new_slot, now)
    new_slot = Slot.objects.select_related("unit", "service").get(pk=new_slot.pk)
    decision = eligibility_check(citizen=booking.citizen, unit=new_slot.unit, service=new_slot.service,
                                 on=new_slot.day)
    if not decision.eligible:  # rights on the new day, and the unit may still serve
        raise errors.NotEligible(decision)
    if new_slot.day != booking.day and Booking.objects.filter(
            citizen_id=booking.citizen_id, unit_id=booking.unit_id, day=new_slot.day,
            status__in=ACTIVE_STATUSES).exists():
        raise errors.already_booked()
    if not slot_take_seat(new_slot.pk):
        raise errors.slot_full()
    old_slot_id, before = booking.slot_id, _booking_snapshot(booking)
    booking.slot, booking.day = new_slot, new_slot.day
    booking.status_changed_at = now
    try:
        with transaction.atomic():
            booking.save(update_fields=["slot", "day", "status_changed_at"])
    except IntegrityError:
        raise errors.already_booked() from None
    _free_seat(old_slot_id, now)
    audit_record(actor=actor, action="booking.reschedule", obj=booking, before=before,
                 after=_booking_snapshot(booking))
    return booking


@transaction.atomic
def booking_mark_no_show(*, actor: Any, booking_id: int, now: dt.datetime | None = None) -> Booking:
    """Staff mark that the citizen did not come. The seat stays counted: the slot has passed."""
    now = now or timezone.now()
    booking = _locked_active(booking_id)
    if booking.status != BookingStatus.CONFIRMED:
        raise errors.booking_not_active(booking.status)
    if booking.slot.starts_at > now:
        raise InvalidInput("A no-show can only be marked once the booked time has started.",
                           "บันทึกว่าไม่มาตามนัดได้หลังถึงเวลานัดแล้วเท่านั้น", code="TOO_EARLY")
    _set_status(booking, BookingStatus.NO_SHOW, now)
    audit_record(actor=actor, action="booking.no_show", obj=booking, after={"status": booking.status})
    return booking


def bookings_sweep(*, now: dt.datetime | None = None, batch: int = 500) -> dict[str, int]:
    """Housekeeping, run every minute (``manage.py booking_sweep``): unconfirmed bookings past their
    time expire and free their seat (offering it to the waitlist); confirmed bookings whose slot
    ended more than the grace period ago become no-shows."""
    now = now or timezone.now()
    expired = 0
    due = list(Booking.objects.filter(status=BookingStatus.AWAITING_CITIZEN, expires_at__lte=now)
               .order_by("pk").values_list("pk", flat=True)[:batch])
    for booking_id in due:
        with transaction.atomic():
            booking = lock_bookings([booking_id]).get(booking_id)
            if booking is None or booking.status != BookingStatus.AWAITING_CITIZEN:
                continue
            _set_status(booking, BookingStatus.EXPIRED, now, expires_at=None)
            _free_seat(booking.slot_id, now)
            audit_record(actor=None, action="booking.expire", obj=booking, after={"status": booking.status})
            expired += 1
    grace = dt.timedelta(minutes=settings.RAKSA_NO_SHOW_GRACE_MINUTES)
    no_shows = 0
    late = list(Booking.objects.filter(status=BookingStatus.CONFIRMED, slot__ends_at__lte=now - grace)
                .order_by("pk").values_list("pk", flat=True)[:batch])
    for booking_id in late:
        with transaction.atomic():
            booking = lock_bookings([booking_id]).get(booking_id)
            if booking is None or booking.status != BookingStatus.CONFIRMED:
                continue
            _set_status(booking, BookingStatus.NO_SHOW, now)
            audit_record(actor=None, action="booking.no_show", obj=booking, after={"status": booking.status,
                                                                                   "automatic": True})
            no_shows += 1
    return {"expired": expired, "no_show": no_shows}


@transaction.atomic
def waitlist_join(*, actor: Any, citizen: Citizen, slot_id: int) -> WaitlistEntry:
    """Wait for a seat in a full slot (only full slots have a waiting list)."""
    slot = Slot.objects.select_related("unit", "service", "schedule").filter(pk=slot_id).first()
    if slot is None:
        raise errors.slot_not_found()
    decision = eligibility_check(citizen=citizen, unit=slot.unit, service=slot.service, on=slot.day)
    if not decision.eligible:
        raise errors.NotEligible(decision)
    if Booking.objects.filter(citizen=citizen, unit_id=slot.unit_id, day=slot.day,
                              status__in=ACTIVE_STATUSES).exists():
        raise errors.already_booked()
    if slot.booked < slot.capacity:
        raise Conflict("This time still has free seats: book it instead.", "เวลานี้ยังมีที่ว่าง กรุณาจองได้เลย",
                       code="SLOT_NOT_FULL", field="slot")
    try:
        with transaction.atomic():
            entry = WaitlistEntry.objects.create(slot=slot, citizen=citizen)
    except IntegrityError:
        raise Conflict("Already on the waiting list for this time.", "ลงชื่อรอคิวเวลานี้ไว้แล้ว",
                       code="ALREADY_WAITING") from None
    audit_record(actor=actor, action="waitlist.join", obj=entry, after={"slot": slot.pk})
    return entry


def _check_weekly_hours(weekly_hours: dict) -> dict:
    """The rule is raksa.core.weekly_hours' (times, order, no overlap); the schedule keeps the hours as given."""
    week_check(weekly_hours, field="weekly_hours")
    return weekly_hours


@transaction.atomic
def schedule_set(
    *, actor: Any, unit: Any, service: Any, weekly_hours: dict, slot_minutes: int, seats_per_slot: int,
    book_ahead_days: int = 14, min_notice_minutes: int = 60, today: dt.date | None = None,
) -> Schedule:
    """Create or change a unit's schedule for a service and materialise its slots.

    Existing slots keep their bookings: future slots that no longer fit the new hours are withdrawn
    (no new bookings), never deleted; their bookings stay valid and staff see them in the queue."""
    from raksa.booking.models import Closure
    from raksa.booking.slots import slot_starts_for_day, slots_materialise

    _check_weekly_hours(weekly_hours)
    if not 1 <= seats_per_slot <= 500:
        raise InvalidInput("Seats per slot must be between 1 and 500.", "จำนวนที่ต่อช่วงเวลาต้องอยู่ระหว่าง 1 ถึง 500",
                           code="INVALID_CAPACITY", field="seats_per_slot")
    if not 5 <= slot_minutes <= 480:
        raise InvalidInput("A slot lasts 5 to 480 minutes.", "ช่วงเวลาหนึ่งต้องยาว 5 ถึง 480 นาที",
                           code="INVALID_SLOT_LENGTH", field="slot_minutes")
    if not 0 <= book_ahead_days <= 90 or min_notice_minutes < 0:
        raise InvalidInput("Booking window must be 0–90 days and notice not negative.",
                           "จองล่วงหน้าได้ 0–90 วัน และเวลาแจ้งล่วงหน้าต้องไม่ติดลบ", code="INVALID_WINDOW",
                           field="book_ahead_days")
    schedule, created = Schedule.objects.select_for_update().get_or_create(
        unit=unit, service=service, defaults={"weekly_hours": weekly_hours, "slot_minutes": slot_minutes,
                                              "seats_per_slot": seats_per_slot, "book_ahead_days": book_ahead_days,
                                              "min_notice_minutes": min_notice_minutes})
    before = None if created else {"weekly_hours": schedule.weekly_hours, "slot_minutes": schedule.slot_minutes,
                                   "seats_per_slot": schedule.seats_per_slot}
    schedule.weekly_hours, schedule.slot_minutes, schedule.seats_per_slot = weekly_hours, slot_minutes, seats_per_slot
    schedule.book_ahead_days, schedule.min_notice_minutes, schedule.active = book_ahead_days, min_notice_minutes, True
    schedule.save()
    today = today or service_day()
    future = Slot.objects.filter(unit=unit, service=service, day__gte=today)
    wanted = {start: end for offset in range(book_ahead_days + 1)
              for start, end in slot_starts_for_day(schedule, today + dt.timedelta(days=offset))}
    closed_days = set(Closure.objects.filter(unit=unit, day__gte=today).values_list("day", flat=True))
    withdrawn = 0
    for slot in future.order_by("pk").select_for_update():
        end = wanted.get(slot.starts_at)
        if end is None or slot.day in closed_days:
            if not slot.withdrawn:
                slot.withdrawn = True
                slot.save(update_fields=["withdrawn"])
                withdrawn += 1
            continue
        capacity = max(seats_per_slot, slot.booked)  # never below the seats already taken
        if (slot.withdrawn, slot.ends_at, slot.capacity) != (False, end, capacity):
            slot.withdrawn, slot.ends_at, slot.capacity = False, end, capacity
            slot.save(update_fields=["withdrawn", "ends_at", "capacity"])
    made = slots_materialise(schedule=schedule, start_day=today)
    audit_record(actor=actor, action="schedule.set", obj=schedule, before=before,
                 after={"weekly_hours": weekly_hours, "slot_minutes": slot_minutes, "seats_per_slot": seats_per_slot,
                        "slots_made": made, "slots_withdrawn": withdrawn})
    return schedule


@transaction.atomic
def closure_add(*, actor: Any, unit: Any, day: dt.date, reason: str = "") -> tuple[Any, int]:
    """Close ``unit`` on ``day``: its slots take no new bookings. Bookings already made that day are
    kept (nothing a citizen confirmed is lost) and returned as a count for staff to move or cancel."""
    from raksa.booking.models import Closure

    closure, created = Closure.objects.get_or_create(unit=unit, day=day, defaults={"reason": reason.strip()})
    if not created:
        raise Conflict("This day is already closed.", "วันนี้ถูกปิดไว้แล้ว", code="ALREADY_CLOSED", field="day")
    day_slots = Slot.objects.filter(unit=unit, day=day)
    lock_slots(day_slots.values_list("pk", flat=True))  # in id order, as a batch of bookings locks them
    day_slots.update(withdrawn=True)
    affected = Booking.objects.filter(unit=unit, day=day, status__in=ACTIVE_STATUSES).count()
    audit_record(actor=actor, action="closure.add", obj=closure, after={"day": day.isoformat(), "reason": reason,
                                                                        "bookings_to_move": affected})
    return closure, affected
