"""The citizen's LINE confirmation of having received the service (flow 3.4) travels with the visit's claim
(``service_confirmed_at``): the moment they confirmed when they did, nothing when they did not or declined; a
correction keeps it."""

import datetime as dt

import pytest

from raksa.booking.tests.helpers import NOW
from raksa.claims.models import Claim
from raksa.claims.submit import claim_correct, claim_submit
from raksa.testing.claims import ClaimCase, line_answer_service, make_claim_case

pytestmark = pytest.mark.django_db
CONFIRMED_AT = NOW + dt.timedelta(minutes=7)
SENT_AT = NOW + dt.timedelta(minutes=20)


def sent(case: ClaimCase, **kwargs) -> Claim:
    return claim_submit(actor=None, unit=case.unit, authen_code=case.visit.authen_code, now=SENT_AT, **kwargs)


def test_a_claim_carries_the_moment_the_citizen_confirmed_the_service_in_line():
    case = make_claim_case()
    line_answer_service(case, at=CONFIRMED_AT)
    claim = sent(case)
    assert claim.status == "accepted" and claim.service_confirmed_at == CONFIRMED_AT
    assert Claim.objects.get(pk=claim.pk).service_confirmed_at == CONFIRMED_AT


def test_a_claim_without_a_confirmation_has_none():
    claim = sent(make_claim_case())
    assert claim.service_confirmed_at is None and Claim.objects.get(pk=claim.pk).service_confirmed_at is None


def test_a_declined_confirmation_is_not_attached():
    case = make_claim_case()
    line_answer_service(case, at=CONFIRMED_AT, confirm=False)
    assert sent(case).service_confirmed_at is None


def test_a_corrected_version_keeps_the_confirmation():
    case = make_claim_case()
    line_answer_service(case, at=CONFIRMED_AT)
    rejected = sent(case, amount="500")
    assert rejected.status == "rejected" and rejected.service_confirmed_at == CONFIRMED_AT
    fixed = claim_correct(actor=None, unit=case.unit, claim_id=rejected.pk, now=SENT_AT + dt.timedelta(hours=1))
    assert (fixed.version, fixed.status) == (2, "accepted")
    assert Claim.objects.get(pk=fixed.pk).service_confirmed_at == CONFIRMED_AT
