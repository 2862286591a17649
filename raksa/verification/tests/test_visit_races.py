"""Racing verifications against real PostgreSQL (threads with their own connections)."""

import pytest
from django.db import connection  # noqa: F401 (connection: the skipif below)

from raksa.booking.tests.helpers import NOW
from raksa.testing.factories import UnitFactory, UnitServiceFactory, make_eligible_case
from raksa.testing.races import codes, race
from raksa.verification.models import Visit
from raksa.verification.rights_qr_redeem import visit_open_by_rights_qr
from raksa.verification.services import rights_qr_issue
from raksa.verification.visits import visit_open

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif("connection.vendor != 'postgresql'", reason="races need PostgreSQL")]


def test_two_units_verifying_one_person_at_once_give_one_open_visit_and_one_code():
    _, citizen, unit, service = make_eligible_case()
    other = UnitFactory(unit_type=unit.unit_type)
    UnitServiceFactory(unit=other, service=service)
    for _ in range(5):  # rounds: the window is small
        results = race([lambda u=u: visit_open(actor=None, unit=u, citizen=citizen, service=service, method="face",
                                               now=NOW) for u in (unit, other)])
        assert codes(results) == {"ok": 1, "VISIT_OPEN_ELSEWHERE": 1}, results
        assert Visit.objects.filter(status="open").count() == 1
        Visit.objects.update(status="no_service", closed_at=NOW)


def test_eight_units_racing_for_one_person_open_one_visit():
    _, citizen, unit, service = make_eligible_case()
    units = [unit] + [UnitFactory(unit_type=unit.unit_type) for _ in range(7)]
    for u in units[1:]:
        UnitServiceFactory(unit=u, service=service)
    results = race([lambda u=u: visit_open(actor=None, unit=u, citizen=citizen, service=service, method="face",
                                           now=NOW) for u in units])
    assert codes(results) == {"ok": 1, "VISIT_OPEN_ELSEWHERE": 7}
    assert Visit.objects.count() == 1


def test_a_hundred_concurrent_redemptions_of_one_rights_qr_open_one_visit():
    _, citizen, unit, service = make_eligible_case()
    token = rights_qr_issue(citizen=citizen).token
    results = race([lambda: visit_open_by_rights_qr(actor=None, unit=unit, token=token, service=service)] * 100)
    assert codes(results) == {"ok": 1, "QR_USED": 99}
    assert Visit.objects.count() == 1
