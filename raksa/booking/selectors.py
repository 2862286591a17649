from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from raksa.booking.models import ACTIVE_STATUSES, Booking, BookingStatus, QueueTicket, TicketStatus
from raksa.core.timeutil import service_day
from raksa.units.models import Unit


def queue_today(*, unit: Unit, now: dt.datetime | None = None) -> dict[str, list]:
    """Today's queue (Bangkok day): tickets by state in queue order, and bookings not yet arrived."""
    day = service_day(now)
    tickets = list(QueueTicket.objects.filter(unit=unit, day=day).select_related("citizen", "booking")
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


def bookings_for_citizen(citizen_id: int) -> QuerySet[Booking]:
    return (Booking.objects.filter(citizen_id=citizen_id).select_related("unit", "service", "slot")
            .order_by("-day", "-slot__starts_at"))


def booking_active_count(slot_id: int) -> int:
    return Booking.objects.filter(slot_id=slot_id, status__in=ACTIVE_STATUSES).count()
