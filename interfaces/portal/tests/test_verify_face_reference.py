"""A person without a reference face at the counter: the verify page offers "ขอภาพจากทะเบียนราษฎร์"; pressing
it takes the reference from the civil registry stand-in (a real process) and the face scan then verifies the
person. The registry not knowing the person, or being down, is said plainly and stores nothing."""

import datetime as dt

import pytest

from interfaces.portal.verify_subject import verify_url
from raksa.audit.models import AuditEntry
from raksa.integrations.face.samples import sample_photo
from raksa.people.faces import face_template_of
from raksa.people.models import FaceTemplate
from raksa.testing import faces
from raksa.testing.factories import CitizenFactory, CoverageFactory
from raksa.testing.line_standin import free_port
from raksa.verification.models import Visit

from .test_verify_face import scan, turn
from .verify_helpers import VERIFY, person_ref, text_of

pytestmark = pytest.mark.django_db

ARUNEE = "1109900000665"  # the stand-in holds the astronaut's photo for this demo citizen
STRANGER = "1101700230708"  # unknown to the stand-in
FETCH = "/portal/verify/face/reference/"
BUTTON_TH = "ขอภาพจากทะเบียนราษฎร์"


def adult(national_id: str):
    citizen = CitizenFactory(national_id=national_id, birth_date=dt.date(1985, 5, 21))
    CoverageFactory(citizen=citizen)
    return citizen


def test_the_fetched_reference_lets_the_face_scan_verify_the_person(staff_client, staff, unit, service,
                                                                      civil_registry):
    citizen = adult(ARUNEE)
    ref = person_ref(staff_client, ARUNEE)
    page = text_of(staff_client.get(f"{VERIFY}?p={ref}&service=PH001"))
    assert BUTTON_TH in page and "บุคคลนี้ยังไม่มีภาพใบหน้าอ้างอิง" in page

    response = staff_client.post(FETCH, {"p": ref, "service": "PH001"}, follow=True)
    assert response.redirect_chain[-1][0] == verify_url(ref, service=service)
    text = text_of(response)
    assert "ได้ใบหน้าอ้างอิงจากภาพในทะเบียนราษฎร์แล้ว (ไม่ได้เก็บภาพไว้)" in text and BUTTON_TH not in text
    assert "บุคคลนี้ยังไม่มีภาพใบหน้าอ้างอิง" not in text
    assert FaceTemplate.objects.get(citizen=citizen).source == "civil_registry"
    assert AuditEntry.objects.filter(action="face_template.enrol", actor=staff).count() == 1

    verdict = scan(staff_client, ref, [faces.jpeg_bytes(f) for f in turn(sample_photo("astronaut"))]).json()
    assert verdict["verified"] is True, verdict
    assert Visit.objects.get().citizen == citizen


def test_a_person_the_registry_does_not_know_is_told_and_nothing_is_stored(staff_client, unit, service,
                                                                         civil_registry):
    citizen = adult(STRANGER)
    ref = person_ref(staff_client, STRANGER)
    text = text_of(staff_client.post(FETCH, {"p": ref, "service": "PH001"}, follow=True))
    assert "ทะเบียนราษฎร์ไม่มีภาพใบหน้าของบุคคลนี้ กรุณาใช้การยืนยันผ่าน LINE" in text
    assert BUTTON_TH in text and face_template_of(citizen.pk) is None


def test_a_registry_that_is_down_is_told_in_english_too(staff_client, unit, service, settings):
    settings.RAKSA_CIVIL_REGISTRY_URL = f"http://127.0.0.1:{free_port()}"
    citizen = adult(ARUNEE)
    ref = person_ref(staff_client, ARUNEE)
    staff_client.cookies["django_language"] = "en"
    text = text_of(staff_client.post(FETCH, {"p": ref, "service": "PH001"}, follow=True))
    assert "The civil registry cannot be reached right now." in text
    assert face_template_of(citizen.pk) is None


def test_a_forged_person_reference_fetches_nothing(staff_client, unit, service, civil_registry):
    citizen = adult(ARUNEE)
    response = staff_client.post(FETCH, {"p": "forged", "service": "PH001"})
    assert response.status_code == 403 and face_template_of(citizen.pk) is None
    assert not AuditEntry.objects.filter(action="citizen.national_id.read").exists()
