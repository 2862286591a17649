"""Sending one claim in two PostgreSQL statements (claim_submit's raw SQL).

1. :data:`FACTS_SQL` locks the visit (``FOR UPDATE``: two submissions for one authen code queue here) and reads in
   the same statement everything the answer needs: the visit, the first claim of its code (a duplicate), the new
   claim's id (``nextval``: the rules need it before the row exists), the citizen's right in force on the visit's
   day, the unit and its contracts, the citizen's live claims, the other units the citizen visited that day and
   the unit's first-version claims per day for the volume check. :func:`single_batch` turns that row into the
   same ``Batch``/``ClaimFacts`` that ``batch_load`` builds (raksa/claims/rules/facts.py), so the engine's
   ``evaluate`` and the RULES decide the claim as they decide a batch (raksa/claims/tests/test_sql_submit.py
   compares the two over many cases).
2. :data:`WRITE_SQL` writes the outcome in one statement: the visit closed with its EP code, the claim inserted
   already decided, its two audit rows (claim.submit, then claim.adjudicate by the rules), the citizen's LINE job
   row and, for the API, the Idempotency-Key row's answer. The invariants stay in the database: one current claim
   per authen code (``claim_one_current_per_authen_code``), unique close codes; a violation is an IntegrityError
   the caller names with ``is_violation_of``.

Both are prepared statements (raksa/core/db.py ``prepared_cursor``): each pooled connection plans them once, and
their parameters go unquoted (quoting the write's 45 parameters was a tenth of a claim's CPU in the server).
Columns are read by name (``Columns``). Facts that come as JSON (lists of rows) carry dates as ISO text.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from django.db import connection

from raksa.claims.models import ClaimStatus
from raksa.claims.pricing import RateBook
from raksa.claims.rules.facts import (
    USUAL_VOLUME_DAYS,
    Batch,
    ClaimFacts,
    OtherClaim,
    UnitFacts,
    VisitFacts,
    add_other_claims,
    new_batch,
)
from raksa.core.db import Columns, prepared_cursor
from raksa.eligibility.services import CoverageFacts
from raksa.messaging.jobs import JOB_COLUMNS, JOB_TABLE

_LOCAL = "AT TIME ZONE 'Asia/Bangkok'"

FACTS_EXPRESSIONS = (
    ("v.id", "visit_id"), ("v.unit_id", "visit_unit_id"), ("v.citizen_id", "citizen_id"),
    ("v.service_id", "visit_service_id"), ("v.status", "visit_status"), ("v.day", "visit_day"),
    ("v.method", "visit_method"), ("v.service_confirmed_at", "service_confirmed_at"),
    (f"to_char(v.opened_at {_LOCAL}, 'HH24:MI')", "local_time"),
    (f"extract(isodow FROM v.opened_at {_LOCAL})::int - 1", "weekday"),
    ("COALESCE((SELECT true FROM verification_verificationattempt a WHERE a.visit_id = v.id"
     " AND a.outcome = 'verified' LIMIT 1), false)", "identity_verified"),
    # ``<> ''`` names the predicate of the (authen_code, version) index: without it, a scan of every claim
    ("(SELECT json_build_array(f.id, f.version) FROM claims_claim f WHERE f.authen_code = v.authen_code"
     " AND f.authen_code <> '' ORDER BY f.version LIMIT 1)", "first_claim"),
    ("nextval(pg_get_serial_sequence('claims_claim', 'id'))", "claim_id"),
    ("c.id", "coverage_id"), ("c.scheme", "coverage_scheme"), ("c.subtype", "coverage_subtype"),
    ("c.main_unit_id", "coverage_main_unit_id"), ("c.valid_from", "coverage_valid_from"),
    ("c.valid_to", "coverage_valid_to"),
    ("u.unit_type", "unit_type"), ("u.status", "unit_status"), ("u.opening_hours", "opening_hours"),
    ("(SELECT json_agg(json_build_array(us.service_id, us.valid_from, us.valid_to)) FROM units_unitservice us"
     " WHERE us.unit_id = u.id)", "contracts"),
    # the citizen's live claims, as raksa/claims/sql.py OTHERS_SQL reads them
    ("(SELECT json_agg(json_build_array(o.id, o.authen_code, o.unit_id, o.service_id, o.service_date,"
     " o.details ->> 'tooth', o.status)) FROM claims_claim o WHERE o.citizen_id = v.citizen_id AND o.current"
     " AND o.status <> 'rejected')", "others"),
    ("ARRAY(SELECT DISTINCT o.unit_id FROM verification_visit o WHERE o.citizen_id = v.citizen_id"
     " AND o.day = v.day AND o.unit_id <> u.id AND o.authen_code <> v.authen_code ORDER BY o.unit_id)",
     "other_units"),
    # the unit's first versions per service day in the volume check's window (sql.DAY_CLAIMS_SQL for one unit)
    ("(SELECT json_agg(json_build_array(d.service_date, d.ids)) FROM (SELECT service_date,"
     " array_agg(id ORDER BY id) AS ids FROM claims_claim WHERE version = 1 AND unit_id = u.id"
     f" AND service_date BETWEEN v.day - {USUAL_VOLUME_DAYS} AND v.day GROUP BY service_date) d)", "day_claims"),
)
FACTS_COLUMNS = Columns(*FACTS_EXPRESSIONS)
FACTS_SQL = (
    "SELECT " + FACTS_COLUMNS.sql + " FROM verification_visit v"
    " JOIN units_unit u ON u.id = %s"
    " LEFT JOIN LATERAL (SELECT * FROM people_coverage cv WHERE cv.citizen_id = v.citizen_id"
    " AND cv.valid_from <= v.day ORDER BY cv.valid_from DESC LIMIT 1) c ON true"
    " WHERE v.authen_code = %s FOR UPDATE OF v"
)


@dataclass(slots=True)
class SubmitFacts:
    """One row of FACTS_SQL, by name."""

    visit_id: int
    visit_unit_id: int
    citizen_id: int
    visit_service_id: int
    visit_status: str
    visit_day: dt.date
    visit_method: str
    service_confirmed_at: dt.datetime | None
    local_time: str
    weekday: int
    identity_verified: bool
    first_claim: tuple[int, int] | None  # (id, version) of the code's first claim
    claim_id: int  # the id the new claim will have
    coverage: CoverageFacts | None
    unit: UnitFacts
    contracts: dict[tuple[int, int], list[tuple[dt.date, dt.date | None]]]
    others: list[OtherClaim]
    other_units: tuple[int, ...]
    day_claims: dict[tuple[int, dt.date], list[int]]


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str | bytes) else value


def _date(value: str | None) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(value)


def submit_facts(*, authen_code: str, unit_id: int) -> SubmitFacts | None:
    """Lock the visit with ``authen_code`` and read its claim's facts (None: no such visit)."""
    with prepared_cursor(FACTS_SQL, [unit_id, authen_code]) as cursor:
        row = cursor.fetchone()
    if row is None:
        return None
    return facts_of(dict(zip(FACTS_COLUMNS.at, row, strict=True)), unit_id=unit_id)


def facts_of(r: dict[str, Any], *, unit_id: int) -> SubmitFacts:
    """A row of FACTS_COLUMNS (by name) as SubmitFacts."""
    coverage = None if r["coverage_id"] is None else CoverageFacts(
        id=r["coverage_id"], citizen_id=r["citizen_id"], scheme=r["coverage_scheme"], subtype=r["coverage_subtype"],
        main_unit_id=r["coverage_main_unit_id"], valid_from=r["coverage_valid_from"], valid_to=r["coverage_valid_to"])
    contracts: dict[tuple[int, int], list[tuple[dt.date, dt.date | None]]] = {}
    for service_id, valid_from, valid_to in _json(r["contracts"]) or ():
        contracts.setdefault((unit_id, service_id), []).append((_date(valid_from), _date(valid_to)))
    others = [OtherClaim(pk, code, o_unit, service_id, _date(day), tooth, status)
              for pk, code, o_unit, service_id, day, tooth, status in _json(r["others"]) or ()]
    day_claims = {(unit_id, _date(day)): ids for day, ids in _json(r["day_claims"]) or ()}
    first = _json(r["first_claim"])
    return SubmitFacts(
        visit_id=r["visit_id"], visit_unit_id=r["visit_unit_id"], citizen_id=r["citizen_id"],
        visit_service_id=r["visit_service_id"], visit_status=r["visit_status"], visit_day=r["visit_day"],
        visit_method=r["visit_method"], service_confirmed_at=r["service_confirmed_at"], local_time=r["local_time"],
        weekday=r["weekday"], identity_verified=r["identity_verified"], first_claim=tuple(first) if first else None,
        claim_id=r["claim_id"], coverage=coverage,
        unit=UnitFacts(unit_id, r["unit_type"], r["unit_status"], _json(r["opening_hours"]) or {}),
        contracts=contracts, others=others, other_units=tuple(r["other_units"] or ()), day_claims=day_claims)


def tooth_text(details: dict) -> str | None:
    """``details ->> 'tooth'`` as PostgreSQL reads it from the stored record."""
    tooth = details.get("tooth")
    if tooth is None or isinstance(tooth, str):
        return tooth
    return json.dumps(tooth)


def single_batch(facts: SubmitFacts, *, authen_code: str, unit_id: int, service_id: int, service_date: dt.date,
                 amount: Any, items: list, details: dict, submitted_day: dt.date, close_code: str, now: dt.datetime,
                 book: RateBook | None) -> Batch:
    """The rules' view of the claim about to be written: what ``batch_load([its id])`` reads once it is stored
    (the visit closed by it with ``close_code``, the claim itself counted in the unit's day and among the
    citizen's live claims)."""
    claim = ClaimFacts(facts.claim_id, authen_code, 1, True, ClaimStatus.SUBMITTED, unit_id, facts.citizen_id,
                       service_id, service_date, amount, items, tooth_text(details), submitted_day, facts.visit_id,
                       False, facts.coverage, facts.other_units)
    batch = new_batch([claim], now=now, book=book)
    batch.visits[authen_code] = VisitFacts(
        facts.visit_id, authen_code, facts.visit_unit_id, facts.citizen_id, "claimed", facts.visit_day,
        facts.visit_method, close_code, facts.local_time, facts.weekday, facts.identity_verified)
    batch.units[unit_id] = facts.unit
    batch.contracts = facts.contracts
    add_other_claims(batch, [(facts.citizen_id, o) for o in facts.others])
    day_claims = dict(facts.day_claims)
    ids = list(day_claims.get((unit_id, service_date), ()))
    bisect.insort(ids, facts.claim_id)
    day_claims[(unit_id, service_date)] = ids
    batch.day_claims = day_claims
    return batch


# The claim's columns in the order WRITE_SQL inserts them.
CLAIM_INSERT_COLUMNS = (
    "id", "authen_code", "version", "current", "visit_id", "unit_id", "citizen_id", "service_id", "service_date",
    "details", "icd10", "items", "service_amount", "amount", "status", "reasons", "rules_version", "source",
    "submitted_at", "submitted_by_id", "submitted_label", "service_confirmed_at", "decided_at", "decision_note",
    "citizen_report_note")
_AUDIT = ("INSERT INTO audit_auditentry (at, actor_id, actor_label, action, object_type, object_id, after, request_id)"
          " SELECT x.at, x.actor_id, x.actor_label, x.action, 'claims.claim', k.id::text, x.after, %(request_id)s"
          " FROM k, (VALUES (1, %(now)s::timestamptz, %(actor_id)s::bigint, %(actor_label)s, 'claim.submit',"
          " %(submit_after)s::jsonb), (2, %(now)s::timestamptz, NULL::bigint, 'rules', 'claim.adjudicate',"
          " %(decide_after)s::jsonb)) AS x(n, at, actor_id, actor_label, action, after) ORDER BY x.n")
_JOB = "INSERT INTO " + JOB_TABLE + " (" + JOB_COLUMNS + ") SELECT " + ", ".join(
    f"%(job{i})s" for i in range(15)) + " FROM k"
_ANSWER = ("UPDATE claims_claimsubmission s SET status_code = %(answer_status)s, response = %(answer)s::jsonb,"
           " claim_id = k.id FROM k WHERE s.id = %(submission_id)s")
# The visit closes only if still claimable and the close code is free (a collision, 1 in 10^10, draws again:
# nothing is written); a lapsed visit keeps the moment it lapsed as closed_at.
WRITE_SQL = (
    "WITH v AS (UPDATE verification_visit SET status = 'claimed', close_code = %(close_code)s,"
    " closed_at = CASE WHEN status = 'open' THEN %(now)s ELSE closed_at END"
    " WHERE id = %(visit_id)s AND status IN ('open', 'lapsed')"
    " AND NOT EXISTS (SELECT 1 FROM verification_visit x WHERE x.close_code = %(close_code)s) RETURNING id),"
    " k AS (INSERT INTO claims_claim (" + ", ".join(CLAIM_INSERT_COLUMNS) + ") SELECT "
    + ", ".join(f"%({c})s" for c in CLAIM_INSERT_COLUMNS) + " FROM v RETURNING id),"
    " a AS (" + _AUDIT + "){job}{answer} SELECT id FROM k"
)


def claim_write(*, claim: dict[str, Any], visit_id: int, close_code: str, now: dt.datetime, actor_id: int | None,
                actor_label: str, submit_after: dict, decide_after: dict, request_id: str,
                job: list[Any] | None = None, answer: tuple[int, int, dict] | None = None) -> bool:
    """Write the decided claim (``claim``: CLAIM_INSERT_COLUMNS' values, adapted) and everything that goes with it
    in one statement. ``job``: the LINE job row's values (JOB_COLUMNS); ``answer``: (key row id, status, JSON) for
    the Idempotency-Key's row. False: nothing written (the close code was taken: draw another)."""
    ops = connection.ops
    params = {**claim, "close_code": close_code, "now": now, "visit_id": visit_id, "actor_id": actor_id,
              "actor_label": actor_label, "request_id": request_id,
              "submit_after": ops.adapt_json_value(submit_after, None),
              "decide_after": ops.adapt_json_value(decide_after, None)}
    job_sql = answer_sql = ""
    if job is not None:
        job_sql = ", j AS (" + _JOB + ")"
        params.update({f"job{i}": value for i, value in enumerate(job)})
    if answer is not None:
        answer_sql = ", s AS (" + _ANSWER + ")"
        params.update({"submission_id": answer[0], "answer_status": answer[1],
                       "answer": ops.adapt_json_value(answer[2], None)})
    with prepared_cursor(WRITE_SQL.format(job=job_sql, answer=answer_sql), params) as cursor:
        return cursor.fetchone() is not None
