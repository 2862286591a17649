"""Changes to a booking after it is made: confirm, cancel, decline, move, no-show.

Each locks the booking first (``locks.lock_bookings``), then its slots, as ``locks.py`` orders them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from raksa.audit.services import LINE_ACTOR_PREFIX, audit_record
from raksa.booking import errors
from raksa.booking.locks import lock_bookings, lock_slots, slot_take_seat
from raksa.booking.models import (
    ACTIVE_STATUSES,
    CANCELLABLE_STATUSES,
    MOVABLE_STATUSES,
    Booking,
    BookingStatus,
    Slot,
)
from raksa.booking.selectors import booking_held
from raksa.booking.services.create import booking_snapshot, check_bookable, is_one_per_day_clash
from raksa.booking.services.waitlist import seat_free
from raksa.core.errors import Conflict, InvalidInput
from raksa.eligibility.services import eligibility_check
from raksa.messaging.notify import CANCELLED_BY_UNIT, bookings_notify


def booking_can_move(booking: Booking) -> bool:
    """Whether the booking may still move to another time (entry points offer the choice by this)."""
    return booking.status in MOVABLE_STATUSES


def set_status(booking: Booking, status: str, now: dt.datetime, **extra: Any) -> None:
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


@transaction.atomic
def booking_confirm(*, actor: Any, booking_id: int, via: str = "line", now: dt.datetime | None = None,
                    actor_label: str = "") -> Booking:
    """The citizen accepts a booking the unit made (or a waitlist offer) before it expires, in LINE
    (``via="line"``) or in person at the unit (``via="in_person"``, recorded by staff). A citizen acting in
    LINE has no user: ``actor=None, actor_label="line:<userId>"`` (the audit row's actor)."""
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
    set_status(booking, BookingStatus.CONFIRMED, now, expires_at=None)
    audit_record(actor=actor, actor_label=actor_label, action="booking.confirm", obj=booking,
                 after={"status": booking.status, "via": via})
    return booking


def _end_booking(*, actor: Any, booking_id: int, status: str, action: str, now: dt.datetime | None,
                 allowed: tuple[str, ...], actor_label: str = "") -> Booking:
    now = now or timezone.now()
    booking = _locked_active(booking_id)
    if booking.status not in allowed:
        raise errors.booking_not_active(booking.status)
    before = booking.status
    set_status(booking, status, now, expires_at=None)
    seat_free(booking.slot_id, now)
    audit_record(actor=actor, actor_label=actor_label, action=action, obj=booking, before={"status": before},
                 after={"status": status})
    return booking


@transaction.atomic
def booking_cancel(*, actor: Any, booking_id: int, now: dt.datetime | None = None, actor_label: str = "") -> Booking:
    """Cancel a booking: the citizen (in LINE: ``actor=None, actor_label="line:<userId>"``) or the unit (its
    staff, a logged-in user, or its software with an API key: ``actor=None``); then the citizen is told in LINE."""
    booking = _end_booking(actor=actor, booking_id=booking_id, status=BookingStatus.CANCELLED,
                           action="booking.cancel", now=now, allowed=CANCELLABLE_STATUSES, actor_label=actor_label)
    if not actor_label.startswith(LINE_ACTOR_PREFIX):  # the unit cancelled it, not the citizen
        bookings_notify(kind=CANCELLED_BY_UNIT, booking_ids=[booking.pk])
    return booking


@transaction.atomic
def booking_decline(*, actor: Any, booking_id: int, now: dt.datetime | None = None,
                    actor_label: str = "") -> Booking:
    """The citizen declines a booking the unit made for them."""
    return _end_booking(actor=actor, booking_id=booking_id, status=BookingStatus.DECLINED, action="booking.decline",
                        now=now, allowed=(BookingStatus.AWAITING_CITIZEN,), actor_label=actor_label)


@transaction.atomic
def booking_reschedule(*, actor: Any, booking_id: int, new_slot_id: int, now: dt.datetime | None = None,
                       actor_label: str = "") -> Booking:
    """Move a booking to another slot of the same unit and service, atomically: the new seat is
    taken before the old one is freed, in one transaction; if the new slot is full nothing changes."""
    now = now or timezone.now()
    booking = _locked_active(booking_id)
    if not booking_can_move(booking):
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
    check_bookable(new_slot, now)
    new_slot = Slot.objects.select_related("unit", "service").get(pk=new_slot.pk)
    decision = eligibility_check(citizen=booking.citizen, unit=new_slot.unit, service=new_slot.service,
                                 on=new_slot.day)
    if not decision.eligible:  # rights on the new day, and the unit may still serve
        raise errors.NotEligible(decision)
    if new_slot.day != booking.day and booking_held(citizen_id=booking.citizen_id, unit_id=booking.unit_id,
                                                    day=new_slot.day):
        raise errors.already_booked()
    if not slot_take_seat(new_slot.pk):
        raise errors.slot_full()
    old_slot_id, before = booking.slot_id, booking_snapshot(booking)
    booking.slot, booking.day = new_slot, new_slot.day
    booking.status_changed_at = now
    try:
        with transaction.atomic():
            booking.save(update_fields=["slot", "day", "status_changed_at"])
    except IntegrityError as exc:  # another booking that day appeared since the check above
        if is_one_per_day_clash(exc):
            raise errors.already_booked() from None
        raise
    seat_free(old_slot_id, now)
    audit_record(actor=actor, actor_label=actor_label, action="booking.reschedule", obj=booking, before=before,
                 after=booking_snapshot(booking))
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
    set_status(booking, BookingStatus.NO_SHOW, now)
    audit_record(actor=actor, action="booking.no_show", obj=booking, after={"status": booking.status})
    return booking
