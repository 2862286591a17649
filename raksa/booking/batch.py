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
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from contextlib import nullcontext
from dataclasses import dataclass, field

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from raksa.audit.services import audit_insert_many_sql
from raksa.booking import errors
from raksa.booking.models import ACTIVE_STATUSES, Booking, BookingChannel
from raksa.booking.services import (
    _BOOKING_COLUMNS,
    SLOT_FACTS_COLUMNS,
    NewBooking,
    _booking_snapshot,
    booking_create,
    facts_from_row,
    new_booking,
)
from raksa.core import pii
from raksa.core.db import prepared_cursor
from raksa.core.errors import DomainError
from raksa.core.request_context import get_request_id, reset_request_id, set_request_id
from raksa.eligibility.services import COVERAGE_SQL
from raksa.people import national_id as nid

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class BookingRequest:
    """A unit's software books for a citizen (channel ``portal``, as ``POST /api/v1/bookings``)."""

    national_id: str = field(repr=False)  # never in a repr, a log line or an error report
    slot_id: int
    for_unit_id: int | None
    now: dt.datetime = field(default_factory=timezone.now)
    request_id: str = field(default_factory=get_request_id)


# The batch travels as one JSON document (psycopg dumps lists element by element in Python; the
# json module is C): 17% of the lane's Python time went on dumping arrays (py-spy --gil).
# PostgreSQL plans these once (prepared) for any batch, guessing 100 rows from jsonb_to_recordset:
# LATERAL subqueries with LIMIT 1 (so that they are not flattened back into joins) and
# "= ANY(ARRAY(…))" keep every lookup an index probe per request, where plain joins gave hash joins
# over whole tables (EXPLAIN ANALYZE with plan_cache_mode=force_generic_plan: 11.6 ms → 0.8 ms for 10).
_ACTIVE = ", ".join(f"'{status}'" for status in ACTIVE_STATUSES)
_FACTS_MANY_SQL = (
    "SELECT r.ord, h.holds, " + SLOT_FACTS_COLUMNS
    + " FROM jsonb_to_recordset(%s::jsonb) AS r(ord int, cid_hash text, slot_id bigint)"
    " JOIN LATERAL (SELECT * FROM booking_slot WHERE id = r.slot_id LIMIT 1) s ON true"
    " JOIN booking_schedule sc ON sc.id = s.schedule_id"
    " JOIN units_unit u ON u.id = s.unit_id JOIN units_service sv ON sv.id = s.service_id"
    " LEFT JOIN LATERAL (SELECT id FROM people_citizen WHERE cid_hash = decode(r.cid_hash, 'hex') LIMIT 1) ci"
    " ON true"
    " LEFT JOIN LATERAL (SELECT * FROM people_coverage WHERE id = "
    + COVERAGE_SQL.format(citizen="ci.id", day="s.day") + " LIMIT 1) c ON true"
    " LEFT JOIN LATERAL (SELECT true AS holds FROM booking_booking bk WHERE bk.citizen_id = ci.id"
    " AND bk.unit_id = s.unit_id AND bk.day = s.day AND bk.status IN (" + _ACTIVE + ") LIMIT 1) h ON true"
)

# One statement: lock the slots in id order, give each slot's free seats to its first requests (in
# request order), insert their bookings and an audit row for each. Returns what was inserted; a
# request left out found its slot full (or withdrawn, or gone), as booking_create would say.
_WRITE_MANY_SQL = (
    "WITH r AS MATERIALIZED (SELECT * FROM jsonb_to_recordset(%s::jsonb) AS r(ord int, reference text,"
    " citizen_id bigint, unit_id bigint, service_id bigint, slot_id bigint, day date, status text, channel text,"
    " created_at timestamptz, expires_at timestamptz, after jsonb, request_id text)),"
    " want AS MATERIALIZED (SELECT slot_id, count(*) AS n FROM r GROUP BY slot_id),"
    # Only slots with a seat are locked (PostgreSQL re-checks the condition once it holds the lock):
    # a full slot's requests learn SLOT_FULL without queueing behind other batches.
    " locked AS MATERIALIZED (SELECT s.id, s.capacity - s.booked AS free FROM booking_slot s"
    " WHERE s.id = ANY(ARRAY(SELECT slot_id FROM want)) AND s.booked < s.capacity AND NOT s.withdrawn"
    " ORDER BY s.id FOR UPDATE),"
    " granted AS MATERIALIZED (SELECT l.id, LEAST(w.n, l.free) AS n FROM locked l JOIN want w ON w.slot_id = l.id),"
    " seat AS (UPDATE booking_slot s SET booked = s.booked + (SELECT n FROM granted WHERE granted.id = s.id)"
    " WHERE s.id = ANY(ARRAY(SELECT id FROM granted)) RETURNING s.id),"
    " ranked AS (SELECT r.*, row_number() OVER (PARTITION BY r.slot_id ORDER BY r.ord) AS rn FROM r),"
    f" b AS (INSERT INTO booking_booking ({_BOOKING_COLUMNS})"
    " SELECT r.reference, r.citizen_id, r.unit_id, r.service_id, r.slot_id, r.day, r.status, r.channel, NULL,"
    " r.created_at, r.expires_at, r.created_at FROM ranked r JOIN granted g ON g.id = r.slot_id"
    " JOIN seat ON seat.id = r.slot_id WHERE r.rn <= g.n ORDER BY r.ord"
    " RETURNING id, reference),"
    " a AS (" + audit_insert_many_sql(
        "SELECT r.created_at AS at, NULL::integer AS actor_id, 'system' AS actor_label,"
        " 'booking.create' AS action, 'booking.booking' AS object_type, b.id AS id, r.after AS after,"
        " r.request_id AS request_id FROM b JOIN r ON r.reference = b.reference") + ")"
    " SELECT b.id, b.reference FROM b"
)


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
    except DatabaseError:  # nothing was written by the batch: what is left is booked one by one below
        pass
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
    with prepared_cursor(_FACTS_MANY_SQL, [batch_json]) as cursor:
        for row in cursor.fetchall():
            i = order[row[0]]
            found[i] = facts_from_row(row[2:])
            if row[1]:
                holders.add(i)
    batch: dict[int, NewBooking] = {}
    seen = set()
    for i in order:
        r = requests[i]
        try:
            booking = new_booking(found.get(i), actor=None, channel=BookingChannel.PORTAL, now=r.now,
                                  for_unit_id=r.for_unit_id)
        except DomainError as exc:
            results[i] = exc
            continue
        key = (booking.citizen_id, booking.unit_id, booking.day)
        if i not in holders and key not in seen:  # else: alone, where the seats decide the answer
            batch[i] = booking
        seen.add(key)
    if batch:
        for i, booking in _write(requests, batch).items():
            results[i] = booking


def _one(r: BookingRequest) -> Booking | DomainError | Exception:
    """Booked alone. Any failure is this request's answer only: the batch may already have booked
    the others (found by review: one dropped connection here used to fail every caller of the batch)."""
    token = set_request_id(r.request_id)
    try:
        return booking_create(actor=None, national_id=r.national_id, slot_id=r.slot_id,
                              channel=BookingChannel.PORTAL, now=r.now, for_unit_id=r.for_unit_id)
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
         "expires_at": b.expires_at.isoformat() if b.expires_at else None, "after": _booking_snapshot(b),
         "request_id": requests[i].request_id} for n, (i, b) in enumerate(batch.items())])
    with prepared_cursor(_WRITE_MANY_SQL, [rows]) as cursor:
        inserted = dict((reference, pk) for pk, reference in cursor.fetchall())
    done: dict[int, NewBooking | DomainError] = {}
    for i, booking in batch.items():
        if booking.reference in inserted:
            booking.pk = inserted[booking.reference]
            done[i] = booking
        else:
            done[i] = errors.slot_full()
    return done
