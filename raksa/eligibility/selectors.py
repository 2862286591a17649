"""Rights check from the identifiers other systems hold: national ID, hcode, service code."""

from __future__ import annotations

import datetime as dt

from django.db import connection

from raksa.core import pii
from raksa.core.timeutil import service_day
from raksa.eligibility import sql
from raksa.eligibility.services import Decision, Facts, coverage_from_row, decide
from raksa.people import national_id as nid
from raksa.people.selectors import citizen_not_found
from raksa.units.selectors import service_not_found, unit_not_found


def eligibility_check_by_ids(*, national_id: str, hcode: str, service_code: str,
                             on: dt.date | dt.datetime | None = None) -> Decision:
    """Raises InvalidInput (bad ID) or NotFound (unknown citizen, unit or service) before deciding.

    The same rules as :func:`raksa.eligibility.services.eligibility_check` (both call ``decide``), with
    every fact in one round trip: this is what other systems call for each patient."""
    national_id = nid.normalize(national_id)
    day = service_day(on) if on is None or isinstance(on, dt.datetime) else on
    d = connection.ops.adapt_datefield_value(day)
    with connection.cursor() as cursor:
        cursor.execute(sql.BY_IDS_SQL, [d, d, d, pii.lookup_hash(national_id), (hcode or "").strip(),
                                        (service_code or "").strip(), d])
        row = cursor.fetchone()
    at = sql.BY_IDS_COLUMNS.at
    citizen_id = row[at["citizen_id"]]
    if citizen_id is None:
        raise citizen_not_found()
    if row[at["unit_id"]] is None:
        raise unit_not_found(hcode)
    if row[at["service_id"]] is None:
        raise service_not_found(service_code)
    return decide(Facts(day=day, coverage=coverage_from_row(citizen_id, row, at),
                        later_coverage=bool(row[at["later_coverage"]]), unit_status=row[at["unit_status"]],
                        unit_type=row[at["unit_type"]], service_active=bool(row[at["service_active"]]),
                        service_unit_type=row[at["service_unit_type"]], contracted=bool(row[at["contracted"]])))
