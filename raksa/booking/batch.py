"""Many bookings in one go: the group commit behind the API's surge lane.

``bookings_create_many`` answers a list of requests exactly as :func:`booking_create` would, one at a
time in their order (same checks in the same order, same rows, same errors; a property test holds it
to that), but a run of them costs PostgreSQL two statements: one facts query, and one statement that
locks the run's slots in id order (``locks.py``), gives each slot's free seats to its first requests in
request order (the others get SLOT_FULL) and inserts the bookings and their audit rows (atomic as any
single statement).

Why the answers match: within a run no citizen appears twice, so a request's answer depends only on
the facts (read once, before the run; a citizen who already holds a booking that day is told
ALREADY_BOOKED from them, before any seat, as ``booking_create`` does) and on how many earlier requests
of the run took seats of its slot. A citizen's second request starts a new run, whose facts see the
first one's booking. A lone request is booked by ``booking_create`` itself.

If a run's statement fails (a booking made by the same citizen in the meantime, a deadlock…), the run
wrote nothing and its requests are booked one by one: logged (WARNING ``booking.batch.fallback`` with
``reason``, the error's class, and ``requests``, how many went one by one) and counted in
:data:`FALLBACKS`, because a batch query that always failed would otherwise hide behind correct answers
at a fraction of the speed (``make bench`` reports ``booking.batch.fallbacks``; 0 in a healthy run).
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
from raksa.booking.services.create import (
    NewBooking,
    booking_create,
    booking_snapshot,
    facts_from_row,
    new_booking,
    notify_booked,
)
from raksa.core import db_outage, pii
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
    results: list[NewBooking | Booking | DomainError | Exception | None] = [None] * len(requests)
    hashes: dict[int, bytes] = {}
    for i, r in enumerate(requests):
        try:
            hashes[i] = pii.lookup_hash(nid.normalize(r.national_id))
        except DomainError as exc:
            results[i] = exc
    run: list[int] = []
    in_run: set[bytes] = set()
    for i, cid_hash in hashes.items():
        if cid_hash in in_run:  # the same citizen again: in a run of its own, after this one is written
            _book_run(requests, hashes, run, results)
            run, in_run = [], set()
        run.append(i)
        in_run.add(cid_hash)
    if run:
        _book_run(requests, hashes, run, results)
    return results  # type: ignore[return-value]  (every request is settled)


def _book_run(requests: list[BookingRequest], hashes: dict[int, bytes], run: list[int], results: list) -> None:
    """Settle the requests ``run`` (indexes, no citizen twice) in ``results``."""
    if len(run) > 1:
        try:
            with transaction.atomic() if connection.in_atomic_block else nullcontext():  # a caller's transaction
                _book_together(requests, hashes, run, results)                          # survives a failure
        except DatabaseError as exc:  # the run wrote nothing: what is left is booked one by one below
            if db_outage.is_outage(exc):  # ... unless the database is away: then that is every answer (a 503),
                for i in run:             # neither a fallback nor worth a traceback per request
                    results[i] = exc if results[i] is None else results[i]
                return
            _fall_back(f"batch_failed:{type(exc.__cause__ or exc).__name__}", sum(results[i] is None for i in run))
    for i in run:
        if results[i] is None:
            results[i] = _one(requests[i])


def _book_together(requests: list[BookingRequest], hashes: dict[int, bytes], run: list[int], results: list) -> None:
    at = sql.FACTS_MANY_COLUMNS.at
    batch_json = json.dumps([{"ord": n, "cid_hash": hashes[i].hex(), "slot_id": requests[i].slot_id}
                             for n, i in enumerate(run)])
    with prepared_cursor(sql.FACTS_MANY_SQL, [batch_json]) as cursor:
        found = {run[row[at["ord"]]]: facts_from_row(row, at) for row in cursor.fetchall()}
    batch: dict[int, NewBooking] = {}
    for i in run:
        r = requests[i]
        try:
            batch[i] = new_booking(found.get(i), actor=None, channel=BookingChannel.API, now=r.now,
                                   for_unit_id=r.for_unit_id)
        except DomainError as exc:
            results[i] = exc
    if batch:
        written = _write(requests, batch)
        for i, booking in written.items():
            results[i] = booking
        notify_booked([b for b in written.values() if isinstance(b, NewBooking)])  # one job row for the run


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
        if not db_outage.is_outage(exc):  # an outage is logged once, by the breaker
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
