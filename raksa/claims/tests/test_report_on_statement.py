"""A citizen's report of a claim already on a payment statement: the claim keeps its status (the statement's
total must stay the sum of its claims) and the officer's review queue lists it for follow-up."""

import pytest

from raksa.booking.tests.helpers import NOW
from raksa.claims.citizen import claim_report_by_citizen
from raksa.claims.selectors_backoffice import reported_after_payment
from raksa.claims.statements import statement_issue
from raksa.claims.submit import claim_submit
from raksa.testing.claims import make_claim_case
from raksa.testing.factories import make_officer

pytestmark = pytest.mark.django_db


def test_a_reported_claim_on_an_unpaid_statement_stays_accepted_and_is_listed_for_follow_up():
    case = make_claim_case()
    claim = claim_submit(actor=None, unit=case.unit, authen_code=case.visit.authen_code, now=NOW)
    statement = statement_issue(actor=make_officer(), unit=case.unit, period_from=NOW.date(), period_to=NOW.date(),
                                now=NOW)
    assert list(reported_after_payment()) == []
    reported = claim_report_by_citizen(citizen=case.citizen, claim_id=claim.pk, note="ไม่ได้ไป", line_user_id="U1",
                                       now=NOW)
    statement.refresh_from_db()
    assert (reported.status, reported.statement_id) == ("accepted", statement.pk)
    assert statement.total == claim.amount
    assert [c.pk for c in reported_after_payment()] == [claim.pk]
