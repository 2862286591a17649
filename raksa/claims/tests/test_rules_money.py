"""Rules about amounts, frequency and timing: pass and fail for each."""

import datetime as dt

import pytest

from raksa.booking.tests.helpers import NOW
from raksa.claims.rules import money
from raksa.claims.tests.helpers import another_visit, codes, decide, stored_claim, submitted
from raksa.core.timeutil import BANGKOK
from raksa.testing.claims import ClaimCase, make_claim_case, make_item
from raksa.units.models import Service, UnitType

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("amount", "over"), [("180.00", False), ("150", False), ("180.01", True)])
def test_amount_over_schedule_rejects_more_than_the_schedule_as_c(amount, over):
    claim = submitted(amount=amount)
    assert ("AMOUNT_OVER_SCHEDULE" in codes(claim)) is over
    assert claim.status == ("rejected" if over else "accepted")
    if over:
        assert claim.reasons[0]["class"] == "C" and "180.00" in claim.reasons[0]["detail"]


def test_amount_over_schedule_counts_the_items_at_their_prices():
    make_item()  # 1.50 baht a tablet
    items = [{"code": "DRUG-PARA500", "quantity": 10}]
    assert submitted(items=items, amount="195.00").status == "accepted"
    assert codes(submitted(items=items, amount="195.01")) == ["AMOUNT_OVER_SCHEDULE"]


def _case_with_code(code: str, unit_type: str, now: dt.datetime) -> ClaimCase:
    case = make_claim_case(unit_type=unit_type, now=now)
    Service.objects.filter(pk=case.service.pk).update(code=code)
    case.service.refresh_from_db()
    return case


def test_frequency_dental_denies_a_third_dental_visit_in_a_year_and_not_the_next_year():
    first_day = dt.datetime(2026, 3, 2, 10, 0, tzinfo=BANGKOK)
    case = _case_with_code("DT-SCALE", UnitType.DENTAL, first_day)
    claims = [submitted(case, now=first_day)]
    for weeks in (1, 2):
        when = first_day + dt.timedelta(weeks=weeks)
        visit = another_visit(case, now=when)
        claims.append(submitted(ClaimCase(case.national_id, case.citizen, case.unit, case.service, visit), now=when))
    assert [c.status for c in claims] == ["accepted", "accepted", "rejected"]
    assert codes(claims[2]) == ["FREQUENCY_DENTAL"] and claims[2].reasons[0]["class"] == "Deny"
    next_year = dt.datetime(2027, 1, 5, 10, 0, tzinfo=BANGKOK)
    visit = another_visit(case, now=next_year)
    assert submitted(ClaimCase(case.national_id, case.citizen, case.unit, case.service, visit),
                     now=next_year).status == "accepted"


def test_frequency_physio_counts_sessions_per_condition(monkeypatch):
    monkeypatch.setattr(money, "PHYSIO_SESSIONS_PER_CONDITION", 2)
    start = dt.datetime(2026, 6, 1, 10, 0, tzinfo=BANGKOK)
    case = _case_with_code("PT-STROKE", UnitType.PHYSIOTHERAPY, start)
    other = Service.objects.create(code="PT-HIPFX", name_th="สะโพก", name_en="Hip", unit_type=UnitType.PHYSIOTHERAPY)
    claims = [stored_claim(case, details={"session": 1}, submitted_at=start)]
    for day, service in ((1, case.service), (2, case.service), (3, other)):
        when = start + dt.timedelta(days=day)
        visit = another_visit(case, now=when)
        claims.append(stored_claim(case, visit=visit, service=service, details={"session": day + 1},
                                   submitted_at=when))
    claims = decide(*claims, now=start + dt.timedelta(days=4))  # one batch: each sees the ones before it
    assert ["FREQUENCY_PHYSIO" in codes(c) for c in claims] == [False, False, True, False]


def test_late_flags_a_claim_sent_after_the_service_day_for_review():
    case = make_claim_case()
    same_day = submitted(case, now=NOW.replace(hour=23, minute=59))
    assert "LATE" not in codes(same_day)
    late = submitted(now=NOW + dt.timedelta(days=1))
    assert late.status == "in_review" and codes(late) == ["LATE"] and late.reasons[0]["class"] == "V"


def test_late_is_denied_when_the_policy_says_reject(settings):
    settings.RAKSA_CLAIMS_LATE_POLICY = "reject"
    late = submitted(now=NOW + dt.timedelta(days=2))
    assert late.status == "rejected" and late.reasons[0] == {"code": "LATE", "class": "Deny", "version": 1,
                                                             "detail": "ส่งหลังวันรับบริการ 2 วัน"}
