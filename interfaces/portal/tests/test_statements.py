"""The unit's payment statements in the portal: its own only, with PDF and CSV."""

import pytest

from interfaces.portal.permissions import SESSION_UNIT_KEY
from raksa.booking.tests.helpers import NOW
from raksa.claims.statements import statement_issue
from raksa.claims.submit import claim_submit
from raksa.testing.claims import make_claim_case
from raksa.testing.factories import StaffMembershipFactory, UserFactory
from raksa.testing.statements import pdf_text
from raksa.units.models import Unit

pytestmark = pytest.mark.django_db


def issued(name: str, hcode: str):
    case = make_claim_case()
    Unit.objects.filter(pk=case.unit.pk).update(name=name, hcode=hcode)
    case.unit.refresh_from_db()
    claim_submit(actor=None, unit=case.unit, authen_code=case.visit.authen_code, now=NOW)
    return case.unit, statement_issue(actor=None, unit=case.unit, period_from=NOW.date(), period_to=NOW.date())


def test_staff_see_and_download_only_their_units_statements(client):
    unit, mine = issued("ร้านยาใจดี", "41001")
    _other_unit, theirs = issued("คลินิกอื่น", "41002")
    client.force_login(StaffMembershipFactory(unit=unit, role="clerk").user)
    page = client.get("/portal/statements/").content.decode()
    assert "ใบแจ้งการจ่ายเงินของหน่วยนี้" in page and mine.reference in page and theirs.reference not in page
    assert "180.00" in page and "ออกใบแจ้งแล้ว รอจ่าย" in page
    pdf = client.get(f"/portal/statements/{mine.pk}/pdf/")
    assert pdf["Content-Type"] == "application/pdf" and "ร้านยาใจดี" in pdf_text(pdf.content)
    csv = client.get(f"/portal/statements/{mine.pk}/csv/")
    assert csv.content.startswith(b"\xef\xbb\xbf") and mine.reference in csv.content.decode("utf-8-sig")
    for kind in ("pdf", "csv"):
        assert client.get(f"/portal/statements/{theirs.pk}/{kind}/").status_code == 404


def test_the_unit_switcher_decides_whose_statements(client):
    unit, mine = issued("ร้านยาใจดี", "41001")
    other_unit, theirs = issued("คลินิกอื่น", "41002")
    user = UserFactory()
    StaffMembershipFactory(user=user, unit=unit)
    StaffMembershipFactory(user=user, unit=other_unit)
    client.force_login(user)
    session = client.session
    session[SESSION_UNIT_KEY] = other_unit.pk
    session.save()
    page = client.get("/portal/statements/").content.decode()
    assert theirs.reference in page and mine.reference not in page
    assert client.get(f"/portal/statements/{mine.pk}/pdf/").status_code == 404


def test_not_staff_are_refused(client):
    _unit, statement = issued("ร้านยาใจดี", "41001")
    assert client.get("/portal/statements/").status_code == 302  # to the login
    client.force_login(UserFactory())
    assert client.get(f"/portal/statements/{statement.pk}/pdf/").status_code == 403
