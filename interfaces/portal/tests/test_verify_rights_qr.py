"""The citizen's rights QR at the counter (flow 2.1) through the Django test client: the USB scanner's field
(the queue page and the scan page) and the webcam frames the server decodes (zxing-cpp). Every refusal is
shown with its Thai reason and changes nothing."""

import datetime as dt
import io

import pytest
import segno
from django.utils import timezone
from PIL import Image

from raksa.booking.models import Booking, BookingStatus, QueueTicket
from raksa.booking.services import booking_cancel
from raksa.testing.factories import (
    CitizenFactory,
    CoverageFactory,
    ServiceFactory,
    UnitFactory,
    UnitServiceFactory,
    make_national_id,
)
from raksa.verification.models import VerificationAttempt, Visit
from raksa.verification.services import rights_qr_issue
from raksa.verification.visits import visit_open

from .helpers import book, flashed
from .verify_helpers import SCAN, SCAN_FRAME, text_of, verification_state

pytestmark = pytest.mark.django_db


def booked_today(schedule, citizen, *, channel="line") -> Booking:
    """A booking of the next free slot today (the schedule fixture: every hour, all day; run at 10:00 Bangkok)."""
    from raksa.booking.slots import slots_free
    from raksa.core.timeutil import service_day

    slot = slots_free(unit_id=schedule.unit_id, service_id=schedule.service_id, day=service_day())[0]
    return book(citizen, slot, channel=channel, now=timezone.now())


def scanned(client, token, **extra):
    return client.post(SCAN, {"token": token, "service": ""} | extra)


def frame_of(payload: str | None, *, fmt="JPEG") -> io.BytesIO:
    """A 640 × 480 webcam-like frame with a QR code of ``payload`` (or none) in it."""
    frame = Image.new("RGB", (640, 480), (200, 205, 210))
    if payload is not None:
        buffer = io.BytesIO()
        segno.make(payload, error="m").save(buffer, kind="png", scale=6, border=4)
        buffer.seek(0)
        code = Image.open(buffer).convert("RGB")
        frame.paste(code, ((640 - code.width) // 2, (480 - code.height) // 2))
    out = io.BytesIO()
    frame.save(out, format=fmt, quality=85) if fmt == "JPEG" else frame.save(out, format=fmt)
    out.seek(0)
    out.name = "frame.jpg"
    return out


def test_a_booked_person_is_checked_in_and_sees_their_authen_code(bangkok_morning, staff_client, unit, schedule,
                                                                 citizen):
    booking = booked_today(schedule, citizen)
    token = rights_qr_issue(citizen=citizen).token
    response = scanned(staff_client, token)
    visit = Visit.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/portal/visits/{visit.pk}/"
    assert (visit.method, visit.citizen, visit.booking) == ("rights_qr", citizen, booking)
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CHECKED_IN
    page = staff_client.get(response["Location"])
    text = text_of(page)
    assert f"ยืนยันด้วย QR ยืนยันสิทธิ์แล้ว: {citizen.full_name} รหัส Authen {visit.authen_code}" in text
    code = visit.authen_code
    assert f'data-code="{code}"' in page.content.decode()
    assert " ".join([code[:2], code[2:5], code[5:8], code[8:]]) in text  # grouped for reading aloud
    assert "บันทึกการให้บริการและส่งเคลม" in text and "ปิดโดยไม่ได้ให้บริการ" in text


def test_a_walk_ins_qr_uses_the_units_only_service(staff_client, unit, service, citizen):
    response = scanned(staff_client, rights_qr_issue(citizen=citizen).token)
    assert response.status_code == 302
    assert Visit.objects.get().service == service


def test_a_walk_ins_qr_with_several_services_asks_which_then_works(staff_client, unit, service, citizen):
    UnitServiceFactory(unit=unit, service=ServiceFactory(code="PH002", name_th="ปวดหัว", unit_type=unit.unit_type))
    token = rights_qr_issue(citizen=citizen).token
    asked = scanned(staff_client, token)
    assert asked.status_code == 422
    assert "กรุณาเลือกบริการที่ผู้รับบริการมารับ" in text_of(asked)
    assert f'value="{token}"' in asked.content.decode()  # kept: choose the service and press the button
    assert not Visit.objects.exists()
    done = scanned(staff_client, token, service="PH002")
    assert done.status_code == 302 and Visit.objects.get().service.code == "PH002"


def refusal(client, token, status, reason, **extra):
    before = verification_state()
    response = scanned(client, token, **extra)
    assert response.status_code == status
    assert reason in text_of(response)
    assert verification_state() == before
    return response


def test_a_used_code_is_refused(staff_client, unit, service, citizen):
    token = rights_qr_issue(citizen=citizen).token
    scanned(staff_client, token)
    Visit.objects.update(status="no_service", closed_at=timezone.now())  # even once the visit is closed
    refusal(staff_client, token, 409, "QR นี้ถูกใช้ไปแล้ว")


def test_an_expired_or_replaced_code_is_refused(staff_client, unit, service, citizen):
    old = rights_qr_issue(citizen=citizen, now=timezone.now() - dt.timedelta(minutes=10)).token
    refusal(staff_client, old, 409, "QR นี้หมดอายุแล้วหรือมีการออก QR ใหม่แทน")
    replaced = rights_qr_issue(citizen=citizen).token
    rights_qr_issue(citizen=citizen)
    refusal(staff_client, replaced, 409, "QR นี้หมดอายุแล้วหรือมีการออก QR ใหม่แทน")


def test_a_tampered_or_unknown_code_is_refused(staff_client, unit, service, citizen):
    token = rights_qr_issue(citizen=citizen).token
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    refusal(staff_client, tampered, 404, "QR นี้ไม่ใช่ QR ยืนยันสิทธิของระบบ")
    refusal(staff_client, "https://example.com/not-ours", 404, "QR นี้ไม่ใช่ QR ยืนยันสิทธิของระบบ")
    empty = scanned(staff_client, "")
    assert empty.status_code == 422 and "กรุณาสแกน QR ยืนยันสิทธิ์ของผู้รับบริการ" in text_of(empty)
    not_ours = scanned(staff_client, token, service="XX999")  # a service this unit does not give
    assert not_ours.status_code == 422 and "กรุณาเลือกบริการของหน่วยนี้จากรายการ" in text_of(not_ours)
    assert not Visit.objects.exists()


def test_a_code_for_another_units_booking_is_refused_and_still_works_there(bangkok_morning, staff_client,
                                                                          other_unit_client, unit, schedule,
                                                                          citizen):
    booked_today(schedule, citizen)
    token = rights_qr_issue(citizen=citizen).token
    response = refusal(other_unit_client, token, 409, f"QR นี้เป็นของการจองที่หน่วยบริการอื่น ({unit.name})")
    assert response.status_code == 409
    assert VerificationAttempt.objects.filter(outcome="refused", code="QR_OTHER_UNIT").exists()


def test_a_code_for_a_cancelled_booking_is_refused(bangkok_morning, staff_client, unit, schedule, citizen):
    booking = booked_today(schedule, citizen)
    token = rights_qr_issue(citizen=citizen).token
    booking_cancel(actor=None, booking_id=booking.pk)
    refusal(staff_client, token, 409, "การจองนี้ไม่อยู่ในสถานะที่ใช้ได้แล้ว")


def test_a_person_open_elsewhere_or_not_eligible_is_refused(staff_client, unit, service, citizen):
    elsewhere = UnitFactory(name="ร้านยาปากซอย")
    UnitServiceFactory(unit=elsewhere, service=service)
    visit_open(actor=None, unit=elsewhere, citizen=citizen, service=service, method="face")
    refusal(staff_client, rights_qr_issue(citizen=citizen).token, 409,
            "บุคคลนี้มีการเข้ารับบริการที่ยังเปิดอยู่ที่ ร้านยาปากซอย")
    civil_servant = CitizenFactory(national_id=make_national_id())
    CoverageFactory(citizen=civil_servant, scheme="OFC")
    refusal(staff_client, rights_qr_issue(citizen=civil_servant).token, 409,
            "หน่วยบริการนวัตกรรมให้บริการเฉพาะผู้มีสิทธิหลักประกันสุขภาพแห่งชาติ (บัตรทอง) บุคคลนี้ใช้สิทธิอื่น")


def test_the_same_person_scanned_again_here_gets_the_same_code(staff_client, unit, service, citizen):
    scanned(staff_client, rights_qr_issue(citizen=citizen).token)
    again = scanned(staff_client, rights_qr_issue(citizen=citizen).token)
    visit = Visit.objects.get()
    assert again["Location"] == f"/portal/visits/{visit.pk}/"
    assert f"ยืนยันตัวตนที่หน่วยนี้แล้ววันนี้: รหัส Authen {visit.authen_code}" in " ".join(flashed(again))


def test_the_queue_page_has_the_scanners_field_in_focus(staff_client, unit, service):
    content = staff_client.get("/portal/queue/").content.decode()
    assert 'action="/portal/verify/scan/"' in content
    field = content[content.index('name="token"') - 200:content.index('name="token"') + 200]
    assert "autofocus" in field


# --- webcam frames -------------------------------------------------------------------------------------------

def test_a_frame_with_the_rights_qr_opens_the_visit(bangkok_morning, staff_client, unit, schedule, citizen):
    booked_today(schedule, citizen)
    token = rights_qr_issue(citizen=citizen).token
    response = staff_client.post(SCAN_FRAME, {"frame": frame_of(token), "service": ""})
    visit = Visit.objects.get()
    assert response.status_code == 200
    assert response.json() == {"found": True, "authen_code": visit.authen_code,
                               "visit_url": f"/portal/visits/{visit.pk}/"}
    assert QueueTicket.objects.get().citizen == citizen


def test_frames_without_a_rights_qr_keep_the_camera_looking(staff_client, unit, service):
    assert staff_client.post(SCAN_FRAME, {"frame": frame_of(None)}).json() == {"found": False, "text": ""}
    other = staff_client.post(SCAN_FRAME, {"frame": frame_of("https://line.me/R/ti/p/@raksa")}).json()
    assert other["found"] is False and "QR นี้ไม่ใช่ QR ยืนยันสิทธิ์ของระบบ" in other["text"]
    png = staff_client.post(SCAN_FRAME, {"frame": frame_of(None, fmt="PNG")})
    assert png.json()["found"] is False
    assert not Visit.objects.exists()


def test_a_refused_code_in_a_frame_answers_its_reason(staff_client, unit, service, citizen):
    token = rights_qr_issue(citizen=citizen).token
    staff_client.post(SCAN_FRAME, {"frame": frame_of(token)})
    before = verification_state()
    again = staff_client.post(SCAN_FRAME, {"frame": frame_of(token)})
    assert again.status_code == 409
    body = again.json()
    assert body["code"] == "QR_USED" and body["message"].startswith("QR นี้ถูกใช้ไปแล้ว") and body["message_en"]
    assert body["text"] == body["message"]
    assert verification_state() == before


def test_bad_frames_are_refused_with_a_code(staff_client, unit, service, settings):
    not_image = io.BytesIO(b"%PDF-1.4 not a picture")
    not_image.name = "frame.jpg"
    response = staff_client.post(SCAN_FRAME, {"frame": not_image})
    assert response.status_code == 422 and response.json()["code"] == "NOT_AN_IMAGE"
    assert staff_client.post(SCAN_FRAME, {}).json()["code"] == "NO_FRAMES"
    settings.RAKSA_FACE_MAX_FRAME_BYTES = 1000
    large = staff_client.post(SCAN_FRAME, {"frame": frame_of(None)})
    assert large.status_code == 422 and large.json()["code"] == "IMAGE_TOO_LARGE"
