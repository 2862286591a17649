"""The claims benchmark's figures (scripts/bench-claims.sh): the run's summary (``manage.py claims_adjudicate``)
and the check of every decision against the plan that bench/claims_setup.py wrote. One JSON line per figure on
stdout; the per-kind table on stderr.

The check: each fault kind must be caught by its rule (the kind's reason among the claim's reasons), and no claim
may carry a reason its kind does not explain (a clean claim with any reason is a false flag). The volume spike's
expected claims are worked out here independently of the engine, in SQL: on the planned spike days, the claims
whose rank in the unit's day is above 30 and above three times the median of the unit's days with claims in the
28 days before (when there are at least 7 such days).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

RULE_OF_KIND = {
    "missing": "AUTHEN_MISSING", "unknown": "AUTHEN_UNKNOWN", "foreign": "AUTHEN_FOREIGN",
    "expired": "AUTHEN_EXPIRED", "not_closed": "VISIT_NOT_CLOSED_BY_UNIT", "not_eligible": "NOT_ELIGIBLE",
    "not_for_type": "SERVICE_NOT_FOR_UNIT_TYPE", "not_contracted": "SERVICE_NOT_CONTRACTED",
    "over_schedule": "AMOUNT_OVER_SCHEDULE", "freq_dental": "FREQUENCY_DENTAL", "freq_physio": "FREQUENCY_PHYSIO",
    "late": "LATE", "no_identity": "NO_IDENTITY_VERIFICATION", "outside_hours": "OUTSIDE_OPENING_HOURS",
    "several_units": "SEVERAL_UNITS_SAME_DAY", "duplicate": "DUPLICATE", "unit_pending": "UNIT_NOT_VERIFIED",
    "unit_suspended": "UNIT_SUSPENDED",
}

CHECK_SQL = """
WITH kinds(kind, code) AS (SELECT * FROM unnest(%s::text[], %s::text[])),
usual AS (
    SELECT s.unit_id, s.day, percentile_cont(0.5) WITHIN GROUP (ORDER BY h.n) AS usual, count(*) AS days
    FROM bench_ud s CROSS JOIN LATERAL (
        SELECT k.service_date, count(*) AS n FROM claims_claim k WHERE k.unit_id = s.unit_id AND k.version = 1
        AND k.service_date BETWEEN s.day - 28 AND s.day - 1 GROUP BY k.service_date) h
    WHERE s.spike GROUP BY s.unit_id, s.day),
spike AS (
    SELECT r.id FROM (
        SELECT k.id, row_number() OVER (PARTITION BY k.unit_id, k.service_date ORDER BY k.id) AS rank, u.usual, u.days
        FROM claims_claim k JOIN usual u ON u.unit_id = k.unit_id AND u.day = k.service_date WHERE k.version = 1) r
    WHERE r.days >= 7 AND r.rank > 30 AND r.rank > 3 * r.usual),
x AS (
    SELECT p.kind, k.status,
           ARRAY(SELECT r ->> 'code' FROM jsonb_array_elements(k.reasons) r) AS actual,
           array_remove(ARRAY[kc.code, CASE WHEN s.id IS NOT NULL THEN 'UNIT_VOLUME_SPIKE' END], NULL) AS expected
    FROM bench_claim_plan p JOIN claims_claim k ON k.id = p.claim_id
    LEFT JOIN kinds kc ON kc.kind = p.kind LEFT JOIN spike s ON s.id = k.id)
SELECT CASE WHEN 'UNIT_VOLUME_SPIKE' = ANY(expected) THEN 'volume_spike' ELSE kind END AS kind, count(*),
       count(*) FILTER (WHERE cardinality(expected) > 0),
       count(*) FILTER (WHERE NOT expected <@ actual),
       count(*) FILTER (WHERE NOT actual <@ expected),
       count(*) FILTER (WHERE status = 'submitted')
FROM x GROUP BY 1 ORDER BY 1
"""


def line(name: str, value, unit: str) -> None:
    print(json.dumps({"name": name, "value": value, "unit": unit}), flush=True)


def main() -> None:
    summary = json.loads(Path(sys.argv[1]).read_text())
    with connection.cursor() as cursor:
        cursor.execute(CHECK_SQL, [list(RULE_OF_KIND), list(RULE_OF_KIND.values())])
        rows = cursor.fetchall()
    print(f"{'kind':<16}{'claims':>10}{'faults':>9}{'missed':>8}{'false':>7}{'undecided':>11}", file=sys.stderr)
    for kind, count, faults, missed, false, undecided in rows:
        print(f"{kind:<16}{count:>10,}{faults:>9,}{missed:>8,}{false:>7,}{undecided:>11,}", file=sys.stderr)
    total = sum(r[1] for r in rows)
    faults = sum(r[2] for r in rows)
    missed = sum(r[3] for r in rows)
    false = sum(r[4] for r in rows)
    undecided = sum(r[5] for r in rows)
    line("claims.adjudicate.rate", summary["rate"], "claims/s")
    line("claims.adjudicate.seconds", summary["seconds"], "s")
    line("claims.adjudicate.count", summary["decided"], "claims")
    # Where the time goes, summed over the workers (each phase of each batch): facts read, rules, decisions written.
    for phase in ("load_s", "evaluate_s", "write_s"):
        line(f"claims.adjudicate.{phase}", summary.get(phase, 0.0), "s")
    line("claims.adjudicate.workers", summary.get("workers", 1), "processes")
    line("claims.adjudicate.faults", faults, "claims")
    line("claims.adjudicate.faults_missed", missed, "claims")
    line("claims.adjudicate.false_flags", false, "claims")
    if undecided or total != summary["decided"]:
        print(f"claims bench: WARNING: {undecided} claims of the plan left undecided, {total} planned, "
              f"{summary['decided']} decided", file=sys.stderr)


if __name__ == "__main__":
    main()
