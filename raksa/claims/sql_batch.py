"""Many API claims in three PostgreSQL statements (the group commit's raw SQL, raksa/claims/batch.py).

1. :data:`KEYS_SQL` writes the batch's Idempotency-Key rows (pending, as ``claim_submission_once`` writes one), in
   (unit, key) order so that two batches never wait for each other's keys in a cycle; a key already taken inserts
   nothing (and waits, while the request that took it is still running, as the single insert does).
2. :data:`FACTS_SQL` locks the batch's visits in id order (``ORDER BY v.id FOR UPDATE OF v``) and reads, for each,
   exactly the columns of raksa/claims/sql_submit.py's FACTS_SQL (the same expressions), tagged with the
   request's place in the batch (``ord``).
3. :data:`WRITE_SQL` writes what :data:`sql_submit.WRITE_SQL` writes for one claim, for all of them: the visits
   closed with their EP codes, the decided claims, two audit rows each (claim.submit, claim.adjudicate, in the
   batch's order), the LINE job rows, the keys' answers; and it deletes the key rows of the requests the batch
   handed back (they are answered one at a time after the commit). A claim whose close code is already taken is
   not written (as sql_submit.WRITE_SQL, which then draws again): :func:`keys_drop` deletes its key row and the
   claim goes one at a time. A violated invariant (a claim written around the visit lock, a close code taken by a
   transaction still running) fails the whole statement: the batch then goes one by one.

The batch travels as one JSON document per statement (``jsonb_to_recordset``), so each statement is prepared once
per pooled connection whatever the batch's size (raksa/core/db.py ``prepared_cursor``).
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from raksa.claims.sql_submit import CLAIM_INSERT_COLUMNS, FACTS_EXPRESSIONS, SubmitFacts, facts_of
from raksa.core.db import Columns, prepared_cursor
from raksa.messaging.jobs import JOB_COLUMNS, JOB_TABLE

KEYS_SQL = (
    "INSERT INTO claims_claimsubmission (unit_id, key, body_digest, status_code, response, created_at)"
    " SELECT r.unit_id, r.key, decode(r.digest, 'hex'), 0, '{}'::jsonb, %s::timestamptz"
    " FROM jsonb_to_recordset(%s::jsonb) AS r(unit_id bigint, key text, digest text) ORDER BY r.unit_id, r.key"
    " ON CONFLICT (unit_id, key) DO NOTHING RETURNING id, unit_id, key"
)

FACTS_COLUMNS = Columns(("r.ord", "ord"), *FACTS_EXPRESSIONS)
FACTS_SQL = (
    "SELECT " + FACTS_COLUMNS.sql + " FROM jsonb_to_recordset(%s::jsonb) AS r(ord int, code text, unit_id bigint)"
    " JOIN verification_visit v ON v.authen_code = r.code"
    " JOIN units_unit u ON u.id = r.unit_id"
    " LEFT JOIN LATERAL (SELECT * FROM people_coverage cv WHERE cv.citizen_id = v.citizen_id"
    " AND cv.valid_from <= v.day ORDER BY cv.valid_from DESC LIMIT 1) c ON true"
    " ORDER BY v.id FOR UPDATE OF v"
)

# What each claim of the batch carries into WRITE_SQL (its JSON document's fields, typed).
_ROW = (
    "ord int, id bigint, authen_code text, visit_id bigint, unit_id bigint, citizen_id bigint, service_id bigint,"
    " service_date date, details jsonb, icd10 jsonb, items jsonb, service_amount numeric, amount numeric,"
    " status text, reasons jsonb, rules_version text, source text, submitted_at timestamptz,"
    " submitted_by_id integer, submitted_label text, service_confirmed_at timestamptz, decided_at timestamptz,"
    " decision_note text, citizen_report_note text, close_code text, actor_label text, request_id text,"
    " submit_after jsonb, decide_after jsonb, submission_id bigint, answer_status int, answer jsonb,"
    " job_id uuid, job_enqueued_at timestamptz, job_args jsonb"
)
_CLAIM_VALUES = ", ".join("true" if c == "current" else "1" if c == "version" else f"r.{c}"
                          for c in CLAIM_INSERT_COLUMNS)
WRITE_SQL = (
    "WITH r AS MATERIALIZED (SELECT * FROM jsonb_to_recordset(%(rows)s::jsonb) AS r(" + _ROW + ")),"
    " v AS (UPDATE verification_visit x SET status = 'claimed', close_code = r.close_code,"
    " closed_at = CASE WHEN x.status = 'open' THEN r.submitted_at ELSE x.closed_at END"
    " FROM r WHERE x.id = r.visit_id AND x.status IN ('open', 'lapsed')"
    " AND NOT EXISTS (SELECT 1 FROM verification_visit y WHERE y.close_code = r.close_code) RETURNING x.id),"
    " k AS (INSERT INTO claims_claim (" + ", ".join(CLAIM_INSERT_COLUMNS) + ") SELECT " + _CLAIM_VALUES
    + " FROM r JOIN v ON v.id = r.visit_id ORDER BY r.ord RETURNING id),"
    " a AS (INSERT INTO audit_auditentry (at, actor_id, actor_label, action, object_type, object_id, after,"
    " request_id) SELECT r.submitted_at, r.submitted_by_id, x.actor_label, x.action, 'claims.claim', k.id::text,"
    " x.after, r.request_id FROM r JOIN k ON k.id = r.id CROSS JOIN LATERAL (VALUES"
    " (1, r.actor_label, 'claim.submit', r.submit_after), (2, 'rules', 'claim.adjudicate', r.decide_after))"
    " AS x(n, actor_label, action, after) ORDER BY r.ord, x.n),"
    " j AS (INSERT INTO " + JOB_TABLE + " (" + JOB_COLUMNS + ") SELECT r.job_id, 'READY', r.job_enqueued_at,"
    " NULL, NULL, r.job_args, %(job_priority)s, %(job_task_path)s, '[]'::jsonb, %(job_queue_name)s,"
    " %(job_backend_name)s, %(job_run_after)s, NULL, '', '' FROM r JOIN k ON k.id = r.id"
    " WHERE r.job_id IS NOT NULL ORDER BY r.ord),"
    " s AS (UPDATE claims_claimsubmission s SET status_code = r.answer_status, response = r.answer,"
    " claim_id = k.id FROM r JOIN k ON k.id = r.id WHERE s.id = r.submission_id),"
    " d AS (DELETE FROM claims_claimsubmission WHERE id = ANY(%(dropped)s::bigint[]))"
    " SELECT id FROM k"
)


def _plain(value: Any) -> Any:
    """JSON for what the claim's columns hold beside JSON values (ISO dates and instants, exact decimals)."""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"not JSON: {type(value).__name__}")


def _document(rows: list[dict[str, Any]]) -> str:
    return json.dumps(rows, default=_plain, ensure_ascii=False, separators=(",", ":"))


def keys_take(*, keys: list[tuple[int, str, bytes]], now: dt.datetime) -> dict[tuple[int, str], int]:
    """Write the pending key rows ``(unit id, key, body digest)``; the ids of those written, by (unit id, key)."""
    document = _document([{"unit_id": unit_id, "key": key, "digest": digest.hex()} for unit_id, key, digest in keys])
    with prepared_cursor(KEYS_SQL, [now, document]) as cursor:
        return {(unit_id, key): pk for pk, unit_id, key in cursor.fetchall()}


def facts_many(*, visits: list[tuple[int, str, int]]) -> dict[int, SubmitFacts]:
    """Lock the visits ``(ord, authen code, unit id)`` in id order and read each one's facts, by ord (a code with no
    visit is missing)."""
    document = _document([{"ord": ord_, "code": code, "unit_id": unit_id} for ord_, code, unit_id in visits])
    names = list(FACTS_COLUMNS.at)
    with prepared_cursor(FACTS_SQL, [document]) as cursor:
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    units = {ord_: unit_id for ord_, _code, unit_id in visits}
    return {r["ord"]: facts_of(r, unit_id=units[r["ord"]]) for r in rows}


def claims_write_many(*, rows: list[dict[str, Any]], dropped: list[int], job: dict[str, Any]) -> list[int]:
    """Write the decided claims ``rows`` (CLAIM_INSERT_COLUMNS' values and what goes with them: see ``_ROW``) and
    delete the key rows ``dropped``; the ids of the claims written. ``job``: the LINE job rows' shared columns
    (``priority``, ``task_path``, ``queue_name``, ``backend_name``, ``run_after``)."""
    params = {"rows": _document(rows), "dropped": dropped, **{f"job_{name}": value for name, value in job.items()}}
    with prepared_cursor(WRITE_SQL, params) as cursor:
        return [pk for (pk,) in cursor.fetchall()]


def keys_drop(*, ids: list[int]) -> None:
    """Delete the pending key rows ``ids`` (requests handed back after the write)."""
    with prepared_cursor("DELETE FROM claims_claimsubmission WHERE id = ANY(%s::bigint[])", [ids]):
        pass
