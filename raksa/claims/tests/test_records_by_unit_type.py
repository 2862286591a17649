"""Each unit type's own record fields through ``claim_submit``: a dental filling with its tooth (FDI), a lab test
with the ordering doctor and their licence, a physiotherapy session for a condition; each accepted with what was
recorded, and a bad or missing field refused with that field named and nothing written."""

from decimal import Decimal

import pytest

from raksa.booking.tests.helpers import NOW
from raksa.claims.models import Claim
from raksa.claims.submit import claim_submit
from raksa.core.errors import DomainError
from raksa.testing.claims import ClaimCase, make_claim_case
from raksa.testing.factories import FeeRateFactory, ServiceFactory
from raksa.units.models import UnitType

pytestmark = pytest.mark.django_db

LAB_RECORD = {"ordering_doctor": "นพ.สมชาย ใจดี", "doctor_license": "ว.12345"}
PHYSIO_RECORD = {"session": 3}


def sent(case: ClaimCase, **kwargs) -> Claim:
    return claim_submit(actor=None, unit=case.unit, authen_code=case.visit.authen_code, now=NOW, **kwargs)


def refused(case: ClaimCase, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as err:
        sent(case, **kwargs)
    case.visit.refresh_from_db()
    assert not Claim.objects.exists() and case.visit.status == "open"  # nothing written, the visit still open
    return err.value


# -- dental -----------------------------------------------------------------------------------------------------


@pytest.fixture
def filling() -> ClaimCase:
    return make_claim_case(unit_type=UnitType.DENTAL, service_code="DT-FILL", fee="700.00")


@pytest.mark.parametrize(("typed", "stored"), [("36", "36"), (" 85 ", "85"), ("๔๗", "47"), (11, "11")])
def test_a_filling_with_its_tooth_is_accepted_with_the_tooth_recorded(filling, typed, stored):
    claim = sent(filling, details={"tooth": typed}, icd10=["K02.9"])
    assert claim.status == "accepted", claim.reasons
    assert (claim.details, claim.icd10, claim.amount) == ({"tooth": stored}, ["K02.9"], Decimal("700.00"))
    assert Claim.objects.get().details == {"tooth": stored}
    filling.visit.refresh_from_db()
    assert filling.visit.status == "claimed" and filling.visit.close_code.startswith("EP")


@pytest.mark.parametrize("tooth", ["19", "49", "56", "90", "3", "361", "ฟันกราม", "36a"])
def test_a_tooth_that_is_not_an_fdi_number_is_refused_at_the_tooth(filling, tooth):
    err = refused(filling, details={"tooth": tooth})
    assert (err.code, err.status, err.field) == ("INVALID_INPUT", 422, "details.tooth")
    assert "FDI" in err.message_en and "FDI" in err.message_th


def test_a_filling_without_its_tooth_is_refused_at_the_tooth(filling):
    err = refused(filling, details={"note": "อุดฟันกราม"})
    assert (err.code, err.field) == ("INVALID_INPUT", "details.tooth")
    assert err.message_en == "Tooth (FDI number) is required." and err.message_th == "กรุณาระบุซี่ฟัน (ระบบ FDI)"


def test_scaling_needs_no_tooth():
    case = make_claim_case(unit_type=UnitType.DENTAL, service_code="DT-SCALE", fee="600.00")
    claim = sent(case)
    assert (claim.status, claim.details, claim.amount) == ("accepted", {}, Decimal("600.00"))


def test_a_tooth_is_not_a_field_of_a_pharmacy_record():
    err = refused(make_claim_case(), details={"tooth": "36"})
    assert err.field == "details.tooth" and "no field 'tooth'" in err.message_en


# -- lab ----------------------------------------------------------------------------------------------------------


@pytest.fixture
def lab() -> ClaimCase:
    return make_claim_case(unit_type=UnitType.MEDICAL_LAB, service_code="LB-CBC", fee="90.00")


def test_a_lab_test_with_its_ordering_doctor_and_licence_is_accepted_and_further_tests_are_priced(lab):
    FeeRateFactory(service=ServiceFactory(code="LB-FBS", unit_type=UnitType.MEDICAL_LAB), amount_baht="40.00")
    claim = sent(lab, details={"ordering_doctor": " นพ.สมชาย ใจดี ", "doctor_license": "ว.๑๒๓๔๕"},
                 icd10=["Z13.1"], items=[{"code": "LB-FBS", "quantity": 1}])
    assert claim.status == "accepted", claim.reasons
    assert claim.details == {"ordering_doctor": "นพ.สมชาย ใจดี", "doctor_license": "ว.12345"}
    assert claim.items == [{"code": "LB-FBS", "kind": "service", "quantity": 1, "unit_price": "40.00",
                            "amount": "40.00"}]
    assert (claim.service_amount, claim.amount) == (Decimal("90.00"), Decimal("130.00"))


@pytest.mark.parametrize("licence", ["ว.12345", "ว12345", "ว. 1234", "ว 123456"])
def test_licence_numbers_as_written_on_the_card_are_accepted(lab, licence):
    claim = sent(lab, details=LAB_RECORD | {"doctor_license": licence})
    assert claim.status == "accepted" and claim.details["doctor_license"] == licence


@pytest.mark.parametrize(("details", "field", "message_en"), [
    ({"doctor_license": "ว.12345"}, "details.ordering_doctor", "Ordering doctor is required."),
    (LAB_RECORD | {"ordering_doctor": "   "}, "details.ordering_doctor", "Ordering doctor is required."),
    ({"ordering_doctor": "นพ.สมชาย ใจดี"}, "details.doctor_license", "Doctor's licence number is required."),
    (LAB_RECORD | {"doctor_license": "12345"}, "details.doctor_license", "as on the card"),
    (LAB_RECORD | {"doctor_license": "ว.123"}, "details.doctor_license", "as on the card"),
    (LAB_RECORD | {"doctor_license": "ท.12345"}, "details.doctor_license", "as on the card"),
    (LAB_RECORD | {"doctor_license": "ว.1234567"}, "details.doctor_license", "as on the card"),
    (LAB_RECORD | {"ordering_doctor": "ก" * 501}, "details.ordering_doctor", "At most 500 characters."),
    ({}, "details.ordering_doctor", "Ordering doctor is required."),
    (None, "details.ordering_doctor", "Ordering doctor is required."),
])
def test_a_lab_record_without_a_doctor_or_with_a_bad_licence_is_refused_at_that_field(lab, details, field,
                                                                                      message_en):
    err = refused(lab, details=details)
    assert (err.code, err.status, err.field) == ("INVALID_INPUT", 422, field)
    assert message_en in err.message_en and err.message_th


# -- physiotherapy --------------------------------------------------------------------------------------------------


@pytest.fixture
def stroke() -> ClaimCase:
    return make_claim_case(unit_type=UnitType.PHYSIOTHERAPY, service_code="PT-STROKE", fee="500.00")


@pytest.mark.parametrize(("session", "stored"), [(3, 3), ("12", 12), ("๖๐", 60), ("1", 1)])
def test_a_physiotherapy_session_for_its_condition_is_accepted_with_the_session_recorded(stroke, session, stored):
    claim = sent(stroke, details={"session": session}, icd10=["I69.3"])
    assert claim.status == "accepted", claim.reasons
    assert (claim.service.code, claim.details, claim.icd10) == ("PT-STROKE", {"session": stored}, ["I69.3"])
    assert claim.amount == Decimal("500.00")


@pytest.mark.parametrize(("details", "icd10", "field"), [
    ({}, ["I69.3"], "details.session"),
    ({"session": 0}, ["I69.3"], "details.session"),
    ({"session": 61}, ["I69.3"], "details.session"),
    ({"session": "สาม"}, ["I69.3"], "details.session"),
    ({"session": "2.5"}, ["I69.3"], "details.session"),
    ({"session": True}, ["I69.3"], "details.session"),
    (PHYSIO_RECORD, [], "icd10"),
    (PHYSIO_RECORD, None, "icd10"),
])
def test_a_physiotherapy_record_without_a_good_session_or_icd10_is_refused_at_that_field(stroke, details, icd10,
                                                                                        field):
    err = refused(stroke, details=details, icd10=icd10)
    assert (err.code, err.status, err.field) == ("INVALID_INPUT", 422, field)
