"""Set up the claims benchmark (scripts/bench-claims.sh): ``--claims`` realistic claims written straight into
PostgreSQL (INSERT … SELECT over generate_series), each with its visit and its verification attempt, for the
seeded registry's citizens and units, about 5% of them with a fault of a known kind. Run with
DJANGO_SETTINGS_MODULE and DATABASE_URL set; the plan (one row per claim: its kind) stays in the table
``bench_claim_plan`` for bench/claims_report.py.

What the claims look like: six weeks of service days ending yesterday (Bangkok); every seeded unit with
opening hours, on the days it is open (its first opening of the day), from the day its contracts start. Each
verified unit has its own usual day (between half and one and a half times the average, the same every day);
pending and suspended units send one claim a day (each a fault: UNIT_NOT_VERIFIED, UNIT_SUSPENDED). The
service is one of the unit type's services, priced from the fee schedule in force; pharmacies list a medicine
half of the time and labs a second test. The visit is opened within the unit's hours, verified by face (an
attempt ``verified``), closed by the claim with an EP code, and the claim is sent 5 to 35 minutes later the same
day. Citizens are UCS members whose right was in force before the period, in a shuffled order; a citizen has
at most two claims, weeks apart.

The faults (kind -> the rule that must catch it): missing code (AUTHEN_MISSING), unknown code
(AUTHEN_UNKNOWN), another unit's visit (AUTHEN_FOREIGN), a visit closed without service (AUTHEN_EXPIRED), a
lapsed visit never closed by a claim (VISIT_NOT_CLOSED_BY_UNIT), a person under another scheme
(NOT_ELIGIBLE), a service of another unit type (SERVICE_NOT_FOR_UNIT_TYPE), a service the unit has no contract
for (SERVICE_NOT_CONTRACTED), 50 baht over the schedule (AMOUNT_OVER_SCHEDULE), a third dental visit in the
year or a 21st physiotherapy session for one condition (FREQUENCY_DENTAL, FREQUENCY_PHYSIO: their earlier
visits are written as clean claims of a citizen kept for it), sent the next day (LATE), no successful identity
check (NO_IDENTITY_VERIFICATION), verified an hour before opening (OUTSIDE_OPENING_HOURS), a second visit of
the person at another unit that day (SEVERAL_UNITS_SAME_DAY), the same service twice under a second code
(DUPLICATE), and a few units' last day at four times their usual volume (UNIT_VOLUME_SPIKE beyond three times).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from raksa.claims.models import Item, ItemPrice  # noqa: E402
from raksa.core.timeutil import service_day  # noqa: E402
from raksa.units.models import FeeRate, Service, UnitType  # noqa: E402

WINDOW_DAYS = 42
FAULTS_PER_10000 = 500  # 5% of the verified units' claims
FREQUENCY_FROM_DAY = 30  # frequency faults only where 20 earlier open days exist
DENTAL_HISTORY, PHYSIO_HISTORY = 2, 20  # earlier visits written before a frequency fault
# The kinds a fault is drawn from (frequency twice: it falls back to over_schedule outside dental and physio).
KINDS = ("missing", "unknown", "foreign", "expired", "not_closed", "not_eligible", "not_for_type", "not_contracted",
         "over_schedule", "frequency", "frequency", "late", "no_identity", "outside_hours", "several_units",
         "duplicate")
BENCH_ITEM = "BX-PARA500"


def log(message: str) -> None:
    print(f"claims bench: {message}", file=sys.stderr, flush=True)


def run(cursor, label: str, sql: str, params: dict | None = None) -> int:
    started = time.perf_counter()
    cursor.execute(sql, params or {})
    log(f"{label}: {cursor.rowcount:,} rows, {time.perf_counter() - started:.1f} s")
    return cursor.rowcount


def catalogue() -> None:
    """The bench's own item (a pharmacy medicine) and one service per unit type that no unit is contracted for
    (priced, so that only the contract is missing)."""
    item, _ = Item.objects.get_or_create(code=BENCH_ITEM, defaults={
        "name_th": "พาราเซตามอล 500 มก. (ข้อมูลทดสอบโหลด)", "name_en": "Paracetamol 500 mg (bench)",
        "unit_types": [UnitType.PHARMACY], "unit_label": "เม็ด", "illustrative": True})
    ItemPrice.objects.get_or_create(item=item, effective_to=None, defaults={
        "baht_per_unit": "1.50", "effective_from": dt.date(2020, 1, 1), "illustrative": True})
    for unit_type in UnitType.values:
        service, _ = Service.objects.get_or_create(code=f"BX-{unit_type.upper()}"[:16], defaults={
            "name_th": "บริการนอกสัญญา (ข้อมูลทดสอบโหลด)", "name_en": "Uncontracted service (bench)",
            "unit_type": unit_type, "illustrative": True})
        FeeRate.objects.get_or_create(service=service, effective_to=None, defaults={
            "amount_baht": "100.00", "effective_from": dt.date(2020, 1, 1), "illustrative": True})


def free_base(cursor, table: str, column: str, prefix: str, size: int) -> int:
    """A number from which ``size`` codes ``prefix`` + 10 digits are all unused."""
    for base in range(9_000_000_000, 10_000_000_000 - size, 50_000_000):
        cursor.execute(f"SELECT count(*) FROM {table} WHERE {column} BETWEEN %s AND %s",
                       [f"{prefix}{base:010d}", f"{prefix}{base + size:010d}"])
        if cursor.fetchone()[0] == 0:
            return base
    raise SystemExit(f"no free range of {size} codes in {table}.{column}")


def reserve_ids(cursor, table: str, count: int) -> int:
    """The first of ``count`` ids taken from ``table``'s identity sequence (explicit ids for bulk rows)."""
    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
    sequence = cursor.fetchone()[0]
    cursor.execute(f"SELECT setval(%s, (SELECT last_value FROM {sequence}) + %s)", [sequence, count])
    return cursor.fetchone()[0] - count + 1


SETUP_SQL = {
    # Services with the rate in force over the whole period, numbered within their unit type.
    "fees": """
        CREATE UNLOGGED TABLE bench_fee AS
        SELECT s.id, s.code, s.unit_type, f.amount_baht AS fee
        FROM units_service s JOIN units_feerate f ON f.service_id = s.id AND f.effective_from <= %(start)s
             AND (f.effective_to IS NULL OR f.effective_to >= %(end)s)
        WHERE s.active""",
    "services": """
        CREATE UNLOGGED TABLE bench_svc AS
        SELECT f.*, row_number() OVER (PARTITION BY f.unit_type ORDER BY f.code)::int AS n,
               count(*) OVER (PARTITION BY f.unit_type)::int AS of
        FROM bench_fee f WHERE f.code NOT LIKE 'BX-%%'""",
    # Each unit's open days (its first opening of the day) from the day its contracts start.
    "unit days": """
        CREATE UNLOGGED TABLE bench_ud AS
        SELECT u.id AS unit_id, u.unit_type, u.status, d::date AS day,
               split_part(x.h ->> 0, ':', 1)::int * 60 + split_part(x.h ->> 0, ':', 2)::int AS open_min,
               split_part(x.h ->> 1, ':', 1)::int * 60 + split_part(x.h ->> 1, ':', 2)::int AS close_min,
               CASE WHEN u.status = 'verified' THEN 0.5 + (abs(hashtext('w' || u.id)) %% 1000) / 1000.0 END AS w,
               0 AS n, false AS spike
        FROM units_unit u
        CROSS JOIN generate_series(%(start)s::date, %(end)s::date, interval '1 day') d
        CROSS JOIN LATERAL (SELECT u.opening_hours
              -> (ARRAY['mon','tue','wed','thu','fri','sat','sun'])[extract(isodow FROM d)::int] -> 0 AS h) x
        WHERE x.h IS NOT NULL AND EXISTS (SELECT 1 FROM bench_svc s WHERE s.unit_type = u.unit_type)
          AND EXISTS (SELECT 1 FROM units_unitservice us WHERE us.unit_id = u.id AND us.valid_from <= d::date
                      AND us.valid_to IS NULL)""",
    "volumes": """
        UPDATE bench_ud SET n = CASE WHEN status = 'verified'
            THEN greatest(1, round(w * %(claims)s * 0.991 / (SELECT sum(w) FROM bench_ud WHERE status = 'verified')))
            ELSE 1 END""",
    # A few verified units' last open day at four times their usual (at least 40 claims).
    "spike days": """
        UPDATE bench_ud ud SET n = greatest(4 * ud.n, 40), spike = true
        FROM (SELECT unit_id, max(day) AS day FROM bench_ud WHERE status = 'verified'
              AND abs(hashtext('s' || unit_id)) %% 25 = 0 GROUP BY unit_id) s
        WHERE ud.unit_id = s.unit_id AND ud.day = s.day""",
    # UCS members whose right was in force before the period (shuffled), and people under another scheme.
    "citizens": """
        CREATE UNLOGGED TABLE bench_pool AS
        SELECT (row_number() OVER (ORDER BY hashtext('p' || citizen_id), citizen_id) - 1)::int AS i, citizen_id
        FROM people_coverage WHERE scheme = 'UCS' AND valid_to IS NULL AND valid_from <= %(start)s""",
    "citizens index": "CREATE UNIQUE INDEX ON bench_pool (i)",
    "others": """
        CREATE UNLOGGED TABLE bench_other_pool AS
        SELECT (row_number() OVER (ORDER BY hashtext('o' || citizen_id), citizen_id) - 1)::int AS i, citizen_id
        FROM people_coverage WHERE scheme <> 'UCS' AND valid_to IS NULL AND valid_from <= %(start)s""",
    "others index": "CREATE UNIQUE INDEX ON bench_other_pool (i)",
    # One row per claim of the units' days: its minute, its service and its kind.
    "base plan": """
        CREATE UNLOGGED TABLE bench_base AS
        SELECT ud.unit_id, ud.unit_type, ud.day, g.j, ud.open_min, ud.close_min,
               ud.open_min + abs(hashtext('m' || ud.unit_id || ':' || ud.day || ':' || g.j))
                   %% greatest(1, ud.close_min - ud.open_min - 45) AS minute,
               s.id AS service_id, s.code AS service_code,
               CASE WHEN ud.status = 'pending' THEN 'unit_pending' WHEN ud.status = 'suspended' THEN 'unit_suspended'
                    WHEN x.f < %(faults)s THEN (%(kinds)s::text[])[1 + x.f %% %(nkinds)s] ELSE 'clean' END AS kind
        FROM bench_ud ud CROSS JOIN LATERAL generate_series(1, ud.n) g(j)
        CROSS JOIN LATERAL (SELECT abs(hashtext('f' || ud.unit_id || ':' || ud.day || ':' || g.j)) %% 10000 AS f,
                                   abs(hashtext('v' || ud.unit_id || ':' || ud.day || ':' || g.j)) AS h) x
        JOIN bench_svc s ON s.unit_type = ud.unit_type AND s.n = 1 + x.h %% s.of""",
    "frequency kinds": """
        UPDATE bench_base SET kind = CASE
            WHEN unit_type = 'dental' AND day >= %(freq_from)s THEN 'freq_dental'
            WHEN unit_type = 'physio' AND day >= %(freq_from)s THEN 'freq_physio'
            ELSE 'over_schedule' END
        WHERE kind = 'frequency'""",
    # Citizens: UCS members in turn (kept apart: the last tenth, one each for the frequency faults and their
    # earlier visits), people under another scheme for not_eligible.
    "base numbers": """
        CREATE UNLOGGED TABLE bench_numbered AS
        SELECT b.*, (row_number() OVER (ORDER BY b.day, b.minute, b.unit_id, b.j) - 1)::int AS pre,
               (row_number() OVER (PARTITION BY b.kind IN ('freq_dental', 'freq_physio')
                                   ORDER BY b.day, b.minute, b.unit_id, b.j) - 1)::int AS k
        FROM bench_base b""",
    "plan": """
        CREATE UNLOGGED TABLE bench_plan0 AS
        SELECT n.unit_id, n.unit_type, n.day, n.minute, n.open_min, n.service_id, n.service_code,
               CASE WHEN n.kind = 'duplicate' THEN 'clean' ELSE n.kind END AS kind,
               CASE WHEN n.kind = 'not_eligible' THEN (SELECT citizen_id FROM bench_other_pool
                                                       WHERE i = n.pre %% %(others)s)
                    WHEN n.kind IN ('freq_dental', 'freq_physio') THEN (SELECT citizen_id FROM bench_pool
                                                       WHERE i = %(kept_from)s + n.k %% %(kept)s)
                    ELSE (SELECT citizen_id FROM bench_pool WHERE i = n.pre %% %(kept_from)s) END AS citizen_id,
               n.pre::bigint AS rid, n.kind = 'duplicate' AS has_duplicate
        FROM bench_numbered n""",
    # The second claim of a duplicate: same person, unit, service and day, a minute later, another visit.
    "duplicates": """
        INSERT INTO bench_plan0 (unit_id, unit_type, day, minute, open_min, service_id, service_code, kind,
                                 citizen_id, rid, has_duplicate)
        SELECT unit_id, unit_type, day, minute + 1, open_min, service_id, service_code, 'duplicate', citizen_id,
               100000000 + rid, false
        FROM bench_plan0 WHERE has_duplicate""",
    # The earlier visits of a frequency fault: the unit's latest open days before it, same person and service.
    "frequency history": """
        INSERT INTO bench_plan0 (unit_id, unit_type, day, minute, open_min, service_id, service_code, kind,
                                 citizen_id, rid, has_duplicate)
        SELECT p.unit_id, p.unit_type, h.day, h.open_min + 1, h.open_min, p.service_id, p.service_code, 'history',
               p.citizen_id, 200000000 + p.rid * 32 + h.r, false
        FROM bench_plan0 p CROSS JOIN LATERAL (
            SELECT ud.day, ud.open_min, row_number() OVER (ORDER BY ud.day DESC) AS r FROM bench_ud ud
            WHERE ud.unit_id = p.unit_id AND ud.day < p.day ORDER BY ud.day DESC
            LIMIT CASE p.kind WHEN 'freq_dental' THEN %(dental_history)s ELSE %(physio_history)s END) h
        WHERE p.kind IN ('freq_dental', 'freq_physio')""",
    # Final order (claim ids follow it: claims arrive in time order) and the codes.
    "numbered plan": """
        CREATE UNLOGGED TABLE bench_claim_plan AS
        SELECT x.*,
               CASE x.kind WHEN 'missing' THEN ''
                    WHEN 'unknown' THEN 'PP' || lpad((%(code_base)s + 4000000 + x.seq)::text, 10, '0')
                    ELSE 'PP' || lpad((%(code_base)s + x.seq)::text, 10, '0') END AS authen_code,
               %(visit_base)s + x.seq AS visit_id, %(claim_base)s + x.seq AS claim_id,
               CASE WHEN x.unit_id = %(unit_a)s THEN %(unit_b)s ELSE %(unit_a)s END AS other_unit_id,
               CASE x.kind WHEN 'not_for_type' THEN (SELECT id FROM bench_fee WHERE code = CASE
                                WHEN x.unit_type = 'pharmacy' THEN 'WC-OPD' ELSE 'PH-FEVER' END)
                           WHEN 'not_contracted' THEN (SELECT id FROM bench_fee
                                                       WHERE code = left('BX-' || upper(x.unit_type), 16))
                           ELSE x.service_id END AS claim_service_id,
               (x.day + make_interval(mins => CASE WHEN x.kind = 'outside_hours' THEN x.open_min - 60
                                                   ELSE x.minute END)) AT TIME ZONE 'Asia/Bangkok' AS opened_at,
               CASE WHEN x.kind = 'late' THEN (x.day + 1 + time '09:00') AT TIME ZONE 'Asia/Bangkok'
                    ELSE (x.day + make_interval(mins => x.minute + 5 + (x.seq %% 30)::int)) AT TIME ZONE 'Asia/Bangkok'
               END AS submitted_at
        FROM (SELECT p.*, row_number() OVER (ORDER BY p.day, p.minute, p.unit_id, p.rid) AS seq
              FROM bench_plan0 p) x""",
    "plan index": "CREATE UNIQUE INDEX ON bench_claim_plan (claim_id)",
    "visits": """
        INSERT INTO verification_visit (id, authen_code, day, method, verified_by_label, rights, status, opened_at,
                                        closed_at, close_reason, citizen_id, service_id, unit_id, close_code)
        SELECT p.visit_id, p.authen_code, p.day, 'face', 'bench', '{}'::jsonb,
               CASE p.kind WHEN 'expired' THEN 'no_service' WHEN 'not_closed' THEN 'lapsed' ELSE 'claimed' END,
               p.opened_at,
               CASE p.kind WHEN 'expired' THEN p.opened_at + interval '10 minutes'
                           WHEN 'not_closed' THEN (p.day + 1)::timestamp AT TIME ZONE 'Asia/Bangkok'
                           ELSE p.submitted_at END,
               CASE p.kind WHEN 'expired' THEN 'ไม่ได้ให้บริการ' ELSE '' END,
               p.citizen_id, p.service_id, CASE WHEN p.kind = 'foreign' THEN p.other_unit_id ELSE p.unit_id END,
               CASE WHEN p.kind IN ('expired', 'not_closed') THEN NULL
                    ELSE 'EP' || lpad((%(close_base)s + p.seq)::text, 10, '0') END
        FROM bench_claim_plan p WHERE p.kind NOT IN ('missing', 'unknown') ORDER BY p.seq""",
    # The person's visit at a second unit that day (closed without service), for several_units.
    "second visits": """
        INSERT INTO verification_visit (authen_code, day, method, verified_by_label, rights, status, opened_at,
                                        closed_at, close_reason, citizen_id, service_id, unit_id)
        SELECT 'PP' || lpad((%(code_base)s + 2000000 + p.seq)::text, 10, '0'), p.day, 'face', 'bench', '{}'::jsonb,
               'no_service', p.opened_at - interval '2 hours', p.opened_at - interval '110 minutes', 'ไม่ได้ให้บริการ',
               p.citizen_id, p.service_id, p.other_unit_id
        FROM bench_claim_plan p WHERE p.kind = 'several_units'""",
    "attempts": """
        INSERT INTO verification_verificationattempt (at, actor_label, method, outcome, code, citizen_id, unit_id,
                                                      visit_id)
        SELECT p.opened_at, 'bench', 'face', CASE WHEN p.kind = 'no_identity' THEN 'no_match' ELSE 'verified' END,
               CASE WHEN p.kind = 'no_identity' THEN 'NO_MATCH' ELSE '' END, p.citizen_id,
               CASE WHEN p.kind = 'foreign' THEN p.other_unit_id ELSE p.unit_id END, p.visit_id
        FROM bench_claim_plan p WHERE p.kind NOT IN ('missing', 'unknown') ORDER BY p.seq""",
    "claims": """
        INSERT INTO claims_claim (id, authen_code, version, current, service_date, details, icd10, items,
                                  service_amount, amount, status, reasons, rules_version, source, submitted_at,
                                  submitted_label, decision_note, citizen_report_note, citizen_id, service_id, unit_id,
                                  visit_id)
        SELECT p.claim_id, p.authen_code, 1, true, p.day,
               CASE p.unit_type
                   WHEN 'pharmacy' THEN jsonb_build_object('follow_up_date', (p.day + 3)::text)
                   WHEN 'dental' THEN jsonb_build_object('tooth', (11 + p.seq %% 8)::text)
                   WHEN 'physio' THEN jsonb_build_object('session', 1 + p.seq %% 20)
                   WHEN 'lab' THEN jsonb_build_object('ordering_doctor', 'นพ.ทดสอบ โหลด', 'doctor_license', 'ว.12345')
                   ELSE '{}'::jsonb END,
               CASE WHEN p.unit_type IN ('warm', 'physio') THEN '["I10"]'::jsonb ELSE '[]'::jsonb END,
               COALESCE(it.line, '[]'::jsonb), s.fee,
               s.fee + COALESCE(it.amount, 0) + CASE WHEN p.kind = 'over_schedule' THEN 50 ELSE 0 END,
               'submitted', '[]'::jsonb, '', 'batch', p.submitted_at, 'bench', '', '', p.citizen_id, s.id, p.unit_id,
               CASE WHEN p.kind IN ('missing', 'unknown') THEN NULL ELSE p.visit_id END
        FROM bench_claim_plan p
        JOIN bench_fee s ON s.id = p.claim_service_id
        LEFT JOIN LATERAL (
            SELECT jsonb_build_array(jsonb_build_object('code', %(item)s, 'kind', 'item', 'quantity', 10,
                                     'unit_price', '1.50', 'amount', '15.00')) AS line, 15.00 AS amount
            WHERE p.unit_type = 'pharmacy' AND p.kind NOT IN ('not_for_type', 'not_contracted') AND p.seq %% 2 = 0
            UNION ALL
            SELECT jsonb_build_array(jsonb_build_object('code', t.code, 'kind', 'service', 'quantity', 1,
                                     'unit_price', t.fee::text, 'amount', t.fee::text)), t.fee
            FROM bench_svc t WHERE p.unit_type = 'lab' AND p.kind NOT IN ('not_for_type', 'not_contracted')
              AND t.code = CASE WHEN p.service_code = 'LB-FBS' THEN 'LB-UA' ELSE 'LB-FBS' END) it ON true
        ORDER BY p.seq""",
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--out", required=True, help="file for the set-up's summary (JSON)")
    args = parser.parse_args()
    started = time.perf_counter()
    catalogue()
    end = service_day() - dt.timedelta(days=1)
    start = end - dt.timedelta(days=WINDOW_DAYS - 1)
    params = {"start": start, "end": end, "claims": args.claims, "faults": FAULTS_PER_10000, "kinds": list(KINDS),
              "nkinds": len(KINDS), "freq_from": start + dt.timedelta(days=FREQUENCY_FROM_DAY),
              "dental_history": DENTAL_HISTORY, "physio_history": PHYSIO_HISTORY, "item": BENCH_ITEM}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_fee, bench_svc, bench_ud, bench_pool, bench_other_pool, bench_base,"
                       " bench_numbered, bench_plan0, bench_claim_plan")
        for label in ("fees", "services", "unit days", "volumes", "spike days", "citizens", "citizens index", "others",
                      "others index", "base plan", "frequency kinds", "base numbers"):
            run(cursor, label, SETUP_SQL[label], params)
        cursor.execute("SELECT (SELECT count(*) FROM bench_pool), (SELECT count(*) FROM bench_other_pool),"
                       " (SELECT count(*) FROM bench_base)")
        pool, others, base = cursor.fetchone()
        kept = max(1, pool // 10)
        params.update(others=others, kept=kept, kept_from=pool - kept)
        for label in ("plan", "duplicates", "frequency history"):
            run(cursor, label, SETUP_SQL[label], params)
        cursor.execute("SELECT count(*) FROM bench_plan0")
        total = cursor.fetchone()[0]
        # A second unit (for foreign codes and second visits): the first two verified units with hours.
        cursor.execute("SELECT id FROM units_unit WHERE status = 'verified' AND opening_hours <> '{}'::jsonb"
                       " ORDER BY id LIMIT 2")
        params["unit_a"], params["unit_b"] = (row[0] for row in cursor.fetchall())
        params.update(code_base=free_base(cursor, "verification_visit", "authen_code", "PP", 6_000_000),
                      close_base=free_base(cursor, "verification_visit", "close_code", "EP", 2_000_000),
                      visit_base=reserve_ids(cursor, "verification_visit", total) - 1,
                      claim_base=reserve_ids(cursor, "claims_claim", total) - 1)
        run(cursor, "numbered plan", SETUP_SQL["numbered plan"], params)
        run(cursor, "plan index", SETUP_SQL["plan index"], params)
        # The rows are written as the services write them, without the per-row foreign-key checks (triggers, run
        # at commit: most of a minute here): every id comes from the rows just read. This transaction only.
        cursor.execute("SET LOCAL session_replication_role = replica")
        for label in ("visits", "second visits", "attempts", "claims"):
            run(cursor, label, SETUP_SQL[label], params)
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")
        cursor.execute("SELECT kind, count(*) FROM bench_claim_plan GROUP BY kind ORDER BY kind")
        kinds = dict(cursor.fetchall())
        t0 = time.perf_counter()
    log(f"commit: {time.perf_counter() - t0:.1f} s")
    with connection.cursor() as cursor:
        # Settle what was just bulk-written, as bench.sh settles the seeded registry.
        t0 = time.perf_counter()
        cursor.execute("VACUUM (ANALYZE) claims_claim, verification_visit, verification_verificationattempt,"
                       " bench_claim_plan")
        log(f"vacuum analyze: {time.perf_counter() - t0:.1f} s")
    summary = {"claims": total, "first_day": start.isoformat(), "last_day": end.isoformat(), "kinds": kinds,
               "faults": total - kinds.get("clean", 0) - kinds.get("history", 0),
               "ucs_pool": pool, "other_pool": others, "seconds": round(time.perf_counter() - started, 1)}
    Path(args.out).write_text(json.dumps(summary))
    log(json.dumps(summary))


if __name__ == "__main__":
    main()
