"""Booking endpoints: free slots, create/cancel/reschedule a booking, the waiting list."""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema, Status

from interfaces.api.auth import acting_unit, actor_of, unit_or_staff
from interfaces.api.docs import doc
from interfaces.api.schemas import ERRORS, DateQuery, HcodePath, ServiceQuery, national_id_field
from raksa.booking.errors import slot_not_found
from raksa.booking.models import Booking, BookingChannel, Slot
from raksa.booking.selectors import waitlist_position
from raksa.booking.services import (
    NewBooking,
    booking_cancel,
    booking_create,
    booking_reschedule,
    waitlist_join,
)
from raksa.booking.services.create import SlotFacts
from raksa.booking.slots import slots_free
from raksa.core.errors import NotFound
from raksa.core.timeutil import BANGKOK, parse_date, service_day
from raksa.people.models import Citizen
from raksa.people.selectors import citizen_id_by_national_id
from raksa.units.models import UnitApiKey
from raksa.units.selectors import service_get_by_code, unit_get_by_hcode

router = Router()


class SlotOut(Schema):
    id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    day: dt.date
    local_time: str
    free: int


class BookingIn(Schema):
    national_id: str = national_id_field()
    slot_id: int


class RescheduleIn(Schema):
    slot_id: int


class BookingOut(Schema):
    reference: str
    status: str
    day: dt.date
    starts_at: dt.datetime
    local_time: str
    hcode: str
    service: str
    expires_at: dt.datetime | None



def _booking_out(booking: Booking | NewBooking, slot: Slot | SlotFacts | None = None, hcode: str | None = None,
                 service_code: str | None = None) -> dict:
    slot = slot or booking.slot
    return {"reference": booking.reference, "status": booking.status, "day": booking.day,
            "starts_at": slot.starts_at, "local_time": slot.starts_at.astimezone(BANGKOK).strftime("%H:%M"),
            "hcode": hcode or booking.unit.hcode, "service": service_code or booking.service.code,
            "expires_at": booking.expires_at}


def _booking_out_by_pk(pk: int) -> dict:
    return _booking_out(Booking.objects.select_related("slot", "unit", "service").get(pk=pk))


def _booking_for_caller(request, reference: str) -> Booking:
    booking = Booking.objects.filter(reference=reference.strip().upper()).only("pk", "unit_id").first()
    if booking is None:
        raise NotFound("No booking with this reference.", "ไม่พบการจองหมายเลขนี้", code="BOOKING_NOT_FOUND",
                       field="reference")
    acting_unit(request, booking.unit_id)
    return booking


@router.get("/units/{hcode}/slots", response={200: list[SlotOut], **ERRORS}, **doc("free_slots"))
def free_slots(request, hcode: HcodePath, service: ServiceQuery, day: DateQuery = None):
    """Free slots of a unit's service on a Bangkok date (default today). Public: availability is not secret."""
    unit = unit_get_by_hcode(hcode)
    svc = service_get_by_code(service)
    on = parse_date(day, field="day") if day else service_day()
    return [{"id": s.pk, "starts_at": s.starts_at, "ends_at": s.ends_at, "day": s.day, "free": s.free,
             "local_time": s.starts_at.astimezone(BANGKOK).strftime("%H:%M")}
            for s in slots_free(unit_id=unit.pk, service_id=svc.pk, day=on)]


@router.post("/bookings", response={201: BookingOut, **ERRORS}, auth=unit_or_staff, **doc("booking_make"))
def booking_make(request, payload: BookingIn):
    """A unit books for a citizen (seed 2.2): the booking awaits the citizen's confirmation and holds
    the seat until ``expires_at``. Errors: SLOT_FULL, NOT_ELIGIBLE, ALREADY_BOOKED (409), invalid input (422)."""
    if isinstance(request.auth, UnitApiKey):
        for_unit_id = request.auth.unit_id  # the hot path: the service checks the slot's unit itself
    else:
        slot = Slot.objects.filter(pk=payload.slot_id).only("unit_id").first()
        if slot is None:
            raise slot_not_found()
        acting_unit(request, slot.unit_id)
        for_unit_id = None
    booking = booking_create(actor=actor_of(request), national_id=payload.national_id, slot_id=payload.slot_id,
                             channel=BookingChannel.API, for_unit_id=for_unit_id)
    facts = booking.slot_facts
    return Status(201, _booking_out(booking, facts, facts.hcode, facts.service_code))


class WaitlistOut(Schema):
    slot_id: int
    status: str
    position: int


@router.post("/waitlist", response={201: WaitlistOut, **ERRORS}, auth=unit_or_staff, **doc("waitlist_add"))
def waitlist_add(request, payload: BookingIn):
    """The slot is looked up only for its unit (permission); the domain decides the rest."""
    citizen = Citizen(pk=citizen_id_by_national_id(payload.national_id))
    slot = Slot.objects.filter(pk=payload.slot_id).only("unit_id").first()
    if slot is None:
        raise slot_not_found()
    acting_unit(request, slot.unit_id)
    entry = waitlist_join(actor=actor_of(request), citizen=citizen, slot_id=slot.pk)
    return Status(201, {"slot_id": slot.pk, "status": entry.status, "position": waitlist_position(entry)})


@router.get("/bookings/{reference}", response={200: BookingOut, **ERRORS}, auth=unit_or_staff,
            **doc("booking_detail"))
def booking_detail(request, reference: str):
    booking = _booking_for_caller(request, reference)
    return _booking_out_by_pk(booking.pk)


@router.post("/bookings/{reference}/cancel", response={200: BookingOut, **ERRORS}, auth=unit_or_staff,
             **doc("booking_cancel"))
def booking_cancel_view(request, reference: str):
    booking = _booking_for_caller(request, reference)
    booking_cancel(actor=actor_of(request), booking_id=booking.pk)
    return _booking_out_by_pk(booking.pk)


@router.post("/bookings/{reference}/reschedule", response={200: BookingOut, **ERRORS}, auth=unit_or_staff,
             **doc("booking_reschedule"))
def booking_reschedule_view(request, reference: str, payload: RescheduleIn):
    booking = _booking_for_caller(request, reference)
    booking_reschedule(actor=actor_of(request), booking_id=booking.pk, new_slot_id=payload.slot_id)
    return _booking_out_by_pk(booking.pk)

