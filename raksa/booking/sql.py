"""The booking engine's raw SQL, in one place. Everything else reaches the database through the ORM.

Raw SQL is kept for the launch-day hot path (a booking in two statements; a batch of them in two) and
for the few statements the ORM cannot say (conditional seat UPDATE, upserts). The rules it applies are
stated once, in :mod:`raksa.booking.models` (the seat rule ``SEAT_FREE_SQL``, ``ACTIVE_STATUSES``) and
:mod:`raksa.eligibility.sql` (the rights facts), and embedded here, never retyped. Rows are read by
column name (:class:`raksa.core.db.Columns`).
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from raksa.audit.services import audit_insert_many_sql, audit_insert_sql
from raksa.booking.models import ACTIVE_STATUSES, SEAT_FREE_SQL, BookingStatus
from raksa.core.db import Columns
from raksa.eligibility.sql import COVERAGE_JOIN_SQL, COVERAGE_SQL, fact_columns

# ACTIVE_STATUSES as an SQL list: the values are the model's constants, never user input.
if not all(status in BookingStatus.values and status.isidentifier() for status in ACTIVE_STATUSES):
    raise ImproperlyConfigured("ACTIVE_STATUSES must be BookingStatus values (they are written into the SQL)")
ACTIVE_STATUSES_SQL = ", ".join(f"'{status}'" for status in ACTIVE_STATUSES)

# Take one seat of slot %s if the seat rule allows; no row changed when it does not.
TAKE_SEAT_SQL = "UPDATE booking_slot SET booked = booked + 1 WHERE id = %s AND " + SEAT_FREE_SQL.format(
    slot="booking_slot")

# The next ticket number of (unit, day, kind): upsert that locks the counter row until commit.
COUNTER_NEXT_SQL = (
    "INSERT INTO booking_queuecounter (unit_id, day, kind, last_number) VALUES (%s, %s, %s, 1)"
    " ON CONFLICT (unit_id, day, kind) DO UPDATE SET last_number = booking_queuecounter.last_number + 1"
    " RETURNING last_number"
)

# --- The facts of one booking: citizen, slot (with schedule, unit, service), rights --------------------
# Over citizen ``ci``, slot ``s``, schedule ``sc``, unit ``u``, service ``sv`` and right in force ``c``;
# ``create.facts_from_row`` reads them by these names.
_SLOT_FACTS = (
    ("ci.id", "citizen_id"), ("s.id", "slot_id"), ("s.unit_id", "unit_id"), ("s.service_id", "service_id"),
    ("s.day", "slot_day"), ("s.starts_at", "starts_at"), ("s.ends_at", "ends_at"), ("s.withdrawn", "withdrawn"),
    ("sc.active", "schedule_active"), ("sc.min_notice_minutes", "min_notice_minutes"),
    ("sc.book_ahead_days", "book_ahead_days"), ("u.status", "unit_status"), ("u.unit_type", "unit_type"),
    ("u.hcode", "hcode"), ("sv.active", "service_active"), ("sv.unit_type", "service_unit_type"),
    ("sv.code", "service_code"),
    *fact_columns(citizen="ci.id", day="s.day", unit="s.unit_id", service="s.service_id"),
)
SLOT_FACTS_COLUMNS = Columns(*_SLOT_FACTS)
_SLOT_JOINS = (
    " JOIN booking_schedule sc ON sc.id = s.schedule_id"
    " JOIN units_unit u ON u.id = s.unit_id JOIN units_service sv ON sv.id = s.service_id"
)


def _slot_facts_sql(citizen_by: str) -> str:
    """One query instead of seven. Parameters: the citizen (matched on ``citizen_by``), the slot id."""
    return (
        "SELECT " + SLOT_FACTS_COLUMNS.sql + " FROM booking_slot s" + _SLOT_JOINS
        + f" LEFT JOIN people_citizen ci ON ci.{citizen_by} = %s "
        + COVERAGE_JOIN_SQL.format(citizen="ci.id", day="s.day") + " WHERE s.id = %s"
    )


SLOT_FACTS_BY_ID_SQL = _slot_facts_sql("id")
SLOT_FACTS_BY_HASH_SQL = _slot_facts_sql("cid_hash")

# --- Writing one booking ------------------------------------------------------------------------------
BOOKING_COLUMNS = ("reference", "citizen_id", "unit_id", "service_id", "slot_id", "day", "status", "channel",
                   "created_by_id", "created_at", "expires_at", "status_changed_at")
_BOOKING_COLUMN_LIST = ", ".join(BOOKING_COLUMNS)
_PLACEHOLDERS = ", ".join(["%s"] * len(BOOKING_COLUMNS))

# A plain INSERT (the ORM's per-query compilation cost more than the insert); parameters in BOOKING_COLUMNS order.
INSERT_BOOKING_SQL = f"INSERT INTO booking_booking ({_BOOKING_COLUMN_LIST}) VALUES ({_PLACEHOLDERS}) RETURNING id"

# Take the seat, insert the booking and its audit row, in one statement; no row back when the slot is
# full. Parameters: slot id, the booking's values in BOOKING_COLUMNS order but the slot id (it comes
# from the seat taken), then the audit row's (audit_insert_params).
INSERT_IN_ONE_STATEMENT_SQL = (
    "WITH seat AS (" + TAKE_SEAT_SQL + " RETURNING id),"
    f" b AS (INSERT INTO booking_booking ({_BOOKING_COLUMN_LIST})"
    " SELECT %s, %s, %s, %s, seat.id, %s, %s, %s, %s, %s, %s, %s FROM seat RETURNING id),"
    " a AS (" + audit_insert_sql("b") + ")"
    " SELECT id FROM b"
)

# --- A batch of bookings (raksa.booking.batch) --------------------------------------------------------
# The batch travels as one JSON document (psycopg dumps lists element by element in Python; the json
# module is C): 17% of the lane's Python time went on dumping arrays (py-spy --gil).
# PostgreSQL guesses 100 rows from jsonb_to_recordset whatever the batch: LATERAL subqueries with
# LIMIT 1 (so that they are not flattened back into joins) and "= ANY(ARRAY(…))" keep every lookup an
# index probe per request, where plain joins gave hash joins over whole tables (EXPLAIN ANALYZE with
# plan_cache_mode=force_generic_plan: 11.6 ms → 0.8 ms for 10).
# ``holds_booking``: the citizen already holds an active booking at the unit that day (the one-per-day
# rule asked ahead; the partial unique index still decides when two bookings race). One booking's facts
# query does not ask: it learns of a clash from the index, or asks after a refused seat (create.py).
FACTS_MANY_COLUMNS = Columns(("r.ord", "ord"), *_SLOT_FACTS, ("h.holds IS NOT NULL", "holds_booking"))
FACTS_MANY_SQL = (
    "SELECT " + FACTS_MANY_COLUMNS.sql
    + " FROM jsonb_to_recordset(%s::jsonb) AS r(ord int, cid_hash text, slot_id bigint)"
    " JOIN LATERAL (SELECT * FROM booking_slot WHERE id = r.slot_id LIMIT 1) s ON true" + _SLOT_JOINS
    + " LEFT JOIN LATERAL (SELECT id FROM people_citizen WHERE cid_hash = decode(r.cid_hash, 'hex') LIMIT 1) ci"
    " ON true"
    " LEFT JOIN LATERAL (SELECT * FROM people_coverage WHERE id = "
    + COVERAGE_SQL.format(citizen="ci.id", day="s.day") + " LIMIT 1) c ON true"
    " LEFT JOIN LATERAL (SELECT true AS holds FROM booking_booking bk WHERE bk.citizen_id = ci.id"
    " AND bk.unit_id = s.unit_id AND bk.day = s.day AND bk.status IN (" + ACTIVE_STATUSES_SQL + ") LIMIT 1) h"
    " ON true"
)

# One statement: lock the slots in id order, give each slot's free seats to its first requests (in
# request order), insert their bookings and an audit row for each. Returns what was inserted; a
# request left out found its slot full (or withdrawn, or gone), as booking_create would say.
WRITE_MANY_SQL = (
    "WITH r AS MATERIALIZED (SELECT * FROM jsonb_to_recordset(%s::jsonb) AS r(ord int, reference text,"
    " citizen_id bigint, unit_id bigint, service_id bigint, slot_id bigint, day date, status text, channel text,"
    " created_at timestamptz, expires_at timestamptz, after jsonb, request_id text)),"
    " want AS MATERIALIZED (SELECT slot_id, count(*) AS n FROM r GROUP BY slot_id),"
    # Only slots with a seat are locked (PostgreSQL re-checks the condition once it holds the lock):
    # a full slot's requests learn SLOT_FULL without queueing behind other batches.
    " locked AS MATERIALIZED (SELECT s.id, s.capacity - s.booked AS free FROM booking_slot s"
    " WHERE s.id = ANY(ARRAY(SELECT slot_id FROM want)) AND " + SEAT_FREE_SQL.format(slot="s")
    + " ORDER BY s.id FOR UPDATE),"
    " granted AS MATERIALIZED (SELECT l.id, LEAST(w.n, l.free) AS n FROM locked l JOIN want w ON w.slot_id = l.id),"
    " seat AS (UPDATE booking_slot s SET booked = s.booked + (SELECT n FROM granted WHERE granted.id = s.id)"
    " WHERE s.id = ANY(ARRAY(SELECT id FROM granted)) RETURNING s.id),"
    " ranked AS (SELECT r.*, row_number() OVER (PARTITION BY r.slot_id ORDER BY r.ord) AS rn FROM r),"
    f" b AS (INSERT INTO booking_booking ({_BOOKING_COLUMN_LIST})"
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
