"""Rights check from the identifiers other systems hold: national ID, hcode, service code."""

from __future__ import annotations

import datetime as dt

from raksa.eligibility.services import Decision, eligibility_check
from raksa.people.selectors import citizen_get_by_national_id
from raksa.units.selectors import service_get_by_code, unit_get_by_hcode


def eligibility_check_by_ids(*, national_id: str, hcode: str, service_code: str,
                             on: dt.date | dt.datetime | None = None) -> Decision:
    """Raises InvalidInput (bad ID) or NotFound (unknown citizen, unit or service) before deciding."""
    citizen = citizen_get_by_national_id(national_id)
    unit = unit_get_by_hcode(hcode)
    service = service_get_by_code(service_code)
    return eligibility_check(citizen=citizen, unit=unit, service=service, on=on)
