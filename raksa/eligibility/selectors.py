"""Rights check from the identifiers other systems hold: national ID, hcode, service code."""

from __future__ import annotations

import datetime as dt

from django.db import connection

from raksa.core import pii
from raksa.core.timeutil import service_day
from raksa.eligibility.services import (
    CONTRACT_SQL,
    COVERAGE_COLUMNS,
    COVERAGE_SQL,
    LATER_COVERAGE_SQL,
    Decision,
    Facts,
    coverage_from_row,
    decide,
)
from raksa.people import national_id as nid
from raksa.people.selectors import citizen_not_found
from raksa.units.selectors import service_not_found, unit_not_found

# Citizen (by HMAC), unit (by hcode), service (by code), the right in force and the contract: one query.
# Placeholders in text order: day (later right), day x2 (contract), HMAC, hcode, code, day (right in force).
_BY_IDS_SQL = (
    "SELECT ci.id, u.id, u.status, u.unit_type, sv.id, sv.active, sv.unit_type, " + COVERAGE_COLUMNS + ", "
    + LATER_COVERAGE_SQL.format(citizen="ci.id", day="%s") + ", "
    + CONTRACT_SQL.format(unit="u.id", service="sv.id", day="%s")
    + " FROM (SELECT 1 AS one) x"
    " LEFT JOIN people_citizen ci ON ci.cid_hash = %s"
    " LEFT JOIN units_unit u ON u.hcode = %s"
    " LEFT JOIN units_service sv ON sv.code = %s"
    " LEFT JOIN people_coverage c ON c.id = " + COVERAGE_SQL.format(citizen="ci.id", day="%s")
)


def eligibility_check_by_ids(*, national_id: str, hcode: str, service_code: str,
                             on: dt.date | dt.datetime | None = None) -> Decision:
    """Raises InvalidInput (bad ID) or NotFound (unknown citizen, unit or service) before deciding.

    The same rules as :func:`raksa.eligibility.services.eligibility_check` (both call ``decide``), with
    every fact in one round trip: this is what other systems call for each patient."""
    national_id = nid.normalize(national_id)
    day = service_day(on) if on is None or isinstance(on, dt.datetime) else on
    d = connection.ops.adapt_datefield_value(day)
    with connection.cursor() as cursor:
        cursor.execute(_BY_IDS_SQL, [d, d, d, pii.lookup_hash(national_id), (hcode or "").strip(),
                                     (service_code or "").strip(), d])
        row = cursor.fetchone()
    citizen_id, unit_id, service_id = row[0], row[1], row[4]
    if citizen_id is None:
        raise citizen_not_found()
    if unit_id is None:
        raise unit_not_found(hcode)
    if service_id is None:
        raise service_not_found(service_code)
    return decide(Facts(day=day, coverage=coverage_from_row(citizen_id, row[7:13]), later_coverage=bool(row[13]),
                        unit_status=row[2], unit_type=row[3], service_active=bool(row[5]), service_unit_type=row[6],
                        contracted=bool(row[14])))
