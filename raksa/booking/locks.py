"""Row locks of the booking engine, and the one order in which they are taken.

Every transaction that needs more than one of these takes them in this order, so two transactions
can wait for each other but never deadlock:

1. ``Booking`` rows, by primary key        -> :func:`lock_bookings`
2. ``Slot`` rows (seat counters), by pk    -> :func:`lock_slots`, or the conditional UPDATE in
   :func:`slot_take_seat` / :func:`slot_release_seat`, which locks the one row it changes, or the
   ``locked`` step of a batch (``raksa.booking.batch``: ``ORDER BY id FOR UPDATE`` of the batch's
   slots with a free seat); anything changing several slots at once takes them by pk first
   (``closure_add``)
3. ``WaitlistEntry`` rows, oldest first, ONE at a time, skipping rows another transaction holds
   (``services.waitlist._next_waiting``)
4. ``QueueCounter`` row of (unit, day, kind) -> :func:`counter_next_number` (upsert, locks the row
   until commit: ticket numbers are unique and gapless)
5. ``QueueTicket`` rows, queue order, skipping rows another transaction holds -> "call next"

Booking a new seat takes only (2): the seat is taken by ``UPDATE ... SET booked = booked + 1 WHERE
<the seat rule>`` (``sql.TAKE_SEAT_SQL``; a batch: ``+ n`` where ``n`` is at most the seats left), which
the database serialises per row; the CHECK constraint
``slot_never_overbooked`` makes overbooking impossible even for code that forgets this module.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import connection
from django.db.models import F

from raksa.booking import sql
from raksa.booking.models import Booking, Slot


def lock_bookings(ids: Iterable[int]) -> dict[int, Booking]:
    """No joins here: after waiting for a lock PostgreSQL re-checks the *updated* booking against the
    *old* joined rows, so a booking whose slot changed meanwhile would silently drop out of the result
    (found by test_reschedule_racing_cancel_leaves_consistent_seats)."""
    rows = Booking.objects.filter(pk__in=list(ids)).order_by("pk").select_for_update(of=("self",))
    return {b.pk: b for b in rows}


def lock_slots(ids: Iterable[int]) -> dict[int, Slot]:
    return {s.pk: s for s in Slot.objects.filter(pk__in=sorted(set(ids))).order_by("pk").select_for_update()}


def slot_take_seat(slot_id: int) -> bool:
    """Take one seat if one is free and the slot is open; False when full (or withdrawn)."""
    with connection.cursor() as cursor:
        cursor.execute(sql.TAKE_SEAT_SQL, [slot_id])
        return cursor.rowcount == 1


def slot_release_seat(slot_id: int) -> None:
    Slot.objects.filter(pk=slot_id, booked__gt=0).update(booked=F("booked") - 1)


def counter_next_number(*, unit_id: int, day: dt.date, kind: str) -> int:
    """The next ticket number for (unit, day, kind), in the caller's transaction."""
    with connection.cursor() as cursor:
        cursor.execute(sql.COUNTER_NEXT_SQL, [unit_id, day, kind])
        return cursor.fetchone()[0]
