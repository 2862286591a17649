"""Cross-checks (class V: to an officer's review): pass and fail for each."""

import datetime as dt

import pytest

from raksa.booking.tests.helpers import NOW
from raksa.claims.models import Claim, ClaimSource
from raksa.claims.rules.cross_checks import VOLUME_FLOOR
from raksa.claims.rules.facts import USUAL_MIN_DAYS
from raksa.claims.tests.helpers import TODAY, codes, decide, stored_claim, submitted
from raksa.testing.claims import ClaimCase, make_claim_case, make_visit
from raksa.testing.factories import UnitFactory, UnitServiceFactory
from raksa.units.models import Unit

pytestmark = pytest.mark.django_db


def test_no_identity_verification_sends_a_visit_without_a_successful_check_to_review():
    claim = submitted(make_claim_case(verified=False))
    assert claim.status == "in_review" and codes(claim) == ["NO_IDENTITY_VERIFICATION"]
    assert "NO_IDENTITY_VERIFICATION" not in codes(submitted(make_claim_case(verified=True)))


@pytest.mark.parametrize(("hours", "flagged"), [
    ({"thu": [["09:00", "17:00"]]}, True),  # the visit was verified on Thursday at 08:00, before opening
    ({"thu": [["08:00", "17:00"]]}, False),
    ({"wed": [["00:00", "24:00"]]}, True),  # open another day only
    ({}, False),  # no hours on file: nothing to compare with
])
def test_outside_opening_hours_compares_the_bangkok_time_of_the_verification(hours, flagged):
    case = make_claim_case()
    Unit.objects.filter(pk=case.unit.pk).update(opening_hours=hours)
    claim = submitted(case)
    assert ("OUTSIDE_OPENING_HOURS" in codes(claim)) is flagged
    assert claim.status == ("in_review" if flagged else "accepted")
    if flagged:
        assert claim.reasons[0]["detail"].endswith("08:00 น.")


def test_several_units_same_day_sends_the_second_units_claim_to_review():
    case = make_claim_case()
    first = submitted(case)
    other = UnitFactory(opening_hours=case.unit.opening_hours)
    UnitServiceFactory(unit=other, service=case.service)
    visit = make_visit(unit=other, citizen=case.citizen, service=case.service, now=NOW + dt.timedelta(hours=2))
    second = submitted(ClaimCase(case.national_id, case.citizen, other, case.service, visit),
                       now=NOW + dt.timedelta(hours=2))
    assert first.status == "accepted"
    assert second.status == "in_review" and codes(second) == ["SEVERAL_UNITS_SAME_DAY"]


def _volume(unit: Unit, service, day: dt.date, count: int) -> list[Claim]:
    """``count`` claims of the unit for ``day`` (no code: only their number matters here)."""
    return Claim.objects.bulk_create(
        Claim(authen_code="", unit=unit, service=service, service_date=day, service_amount=0, amount=0,
              source=ClaimSource.BATCH, submitted_at=NOW) for _ in range(count))


def _history(case: ClaimCase, days: int, per_day: int) -> None:
    for back in range(1, days + 1):
        _volume(case.unit, case.service, TODAY - dt.timedelta(days=back), per_day)


def test_unit_volume_spike_flags_the_claims_beyond_three_times_the_usual_day():
    case = make_claim_case()
    _history(case, USUAL_MIN_DAYS, 12)  # usual: 12 a day, so beyond 36 is a spike
    today = decide(*_volume(case.unit, case.service, TODAY, 40))
    flagged = [i + 1 for i, c in enumerate(today) if "UNIT_VOLUME_SPIKE" in codes(c)]
    assert flagged == [37, 38, 39, 40]
    detail = next(r for r in today[-1].reasons if r["code"] == "UNIT_VOLUME_SPIKE")["detail"]
    assert detail == "เคลมที่ 40 ของวัน (ปกติวันละ 12)"


def test_unit_volume_spike_passes_below_the_floor_and_a_unit_without_history():
    case = make_claim_case()
    _history(case, USUAL_MIN_DAYS, 2)  # usual 2: 3 x 2 = 6, but the floor is 30
    today = decide(*_volume(case.unit, case.service, TODAY, VOLUME_FLOOR))
    assert not any("UNIT_VOLUME_SPIKE" in codes(c) for c in today)
    young = make_claim_case()
    _history(young, USUAL_MIN_DAYS - 1, 2)  # not enough days to know its usual
    today = decide(*_volume(young.unit, young.service, TODAY, 40))
    assert not any("UNIT_VOLUME_SPIKE" in codes(c) for c in today)


def test_unit_volume_spike_does_not_count_the_day_itself_or_later_days_in_the_usual():
    case = make_claim_case()
    _history(case, USUAL_MIN_DAYS, 10)
    _volume(case.unit, case.service, TODAY + dt.timedelta(days=1), 500)  # a later day does not raise the usual
    today = decide(*_volume(case.unit, case.service, TODAY, 31))
    assert "UNIT_VOLUME_SPIKE" in codes(today[-1]) and "UNIT_VOLUME_SPIKE" not in codes(today[-2])


def test_citizen_reported_sends_the_claim_to_review():
    case = make_claim_case()
    claim = stored_claim(case)
    Claim.objects.filter(pk=claim.pk).update(citizen_reported_at=NOW)
    (claim,) = decide(claim)
    assert claim.status == "in_review" and codes(claim) == ["CITIZEN_REPORTED"]
    (clean,) = decide(stored_claim(make_claim_case()))
    assert clean.status == "accepted"
