"""Many bookings in one go: the group commit behind the API's surge lane.

``bookings_create_many`` books each request exactly as :func:`raksa.booking.services.booking_create`
would (same checks in the same order, same rows, same errors), but a whole batch costs PostgreSQL two
statements: one facts query, and one statement that locks the batch's slots in id order
(``locks.py``), gives each slot's free seats to its first requests in request order (the others get
SLOT_FULL) and inserts the bookings and their audit rows (atomic as any single statement).

Requests whose citizen already holds a booking at the unit that day, or asks twice in the batch, are
booked one by one with ``booking_create`` after the batch (they get SLOT_FULL or ALREADY_BOOKED,
whichever booking alone gives at that moment); so is the whole batch if its statement fails (a
booking made by the same citizen in the meantime, a deadlock…). The requests of a batch arrived
together, so every answer is one that booking them one at a time in some order gives.

A batch whose statement fails is logged (WARNING ``booking.batch.fallback`` with ``reason``, the
error's class, and ``requests``, how many went one by one) and counted in :data:`FALLBACKS`: a batch
query that always failed would otherwise hide behind correct answers at a fraction of the speed
(``make bench`` reports ``booking.batch.fallbacks``; 0 in a healthy run). Requests sent alone by design
(holders, repeats) are logged at INFO as ``booking.batch.alone``.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
from collections import Counter
from contextlib import nullcontext
from dataclasses import dataclass, field

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from raksa.booking import errors, sql
from raksa.booking.models import Booking, BookingChannel
from raksa.booking.services.create import NewBooking, booking_create, booking_snapshot, facts_from_row, new_booking
from raksa.core import pii
from raksa.core.db import prepared_cursor
from raksa.core.errors import DomainError
from raksa.core.request_context import get_request_id, reset_request_id, set_request_id
from raksa.people import national_id as nid

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class BookingRequest:
    """A unit's software books for a citizen (channel ``api``, as ``POST /api/v1/bookings``)."""

    national_id: str = field(repr=False)  # never in a repr, a log line or an error report
    slot_id: int
    for_unit_id: int | None
    now: dt.datetime = field(default_factory=timezone.now)
    request_id: str = field(default_factory=get_request_id)


# Requests booked one by one instead of in their batch, by reason, in this process (see the docstring).
FALLBACKS: Counter[str] = Counter()
_FALLBACK_LOCK = threading.Lock()


def _fall_back(reason: str, requests: int) -> None:
    with _FALLBACK_LOCK:
        FALLBACKS[reason] += requests
    logger.warning("booking.batch.fallback", extra={"reason": reason, "requests": requests})


def bookings_create_many(*, requests: list[BookingRequest]) -> list[NewBooking | Booking | DomainError | Exception]:
    """One result per request, in order: the booking made (a NewBooking; a Booking if it was booked
    alone: both carry the same fields and ``slot_facts``), the DomainError that refused it, or the
    unexpected error that stopped it (logged)."""
    if len(requests) == 1 or connection.vendor != "postgresql":
        return [_one(r) for r in requests]
    results: list[NewBooking | Booking | DomainError | None] = [None] * len(requests)
    try:
        with transaction.atomic() if connection.in_atomic_block else nullcontext():  # a caller's transaction
            _book_batch(requests, results)                                            # survives a failure
    except DatabaseError as exc:  # nothing was written by the batch: what is left is booked one by one below
        _fall_back(f"batch_failed:{type(exc.__cause__ or exc).__name__}", sum(r is None for r in results))
    return [r if r is not None else _one(requests[i]) for i, r in enumerate(results)]


def _book_batch(requests: list[BookingRequest], results: list) -> None:
    """Fill in ``results`` for what the batch settles; the rest stays None (booked alone)."""
    hashes: dict[int, bytes] = {}
    for i, r in enumerate(requests):
        try:
            hashes[i] = pii.lookup_hash(nid.normalize(r.national_id))
        except DomainError as exc:
            results[i] = exc
    if not hashes:
        return
    found, holders = {}, set()  # holders: the citizen already holds an active booking at that unit that day
    order = list(hashes)
    batch_json = json.dumps([{"ord": n, "cid_hash": hashes[i].hex(), "slot_id": requests[i].slot_id}
                             for n, i in enumerate(order)])
    at = sql.FACTS_MANY_COLUMNS.at
    with prepared_cursor(sql.FACTS_MANY_SQL, [batch_json]) as cursor:
        for row in cursor.fetchall():
            i = order[row[at["ord"]]]
            found[i] = facts_from_row(row, at)
            if row[at["holds"]]:
                holders.add(i)
    batch: dict[int, NewBooking] = {}
    seen, alone = set(), Counter()
    for i in order:
        r = requests[i]
        try:
            booking = new_booking(found.get(i), actor=None, channel=BookingChannel.API, now=r.now,
                                  for_unit_id=r.for_unit_id)
        except DomainError as exc:
            results[i] = exc
            continue
        key = (booking.citizen_id, booking.unit_id, booking.day)
        if i in holders:  # alone, where the seats decide between SLOT_FULL and ALREADY_BOOKED
            alone["holds_booking"] += 1
        elif key in seen:
            alone["twice_in_batch"] += 1
        else:
            batch[i] = booking
        seen.add(key)
    for reason, count in alone.items():  # by design, not a fallback: logged for whoever wonders where they went
        logger.info("booking.batch.alone", extra={"reason": reason, "requests": count})
    if batch:
        for i, booking in _write(requests, batch).items():
            results[i] = booking


def _one(r: BookingRequest) -> Booking | DomainError | Exception:
    """Booked alone. Any failure is this request's answer only: the batch may already have booked
    the others (found by review: one dropped connection here used to fail every caller of the batch)."""
    token = set_request_id(r.request_id)
    try:
        return booking_create(actor=None, national_id=r.national_id, slot_id=r.slot_id,
                              channel=BookingChannel.API, now=r.now, for_unit_id=r.for_unit_id)
    except DomainError as exc:
        return exc
    except Exception as exc:
        logger.exception("Booking one request of a batch failed")
        return exc
    finally:
        reset_request_id(token)


def _write(requests: list[BookingRequest], batch: dict[int, NewBooking]) -> dict[int, NewBooking | DomainError]:
    rows = json.dumps([
        {"ord": n, "reference": b.reference, "citizen_id": b.citizen_id, "unit_id": b.unit_id,
         "service_id": b.service_id, "slot_id": b.slot_id, "day": b.day.isoformat(), "status": b.status,
         "channel": b.channel, "created_at": b.created_at.isoformat(),
         "expires_at": b.expires_at.isoformat() if b.expires_at else None, "after": booking_snapshot(b),
         "request_id": requests[i].request_id} for n, (i, b) in enumerate(batch.items())])
    with prepared_cursor(sql.WRITE_MANY_SQL, [rows]) as cursor:
        inserted = dict((reference, pk) for pk, reference in cursor.fetchall())
    done: dict[int, NewBooking | DomainError] = {}
    for i, booking in batch.items():
        if booking.reference in inserted:
            booking.pk = inserted[booking.reference]
            done[i] = booking
        else:
            done[i] = errors.slot_full()
    return done
