"""Today's queue at a unit: walk-in tickets (A-001…) and checked-in bookings (B-001…).

States: waiting -> called -> in_service -> done, or left (from waiting or called).
Order: bookings by their slot start, walk-ins by issue time; the earliest waiting ticket is called next.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from raksa.audit.services import audit_record
from raksa.booking import errors
from raksa.booking.locks import counter_next_number, lock_bookings
from raksa.booking.models import (
    OPEN_TICKET_CONSTRAINT,
    OPEN_TICKET_STATUSES,
    Booking,
    BookingStatus,
    QueueTicket,
    TicketKind,
    TicketStatus,
)
from raksa.booking.services import booking_confirm
from raksa.core.db import is_violation_of
from raksa.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from raksa.core.timeutil import BANGKOK, service_day
from raksa.eligibility.services import MESSAGES as ELIGIBILITY_MESSAGES
from raksa.eligibility.services import unit_status_reason
from raksa.messaging.notify import ticket_called_notify
from raksa.people.models import Citizen
from raksa.units.models import Unit

TRANSITIONS = {
    TicketStatus.CALLED: (TicketStatus.WAITING, TicketStatus.CALLED),  # calling again (recall) is allowed
    TicketStatus.IN_SERVICE: (TicketStatus.CALLED,),
    TicketStatus.DONE: (TicketStatus.IN_SERVICE, TicketStatus.CALLED),
    TicketStatus.LEFT: (TicketStatus.WAITING, TicketStatus.CALLED),
}


def _snapshot(ticket: QueueTicket) -> dict[str, Any]:
    return {"label": ticket.label, "status": ticket.status, "day": ticket.day.isoformat()}


# Only a verified unit serves: issuing, checking in, calling and starting service are refused for a pending or
# suspended unit (the rights check's reasons and messages). Finishing a ticket, or marking it left, stays
# possible, so that a unit suspended during the day can close its queue.
SERVING_STATES = (TicketStatus.CALLED, TicketStatus.IN_SERVICE)


def unit_may_serve(unit_status: str) -> None:
    reason = unit_status_reason(unit_status)
    if reason is not None:
        message_en, message_th = ELIGIBILITY_MESSAGES[reason]
        raise Forbidden(message_en, message_th, code=reason.value)


# SQLite names no constraint, only its columns.
def _already_in_queue(ticket: QueueTicket | None) -> Conflict:
    label = ticket.label if ticket else "-"
    return Conflict(f"This person is already in today's queue with ticket {label}: call that ticket.",
                    f"บุคคลนี้อยู่ในคิววันนี้แล้ว บัตรคิว {label} กรุณาเรียกบัตรคิวนั้น",
                    code="ALREADY_IN_QUEUE")


def _create_ticket(**fields) -> QueueTicket:
    """Insert a ticket; a person already holding an open ticket at the unit that day is refused by the
    ``ticket_one_open_per_citizen`` constraint (two counters pressing at once included)."""
    try:
        with transaction.atomic():
            return QueueTicket.objects.create(**fields)
    except IntegrityError as exc:
        if not is_violation_of(exc, QueueTicket, OPEN_TICKET_CONSTRAINT):
            raise
        raise _already_in_queue(open_ticket_of(unit_id=fields["unit_id"], day=fields["day"],
                                               citizen_id=fields.get("citizen_id"))) from None


def open_ticket_of(*, unit_id: int, day: dt.date, citizen_id: int | None) -> QueueTicket | None:
    if citizen_id is None:
        return None
    return QueueTicket.objects.filter(unit_id=unit_id, day=day, citizen_id=citizen_id,
                                      status__in=OPEN_TICKET_STATUSES).first()


@transaction.atomic
def ticket_issue_walk_in(*, actor: Any, unit: Unit, citizen: Citizen | None = None,
                         now: dt.datetime | None = None) -> QueueTicket:
    """A numbered walk-in ticket for today (Bangkok day), for a named person (found by the rights check)
    or anonymous. Numbers are gapless per unit and day; a person is in the queue once at a time."""
    unit_may_serve(unit.status)
    now = now or timezone.now()
    day = service_day(now)
    citizen_id = citizen.pk if citizen else None
    held = open_ticket_of(unit_id=unit.pk, day=day, citizen_id=citizen_id)
    if held is not None:
        raise _already_in_queue(held)
    booked = (Booking.objects.filter(unit_id=unit.pk, day=day, citizen_id=citizen_id,
                                     status__in=(BookingStatus.CONFIRMED, BookingStatus.AWAITING_CITIZEN))
              .select_related("slot").first() if citizen_id else None)
    if booked is not None:  # their booking would stay open and end as a no-show although they were served
        when = booked.slot.starts_at.astimezone(BANGKOK).strftime("%H:%M")
        raise Conflict(f"This person has a booking here today at {when} ({booked.reference}): check the booking "
                       "in instead of giving a walk-in ticket.",
                       f"บุคคลนี้มีนัดที่หน่วยบริการนี้วันนี้ เวลา {when} น. ({booked.reference}) "
                       "กรุณารับเข้าคิวจากการจองแทนการออกบัตรคิวใหม่",
                       code="HAS_BOOKING_TODAY")
    number = counter_next_number(unit_id=unit.pk, day=day, kind=TicketKind.WALK_IN)
    ticket = _create_ticket(unit_id=unit.pk, day=day, kind=TicketKind.WALK_IN, number=number,
                            citizen_id=citizen_id, priority_at=now)
    audit_record(actor=actor, action="ticket.issue", obj=ticket, after=_snapshot(ticket))
    return ticket


@transaction.atomic
def booking_check_in(*, actor: Any, booking_id: int, confirm_in_person: bool = False,
                     now: dt.datetime | None = None) -> QueueTicket:
    """The booked citizen has arrived (rights QR scanned or found by staff): they join today's queue.

    With ``confirm_in_person`` a booking the unit made that the citizen has not yet confirmed in LINE is
    first confirmed in person (its own audit row), so the counter serves them in one step."""
    now = now or timezone.now()
    booking = lock_bookings([booking_id]).get(booking_id)
    if booking is None:
        raise NotFound("No such booking.", "ไม่พบการจองนี้", code="BOOKING_NOT_FOUND")
    unit_may_serve(Unit.objects.values_list("status", flat=True).get(pk=booking.unit_id))
    if confirm_in_person:  # the row is already locked; booking_confirm gives it back confirmed
        booking = booking_confirm(actor=actor, booking_id=booking_id, via="in_person", now=now)
    if booking.status != BookingStatus.CONFIRMED:
        raise errors.booking_not_active(booking.status)
    if booking.day != service_day(now):
        raise InvalidInput("This booking is for another day.", "การจองนี้เป็นของวันอื่น", code="NOT_TODAY")
    booking.status, booking.status_changed_at = BookingStatus.CHECKED_IN, now
    booking.save(update_fields=["status", "status_changed_at"])
    number = counter_next_number(unit_id=booking.unit_id, day=booking.day, kind=TicketKind.BOOKING)
    ticket = _create_ticket(unit_id=booking.unit_id, day=booking.day, kind=TicketKind.BOOKING, number=number,
                            booking=booking, citizen_id=booking.citizen_id, priority_at=booking.slot.starts_at)
    audit_record(actor=actor, action="booking.check_in", obj=booking, after={"ticket": ticket.label})
    return ticket


@transaction.atomic
def ticket_call_next(*, actor: Any, unit: Unit, now: dt.datetime | None = None) -> QueueTicket | None:
    """Call the earliest waiting ticket. Two staff pressing at once call two different people:
    the row is locked with SKIP LOCKED, so the second takes the next one."""
    unit_may_serve(unit.status)
    now = now or timezone.now()
    ticket = (QueueTicket.objects.filter(unit=unit, day=service_day(now), status=TicketStatus.WAITING)
              .order_by("priority_at", "pk").select_for_update(skip_locked=True).first())
    if ticket is None:
        return None
    return _move(ticket, TicketStatus.CALLED, actor=actor, now=now)


def _move(ticket: QueueTicket, status: str, *, actor: Any, now: dt.datetime) -> QueueTicket:
    if ticket.status not in TRANSITIONS[status]:
        raise errors.ticket_state(ticket.label, ticket.status, status)
    before = ticket.status
    ticket.status = status
    fields = ["status"]
    if status == TicketStatus.CALLED:
        ticket.called_at, ticket.called_by = now, actor if getattr(actor, "is_authenticated", False) else None
        fields += ["called_at", "called_by"]
    if status in (TicketStatus.DONE, TicketStatus.LEFT):
        ticket.finished_at = now
        fields.append("finished_at")
    ticket.save(update_fields=fields)
    if status == TicketStatus.CALLED and ticket.citizen_id:  # "your turn" in LINE (if linked), by a job
        ticket_called_notify(ticket_id=ticket.pk)
    if status in (TicketStatus.DONE, TicketStatus.LEFT) and ticket.booking_id:
        # A booked citizen who left the queue did not receive the service: the booking ends as a no-show,
        # so it stops counting as active (they may book again that day).
        ended = BookingStatus.COMPLETED if status == TicketStatus.DONE else BookingStatus.NO_SHOW
        Booking.objects.filter(pk=ticket.booking_id).update(status=ended, status_changed_at=now)
    audit_record(actor=actor, action=f"ticket.{status}", obj=ticket, before={"status": before},
                 after=_snapshot(ticket))
    return ticket


@transaction.atomic
def ticket_move(*, actor: Any, ticket_id: int, unit: Unit, status: str, now: dt.datetime | None = None
                ) -> QueueTicket:
    """Recall, start service, finish, or mark a ticket as left."""
    if status not in TRANSITIONS:
        raise InvalidInput(f"Unknown ticket state '{status}'.", f"ไม่รู้จักสถานะ '{status}'", code="INVALID_STATE")
    if status in SERVING_STATES:
        unit_may_serve(unit.status)
    ticket = QueueTicket.objects.select_for_update().filter(pk=ticket_id, unit=unit).first()
    if ticket is None:
        raise NotFound("No such ticket at this unit.", "ไม่พบบัตรคิวนี้ที่หน่วยบริการนี้", code="TICKET_NOT_FOUND")
    return _move(ticket, status, actor=actor, now=now or timezone.now())
