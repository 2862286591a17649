"""The service-record form of the unit types with fields of their own, through the Django test client: a dental
clinic's filling with its tooth, a lab's test with the ordering doctor and licence, a physiotherapy session;
each priced, sent and accepted, its record shown under the form's labels; a bad or missing field shown at that
field, what was typed kept, nothing written."""

import re

import pytest
from django.utils import timezone

from raksa.claims.models import Claim
from raksa.testing.claims import make_claim_case
from raksa.units.models import UnitType

from .test_claims import login, priced_then_sent, record_url, state, text_of

pytestmark = pytest.mark.django_db


def error_at(html: str, field: str) -> str:
    """The form field's block when it carries an error ('' when it does not)."""
    found = re.search(r'<div class="field[^"]*field--error[^"]*">(?:(?!</div>).)*name="' + field + '"', html, re.S)
    return found.group(0) if found else ""


def case_of(unit_type: str, service_code: str, fee: str):
    return make_claim_case(now=timezone.now(), unit_type=unit_type, service_code=service_code, fee=fee)


def sent_and_shown(client, case, data: dict) -> tuple[Claim, str]:
    """The record priced, sent and accepted (logged in already): the stored claim and the text of its page."""
    first, sent = priced_then_sent(client, record_url(case.visit), {"service": case.service.code} | data)
    assert re.search(r'id="price-total">[0-9.,]+<', first.content.decode())
    claim = Claim.objects.get()
    assert sent.status_code == 302 and sent["Location"] == f"/portal/claims/{claim.pk}/"
    assert claim.status == "accepted", claim.reasons
    return claim, text_of(client.get(sent["Location"]))


def refused_at(client, case, data: dict, field: str, message: str) -> None:
    login(client, case.unit)
    before = state()
    for action in ("price", "send"):
        response = client.post(record_url(case.visit), {"service": case.service.code} | data
                               | {"action": action, "priced": "x"})
        html = response.content.decode()
        assert response.status_code == 422 and state() == before
        assert message in error_at(html, field), text_of(response)
        for name, value in data.items():
            assert f'name="{name}" value="{value}"' in html or f'value="{value}"' in html  # kept as typed
    assert not Claim.objects.exists()


def test_a_dental_filling_is_sent_with_its_tooth_and_shown_under_its_label(client):
    case = case_of(UnitType.DENTAL, "DT-FILL", "700.00")
    login(client, case.unit)
    html = client.get(f"/portal/visits/{case.visit.pk}/").content.decode()
    assert 'name="d_tooth"' in html and "ซี่ฟัน (ระบบ FDI)" in html and "follow_up_date" not in html
    claim, page = sent_and_shown(client, case, {"d_tooth": "36", "icd10_0": "K02.9"})
    assert (claim.details, claim.icd10, str(claim.amount)) == ({"tooth": "36"}, ["K02.9"], "700.00")
    assert "ซี่ฟัน (ระบบ FDI) 36" in page and "700.00" in page


@pytest.mark.parametrize(("tooth", "message"), [
    ("19", "กรุณาระบุซี่ฟันเป็นเลข FDI"),
    ("99", "กรุณาระบุซี่ฟันเป็นเลข FDI"),
    ("", "กรุณาระบุซี่ฟัน (ระบบ FDI)"),
])
def test_a_bad_or_missing_tooth_is_shown_at_the_tooth(client, tooth, message):
    case = case_of(UnitType.DENTAL, "DT-FILL", "700.00")
    refused_at(client, case, {"d_tooth": tooth, "d_note": "อุดฟันกราม"}, "d_tooth", message)


def test_a_lab_test_is_sent_with_the_ordering_doctor_and_licence(client):
    case = case_of(UnitType.MEDICAL_LAB, "LB-CBC", "90.00")
    login(client, case.unit)
    html = client.get(f"/portal/visits/{case.visit.pk}/").content.decode()
    assert 'name="d_ordering_doctor"' in html and 'name="d_doctor_license"' in html
    assert html.count('aria-required="true"') == 2  # both are required
    claim, page = sent_and_shown(client, case, {"d_ordering_doctor": "นพ.สมชาย ใจดี", "d_doctor_license": "ว.12345"})
    assert claim.details == {"ordering_doctor": "นพ.สมชาย ใจดี", "doctor_license": "ว.12345"}
    assert "แพทย์ผู้สั่งตรวจ นพ.สมชาย ใจดี" in page and "เลขใบประกอบวิชาชีพแพทย์ ว.12345" in page


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"d_doctor_license": "ว.12345"}, "d_ordering_doctor", "กรุณาระบุแพทย์ผู้สั่งตรวจ"),
    ({"d_ordering_doctor": "นพ.สมชาย ใจดี"}, "d_doctor_license", "กรุณาระบุเลขใบประกอบวิชาชีพแพทย์"),
    ({"d_ordering_doctor": "นพ.สมชาย ใจดี", "d_doctor_license": "12345"}, "d_doctor_license", "เช่น ว.12345"),
])
def test_a_missing_doctor_or_a_bad_licence_is_shown_at_its_field(client, data, field, message):
    case = case_of(UnitType.MEDICAL_LAB, "LB-CBC", "90.00")
    refused_at(client, case, data, field, message)


def test_a_physiotherapy_session_is_sent_with_its_condition_and_session(client):
    case = case_of(UnitType.PHYSIOTHERAPY, "PT-STROKE", "500.00")
    login(client, case.unit)
    claim, page = sent_and_shown(client, case, {"d_session": "3", "icd10_0": "I69.3"})
    assert (claim.service.code, claim.details, claim.icd10) == ("PT-STROKE", {"session": 3}, ["I69.3"])
    assert "ครั้งที่ 3" in page and "500.00" in page


def test_a_session_out_of_range_is_shown_at_the_session(client):
    case = case_of(UnitType.PHYSIOTHERAPY, "PT-STROKE", "500.00")
    refused_at(client, case, {"d_session": "61", "icd10_0": "I69.3"}, "d_session", "ครั้งที่ต้องอยู่ระหว่าง 1 ถึง 60")
