"""The booking services: every change is one function, in one transaction, with its audit row.

By module: ``create`` (booking_create, the launch-day hot path; the batch is ``raksa.booking.batch``),
``changes`` (confirm, cancel, decline, reschedule, no-show), ``waitlist`` (join; a freed seat's
offer), ``sweep`` (expiry and no-shows, every minute), ``schedules`` (schedules and closed days). Today's
queue is ``raksa.booking.queue``; the raw SQL is ``raksa.booking.sql``; the lock order ``raksa.booking.locks``.
"""

from raksa.booking.services.changes import (
    booking_can_move,
    booking_cancel,
    booking_confirm,
    booking_decline,
    booking_mark_no_show,
    booking_reschedule,
)
from raksa.booking.services.create import NewBooking, booking_create
from raksa.booking.services.schedules import closure_add, schedule_set
from raksa.booking.services.sweep import bookings_sweep
from raksa.booking.services.waitlist import waitlist_join

__all__ = [
    "NewBooking", "booking_can_move", "booking_cancel", "booking_confirm", "booking_create", "booking_decline",
    "booking_mark_no_show", "booking_reschedule", "bookings_sweep", "closure_add", "schedule_set", "waitlist_join",
]
