"""The verify page and the LINE confirmation QR (flow 1.1 fallback; seed 3.4) through the Django test client:
the person travels as a signed reference (never the session), another login's or unit's reference is refused
and changes nothing, another unit's confirmation state is 404, and the state JSON follows the citizen."""

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pytest
from django.utils import timezone

from interfaces.portal.permissions import FORM_UNIT_FIELD
from raksa.people.faces import face_template_set
from raksa.testing.factories import (
    CitizenFactory,
    CoverageFactory,
    ServiceFactory,
    StaffMembershipFactory,
    UnitFactory,
    UnitServiceFactory,
    UserFactory,
    make_national_id,
)
from raksa.verification.line_confirm import line_confirmation_answer, line_confirmation_issue
from raksa.verification.models import LineConfirmation, VerificationAttempt, Visit
from raksa.verification.visits import visit_open

from .verify_helpers import (
    VERIFY,
    VERIFY_FACE,
    VERIFY_LINE,
    link_line,
    person_ref,
    text_of,
    verification_state,
    verify_link,
)

pytestmark = pytest.mark.django_db


def state_url(confirmation_id: int) -> str:
    return f"/portal/verify/line/{confirmation_id}/state/"


@pytest.fixture
def ref(staff_client, service, citizen_id):
    return person_ref(staff_client, citizen_id)


@pytest.fixture
def captured_tokens(monkeypatch):
    """The LINE confirmation tokens the QR pages encode (the browser test decodes the QR image itself)."""
    from interfaces.portal import views_verify

    tokens = []
    real = views_verify.confirmation_url

    def capture(request, token):
        url = real(request, token)
        tokens.append(parse_qs(urlsplit(url).query)["t"][0])
        return url

    monkeypatch.setattr(views_verify, "confirmation_url", capture)
    return tokens


def test_the_rights_check_leads_to_the_verify_page_with_the_only_service(staff_client, unit, service, citizen_id):
    response = staff_client.post("/portal/", {"national_id": citizen_id, "service": "PH001",
                                              "date": timezone.localdate().isoformat()})
    url = verify_link(response.content.decode())
    assert citizen_id not in url
    page = staff_client.get(url)
    assert page.status_code == 200
    text = text_of(page)
    assert "ยืนยันตัวตน" in text and "นางมาลี ศรีสุข" in text and "PH001" in text
    assert "สแกนใบหน้า" in text and "หันศีรษะไปด้านข้างเล็กน้อยแล้วกลับมา" in text
    assert citizen_id not in page.content.decode()


def test_the_home_page_chooses_the_units_only_service(staff_client, service):
    content = staff_client.get("/portal/").content.decode()
    assert '<option value="PH001" selected>' in content


def test_a_reference_made_for_another_login_is_refused_and_changes_nothing(client, unit, service, citizen_id, staff):
    other = UserFactory(username="dao")
    StaffMembershipFactory(user=other, unit=unit, role="clerk")
    client.force_login(other)
    ref_of_dao = person_ref(client, citizen_id)
    client.force_login(staff)  # somchai opens dao's link, or a tab left from dao's login
    page = client.get(f"{VERIFY}?p={ref_of_dao}&service=PH001")
    assert page.status_code == 403
    assert "ยังไม่ได้ดำเนินการใด ๆ" in text_of(page) and "หน้านี้ไม่ได้ระบุบุคคลที่คุณยืนยันตัวตนได้แล้ว" in text_of(page)
    before = verification_state()
    attempts = VerificationAttempt.objects.count()
    assert client.post(VERIFY_LINE, {"p": ref_of_dao, "service": "PH001"}).status_code == 403
    refused = client.post(VERIFY_FACE, {"p": ref_of_dao, "service": "PH001"}, HTTP_ACCEPT="application/json")
    assert refused.status_code == 403 and refused.json()["code"] == "PERSON_REF_INVALID"
    assert verification_state() == before and VerificationAttempt.objects.count() == attempts


def test_a_reference_made_for_another_unit_or_altered_is_refused(staff_client, staff, unit, service, citizen_id):
    ref = person_ref(staff_client, citizen_id)
    other = UnitFactory(name="ร้านยาสาขาสอง", hcode="22222")
    StaffMembershipFactory(user=staff, unit=other, role="clinician")
    staff_client.post("/portal/unit/switch/", {"unit": other.pk}, **{})
    assert staff_client.get(f"{VERIFY}?p={ref}&service=PH001").status_code == 403
    staff_client.post("/portal/unit/switch/", {"unit": unit.pk})
    assert staff_client.get(f"{VERIFY}?p={ref}&service=PH001").status_code == 200
    altered = ref[:-2] + ("AA" if not ref.endswith("AA") else "BB")
    assert staff_client.get(f"{VERIFY}?p={altered}&service=PH001").status_code == 403
    assert staff_client.get(f"{VERIFY}?service=PH001").status_code == 403


def test_a_service_or_booking_of_another_unit_is_refused(staff_client, ref):
    ServiceFactory(code="DE001", unit_type="dental")
    page = staff_client.get(f"{VERIFY}?p={ref}&service=DE001")
    assert page.status_code == 422 and "กรุณาเลือกบริการของหน่วยบริการนี้จากรายการ" in text_of(page)
    page = staff_client.get(f"{VERIFY}?p={ref}&booking=ZZZZ9999")
    assert page.status_code == 404


def test_several_services_ask_which_one(staff_client, unit, service, ref):
    UnitServiceFactory(unit=unit, service=ServiceFactory(code="PH002", name_th="ปวดหัว", unit_type=unit.unit_type))
    page = staff_client.get(f"{VERIFY}?p={ref}")
    text = text_of(page)
    assert "ผู้รับบริการมารับบริการใด" in text and "สแกนใบหน้า" not in text
    chosen = staff_client.get(f"{VERIFY}?p={ref}&service=PH002")
    assert "สแกนใบหน้า" in text_of(chosen)


def test_a_person_not_eligible_gets_the_reasons_and_no_way_to_verify(staff_client, unit, service):
    national_id = make_national_id()
    CoverageFactory(citizen=CitizenFactory(national_id=national_id), scheme="OFC")
    ref = person_ref(staff_client, national_id)
    text = text_of(staff_client.get(f"{VERIFY}?p={ref}&service=PH001"))
    assert "ไม่มีสิทธิรับบริการนี้" in text
    assert "สแกนใบหน้า" not in text and "ยืนยันผ่าน LINE (แสดง QR)" not in text


def test_a_person_verified_here_goes_straight_to_their_authen_code(staff_client, unit, service, citizen, ref):
    visit = visit_open(actor=None, unit=unit, citizen=citizen, service=service, method="line").visit
    page = staff_client.get(f"{VERIFY}?p={ref}&service=PH001")
    assert page.status_code == 302 and page["Location"] == f"/portal/visits/{visit.pk}/"


def test_a_person_with_an_open_visit_elsewhere_is_refused_with_the_holders_name(staff_client, service, citizen, ref):
    elsewhere = UnitFactory(name="ร้านยาปากซอย")
    UnitServiceFactory(unit=elsewhere, service=service)
    visit_open(actor=None, unit=elsewhere, citizen=citizen, service=service, method="face")
    page = staff_client.get(f"{VERIFY}?p={ref}&service=PH001")
    assert page.status_code == 409
    text = text_of(page)
    assert "บุคคลนี้มีการเข้ารับบริการที่ยังเปิดอยู่ที่ ร้านยาปากซอย" in text and "สแกนใบหน้า" not in text


def test_the_elderly_and_children_see_the_line_confirmation_first(staff_client, citizen, ref):
    link_line(citizen)  # the fixture's citizen was born in 1956: 60 and over
    content = staff_client.get(f"{VERIFY}?p={ref}&service=PH001").content.decode()
    assert "verify-line--first" in content
    assert "เด็กอายุต่ำกว่า 15 ปีและผู้มีอายุ 60 ปีขึ้นไป ยืนยันผ่าน LINE ได้ทันที" in content


def test_an_adult_sees_the_face_scan_first_unless_no_reference_face_is_on_file(staff_client, unit, service):
    national_id = make_national_id()
    adult = CitizenFactory(national_id=national_id, birth_date=dt.date(1990, 5, 1))
    CoverageFactory(citizen=adult)
    link_line(adult)
    url = f"{VERIFY}?p={person_ref(staff_client, national_id)}&service=PH001"
    without = staff_client.get(url).content.decode()
    assert "verify-line--first" in without
    assert "บุคคลนี้ยังไม่มีภาพใบหน้าอ้างอิง ขอภาพจากทะเบียนราษฎร์ได้ด้านล่าง หรือใช้การยืนยันผ่าน LINE" in without
    face_template_set(actor=None, citizen=adult, encoding=np.full(128, 0.05), source="test")
    content = staff_client.get(url).content.decode()
    assert "verify-line--first" not in content and "ยืนยันผ่าน LINE (แสดง QR)" in content
    assert "บุคคลนี้ยังไม่มีภาพใบหน้าอ้างอิง" not in content


# --- the LINE confirmation QR --------------------------------------------------------------------------------

def test_line_not_linked_is_said_before_and_refused_when_pressed(staff_client, ref):
    text = text_of(staff_client.get(f"{VERIFY}?p={ref}&service=PH001"))
    assert "บุคคลนี้ยังไม่ได้เชื่อมบัญชี LINE กับระบบ" in text
    before = verification_state()
    response = staff_client.post(VERIFY_LINE, {"p": ref, "service": "PH001"}, follow=True)
    assert "บุคคลนี้ยังไม่ได้เชื่อมบัญชี LINE กับระบบ" in text_of(response)
    assert verification_state() == before


def test_line_fallback_qr_then_the_state_follows_the_citizen(staff_client, unit, citizen, ref, captured_tokens):
    user_id = link_line(citizen)
    page = staff_client.post(VERIFY_LINE, {"p": ref, "service": "PH001"})
    assert page.status_code == 200
    content = page.content.decode()
    assert "<svg" in content and unit.name in content and 'id="line-countdown"' in content
    confirmation = LineConfirmation.objects.get()
    assert (confirmation.purpose, confirmation.citizen, confirmation.unit) == ("identity", citizen, unit)
    url = state_url(confirmation.pk)
    assert f'data-state-url="{url}"' in content
    assert staff_client.get(url).json() == {"state": "waiting", "authen_code": None, "visit_url": None}

    line_confirmation_answer(token=captured_tokens[-1], line_user_id=user_id, confirm=True)
    state = staff_client.get(url).json()
    visit = Visit.objects.get()
    assert state == {"state": "confirmed", "authen_code": visit.authen_code, "visit_url": f"/portal/visits/{visit.pk}/"}
    assert visit.method == "line" and visit.citizen == citizen


def test_declined_and_expired_states(staff_client, unit, staff, citizen, service):
    user_id = link_line(citizen)
    declined = line_confirmation_issue(actor=staff, unit=unit, citizen=citizen, purpose="identity", service=service)
    line_confirmation_answer(token=declined.token, line_user_id=user_id, confirm=False)
    assert staff_client.get(state_url(declined.confirmation.pk)).json()["state"] == "declined"
    old = line_confirmation_issue(actor=staff, unit=unit, citizen=citizen, purpose="identity", service=service,
                                  now=timezone.now() - dt.timedelta(minutes=10))
    assert staff_client.get(state_url(old.confirmation.pk)).json()["state"] == "expired"
    assert not Visit.objects.exists()


def test_another_units_confirmation_state_is_not_found(client, unit, staff, citizen, service):
    link_line(citizen)
    issued = line_confirmation_issue(actor=staff, unit=unit, citizen=citizen, purpose="identity", service=service)
    other = UnitFactory(name="ร้านยาอื่น", hcode="67890")
    client.force_login(StaffMembershipFactory(user=UserFactory(username="other"), unit=other).user)
    response = client.get(state_url(issued.confirmation.pk))
    assert response.status_code == 404 and response.json()["code"] == "CONFIRMATION_NOT_FOUND"
    assert client.get(state_url(999999)).status_code == 404


def test_the_state_needs_a_login(client, unit, staff, citizen, service):
    link_line(citizen)
    issued = line_confirmation_issue(actor=staff, unit=unit, citizen=citizen, purpose="identity", service=service)
    response = client.get(state_url(issued.confirmation.pk))
    assert response.status_code == 302 and response["Location"].startswith("/portal/login/")


def test_a_fetch_from_a_tab_of_another_unit_gets_json(staff_client, unit, staff, ref):
    other = UnitFactory(name="ร้านยาสาขาสอง", hcode="22222")
    StaffMembershipFactory(user=staff, unit=other, role="clinician")
    staff_client.post("/portal/unit/switch/", {"unit": other.pk})
    response = staff_client.post(VERIFY_FACE, {"p": ref, "service": "PH001", FORM_UNIT_FIELD: unit.pk},
                                 HTTP_ACCEPT="application/json")
    assert response.status_code == 409 and response.json()["code"] == "UNIT_CHANGED"


def test_staff_of_a_pending_unit_are_sent_to_registration(client, pending_unit):
    StaffMembershipFactory(user=UserFactory(username="nida"), unit=pending_unit, role="unit_admin")
    client.force_login(UserFactory(username="nida"))
    for path in (VERIFY, "/portal/verify/scan/", "/portal/visits/1/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == "/portal/registration/", path
