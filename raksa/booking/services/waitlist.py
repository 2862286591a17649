"""The waiting list of a full slot, and what happens to a seat that frees up: it is offered to the
first waiting citizen (a booking ``awaiting_citizen`` that holds the seat until it expires)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from raksa.audit.services import audit_record
from raksa.booking import errors
from raksa.booking.locks import slot_release_seat
from raksa.booking.models import Booking, BookingChannel, BookingStatus, Slot, WaitlistEntry, WaitlistStatus
from raksa.booking.selectors import booking_held
from raksa.booking.services.create import booking_insert_row, booking_snapshot, is_one_per_day_clash, new_reference
from raksa.core.errors import Conflict
from raksa.eligibility.services import eligibility_check
from raksa.messaging.notify import WAITLIST_OFFER, bookings_notify
from raksa.people.models import Citizen


@transaction.atomic
def waitlist_join(*, actor: Any, citizen: Citizen, slot_id: int) -> WaitlistEntry:
    """Wait for a seat in a full slot (only full slots have a waiting list)."""
    slot = Slot.objects.select_related("unit", "service", "schedule").filter(pk=slot_id).first()
    if slot is None:
        raise errors.slot_not_found()
    decision = eligibility_check(citizen=citizen, unit=slot.unit, service=slot.service, on=slot.day)
    if not decision.eligible:
        raise errors.NotEligible(decision)
    if booking_held(citizen_id=citizen.pk, unit_id=slot.unit_id, day=slot.day):
        raise errors.already_booked()
    if Slot.objects.filter(pk=slot.pk).with_free_seat().exists():
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


def _next_waiting(slot_id: int) -> WaitlistEntry | None:
    """Lock the oldest waiting entry no other transaction holds. One row at a time: a LIMIT of more
    would lock entries this transaction does not offer, and a concurrent freed seat would skip them
    (found by test_two_seats_freed_at_once_go_to_two_different_waiting_citizens)."""
    return (WaitlistEntry.objects.filter(slot_id=slot_id, status=WaitlistStatus.WAITING)
            .order_by("created_at", "pk").select_for_update(skip_locked=True, of=("self",)).first())


def _offer(entry: WaitlistEntry, slot: Slot, now: dt.datetime) -> Booking | None:
    """Book the seat (still taken) for the waiting citizen, or None when they may not have it."""
    citizen = entry.citizen
    decision = eligibility_check(citizen=citizen, unit=slot.unit, service=slot.service, on=slot.day)
    if not decision.eligible or booking_held(citizen_id=citizen.pk, unit_id=slot.unit_id, day=slot.day):
        return None
    offer = Booking(reference=new_reference(), citizen=citizen, unit_id=slot.unit_id, service_id=slot.service_id,
                    slot=slot, day=slot.day, status=BookingStatus.AWAITING_CITIZEN, channel=BookingChannel.WAITLIST,
                    created_at=now, status_changed_at=now,
                    expires_at=min(now + dt.timedelta(minutes=settings.RAKSA_WAITLIST_OFFER_MINUTES), slot.starts_at))
    try:
        with transaction.atomic():
            booking_insert_row(offer)
    except IntegrityError as exc:  # they booked elsewhere that day at this very moment
        if is_one_per_day_clash(exc):
            return None
        raise
    return offer


def seat_free(slot_id: int, now: dt.datetime) -> Booking | None:
    """A seat of ``slot_id`` is no longer used: offer it to the first waiting citizen (the seat stays
    taken, held by their offer), or give it back. Runs in the caller's transaction, after its locks."""
    slot = None
    while (entry := _next_waiting(slot_id)) is not None:
        slot = slot or Slot.objects.select_related("unit", "service", "schedule").get(pk=slot_id)
        if slot.starts_at <= now or slot.withdrawn:
            break
        offer = _offer(entry, slot, now)
        if offer is None:  # not eligible, or holds a booking that day: next in line
            entry.status = WaitlistStatus.CANCELLED
            entry.save(update_fields=["status"])
            continue
        entry.status, entry.offer = WaitlistStatus.OFFERED, offer
        entry.save(update_fields=["status", "offer"])
        audit_record(actor=None, action="waitlist.offer", obj=offer, after=booking_snapshot(offer))
        bookings_notify(kind=WAITLIST_OFFER, booking_ids=[offer.pk])
        return offer
    slot_release_seat(slot_id)
    return None
