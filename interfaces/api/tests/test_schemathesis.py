"""Schemathesis against the published document (/api/v1/openapi.json), through ``config.wsgi.application``
(the fast lane in front of Django), with a unit's API key: no server error, and every answer conforms to the
document (status, content type, body, headers; bad data refused, unsupported methods answered 405).

Bounded and repeatable: a fixed number of examples per operation, derandomized, no example database. The
world holds the unit, service and citizen of the document's examples (hcode 41001, PH-FEVER, national ID
3109900000335), so the examples reach real rows, not only 404s.
"""

import pytest
import schemathesis
from hypothesis import strategies as st
from schemathesis.config import SchemathesisConfig

from config.wsgi import application
from interfaces.api.tests.helpers import open_all_day
from raksa.people.national_id import check_digit
from raksa.testing.factories import make_eligible_case
from raksa.units.models import Service, Unit
from raksa.units.services import unit_api_key_issue

# The lane commits like production (no test transaction around a WSGI call), so: transactional_db.
pytestmark = pytest.mark.django_db(transaction=True)

EXAMPLES_PER_OPERATION = 25
# No NUL in generated strings: the document says in words that no string may hold one (JSON Schema has no
# short way to), and test_bad_input.py sends them on purpose.
CONFIG = {
    "generation": {"max-examples": EXAMPLES_PER_OPERATION, "deterministic": True, "database": "none",
                   "allow-x00": False},
    "suppress-health-check": ["all"],
    # A well-formed scan whose pictures show no usable face, or another face, is answered 422 by design, with the
    # hint (NO_FACE, NO_MATCH…; the generated files are tiny images or none): a verdict, not a rejected request.
    "operations": [{"include-path": "/api/v1/visits/face", "checks": {"positive_data_acceptance": {
        "expected-statuses": ["2xx", "401", "403", "404", "409", "422", "5xx"]}}},
                   # A well-formed claim for a visit that does not exist (AUTHEN_UNKNOWN), of another day
                   # (SERVICE_DATE_MISMATCH) or with an unknown item code is refused 422 naming the field, by design
                   # (issue 12: unknown codes are 422): the document cannot say which authen codes exist.
                   {"include-path-regex": "^/api/v1/claims", "include-method": "POST",
                    "checks": {"positive_data_acceptance": {
                        "expected-statuses": ["2xx", "401", "403", "404", "409", "422", "5xx"]}}}],
}


@pytest.fixture
def unit_key():
    """The unit and citizen the document's examples name, bookable all day, and the unit's key."""
    _, _, unit, service = make_eligible_case(national_id="3109900000335")
    Unit.objects.filter(pk=unit.pk).update(hcode="41001")
    Service.objects.filter(pk=service.pk).update(code="PH-FEVER")
    unit.refresh_from_db()
    service.refresh_from_db()
    open_all_day(unit, service)
    key, _ = unit_api_key_issue(actor=None, unit=unit, label="schemathesis")
    return key


# The document's "thai-national-id": 13 digits whose last is the check digit.
schemathesis.openapi.format("thai-national-id", st.from_regex(r"\A[0-9]{12}\Z").map(lambda d: f"{d}{check_digit(d)}"))

# Loaded when the module is collected (no database needed); one test per operation.
# (Not schemathesis.pytest.from_fixture: it fails under pytest 9.)
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application,
                                        config=SchemathesisConfig.from_dict(CONFIG))


@schema.parametrize()
def test_the_api_conforms_to_its_document(case, unit_key):
    case.call_and_validate(headers={"Authorization": f"Bearer {unit_key}"})
