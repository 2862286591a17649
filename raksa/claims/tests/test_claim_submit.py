"""Sending a claim: stored, visit closed with an EP code, decided at once; bad input refused with nothing written."""

import datetime as dt
import re
from decimal import Decimal

import pytest

from raksa.audit.models import AuditEntry
from raksa.booking.tests.helpers import NOW
from raksa.claims.models import Claim
from raksa.claims.submit import claim_correct, claim_submit
from raksa.core.errors import DomainError
from raksa.testing.claims import make_claim_case, make_item
from raksa.testing.factories import UnitFactory
from raksa.verification.visits import visit_close, visits_lapse

pytestmark = pytest.mark.django_db


def refused(**kwargs) -> DomainError:
    with pytest.raises(DomainError) as err:
        claim_submit(actor=None, now=NOW, **kwargs)
    return err.value


def test_a_claim_is_priced_stored_accepted_and_closes_the_visit_with_an_ep_code():
    case = make_claim_case()
    make_item()
    claim = claim_submit(actor=None, unit=case.unit, authen_code=case.visit.authen_code, now=NOW,
                         items=[{"code": "DRUG-PARA500", "quantity": 10}], icd10=["R50.9"])
    assert claim.status == "accepted", claim.reasons
    assert (claim.service_amount, claim.amount) == (Decimal("180.00"), Decimal("195.00"))
    assert claim.items == [{"code": "DRUG-PARA500", "kind": "item", "quantity": 10, "unit_price": "1.50",
                            "amount": "15.00"}]
    assert claim.details["follow_up_date"] == (NOW.date() + dt.timedelta(days=3)).isoformat()
    case.visit.refresh_from_db()
    assert case.visit.status == "claimed" and re.fullmatch(r"EP[0-9]{10}", case.visit.close_code)
    assert AuditEntry.objects.filter(action="claim.submit", object_id=str(claim.pk)).exists()
    assert AuditEntry.objects.get(action="claim.adjudicate").after["status"] == "accepted"


def test_a_second_claim_for_the_code_is_409_with_the_first_reference():
    case = make_claim_case()
    first = claim_submit(actor=None, unit=case.unit, authen_code=case.visit.authen_code, now=NOW)
    err = refused(unit=case.unit, authen_code=case.visit.authen_code)
    assert err.code == "CLAIM_DUPLICATE" and err.status == 409 and first.reference in err.message_en
    assert Claim.objects.count() == 1


@pytest.mark.parametrize(("kwargs", "code", "field"), [
    ({"authen_code": "PP123"}, "INVALID_INPUT", "authen_code"),
    ({"authen_code": "PP0000000000"}, "AUTHEN_UNKNOWN", "authen_code"),
    ({"items": [{"code": "NOPE", "quantity": 1}]}, "INVALID_INPUT", "items[0].code"),
    ({"items": [{"code": "DRUG-PARA500", "quantity": -2}]}, "INVALID_INPUT", "items[0].quantity"),
    ({"items": [{"code": "DRUG-PARA500", "quantity": 100000}]}, "INVALID_INPUT", "items[0].quantity"),
    ({"amount": "10.005"}, "INVALID_INPUT", "amount"),
    ({"amount": "-1"}, "INVALID_INPUT", "amount"),
    ({"service_date": "2099-01-01"}, "SERVICE_DATE_FUTURE", "service_date"),
    ({"icd10": ["XYZ"]}, "INVALID_INPUT", "icd10"),
    ({"service_code": "NOPE"}, "SERVICE_UNKNOWN", "service_code"),
])
def test_bad_input_is_422_with_the_field_and_changes_nothing(kwargs, code, field):
    case = make_claim_case()
    make_item()
    err = refused(unit=case.unit, **{"authen_code": case.visit.authen_code, **kwargs})
    assert (err.code, err.field, err.status) == (code, field, 422)
    case.visit.refresh_from_db()
    assert not Claim.objects.exists() and case.visit.status == "open"


def test_a_visit_of_another_unit_is_422():
    case = make_claim_case()
    other = UnitFactory()
    err = refused(unit=other, authen_code=case.visit.authen_code)
    assert (err.code, err.field) == ("VISIT_OTHER_UNIT", "authen_code")


def test_over_the_schedule_is_rejected_as_c_and_a_correction_is_a_new_version():
    case = make_claim_case()
    claim = claim_submit(actor=None, unit=case.unit, authen_code=case.visit.authen_code, now=NOW, amount="500")
    assert claim.status == "rejected"
    assert [(r["code"], r["class"]) for r in claim.reasons] == [("AMOUNT_OVER_SCHEDULE", "C")]
    fixed = claim_correct(actor=None, unit=case.unit, claim_id=claim.pk, now=NOW)
    claim.refresh_from_db()
    assert (fixed.version, fixed.status, fixed.supersedes_id, fixed.current) == (2, "accepted", claim.pk, True)
    assert (claim.current, claim.status, claim.reasons[0]["code"]) == (False, "rejected", "AMOUNT_OVER_SCHEDULE")
    with pytest.raises(DomainError) as err:
        claim_correct(actor=None, unit=case.unit, claim_id=claim.pk, now=NOW)
    assert err.value.code == "CLAIM_NOT_CORRECTABLE"


def test_a_visit_without_a_verification_attempt_goes_to_review():
    case = make_claim_case(verified=False)
    claim = claim_submit(actor=None, unit=case.unit, authen_code=case.visit.authen_code, now=NOW)
    assert claim.status == "in_review" and claim.reasons[0]["code"] == "NO_IDENTITY_VERIFICATION"


def test_a_visit_that_lapsed_at_midnight_is_claimed_late_and_flagged(settings):
    case = make_claim_case()
    next_morning = NOW + dt.timedelta(days=1)
    assert visits_lapse(now=next_morning) == 1
    claim = claim_submit(actor=None, unit=case.unit, authen_code=case.visit.authen_code, now=next_morning)
    assert (claim.status, claim.service_date) == ("in_review", NOW.date())
    assert [(r["code"], r["class"]) for r in claim.reasons] == [("LATE", "V")]
    case.visit.refresh_from_db()
    assert case.visit.status == "claimed" and case.visit.close_code


def test_with_the_reject_policy_a_late_claim_is_denied(settings):
    settings.RAKSA_CLAIMS_LATE_POLICY = "reject"
    case = make_claim_case()
    claim = claim_submit(actor=None, unit=case.unit, authen_code=case.visit.authen_code,
                         now=NOW + dt.timedelta(days=1))
    assert claim.status == "rejected" and [(r["code"], r["class"]) for r in claim.reasons] == [("LATE", "Deny")]


def test_a_visit_closed_without_service_cannot_be_claimed():
    case = make_claim_case()
    visit_close(actor=None, unit=case.unit, visit_id=case.visit.pk, reason="กลับก่อน", now=NOW)
    err = refused(unit=case.unit, authen_code=case.visit.authen_code)
    assert (err.code, err.status) == ("VISIT_NOT_CLAIMABLE", 409) and not Claim.objects.exists()


def test_a_service_and_item_added_after_the_book_was_cached_are_known_at_once(settings):
    """Each process keeps the fee schedule for RAKSA_RATE_BOOK_SECONDS; a claim naming what an officer added since
    reloads it instead of failing (it once raised KeyError)."""
    from raksa.claims import pricing, submit

    settings.RAKSA_RATE_BOOK_SECONDS = 3600
    submit._book = None
    submit.rate_book()
    pricing.RateBook.RELOAD_AT_MOST_EVERY = 0
    try:
        case = make_claim_case()  # a new service, its rate and a visit for it, after the book was loaded
        make_item(code="DRUG-NEW")
        claim = claim_submit(actor=None, unit=case.unit, authen_code=case.visit.authen_code, now=NOW,
                             items=[{"code": "DRUG-NEW", "quantity": 1}])
    finally:
        pricing.RateBook.RELOAD_AT_MOST_EVERY = 1.0
        submit._book = None
    assert claim.status == "accepted" and claim.amount == Decimal("181.50")
