"""The rights check's raw SQL: the facts a decision needs, as fragments that run on PostgreSQL and
SQLite alike, and the two queries built from them. The booking engine's one-query hot path embeds the
same fragments (raksa/booking/sql.py), so every path reads the facts the same way.

Fragments are templates: ``{citizen}``, ``{day}``, ``{unit}``, ``{service}`` are filled with column
names of the enclosing query or with ``%s`` placeholders. Columns are read by name (``Columns``).
"""

from __future__ import annotations

from raksa.core.db import Columns

# The id of the right in force on {day}: the latest that started on or before it.
COVERAGE_SQL = (
    "(SELECT cv.id FROM people_coverage cv WHERE cv.citizen_id = {citizen} AND cv.valid_from <= {day} "
    "ORDER BY cv.valid_from DESC LIMIT 1)"
)
# The right in force, joined as ``c`` (all NULL when there is none).
COVERAGE_JOIN_SQL = "LEFT JOIN people_coverage c ON c.id = " + COVERAGE_SQL
LATER_COVERAGE_SQL = (
    "EXISTS (SELECT 1 FROM people_coverage lc WHERE lc.citizen_id = {citizen} AND lc.valid_from > {day})"
)
CONTRACT_SQL = (
    "EXISTS (SELECT 1 FROM units_unitservice us WHERE us.unit_id = {unit} AND us.service_id = {service} "
    "AND us.valid_from <= {day} AND (us.valid_to IS NULL OR us.valid_to >= {day}))"
)


def fact_columns(*, citizen: str, day: str, unit: str, service: str) -> tuple[tuple[str, str], ...]:
    """The columns a decision reads about the right and the contract (``coverage_from_row`` reads the
    first six), for a query that joins the right in force as ``c`` (``COVERAGE_JOIN_SQL``)."""
    return (
        ("c.id", "coverage_id"), ("c.scheme", "coverage_scheme"), ("c.subtype", "coverage_subtype"),
        ("c.main_unit_id", "coverage_main_unit_id"), ("c.valid_from", "coverage_valid_from"),
        ("c.valid_to", "coverage_valid_to"),
        (LATER_COVERAGE_SQL.format(citizen=citizen, day=day), "later_coverage"),
        (CONTRACT_SQL.format(unit=unit, service=service, day=day), "contracted"),
    )


# eligibility_check: the facts for a known citizen, unit and service (ids) on a day.
# Parameters: citizen, day (later right), unit, service, day, day (contract), citizen, day (right in force).
CHECK_COLUMNS = Columns(*fact_columns(citizen="%s", day="%s", unit="%s", service="%s"))
CHECK_SQL = (
    "SELECT " + CHECK_COLUMNS.sql + " FROM (SELECT 1 AS one) x "
    + COVERAGE_JOIN_SQL.format(citizen="%s", day="%s")
)

# eligibility_check_by_ids: citizen (by HMAC), unit (by hcode), service (by code) and the facts, in one query.
# Parameters: day (later right), day x2 (contract), HMAC, hcode, code, day (right in force).
BY_IDS_COLUMNS = Columns(
    ("ci.id", "citizen_id"), ("u.id", "unit_id"), ("u.status", "unit_status"), ("u.unit_type", "unit_type"),
    ("sv.id", "service_id"), ("sv.active", "service_active"), ("sv.unit_type", "service_unit_type"),
    *fact_columns(citizen="ci.id", day="%s", unit="u.id", service="sv.id"),
)
BY_IDS_SQL = (
    "SELECT " + BY_IDS_COLUMNS.sql + " FROM (SELECT 1 AS one) x"
    " LEFT JOIN people_citizen ci ON ci.cid_hash = %s"
    " LEFT JOIN units_unit u ON u.hcode = %s"
    " LEFT JOIN units_service sv ON sv.code = %s "
    + COVERAGE_JOIN_SQL.format(citizen="ci.id", day="%s")
)
