"""Rules about the person's right and the unit's standing on the service day: pass and fail for each."""

import datetime as dt

import pytest

from raksa.claims.tests.helpers import TODAY, codes, decide, stored_claim, submitted
from raksa.people.models import Coverage, Scheme
from raksa.testing.claims import make_claim_case
from raksa.testing.factories import ServiceFactory
from raksa.units.models import Unit, UnitService, UnitStatus, UnitType

pytestmark = pytest.mark.django_db


def test_not_eligible_passes_a_ucs_right_in_force():
    claim = submitted()
    assert "NOT_ELIGIBLE" not in codes(claim) and claim.status == "accepted"


def test_not_eligible_denies_another_scheme_on_the_service_day():
    case = make_claim_case()
    Coverage.objects.filter(citizen=case.citizen).update(scheme=Scheme.SSS)  # the registry changed it since
    claim = submitted(case)
    assert claim.status == "rejected" and codes(claim) == ["NOT_ELIGIBLE"]
    assert claim.reasons[0]["class"] == "Deny" and "SSS" in claim.reasons[0]["detail"]


def test_not_eligible_denies_a_right_that_ended_before_the_service_day():
    case = make_claim_case()
    Coverage.objects.filter(citizen=case.citizen).update(valid_to=TODAY - dt.timedelta(days=1))
    assert codes(submitted(case)) == ["NOT_ELIGIBLE"]


def test_not_eligible_reads_the_right_in_force_that_day_not_a_later_one():
    case = make_claim_case()
    Coverage.objects.filter(citizen=case.citizen).update(valid_to=TODAY)  # the person changes scheme tomorrow
    Coverage.objects.create(citizen=case.citizen, scheme=Scheme.SSS, valid_from=TODAY + dt.timedelta(days=1))
    assert "NOT_ELIGIBLE" not in codes(submitted(case))


def test_service_not_for_unit_type_denies_a_dental_service_at_a_pharmacy():
    case = make_claim_case()
    dental = ServiceFactory(unit_type=UnitType.DENTAL)
    (claim,) = decide(stored_claim(case, service=dental))
    assert claim.status == "rejected" and "SERVICE_NOT_FOR_UNIT_TYPE" in codes(claim)
    assert "SERVICE_NOT_CONTRACTED" not in codes(claim)  # one reason for one fault
    (good,) = decide(stored_claim(make_claim_case()))
    assert "SERVICE_NOT_FOR_UNIT_TYPE" not in codes(good)


def test_service_not_contracted_rejects_as_c_when_the_contract_ended():
    case = make_claim_case()
    UnitService.objects.filter(unit=case.unit).update(valid_to=TODAY - dt.timedelta(days=1))
    claim = submitted(case)
    assert claim.status == "rejected" and codes(claim) == ["SERVICE_NOT_CONTRACTED"]
    assert claim.reasons[0]["class"] == "C"


def test_service_not_contracted_passes_a_contract_ending_on_the_service_day():
    case = make_claim_case()
    UnitService.objects.filter(unit=case.unit).update(valid_to=TODAY)
    assert submitted(case).status == "accepted"


@pytest.mark.parametrize(("status", "code"), [(UnitStatus.PENDING, "UNIT_NOT_VERIFIED"),
                                              (UnitStatus.SUSPENDED, "UNIT_SUSPENDED")])
def test_a_unit_not_verified_or_suspended_is_denied(status, code):
    case = make_claim_case()
    Unit.objects.filter(pk=case.unit.pk).update(status=status)  # after the visit opened
    (claim,) = decide(stored_claim(case))
    assert claim.status == "rejected" and codes(claim) == [code]


def test_a_verified_unit_passes_both_standing_rules():
    claim = submitted()
    assert not {"UNIT_NOT_VERIFIED", "UNIT_SUSPENDED"} & set(codes(claim))
