"""Verification on the queue and the rights check: "ยืนยันตัวตน" on the cards and the verdict, the authen code of a
person verified here, the list of today's visits, and the visit page's actions (close, the citizen's LINE
confirmation of the service)."""

import pytest
from django.utils import timezone

from raksa.audit.models import AuditEntry
from raksa.booking.queue import ticket_issue_walk_in
from raksa.testing.factories import StaffMembershipFactory, UnitFactory, UnitServiceFactory, UserFactory
from raksa.verification.line_confirm import line_confirmation_answer
from raksa.verification.models import LineConfirmation, Visit
from raksa.verification.visits import visit_open

from .helpers import flashed
from .verify_helpers import link_line, ref_of, text_of, verify_link

pytestmark = pytest.mark.django_db


def test_a_queue_card_leads_to_the_verify_page_then_shows_the_code(staff_client, unit, service, citizen):
    ticket_issue_walk_in(actor=None, unit=unit, citizen=citizen)
    content = staff_client.get("/portal/queue/").content.decode()
    url = verify_link(content)
    assert staff_client.get(url).status_code == 200
    assert ref_of(url) and "วันนี้: การเข้ารับบริการ" in text_of(staff_client.get("/portal/queue/"))

    visit = visit_open(actor=None, unit=unit, citizen=citizen, service=service, method="rights_qr").visit
    queue = staff_client.get("/portal/queue/")
    content = queue.content.decode()
    assert f'<a class="authen-chip mono" href="/portal/visits/{visit.pk}/"' in content
    assert "/portal/verify/?" not in content
    row = content[content.index(f'data-visit="{visit.authen_code}"'):]
    assert citizen.full_name in row[:600] and "QR ยืนยันสิทธิ์" in row[:600] and "เปิดอยู่" in row[:600]


def test_the_live_refresh_notices_a_new_visit(staff_client, unit, service, citizen):
    ticket_issue_walk_in(actor=None, unit=unit, citizen=citizen)
    live = f"/portal/queue/live/?on_unit={unit.pk}"
    before = staff_client.get(live).json()["version"]
    visit_open(actor=None, unit=unit, citizen=citizen, service=service, method="line")
    after = staff_client.get(live).json()
    assert after["version"] != before and Visit.objects.get().authen_code in after["html"]


def test_a_booking_card_carries_the_booking_to_the_verify_page(bangkok_morning, staff_client, unit, schedule, citizen):
    from .test_verify_rights_qr import booked_today

    booking = booked_today(schedule, citizen)
    url = verify_link(staff_client.get("/portal/queue/").content.decode())
    assert f"booking={booking.reference}" in url
    text = text_of(staff_client.get(url))
    assert booking.reference in text and "สแกนใบหน้า" in text


def test_the_verdict_offers_verification_or_shows_the_code(staff_client, unit, service, citizen, citizen_id):
    check = {"national_id": citizen_id, "service": "PH001", "date": timezone.localdate().isoformat()}
    assert verify_link(staff_client.post("/portal/", check).content.decode())
    visit = visit_open(actor=None, unit=unit, citizen=citizen, service=service, method="line").visit
    text = text_of(staff_client.post("/portal/", check))
    assert f"ยืนยันตัวตนที่หน่วยนี้แล้ววันนี้ รหัส Authen: {visit.authen_code}" in text


def test_the_verdict_names_the_unit_holding_an_open_visit(staff_client, service, citizen, citizen_id):
    elsewhere = UnitFactory(name="ร้านยาปากซอย")
    UnitServiceFactory(unit=elsewhere, service=service)
    visit_open(actor=None, unit=elsewhere, citizen=citizen, service=service, method="face")
    response = staff_client.post("/portal/", {"national_id": citizen_id, "service": "PH001",
                                              "date": timezone.localdate().isoformat()})
    text = text_of(response)
    assert "บุคคลนี้มีการเข้ารับบริการที่ยังเปิดอยู่ที่ ร้านยาปากซอย" in text
    assert "/portal/verify/?" not in response.content.decode()


# --- the visit page ------------------------------------------------------------------------------------------

@pytest.fixture
def visit(unit, service, citizen):
    return visit_open(actor=None, unit=unit, citizen=citizen, service=service, method="rights_qr").visit


def test_closing_without_service_needs_a_reason_then_closes(staff_client, visit):
    url = f"/portal/visits/{visit.pk}/close/"
    refused = staff_client.post(url, {"reason": "  "})
    assert "กรุณาระบุเหตุผลที่ปิดการเข้ารับบริการโดยไม่ได้ให้บริการ" in flashed(refused)
    assert Visit.objects.get().status == "open"
    closed = staff_client.post(url, {"reason": "กลับไปก่อน"})
    assert f"ปิดการเข้ารับบริการ {visit.authen_code} โดยไม่ได้ให้บริการแล้ว" in flashed(closed)
    visit.refresh_from_db()
    assert (visit.status, visit.close_reason) == ("no_service", "กลับไปก่อน")
    assert AuditEntry.objects.filter(action="visit.close").count() == 1
    again = staff_client.post(url, {"reason": "อีกครั้ง"})
    assert "การเข้ารับบริการนี้ปิดไปแล้ว" in " ".join(flashed(again))
    page = text_of(staff_client.get(f"/portal/visits/{visit.pk}/"))
    assert "ปิดโดยไม่ได้ให้บริการ" in page and "กลับไปก่อน" in page and "ปิดการเข้ารับบริการ" in page
    assert 'action="/portal/visits/' not in staff_client.get(f"/portal/visits/{visit.pk}/").content.decode()


def test_another_units_visit_is_not_found_and_cannot_be_closed(client, visit):
    other = UnitFactory(name="ร้านยาอื่น", hcode="67890")
    client.force_login(StaffMembershipFactory(user=UserFactory(username="other"), unit=other).user)
    assert client.get(f"/portal/visits/{visit.pk}/").status_code == 404
    response = client.post(f"/portal/visits/{visit.pk}/close/", {"reason": "x", "on_unit": other.pk})
    assert response.status_code == 404 and "ไม่พบการเข้ารับบริการ" in text_of(response)
    assert client.post(f"/portal/visits/{visit.pk}/line/", {"on_unit": other.pk}).status_code == 404
    assert Visit.objects.get().status == "open" and not LineConfirmation.objects.exists()


def test_the_citizen_confirms_the_service_in_line(staff_client, visit, monkeypatch):
    from interfaces.portal import views_verify

    user_id = link_line(visit.citizen)
    tokens = []
    real = views_verify.confirmation_url
    monkeypatch.setattr(views_verify, "confirmation_url",
                        lambda request, token: tokens.append(token) or real(request, token))
    page = staff_client.get(f"/portal/visits/{visit.pk}/")
    assert "ให้ประชาชนยืนยันรับบริการผ่าน LINE" in text_of(page)
    qr = staff_client.post(f"/portal/visits/{visit.pk}/line/")
    assert qr.status_code == 200 and "ให้ผู้รับบริการสแกน QR นี้ใน LINE แล้วกดยืนยันว่าได้รับบริการแล้ว" in text_of(qr)
    confirmation = LineConfirmation.objects.get()
    assert (confirmation.purpose, confirmation.visit) == ("service", visit)
    line_confirmation_answer(token=tokens[-1], line_user_id=user_id, confirm=True)
    state = staff_client.get(f"/portal/verify/line/{confirmation.pk}/state/").json()
    assert state["state"] == "confirmed" and state["visit_url"] == f"/portal/visits/{visit.pk}/"
    after = text_of(staff_client.get(f"/portal/visits/{visit.pk}/"))
    assert "ประชาชนยืนยันรับบริการผ่าน LINE เมื่อ" in after
    assert "ให้ประชาชนยืนยันรับบริการผ่าน LINE" not in after


def test_the_visit_page_in_english(staff_client, visit):
    staff_client.post("/i18n/setlang/", {"language": "en", "next": "/portal/"})
    text = text_of(staff_client.get(f"/portal/visits/{visit.pk}/"))
    assert "Authen code" in text and "Record the service and send the claim" in text and "Rights QR" in text
