import datetime as dt

import pytest

from raksa.eligibility.selectors import eligibility_check_by_ids
from raksa.eligibility.services import Reason, eligibility_check
from raksa.people.models import Scheme
from raksa.testing.factories import (
    CitizenFactory,
    CoverageFactory,
    ServiceFactory,
    UnitFactory,
    make_eligible_case,
)
from raksa.units.models import UnitStatus, UnitType

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 26)


def test_ucs_member_at_verified_contracted_unit_is_eligible():
    _, citizen, unit, service = make_eligible_case()
    decision = eligibility_check(citizen=citizen, unit=unit, service=service, on=DAY)
    assert decision.eligible
    assert decision.reasons == ()
    assert decision.coverage.scheme == Scheme.UCS


def test_other_scheme_is_not_ucs():
    _, citizen, unit, service = make_eligible_case()
    citizen.coverages.update(scheme=Scheme.OFC)
    decision = eligibility_check(citizen=citizen, unit=unit, service=service, on=DAY)
    assert not decision.eligible
    assert decision.reasons == (Reason.NOT_UCS,)
    assert "บัตรทอง" in decision.messages("th")[0]["message"]
    assert "Universal Coverage" in decision.messages("en")[0]["message"]


def test_coverage_expired():
    _, citizen, unit, service = make_eligible_case()
    citizen.coverages.update(valid_to=DAY - dt.timedelta(days=1))
    assert eligibility_check(citizen=citizen, unit=unit, service=service, on=DAY).reasons == (
        Reason.COVERAGE_EXPIRED,)


def test_no_coverage_and_not_yet_started():
    unit = UnitFactory()
    service = ServiceFactory()
    from raksa.testing.factories import UnitServiceFactory

    UnitServiceFactory(unit=unit, service=service)
    nobody = CitizenFactory()
    assert eligibility_check(citizen=nobody, unit=unit, service=service, on=DAY).reasons == (Reason.NO_COVERAGE,)
    later = CitizenFactory()
    CoverageFactory(citizen=later, valid_from=DAY + dt.timedelta(days=1))
    assert eligibility_check(citizen=later, unit=unit, service=service, on=DAY).reasons == (
        Reason.COVERAGE_NOT_STARTED,)


@pytest.mark.parametrize("status,reason", [(UnitStatus.PENDING, Reason.UNIT_NOT_VERIFIED),
                                           (UnitStatus.SUSPENDED, Reason.UNIT_SUSPENDED)])
def test_unit_not_verified(status, reason):
    _, citizen, unit, service = make_eligible_case()
    unit.status = status
    unit.save()
    assert eligibility_check(citizen=citizen, unit=unit, service=service, on=DAY).reasons == (reason,)


def test_service_not_for_this_unit_type():
    _, citizen, unit, _ = make_eligible_case()
    dental = ServiceFactory(unit_type=UnitType.DENTAL)
    assert eligibility_check(citizen=citizen, unit=unit, service=dental, on=DAY).reasons == (
        Reason.SERVICE_NOT_FOR_UNIT_TYPE,)


def test_service_not_contracted_or_contract_ended():
    _, citizen, unit, service = make_eligible_case()
    other = ServiceFactory(unit_type=unit.unit_type)
    assert eligibility_check(citizen=citizen, unit=unit, service=other, on=DAY).reasons == (
        Reason.SERVICE_NOT_CONTRACTED,)
    unit.contracts.update(valid_to=DAY - dt.timedelta(days=1))
    assert eligibility_check(citizen=citizen, unit=unit, service=service, on=DAY).reasons == (
        Reason.SERVICE_NOT_CONTRACTED,)


def test_inactive_service():
    _, citizen, unit, service = make_eligible_case()
    service.active = False
    service.save()
    assert Reason.SERVICE_INACTIVE in eligibility_check(citizen=citizen, unit=unit, service=service, on=DAY).reasons


def test_every_reason_that_applies_is_listed():
    _, citizen, unit, service = make_eligible_case()
    citizen.coverages.update(scheme=Scheme.SSS)
    unit.status = UnitStatus.PENDING
    unit.save()
    other = ServiceFactory(unit_type=unit.unit_type)
    decision = eligibility_check(citizen=citizen, unit=unit, service=other, on=DAY)
    assert set(decision.reasons) == {Reason.NOT_UCS, Reason.UNIT_NOT_VERIFIED, Reason.SERVICE_NOT_CONTRACTED}


def test_bangkok_day_boundary_0030_local_is_the_previous_utc_day():
    """00:30 on 26 Nov in Bangkok is 17:30 UTC on 25 Nov. A right that ended on 25 Nov no longer
    covers that instant; one that starts on 26 Nov already does."""
    _, citizen, unit, service = make_eligible_case()
    instant = dt.datetime(2026, 11, 25, 17, 30, tzinfo=dt.UTC)
    assert instant.date() == dt.date(2026, 11, 25)  # the naive reading would say the 25th

    citizen.coverages.update(valid_to=dt.date(2026, 11, 25))
    decision = eligibility_check(citizen=citizen, unit=unit, service=service, on=instant)
    assert decision.day == dt.date(2026, 11, 26)
    assert decision.reasons == (Reason.COVERAGE_EXPIRED,)
    # The message says when the right ended, with the Buddhist year in Thai.
    assert decision.messages("th")[0]["message"] == "สิทธิของบุคคลนี้สิ้นสุดเมื่อ 25 พฤศจิกายน 2569 ก่อนวันที่เลือก"
    assert decision.messages("en")[0]["message"] == "The person's right ended on 25 Nov 2026, before this date."

    one_minute_earlier = dt.datetime(2026, 11, 25, 16, 59, tzinfo=dt.UTC)  # 23:59 local on the 25th
    assert eligibility_check(citizen=citizen, unit=unit, service=service, on=one_minute_earlier).eligible

    starts = CitizenFactory()
    CoverageFactory(citizen=starts, valid_from=dt.date(2026, 11, 26))
    assert eligibility_check(citizen=starts, unit=unit, service=service, on=instant).eligible
    assert eligibility_check(citizen=starts, unit=unit, service=service, on=one_minute_earlier).reasons == (
        Reason.COVERAGE_NOT_STARTED,)


def test_check_by_national_id_is_one_query(django_assert_num_queries):
    national_id, _, unit, service = make_eligible_case()
    with django_assert_num_queries(1):
        decision = eligibility_check_by_ids(national_id=national_id, hcode=unit.hcode, service_code=service.code,
                                            on=DAY)
    assert decision.eligible


@pytest.mark.parametrize("change", ["none", "ofc", "expired", "not_started", "pending", "suspended", "inactive",
                                    "uncontracted", "other_type"])
def test_check_by_ids_and_by_objects_agree(change):
    national_id, citizen, unit, service = make_eligible_case()
    if change == "ofc":
        citizen.coverages.update(scheme=Scheme.OFC)
    elif change == "expired":
        citizen.coverages.update(valid_to=DAY - dt.timedelta(days=1))
    elif change == "not_started":
        citizen.coverages.update(valid_from=DAY + dt.timedelta(days=1))
    elif change in ("pending", "suspended"):
        unit.status = change
        unit.save()
    elif change == "inactive":
        service.active = False
        service.save()
    elif change == "uncontracted":
        unit.contracts.all().delete()
    elif change == "other_type":
        service = ServiceFactory(unit_type=UnitType.DENTAL)
    by_objects = eligibility_check(citizen=citizen, unit=unit, service=service, on=DAY)
    by_ids = eligibility_check_by_ids(national_id=national_id, hcode=unit.hcode, service_code=service.code, on=DAY)
    assert by_ids == by_objects
    assert (change == "none") == by_ids.eligible
