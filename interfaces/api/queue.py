"""The counter's queue over the API: today's queue, check a booking in, call the next number, move a ticket.

The same domain functions and permissions as the portal's queue page: a unit's key or its staff act for
that unit only, officers for any (:func:`interfaces.api.auth.acting_unit`).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Body, Router, Schema, Status

from interfaces.api.auth import acting_unit, actor_of, unit_or_staff
from interfaces.api.booking import BookingOut, _booking_for_caller, _booking_out
from interfaces.api.docs import doc
from interfaces.api.schemas import ERRORS, HcodePath
from raksa.booking import errors
from raksa.booking.models import QueueTicket, TicketStatus
from raksa.booking.queue import booking_check_in, ticket_call_next, ticket_move, unit_may_serve
from raksa.booking.selectors import queue_today, ticket_today_by_label
from raksa.core.errors import InvalidInput, NotFound
from raksa.units.selectors import unit_get_by_hcode

router = Router()


class TicketOut(Schema):
    label: str
    status: str
    booking: str | None


class QueueOut(Schema):
    day: dt.date
    called: list[TicketOut]
    waiting: list[TicketOut]
    expected: list[BookingOut]


class CheckInIn(Schema):
    confirm_in_person: bool = False


class TicketStatusIn(Schema):
    status: Literal["called", "in_service", "done", "left"]


def _ticket_out(ticket: QueueTicket, booking_reference: str | None = None) -> dict:
    if booking_reference is None and ticket.booking_id:
        booking_reference = ticket.booking.reference
    return {"label": ticket.label, "status": ticket.status, "booking": booking_reference}


def _unit_for_caller(request, hcode: str):
    unit = unit_get_by_hcode(hcode)
    acting_unit(request, unit)
    return unit


@router.get("/units/{hcode}/queue", response={200: QueueOut, **ERRORS}, auth=unit_or_staff, **doc("queue"))
def queue(request, hcode: HcodePath):
    """A pending or suspended unit's queue is refused (403 UNIT_NOT_VERIFIED / UNIT_SUSPENDED), as the portal
    sends that unit's staff to the registration page instead of showing it."""
    unit = _unit_for_caller(request, hcode)
    unit_may_serve(unit.status)
    q = queue_today(unit=unit)
    return {"day": q["day"], "called": [_ticket_out(t) for t in q["called"]],
            "waiting": [_ticket_out(t) for t in q["waiting"]],
            "expected": [_booking_out(b, hcode=unit.hcode) for b in q["expected"]]}


@router.post("/bookings/{reference}/check-in", response={201: TicketOut, **ERRORS}, auth=unit_or_staff,
             **doc("booking_check_in"))
def booking_check_in_view(request, reference: str, payload: CheckInIn = Body(CheckInIn())):  # noqa: B008
    if request.body.strip() and not request.body.lstrip().startswith(b"{"):
        # ninja reads null, [] or "x" as "no payload": a body that is there must be an object
        raise InvalidInput("The body must be a JSON object, e.g. {\"confirm_in_person\": true}, or empty.",
                           "เนื้อหาคำขอต้องเป็นออบเจกต์ JSON เช่น {\"confirm_in_person\": true} หรือเว้นว่าง",
                           code="INVALID_INPUT")
    booking = _booking_for_caller(request, reference)
    ticket = booking_check_in(actor=actor_of(request), booking_id=booking.pk,
                              confirm_in_person=payload.confirm_in_person)
    return Status(201, _ticket_out(ticket, booking.reference))


@router.post("/units/{hcode}/queue/call-next", response={200: TicketOut, **ERRORS}, auth=unit_or_staff,
             **doc("queue_call_next"))
def queue_call_next(request, hcode: HcodePath):
    unit = _unit_for_caller(request, hcode)
    ticket = ticket_call_next(actor=actor_of(request), unit=unit)
    if ticket is None:
        raise errors.queue_empty()
    return _ticket_out(ticket)


@router.post("/units/{hcode}/queue/tickets/{label}/status", response={200: TicketOut, **ERRORS},
             auth=unit_or_staff, **doc("ticket_status"))
def ticket_status(request, hcode: HcodePath, label: str, payload: TicketStatusIn):
    unit = _unit_for_caller(request, hcode)
    found = ticket_today_by_label(unit, label)
    if found is None:
        raise NotFound(f"Today's queue at this unit has no ticket {label}.",
                       f"คิววันนี้ของหน่วยบริการนี้ไม่มีบัตรคิว {label}", code="TICKET_NOT_FOUND", field="label")
    ticket = ticket_move(actor=actor_of(request), ticket_id=found.pk, unit=unit, status=TicketStatus(payload.status))
    return _ticket_out(ticket)
