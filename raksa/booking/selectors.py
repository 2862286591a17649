from __future__ import annotations

import datetime as dt

from django.db.models import Count

from raksa.audit.models import AuditEntry
from raksa.booking.models import (
    ACTIVE_STATUSES,
    Booking,
    BookingStatus,
    Closure,
    QueueTicket,
    Schedule,
    Slot,
    TicketKind,
    TicketStatus,
)
from raksa.core.timeutil import service_day
from raksa.people.models import Citizen
from raksa.units.models import Unit


def queue_today(*, unit: Unit, now: dt.datetime | None = None) -> dict[str, list]:
    """Today's queue (Bangkok day): tickets by state in queue order, and bookings not yet arrived."""
    day = service_day(now)
    tickets = list(QueueTicket.objects.filter(unit=unit, day=day).select_related("citizen", "booking__slot")
                   .order_by("priority_at", "pk"))
    expected = list(Booking.objects.filter(unit=unit, day=day, status__in=[BookingStatus.CONFIRMED,
                                                                           BookingStatus.AWAITING_CITIZEN])
                    .select_related("citizen", "slot", "service").order_by("slot__starts_at", "pk"))
    return {
        "day": day,
        "called": [t for t in tickets if t.status in (TicketStatus.CALLED, TicketStatus.IN_SERVICE)],
        "waiting": [t for t in tickets if t.status == TicketStatus.WAITING],
        "finished": [t for t in tickets if t.status in (TicketStatus.DONE, TicketStatus.LEFT)],
        "expected": expected,
    }


def waitlist_position(entry) -> int:
    """1 for the first waiting citizen of the slot."""
    from raksa.booking.models import WaitlistEntry, WaitlistStatus

    return WaitlistEntry.objects.filter(slot_id=entry.slot_id, status=WaitlistStatus.WAITING,
                                        created_at__lte=entry.created_at, pk__lte=entry.pk).count()


def booking_held(*, citizen_id: int, unit_id: int, day: dt.date) -> bool:
    """Whether the citizen holds an active booking at the unit that day (the rule the
    ``booking_one_active_per_citizen_unit_day`` constraint enforces; this only asks it ahead)."""
    return Booking.objects.filter(citizen_id=citizen_id, unit_id=unit_id, day=day, status__in=ACTIVE_STATUSES).exists()


def booking_active_count(slot_id: int) -> int:
    return Booking.objects.filter(slot_id=slot_id, status__in=ACTIVE_STATUSES).count()


# Reads for staff screens, always scoped to one unit: staff of another unit get "not found".
REFERENCE_MAX = 12


def booking_for_unit(unit: Unit, reference: str) -> Booking | None:
    reference = (reference or "").strip().upper()
    if not reference or len(reference) > REFERENCE_MAX:
        return None
    return (Booking.objects.select_related("citizen", "service", "slot", "created_by")
            .filter(unit=unit, reference=reference).first())


def bookings_on_day(unit: Unit, day: dt.date) -> list[Booking]:
    return list(Booking.objects.filter(unit=unit, day=day).select_related("citizen", "service", "slot")
                .order_by("slot__starts_at", "pk"))


def bookings_of_citizen_at_unit(unit: Unit, citizen_id: int, *, active_only: bool = False) -> list[Booking]:
    rows = Booking.objects.filter(unit=unit, citizen_id=citizen_id)
    if active_only:
        rows = rows.filter(status__in=ACTIVE_STATUSES)
    return list(rows.select_related("service", "slot").order_by("-day", "-slot__starts_at")[:50])


def slot_for_unit(unit: Unit, slot_id: int, *, service_id: int | None = None) -> Slot | None:
    rows = Slot.objects.filter(unit=unit, pk=slot_id)
    if service_id is not None:
        rows = rows.filter(service_id=service_id)
    return rows.first()


def booking_history(booking: Booking) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(object_type=Booking._meta.label_lower, object_id=str(booking.pk))
                .select_related("actor").order_by("at", "pk"))


def booking_ticket_label(booking: Booking) -> str | None:
    ticket = QueueTicket.objects.filter(booking=booking).first()
    return ticket.label if ticket else None


def schedules_for_unit(unit: Unit) -> dict[int, Schedule]:
    return {s.service_id: s for s in Schedule.objects.filter(unit=unit)}


def closures_ahead(unit: Unit, today: dt.date) -> list[Closure]:
    return list(Closure.objects.filter(unit=unit, day__gte=today).order_by("day")[:30])


def citizen_by_pk(pk) -> Citizen | None:
    if not isinstance(pk, int):
        return None
    return Citizen.objects.filter(pk=pk).first()


def active_bookings_per_day(unit: Unit, days) -> dict[dt.date, int]:
    rows = (Booking.objects.filter(unit=unit, day__in=list(days), status__in=ACTIVE_STATUSES)
            .values("day").annotate(count=Count("pk")))
    return {row["day"]: row["count"] for row in rows}


def ticket_today_by_label(unit: Unit, label: str, *, now: dt.datetime | None = None) -> QueueTicket | None:
    """Today's ticket (Bangkok day) numbered ``label`` ("A-001", "b-7") at the unit, or None."""
    kind, _, number = (label or "").strip().upper().partition("-")
    if kind not in TicketKind.values or not (number.isascii() and number.isdigit()) or len(number) > 6:
        return None
    return QueueTicket.objects.filter(unit=unit, day=service_day(now), kind=kind, number=int(number)).first()
