"""The verification app's raw SQL (the rest is the ORM). Parameters are listed beside each statement."""

from raksa.audit.services import audit_insert_sql
from raksa.core.db import Columns
from raksa.eligibility.sql import COVERAGE_JOIN_SQL, COVERAGE_SQL, fact_columns

LAPSE_REASON = "สิ้นวันโดยไม่ได้ส่งเคลม"  # shown on the visit's page (Thai): "the day ended without a claim"

# [closed_at, today] -> ids of the open visits of days before today, now lapsed
LAPSE_SQL = ("UPDATE verification_visit SET status = 'lapsed', closed_at = %s, close_reason = '" + LAPSE_REASON
             + "' WHERE status = 'open' AND day < %s RETURNING id")

# PostgreSQL: the lapse and its audit rows in one statement; [closed_at, today, *audit_insert_params]
LAPSE_AUDITED_SQL = f"WITH lapsed AS ({LAPSE_SQL}) {audit_insert_sql('lapsed')}"

# [used_at, digest, now] -> (id, citizen_id, booking_id) of the rights QR code used up by this statement
RIGHTS_QR_USE_SQL = ("UPDATE verification_rightsqrtoken SET used_at = %s WHERE digest = %s AND used_at IS NULL"
                     " AND voided_at IS NULL AND expires_at > %s RETURNING id, citizen_id, booking_id")

# --- A booked citizen's rights QR at the counter in two statements (rights_qr_redeem.py) ----------------------
# The common case of flow 2.1: a fresh code, its booking confirmed for today at the scanning unit, no open visit.
# First the facts (one read), then every write in one statement behind a gate; anything else (a refusal, a
# booking awaiting the citizen, a walk-in's code, a race lost) goes the ordinary way, which decides it.


def _redeem_fact_columns(*, now: str, day: str, unit: str) -> tuple[tuple[str, str], ...]:
    """What a redemption's decision reads about a code (``t``), its booking (``b``, slot ``s``, service ``sv``),
    the scanning unit (``u``) and the right in force (``c``), at ``now`` on ``day`` at ``unit`` (SQL expressions)."""
    return (
        ("t.id", "token_id"), ("t.citizen_id", "citizen_id"), ("t.booking_id", "booking_id"),
        (f"(t.used_at IS NULL AND t.voided_at IS NULL AND t.expires_at > {now})", "usable"),
        ("b.reference", "reference"), ("b.unit_id", "booking_unit_id"), ("b.day", "booking_day"),
        ("b.status", "booking_status"), ("b.service_id", "service_id"), ("s.starts_at", "starts_at"),
        ("sv.code", "service_code"), ("sv.active", "service_active"), ("sv.unit_type", "service_unit_type"),
        ("u.hcode", "hcode"), ("u.name", "unit_name"), ("u.status", "unit_status"), ("u.unit_type", "unit_type"),
        ("(SELECT ov.unit_id FROM verification_visit ov WHERE ov.citizen_id = t.citizen_id AND ov.status = 'open'"
         " LIMIT 1)", "open_visit_unit_id"),
        *fact_columns(citizen="t.citizen_id", day=day, unit=unit, service="b.service_id"),
    )


def _redeem_facts_from(*, day: str, unit: str) -> str:
    return (" JOIN booking_booking b ON b.id = t.booking_id JOIN booking_slot s ON s.id = b.slot_id"
            " JOIN units_service sv ON sv.id = b.service_id "
            + COVERAGE_JOIN_SQL.format(citizen="t.citizen_id", day=day) + f" JOIN units_unit u ON u.id = {unit}")


# [now, today (later right), unit, today x2 (contract), today (right in force), unit, digest]
REDEEM_FACTS_COLUMNS = Columns(*_redeem_fact_columns(now="%s", day="%s", unit="%s"))
REDEEM_FACTS_SQL = ("SELECT " + REDEEM_FACTS_COLUMNS.sql + " FROM verification_rightsqrtoken t"
                    + _redeem_facts_from(day="%s", unit="%s") + " WHERE t.digest = %s")

# The writes of visit_open_by_rights_qr for such a code, in the order and with the rows the ordinary way writes:
# the code used, the booking checked in with its B- ticket, the visit with its authen code, the verified
# attempt, and their five audit rows. ``gate`` locks the code and the booking (that order, as the ordinary way)
# and re-reads them after any wait: a code used or a booking changed meanwhile lets nothing through; an insert
# refused by a constraint (one open visit per person, one open ticket, an authen code drawn twice) fails the
# whole statement. Either way the caller goes the ordinary way. Returns (visit id, ticket id, ticket number).
_TICKET_LABEL = "'B-' || lpad(n.last_number::text, 3, '0')"
REDEEM_BOOKED_SQL = (
    "WITH gate AS (SELECT t.id AS token_id, b.id AS booking_id FROM verification_rightsqrtoken t"
    "  JOIN booking_booking b ON b.id = t.booking_id"
    "  WHERE t.id = %(token)s::bigint AND t.used_at IS NULL AND t.voided_at IS NULL"
    "  AND t.expires_at > %(now)s::timestamptz AND b.id = %(booking)s::bigint AND b.status = 'confirmed'"
    "  FOR UPDATE OF t, b),"
    " tok AS (UPDATE verification_rightsqrtoken SET used_at = %(now)s::timestamptz FROM gate"
    "  WHERE verification_rightsqrtoken.id = gate.token_id RETURNING verification_rightsqrtoken.id),"
    " bk AS (UPDATE booking_booking SET status = 'checked_in', status_changed_at = %(now)s::timestamptz"
    "  FROM gate WHERE booking_booking.id = gate.booking_id RETURNING booking_booking.id),"
    " n AS (INSERT INTO booking_queuecounter (unit_id, day, kind, last_number)"
    "  SELECT %(unit)s::bigint, %(day)s::date, 'B', 1 FROM bk"
    "  ON CONFLICT (unit_id, day, kind) DO UPDATE SET last_number = booking_queuecounter.last_number + 1"
    "  RETURNING last_number),"
    " tk AS (INSERT INTO booking_queueticket (unit_id, day, kind, number, booking_id, citizen_id, status,"
    "  priority_at, created_at)"
    "  SELECT %(unit)s::bigint, %(day)s::date, 'B', n.last_number, %(booking)s::bigint, %(citizen)s::bigint,"
    "  'waiting', %(starts_at)s::timestamptz, %(now)s::timestamptz FROM n RETURNING id, number),"
    " v AS (INSERT INTO verification_visit (authen_code, citizen_id, unit_id, service_id, day, booking_id,"
    "  ticket_id, method, verified_by_id, verified_by_label, rights, status, opened_at, close_reason)"
    "  SELECT %(authen_code)s::text, %(citizen)s::bigint, %(unit)s::bigint, %(service)s::bigint, %(day)s::date,"
    "  %(booking)s::bigint, tk.id, 'rights_qr', %(staff)s::integer, %(verified_by_label)s::text,"
    "  %(rights)s::jsonb, 'open', %(now)s::timestamptz, '' FROM tk RETURNING id),"
    " att AS (INSERT INTO verification_verificationattempt (at, unit_id, citizen_id, staff_id, actor_label,"
    "  method, outcome, code, visit_id)"
    "  SELECT %(now)s::timestamptz, %(unit)s::bigint, %(citizen)s::bigint, %(staff)s::integer,"
    "  %(attempt_label)s::text, 'rights_qr', 'verified', '', v.id FROM v RETURNING id),"
    " audit AS (INSERT INTO audit_auditentry (at, actor_id, actor_label, action, object_type, object_id, after,"
    "  request_id) SELECT %(now)s::timestamptz, %(staff)s::integer, x.label, x.action, x.object_type, x.id::text,"
    "  x.after, %(request_id)s::text FROM ("  # in the order the ordinary way writes them
    "  SELECT 1 AS ord, %(resolve_label)s::text AS label, 'rights_qr.resolve' AS action,"
    "   'verification.rightsqrtoken' AS object_type, tok.id, %(resolve_after)s::jsonb AS after FROM tok"
    "  UNION ALL SELECT 2, %(check_in_label)s::text, 'booking.check_in', 'booking.booking', bk.id,"
    "   jsonb_build_object('ticket', " + _TICKET_LABEL + ") FROM bk, n"
    "  UNION ALL SELECT 3, %(visit_label)s::text, 'visit.open', 'verification.visit', v.id, %(visit_after)s::jsonb"
    "   FROM v"
    "  UNION ALL SELECT 4, %(visit_label)s::text, 'verification.rights_qr', 'verification.verificationattempt',"
    "   att.id, %(attempt_after)s::jsonb FROM att) x ORDER BY x.ord)"
    " SELECT v.id, tk.id, tk.number FROM v, tk"
)

# --- Many booked citizens' rights QR codes at once (rights_qr_batch.py): the same two statements for a batch ------
# The batch's requests are one JSON document. Each table is probed by index (LATERAL … LIMIT 1): a prepared
# statement's generic plan cannot know the batch's size and would otherwise join whole tables.

# [[{ord, digest (hex), unit_id, now, day}, …]] -> one row per request whose code is a booked one (by ``ord``)
REDEEM_FACTS_MANY_COLUMNS = Columns(("r.ord", "ord"),
                                    *_redeem_fact_columns(now="r.now", day="r.day", unit="r.unit_id"))
REDEEM_FACTS_MANY_SQL = (
    "SELECT " + REDEEM_FACTS_MANY_COLUMNS.sql
    + " FROM jsonb_to_recordset(%s::jsonb) AS r(ord int, digest text, unit_id bigint, now timestamptz, day date)"
    " JOIN LATERAL (SELECT * FROM verification_rightsqrtoken WHERE digest = decode(r.digest, 'hex') LIMIT 1) t"
    " ON true JOIN LATERAL (SELECT * FROM booking_booking WHERE id = t.booking_id LIMIT 1) b ON true"
    " JOIN LATERAL (SELECT * FROM booking_slot WHERE id = b.slot_id LIMIT 1) s ON true"
    " JOIN LATERAL (SELECT * FROM units_service WHERE id = b.service_id LIMIT 1) sv ON true"
    " LEFT JOIN LATERAL (SELECT * FROM people_coverage WHERE id = "
    + COVERAGE_SQL.format(citizen="t.citizen_id", day="r.day") + " LIMIT 1) c ON true"
    " JOIN LATERAL (SELECT * FROM units_unit WHERE id = r.unit_id LIMIT 1) u ON true"
)

# REDEEM_BOOKED_SQL for a batch (no person twice, so no code or booking twice), in one statement and one commit.
# Locks in one order (raksa/booking/locks.py): the codes by id, then the bookings of the usable ones by id, then
# the queue counters by (unit, day); every lock of a step is taken before the next step starts (an aggregate or
# an ARRAY(…) reads its input whole). ``g`` is the gate: a request passes when its code is still unused, not
# voided and unexpired and its booking still confirmed, read after any wait for their locks; the others write
# nothing (their callers go the ordinary way). A counter serving n requests of the batch moves by n at once and
# numbers their tickets in request order. An insert refused by a constraint (one open visit per person, one open
# ticket, an authen code drawn twice) fails the whole statement: the batch then goes one by one. Each request's
# rows are those REDEEM_BOOKED_SQL writes, its audit rows in the same order with its own request id.
# [[{ord} | REDEEM_BOOKED_SQL's parameters, …]] -> (ord, visit id, ticket id, ticket number) of each request written
REDEEM_BOOKED_MANY_SQL = (
    "WITH r AS MATERIALIZED (SELECT * FROM jsonb_to_recordset(%s::jsonb) AS r(ord int, token bigint, booking bigint,"
    "  now timestamptz, unit bigint, day date, citizen bigint, starts_at timestamptz, authen_code text,"
    "  service bigint, staff integer, verified_by_label text, rights jsonb, attempt_label text, resolve_label text,"
    "  check_in_label text, visit_label text, request_id text, resolve_after jsonb, visit_after jsonb,"
    "  attempt_after jsonb)),"
    " lt AS MATERIALIZED (SELECT t.id, t.expires_at FROM verification_rightsqrtoken t"
    "  WHERE t.id = ANY(ARRAY(SELECT token FROM r)) AND t.used_at IS NULL AND t.voided_at IS NULL"
    "  ORDER BY t.id FOR UPDATE),"
    " lb AS MATERIALIZED (SELECT b.id FROM booking_booking b WHERE b.id = ANY(ARRAY("
    "  SELECT r.booking FROM r JOIN lt ON lt.id = r.token AND lt.expires_at > r.now))"
    "  AND b.status = 'confirmed' ORDER BY b.id FOR UPDATE),"
    " g AS MATERIALIZED (SELECT r.* FROM r JOIN lt ON lt.id = r.token AND lt.expires_at > r.now"
    "  JOIN lb ON lb.id = r.booking),"
    " tok AS (UPDATE verification_rightsqrtoken t SET used_at = g.now FROM g WHERE t.id = g.token RETURNING t.id),"
    " bk AS (UPDATE booking_booking b SET status = 'checked_in', status_changed_at = g.now FROM g"
    "  WHERE b.id = g.booking RETURNING b.id),"
    " want AS MATERIALIZED (SELECT g.unit, g.day, count(*)::int AS n FROM g JOIN bk ON bk.id = g.booking"
    "  GROUP BY g.unit, g.day),"
    " n AS (INSERT INTO booking_queuecounter (unit_id, day, kind, last_number)"
    "  SELECT unit, day, 'B', n FROM want ORDER BY unit, day"
    "  ON CONFLICT (unit_id, day, kind) DO UPDATE SET last_number = booking_queuecounter.last_number"
    "  + EXCLUDED.last_number RETURNING unit_id, day, last_number),"
    " numbered AS MATERIALIZED (SELECT g.*, n.last_number - w.n + row_number() OVER (PARTITION BY g.unit, g.day"
    "  ORDER BY g.ord)::int AS number FROM g JOIN want w ON w.unit = g.unit AND w.day = g.day"
    "  JOIN n ON n.unit_id = g.unit AND n.day = g.day),"
    " tk AS (INSERT INTO booking_queueticket (unit_id, day, kind, number, booking_id, citizen_id, status,"
    "  priority_at, created_at)"
    "  SELECT unit, day, 'B', number, booking, citizen, 'waiting', starts_at, now FROM numbered ORDER BY ord"
    "  RETURNING id, booking_id, number),"
    " v AS (INSERT INTO verification_visit (authen_code, citizen_id, unit_id, service_id, day, booking_id,"
    "  ticket_id, method, verified_by_id, verified_by_label, rights, status, opened_at, close_reason)"
    "  SELECT g.authen_code, g.citizen, g.unit, g.service, g.day, g.booking, tk.id, 'rights_qr', g.staff,"
    "  g.verified_by_label, g.rights, 'open', g.now, '' FROM g JOIN tk ON tk.booking_id = g.booking ORDER BY g.ord"
    "  RETURNING id, booking_id),"
    " att AS (INSERT INTO verification_verificationattempt (at, unit_id, citizen_id, staff_id, actor_label,"
    "  method, outcome, code, visit_id)"
    "  SELECT g.now, g.unit, g.citizen, g.staff, g.attempt_label, 'rights_qr', 'verified', '', v.id"
    "  FROM g JOIN v ON v.booking_id = g.booking ORDER BY g.ord RETURNING id, visit_id),"
    " audit AS (INSERT INTO audit_auditentry (at, actor_id, actor_label, action, object_type, object_id, after,"
    "  request_id) SELECT x.now, x.staff, x.label, x.action, x.object_type, x.id::text, x.after, x.request_id"
    "  FROM (SELECT g.ord, 1 AS k, g.now, g.staff, g.resolve_label AS label, 'rights_qr.resolve' AS action,"
    "   'verification.rightsqrtoken' AS object_type, tok.id, g.resolve_after AS after, g.request_id"
    "   FROM g JOIN tok ON tok.id = g.token"
    "  UNION ALL SELECT g.ord, 2, g.now, g.staff, g.check_in_label, 'booking.check_in', 'booking.booking', bk.id,"
    "   jsonb_build_object('ticket', 'B-' || lpad(tk.number::text, 3, '0')), g.request_id"
    "   FROM g JOIN bk ON bk.id = g.booking JOIN tk ON tk.booking_id = g.booking"
    "  UNION ALL SELECT g.ord, 3, g.now, g.staff, g.visit_label, 'visit.open', 'verification.visit', v.id,"
    "   g.visit_after, g.request_id FROM g JOIN v ON v.booking_id = g.booking"
    "  UNION ALL SELECT g.ord, 4, g.now, g.staff, g.visit_label, 'verification.rights_qr',"
    "   'verification.verificationattempt', att.id, g.attempt_after, g.request_id"
    "   FROM g JOIN v ON v.booking_id = g.booking JOIN att ON att.visit_id = v.id) x ORDER BY x.ord, x.k)"
    " SELECT g.ord, v.id, tk.id, tk.number FROM g JOIN tk ON tk.booking_id = g.booking"
    " JOIN v ON v.booking_id = g.booking ORDER BY g.ord"
)

# Which of a batch's freshly drawn authen codes a visit already has (a random draw can repeat one: with millions of
# visits, a batch of 20 meets one every few thousand batches). Those requests leave the batch and go one at a
# time, whose insert draws again; the rest of the batch is written. An index probe per code.
AUTHEN_CODES_TAKEN_SQL = "SELECT authen_code FROM verification_visit WHERE authen_code = ANY(%s)"
