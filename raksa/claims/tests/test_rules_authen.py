"""Rules about the authen code and its visit: each passes on a proper claim and fails on its fault."""

import datetime as dt

import pytest

from raksa.booking.tests.helpers import NOW
from raksa.claims.rules.authen import AUTHEN_VALID_DAYS
from raksa.claims.tests.helpers import another_visit, codes, decide, stored_claim, submitted
from raksa.testing.claims import make_claim_case
from raksa.testing.factories import UnitFactory, UnitServiceFactory
from raksa.verification.models import Visit, VisitStatus

pytestmark = pytest.mark.django_db


def test_a_claim_sent_from_its_visit_passes_every_authen_rule():
    claim = submitted()
    assert claim.status == "accepted" and claim.reasons == []


def test_authen_missing_rejects_a_claim_without_a_code_as_c():
    (claim,) = decide(stored_claim(make_claim_case(), authen_code=""))
    assert claim.status == "rejected" and "AUTHEN_MISSING" in codes(claim)
    assert next(r for r in claim.reasons if r["code"] == "AUTHEN_MISSING")["class"] == "C"


def test_authen_unknown_denies_a_code_no_visit_has():
    (claim,) = decide(stored_claim(make_claim_case(), authen_code="PP0000000001"))
    assert claim.status == "rejected" and "AUTHEN_UNKNOWN" in codes(claim)
    (good,) = decide(stored_claim(make_claim_case()))
    assert "AUTHEN_UNKNOWN" not in codes(good) and good.status == "accepted"


def test_authen_foreign_denies_another_units_visit():
    case = make_claim_case()
    other = UnitFactory()
    UnitServiceFactory(unit=other, service=case.service)
    (claim,) = decide(stored_claim(case, unit=other))
    assert claim.status == "rejected" and "AUTHEN_FOREIGN" in codes(claim)
    assert codes(claim) == ["AUTHEN_FOREIGN"]  # one reason for one fault (not also a second unit that day)


def _lapse(visit):
    Visit.objects.filter(pk=visit.pk).update(status=VisitStatus.LAPSED, closed_at=NOW + dt.timedelta(hours=16))
    visit.refresh_from_db()


def test_authen_expired_passes_a_lapsed_visit_within_the_limit_and_denies_after():
    case = make_claim_case()
    _lapse(case.visit)
    (within,) = decide(stored_claim(case, submitted_at=NOW + dt.timedelta(days=AUTHEN_VALID_DAYS)))
    assert "AUTHEN_EXPIRED" not in codes(within) and "LATE" in codes(within)

    case = make_claim_case()
    _lapse(case.visit)
    (expired,) = decide(stored_claim(case, submitted_at=NOW + dt.timedelta(days=AUTHEN_VALID_DAYS + 1)))
    assert expired.status == "rejected" and "AUTHEN_EXPIRED" in codes(expired)


def test_authen_expired_denies_a_visit_closed_without_service():
    case = make_claim_case()
    Visit.objects.filter(pk=case.visit.pk).update(status=VisitStatus.NO_SERVICE, closed_at=NOW)
    case.visit.refresh_from_db()
    (claim,) = decide(stored_claim(case, close=False))
    assert claim.status == "rejected" and "AUTHEN_EXPIRED" in codes(claim)
    assert "VISIT_NOT_CLOSED_BY_UNIT" not in codes(claim)


def test_visit_not_closed_by_unit_rejects_a_claim_whose_visit_is_still_open():
    case = make_claim_case()
    (claim,) = decide(stored_claim(case, close=False))
    assert claim.status == "rejected" and codes(claim) == ["VISIT_NOT_CLOSED_BY_UNIT"]
    (closed,) = decide(stored_claim(make_claim_case(), close=True))
    assert "VISIT_NOT_CLOSED_BY_UNIT" not in codes(closed)


def test_service_date_mismatch_rejects_another_day_than_the_visits():
    case = make_claim_case()
    (claim,) = decide(stored_claim(case, service_date=case.visit.day - dt.timedelta(days=1)))
    assert claim.status == "rejected" and "SERVICE_DATE_MISMATCH" in codes(claim)
    (good,) = decide(stored_claim(make_claim_case()))
    assert "SERVICE_DATE_MISMATCH" not in codes(good)


def test_duplicate_denies_the_same_service_person_unit_and_day_under_a_second_code():
    case = make_claim_case()
    first = submitted(case)
    second_visit = another_visit(case, now=NOW + dt.timedelta(hours=1))
    second = submitted(type(case)(case.national_id, case.citizen, case.unit, case.service, second_visit),
                       now=NOW + dt.timedelta(hours=1))
    assert first.status == "accepted"
    assert second.status == "rejected" and codes(second) == ["DUPLICATE"]
    assert second.reasons[0]["detail"] == first.authen_code


def test_duplicate_passes_when_the_earlier_claim_was_rejected():
    case = make_claim_case()
    first = submitted(case, amount="999")  # over the schedule: rejected, so it will not be paid
    second_visit = another_visit(case, now=NOW + dt.timedelta(hours=1))
    second = submitted(type(case)(case.national_id, case.citizen, case.unit, case.service, second_visit),
                       now=NOW + dt.timedelta(hours=1))
    assert first.status == "rejected" and second.status == "accepted"
