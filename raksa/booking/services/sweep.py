"""Housekeeping run every minute (``manage.py booking_sweep``): unconfirmed bookings expire, missed ones
become no-shows."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from raksa.audit.services import audit_record
from raksa.booking.locks import lock_bookings
from raksa.booking.models import Booking, BookingStatus
from raksa.booking.services.changes import set_status
from raksa.booking.services.waitlist import seat_free
from raksa.messaging.notify import reminders_queue


def bookings_sweep(*, now: dt.datetime | None = None, batch: int = 500) -> dict[str, int]:
    """Housekeeping, run every minute (``manage.py booking_sweep``): unconfirmed bookings past their
    time expire and free their seat (offering it to the waitlist); confirmed bookings whose slot
    ended more than the grace period ago become no-shows; reminders due are queued for LINE."""
    now = now or timezone.now()
    expired = 0
    due = list(Booking.objects.filter(status=BookingStatus.AWAITING_CITIZEN, expires_at__lte=now)
               .order_by("pk").values_list("pk", flat=True)[:batch])
    for booking_id in due:
        with transaction.atomic():
            booking = lock_bookings([booking_id]).get(booking_id)
            if booking is None or booking.status != BookingStatus.AWAITING_CITIZEN:
                continue
            set_status(booking, BookingStatus.EXPIRED, now, expires_at=None)
            seat_free(booking.slot_id, now)
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
            set_status(booking, BookingStatus.NO_SHOW, now)
            audit_record(actor=None, action="booking.no_show", obj=booking, after={"status": booking.status,
                                                                                   "automatic": True})
            no_shows += 1
    reminders = reminders_queue(now=now)  # the day-before and hour-before LINE reminders now due
    return {"expired": expired, "no_show": no_shows, "reminders": sum(reminders.values())}


