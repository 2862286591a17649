"""A rule that crashes while ``claim_submit`` decides a claim on PostgreSQL (its two-statement path,
raksa/claims/sql_submit.py) sends the claim to review with the error recorded; it is never accepted, and the
other rules still reject what they reject."""

import pytest
from django.db import connection

from raksa.audit.models import AuditEntry
from raksa.booking.tests.helpers import NOW
from raksa.claims import sql_submit
from raksa.claims.models import Claim
from raksa.claims.rules import RULES
from raksa.claims.submit import claim_submit
from raksa.claims.tests.helpers import codes
from raksa.claims.tests.test_adjudicate import broken
from raksa.testing.claims import ClaimCase, make_claim_case

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="claim_submit's SQL path is PostgreSQL's"),
]


@pytest.fixture
def writes(monkeypatch) -> list:
    """The SQL path's single write, counted: proof that the claim went that way."""
    calls = []
    real = sql_submit.claim_write

    def counted(**kwargs):
        calls.append(kwargs["claim"]["status"])
        return real(**kwargs)

    monkeypatch.setattr(sql_submit, "claim_write", counted)
    return calls


def sent(case: ClaimCase, **kwargs) -> Claim:
    return claim_submit(actor=None, unit=case.unit, authen_code=case.visit.authen_code, now=NOW, **kwargs)


def test_a_crashing_rule_sends_the_claim_to_review_with_the_error_recorded(writes):
    case = make_claim_case()
    with broken("AMOUNT_OVER_SCHEDULE"):
        claim = sent(case)
    assert writes == ["in_review"]
    assert (claim.status, codes(claim), claim.decided_at) == ("in_review", ["RULE_ERROR"], None)
    (reason,) = claim.reasons
    assert reason["class"] == "V" and reason["detail"] == "AMOUNT_OVER_SCHEDULE: KeyError: 'no such fact'"
    stored = Claim.objects.get()
    assert (stored.status, stored.reasons, stored.decided_at) == ("in_review", claim.reasons, None)
    decided = AuditEntry.objects.get(action="claim.adjudicate", object_id=str(claim.pk))
    assert decided.after["status"] == "in_review" and decided.after["reasons"] == ["RULE_ERROR"]
    case.visit.refresh_from_db()
    assert case.visit.status == "claimed" and case.visit.close_code.startswith("EP")  # sent: the unit is answered


@pytest.mark.parametrize("code", [rule.code for rule in RULES])
def test_whichever_rule_crashes_a_clean_claim_is_never_accepted(writes, code):
    with broken(code):
        claim = sent(make_claim_case())
    assert claim.status == "in_review" and codes(claim) == ["RULE_ERROR"]
    assert claim.reasons[0]["detail"].startswith(f"{code}: KeyError")
    assert Claim.objects.get().status == "in_review" and writes == ["in_review"]


def test_a_crashing_rule_does_not_stop_the_others_rejecting(writes):
    with broken("LATE"):
        claim = sent(make_claim_case(), amount="999")
    assert claim.status == "rejected" and sorted(codes(claim)) == ["AMOUNT_OVER_SCHEDULE", "RULE_ERROR"]
    assert Claim.objects.get().status == "rejected" and writes == ["rejected"]
