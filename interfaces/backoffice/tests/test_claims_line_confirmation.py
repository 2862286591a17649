"""The officer's picture of a claim says whether the citizen confirmed receiving the service in LINE (flow 3.4),
and when; the unit's claim page says it too."""

import datetime as dt
import re

import pytest

from raksa.booking.tests.helpers import NOW
from raksa.claims.submit import claim_submit
from raksa.core.thaidate import format_datetime
from raksa.testing.claims import line_answer_service, make_claim_case
from raksa.testing.factories import StaffMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
CONFIRMED_AT = NOW + dt.timedelta(minutes=7)
ROW = re.compile(r"<th scope=\"row\">ประชาชนยืนยันรับบริการทาง LINE</th><td>([^<]*)</td>")


def flagged(*, confirmed: bool):
    """A claim in review (the visit has no verification attempt), its service confirmed in LINE or not."""
    case = make_claim_case(verified=False)
    if confirmed:
        line_answer_service(case, at=CONFIRMED_AT)
    claim = claim_submit(actor=None, unit=case.unit, authen_code=case.visit.authen_code,
                         now=NOW + dt.timedelta(minutes=20))
    assert claim.status == "in_review"
    return case, claim


def test_the_review_page_shows_when_the_citizen_confirmed_the_service(client, officer):
    _case, claim = flagged(confirmed=True)
    page = client.get(f"/backoffice/claims/claim/{claim.pk}/review/").content.decode()
    shown = ROW.search(page).group(1)
    assert shown == format_datetime(CONFIRMED_AT, language="th") and shown.endswith("08:07 น.")


def test_the_review_page_says_none_without_a_confirmation(client, officer):
    _case, claim = flagged(confirmed=False)
    page = client.get(f"/backoffice/claims/claim/{claim.pk}/review/").content.decode()
    assert ROW.search(page).group(1) == "ไม่มี"


@pytest.mark.parametrize("confirmed", [True, False])
def test_the_units_claim_page_shows_the_confirmation_only_when_there_is_one(client, confirmed):
    case, claim = flagged(confirmed=confirmed)
    user = UserFactory(username="somchai")
    StaffMembershipFactory(user=user, unit=case.unit, role="clinician")
    client.force_login(user)
    page = client.get(f"/portal/claims/{claim.pk}/").content.decode()
    assert page.count("ประชาชนยืนยันรับบริการผ่าน LINE เมื่อ") == (1 if confirmed else 0)
    assert (format_datetime(CONFIRMED_AT) in page) is confirmed
