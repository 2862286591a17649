"""The rules engine's raw SQL (PostgreSQL): the facts of a batch of claims in four statements over arrays of
ids, and the decisions written back in one statement per batch (the claims' UPDATE and their audit rows
together). The ORM took longer to build its rows than PostgreSQL took to find them, and one UPDATE per claim
(``bulk_update`` is a CASE per row) was most of the time of a large run.

Columns are read by name (``Columns``); the right in force is read by the rights check's own rule
(raksa/eligibility/sql.py COVERAGE_SQL: the latest right started by the day), so a claim is judged eligible as
the counter judged the visit.
"""

from __future__ import annotations

import datetime as dt
import json

from django.db import connection

from raksa.audit.services import audit_insert_many_sql
from raksa.claims.pricing import RateBook
from raksa.claims.rules.facts import (
    Batch,
    ClaimFacts,
    OtherClaim,
    UnitFacts,
    VisitFacts,
    add_other_claims,
    new_batch,
    volume_window,
)
from raksa.core.db import Columns
from raksa.eligibility.services import CoverageFacts

_LOCAL = "AT TIME ZONE 'Asia/Bangkok'"

# One row per claim: the claim, its visit (by authen code), whether an identity check succeeded for that visit,
# the right in force on the service day (``c``) and the other units the citizen visited that day (besides the
# claim's own visit: a foreign code is AUTHEN_FOREIGN, not a second unit).
CLAIM_COLUMNS = Columns(
    ("k.id", "id"), ("k.authen_code", "authen_code"), ("k.version", "version"), ("k.current", "current"),
    ("k.status", "status"), ("k.unit_id", "unit_id"), ("k.citizen_id", "citizen_id"),
    ("k.service_id", "service_id"), ("k.service_date", "service_date"), ("k.amount", "amount"),
    ("NULLIF(k.items, '[]'::jsonb)", "items"), ("k.details ->> 'tooth'", "tooth"),
    (f"(k.submitted_at {_LOCAL})::date", "submitted_day"),
    ("k.visit_id", "visit_id"), ("k.citizen_reported_at IS NOT NULL", "citizen_reported"),
    ("v.id", "v_id"), ("v.unit_id", "v_unit_id"), ("v.citizen_id", "v_citizen_id"), ("v.status", "v_status"),
    ("v.day", "v_day"), ("v.method", "v_method"), ("v.close_code", "v_close_code"),
    (f"to_char(v.opened_at {_LOCAL}, 'HH24:MI')", "v_local_time"),
    (f"extract(isodow FROM v.opened_at {_LOCAL})::int - 1", "v_weekday"),
    # A scalar subquery, not EXISTS: PostgreSQL turns a large EXISTS into a hash of every attempt.
    ("COALESCE((SELECT true FROM verification_verificationattempt a WHERE a.visit_id = v.id"
     " AND a.outcome = 'verified' LIMIT 1), false)", "v_verified"),
    ("c.id", "coverage_id"), ("c.scheme", "coverage_scheme"), ("c.subtype", "coverage_subtype"),
    ("c.main_unit_id", "coverage_main_unit_id"), ("c.valid_from", "coverage_valid_from"),
    ("c.valid_to", "coverage_valid_to"),
    ("ARRAY(SELECT DISTINCT o.unit_id FROM verification_visit o WHERE o.citizen_id = k.citizen_id"
     " AND o.day = k.service_date AND o.unit_id <> k.unit_id AND o.authen_code <> k.authen_code ORDER BY o.unit_id)",
     "other_units"),
)
# LATERAL joins with LIMIT 1 (which keeps PostgreSQL from flattening them): an index probe per claim; a plain join
# had it hash the whole visit and coverage tables for every batch.
CLAIMS_SQL = (
    "SELECT " + CLAIM_COLUMNS.sql + " FROM claims_claim k"
    " LEFT JOIN LATERAL (SELECT * FROM verification_visit v0 WHERE v0.authen_code = k.authen_code"
    " AND k.authen_code <> '' LIMIT 1) v ON true"
    # The right in force as the rights check reads it (eligibility.sql.COVERAGE_SQL: the latest that started on
    # or before the day), in one index probe.
    " LEFT JOIN LATERAL (SELECT * FROM people_coverage cv WHERE cv.citizen_id = k.citizen_id"
    " AND cv.valid_from <= k.service_date ORDER BY cv.valid_from DESC LIMIT 1) c ON true"
    " WHERE k.id = ANY(%s::bigint[]) ORDER BY k.id"
)
# The units and their contracts (a unit without any: one row with NULL contract columns).
UNITS_SQL = (
    "SELECT u.id, u.unit_type, u.status, u.opening_hours, us.service_id, us.valid_from, us.valid_to"
    " FROM units_unit u LEFT JOIN units_unitservice us ON us.unit_id = u.id WHERE u.id = ANY(%s::bigint[])"
)
# The citizens' live claims (the batch's own are skipped in Python: ``NOT (id = ANY(10,000 ids))`` is a scan of
# the array for every row, and it was a second a batch).
# An index probe per citizen (LATERAL): with ``citizen_id = ANY(…)`` PostgreSQL scanned the whole table.
OTHERS_SQL = (
    "SELECT o.citizen_id, o.id, o.authen_code, o.unit_id, o.service_id, o.service_date, o.details ->> 'tooth',"
    " o.status FROM unnest(%s::bigint[]) AS x(citizen_id) CROSS JOIN LATERAL (SELECT * FROM claims_claim o"
    " WHERE o.citizen_id = x.citizen_id AND o.current AND o.status <> 'rejected' OFFSET 0) o"
)
# The units' first-version claims per service day, ids ascending (the volume check's ranks and usual days).
DAY_CLAIMS_SQL = (
    "SELECT unit_id, service_date, array_agg(id ORDER BY id) FROM claims_claim WHERE version = 1"
    " AND service_date BETWEEN %s AND %s {units} GROUP BY unit_id, service_date"
)


JIT_OFF_FROM = 1000


def _json(value):
    return json.loads(value) if isinstance(value, str | bytes) else value


def day_claims_load(*, since: dt.date, until: dt.date, unit_ids: list[int] | None = None
                    ) -> dict[tuple[int, dt.date], list[int]]:
    """``{(unit, day): [claim ids]}`` of first versions with a service day in [since, until] (all units, or
    ``unit_ids``): what the volume check reads. A run over many batches loads it once for all."""
    units = "AND unit_id = ANY(%s::bigint[])" if unit_ids is not None else ""
    params: list = [since, until] + ([list(unit_ids)] if unit_ids is not None else [])
    with connection.cursor() as cursor:
        cursor.execute(DAY_CLAIMS_SQL.format(units=units), params)
        return {(unit_id, day): ids for unit_id, day, ids in cursor.fetchall()}


def claims_facts(claim_ids: list[int]) -> tuple[list[ClaimFacts], dict[str, VisitFacts]]:
    at = CLAIM_COLUMNS.at
    with connection.cursor() as cursor:
        cursor.execute(CLAIMS_SQL, [list(claim_ids)])
        rows = cursor.fetchall()
    (i_id, i_code, i_version, i_current, i_status, i_unit, i_citizen, i_service, i_day, i_amount, i_items, i_tooth,
     i_subday, i_visit, i_rep) = (at[n] for n in (
        "id", "authen_code", "version", "current", "status", "unit_id", "citizen_id", "service_id", "service_date",
        "amount", "items", "tooth", "submitted_day", "visit_id", "citizen_reported"))
    (v_id, v_unit, v_citizen, v_status, v_day, v_method, v_close, v_time, v_weekday, v_verified) = (
        at[n] for n in ("v_id", "v_unit_id", "v_citizen_id", "v_status", "v_day", "v_method", "v_close_code",
                        "v_local_time", "v_weekday", "v_verified"))
    (c_id, c_scheme, c_subtype, c_main, c_from, c_to) = (at[n] for n in (
        "coverage_id", "coverage_scheme", "coverage_subtype", "coverage_main_unit_id", "coverage_valid_from",
        "coverage_valid_to"))
    i_others = at["other_units"]
    claims: list[ClaimFacts] = []
    visits: dict[str, VisitFacts] = {}
    for r in rows:
        items = r[i_items]
        coverage = None if r[c_id] is None else CoverageFacts(
            id=r[c_id], citizen_id=r[i_citizen], scheme=r[c_scheme], subtype=r[c_subtype], main_unit_id=r[c_main],
            valid_from=r[c_from], valid_to=r[c_to])
        claims.append(ClaimFacts(
            r[i_id], r[i_code], r[i_version], r[i_current], r[i_status], r[i_unit], r[i_citizen], r[i_service],
            r[i_day], r[i_amount], _json(items) if items is not None else [], r[i_tooth], r[i_subday],
            r[i_visit], r[i_rep], coverage, tuple(r[i_others] or ())))
        if r[v_id] is not None:
            visits[r[i_code]] = VisitFacts(r[v_id], r[i_code], r[v_unit], r[v_citizen], r[v_status], r[v_day],
                                           r[v_method], r[v_close], r[v_time], r[v_weekday],
                                           r[v_verified])
    return claims, visits


def batch_load_sql(*, claim_ids: list[int], now: dt.datetime, book: RateBook | None = None,
                   day_claims: dict | None = None) -> Batch:
    """Every fact the rules need for these claims: four statements whatever their number."""
    if len(claim_ids) >= JIT_OFF_FROM:
        with connection.cursor() as cursor:
            # A large batch's estimated cost sets PostgreSQL compiling the query (JIT, ~0.1 s a batch) and starting
            # parallel workers, for plans of index probes that run no faster for either (and the command already
            # runs a process per core). For this transaction only.
            cursor.execute("SET LOCAL jit = off; SET LOCAL max_parallel_workers_per_gather = 0")
    claims, visits = claims_facts(claim_ids)
    batch = new_batch(claims, now=now, book=book)
    batch.visits = visits
    if not claims:
        return batch
    unit_ids = sorted({c.unit_id for c in claims})
    citizen_ids = sorted({c.citizen_id for c in claims if c.citizen_id is not None})
    with connection.cursor() as cursor:
        cursor.execute(UNITS_SQL, [unit_ids])
        for unit_id, unit_type, status, hours, service_id, valid_from, valid_to in cursor.fetchall():
            if unit_id not in batch.units:
                batch.units[unit_id] = UnitFacts(unit_id, unit_type, status, _json(hours) or {})
            if service_id is not None:
                batch.contracts.setdefault((unit_id, service_id), []).append((valid_from, valid_to))
        cursor.execute(OTHERS_SQL, [citizen_ids])
        mine = {c.id for c in claims}
        others = [(row[0], OtherClaim(*row[1:])) for row in cursor.fetchall() if row[1] not in mine]
    add_other_claims(batch, others)
    if day_claims is None:
        since, until = volume_window(claims)
        day_claims = day_claims_load(since=since, until=until, unit_ids=unit_ids)
    batch.day_claims = day_claims
    return batch


# The decisions of a batch and their audit rows in one statement: the UPDATE changes only claims still
# submitted (another process may have decided one meanwhile) and the audit rows are those of the rows changed.
# ``k.id = ANY(ids)`` beside the join lets PostgreSQL find the rows by primary key (with only the join it hashed
# every submitted claim, a million in the benchmark, for each batch).
DECIDE_SQL = (
    "WITH d AS (SELECT * FROM jsonb_to_recordset(%s::jsonb) AS d(id bigint, status text, reasons jsonb, after jsonb)),"
    " changed AS (UPDATE claims_claim k SET status = d.status, reasons = d.reasons, rules_version = %s,"
    " decided_at = CASE WHEN d.status = 'in_review' THEN NULL ELSE %s::timestamptz END"
    " FROM d WHERE k.id = ANY(%s::bigint[]) AND k.id = d.id AND k.status = 'submitted' RETURNING k.id, d.after)"
    " " + audit_insert_many_sql(
        "SELECT %s::timestamptz AS at, NULL::bigint AS actor_id, 'rules' AS actor_label,"
        " 'claim.adjudicate' AS action, 'claims.claim' AS object_type, changed.id, changed.after,"
        " %s AS request_id FROM changed ORDER BY changed.id")
)


def decisions_write(*, decisions: list[dict], version: str, now: dt.datetime, request_id: str) -> int:
    """Store the decisions (``{"id", "status", "reasons", "after"}``) with one audit row each; returns how many
    claims changed. They go as one JSON document: psycopg quoting each element of text arrays cost more than
    json.dumps of the whole batch."""
    if not decisions:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(DECIDE_SQL, [json.dumps(decisions, ensure_ascii=False), version, now,
                                    [d["id"] for d in decisions], now, request_id])
        return cursor.rowcount

