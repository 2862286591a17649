"""Linking (seed 0.1/0.2) through the page and the linking service: answers in Thai, nothing else changes."""

import pytest
from django.test import Client

from raksa.people.models import Citizen

from .conftest import LASER, LINE_USER, OTHER_LINE_USER, sign_in

pytestmark = pytest.mark.django_db


def _form(national_id, **extra):
    return {"national_id": national_id, "birth_day": "14", "birth_month": "3", "birth_year": "2499",
            "laser_code": LASER.lower(), "next": "/liff/bookings"} | extra


def _linked_to(citizen):
    return Citizen.objects.get(pk=citizen.pk).line_user_id


def test_an_unlinked_user_is_sent_to_link_first(client, db):
    sign_in(client)
    for path in ("/liff/", "/liff/bookings", "/liff/qr", "/liff/rights", "/liff/book"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == f"/liff/link?next={path}"


def test_the_link_page_asks_in_thai_with_a_buddhist_year_and_where_the_laser_code_is(client, db):
    sign_in(client)
    body = client.get("/liff/link?next=/liff/qr").content.decode()
    assert "เชื่อมบัญชี LINE" in body
    assert "ปี พ.ศ." in body and "เช่น 2499" in body
    assert "ด้านหลังบัตรประชาชน" in body and "ME0-1234567-89" in body
    assert 'name="next" value="/liff/qr"' in body
    assert "csrfmiddlewaretoken" in body


def test_linking_with_the_buddhist_year_and_a_typed_laser_code(client, citizen, national_id):
    sign_in(client)
    response = client.post("/liff/link", _form(national_id))
    assert response.status_code == 302
    assert response["Location"] == "/liff/bookings?ok=linked"
    assert _linked_to(citizen) == LINE_USER
    assert "เชื่อมบัญชี LINE เรียบร้อยแล้ว" in client.get("/liff/bookings?ok=linked").content.decode()


def test_thai_digits_and_christian_year_are_understood(client, citizen, national_id):
    sign_in(client)
    thai = national_id.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    response = client.post("/liff/link", _form(thai, birth_year="1956", laser_code="ME๐ ๑๒๓๔๕๖๗ ๘๙"))
    assert response.status_code == 302
    assert _linked_to(citizen) == LINE_USER


@pytest.mark.parametrize("changes, field, message", [
    ({"national_id": "1234567890123"}, "national_id", "เลขประจำตัวประชาชน"),
    ({"birth_year": "99"}, "birth_year", "กรุณากรอกปีเป็นตัวเลข 4 หลัก"),
    ({"birth_day": "31", "birth_month": "2"}, "birth_day", "ไม่มีวันที่นี้ในปฏิทิน"),
    ({"laser_code": "1234"}, "laser_code", "ตัวอักษรภาษาอังกฤษ 2 ตัวและตัวเลข 10 หลัก"),
    ({"laser_code": ""}, "laser_code", "กรุณากรอกเลขหลังบัตรประชาชน"),
])
def test_bad_shapes_are_refused_in_thai_on_their_field_and_count_nothing(client, citizen, national_id, changes,
                                                                         field, message, settings):
    settings.RAKSA_LINK_MAX_FAILURES = 1
    sign_in(client)
    response = client.post("/liff/link", _form(national_id) | changes)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert response.context["form"].errors[field]
    assert _linked_to(citizen) is None
    assert client.post("/liff/link", _form(national_id)).status_code == 302  # no failure was counted


def test_a_wrong_laser_code_is_refused_without_saying_which_field(client, citizen, national_id):
    sign_in(client)
    response = client.post("/liff/link", _form(national_id, laser_code="ME0-0000000-00"))
    assert response.status_code == 403
    body = response.content.decode()
    assert "ข้อมูลไม่ตรงกับทะเบียน" in body
    assert "ระงับการเชื่อมบัญชีไว้ชั่วคราว" in body  # what happens if they go on guessing
    assert not any(response.context["form"].errors.get(f) for f in ("national_id", "laser_code", "birth_year"))
    assert _linked_to(citizen) is None


def test_the_lock_message_says_until_when_and_what_to_do(client, citizen, national_id, settings):
    settings.RAKSA_LINK_MAX_FAILURES = 3
    sign_in(client)
    for _ in range(3):
        client.post("/liff/link", _form(national_id, laser_code="ME0-0000000-00"))
    response = client.post("/liff/link", _form(national_id))  # right this time, but locked
    assert response.status_code == 429
    body = response.content.decode()
    assert "ระงับการเชื่อมบัญชีไว้จนถึง" in body and "(เวลาประเทศไทย)" in body
    assert "หน่วยบริการนวัตกรรมใกล้บ้านช่วยตรวจสอบ" in body
    assert _linked_to(citizen) is None


def test_a_national_id_linked_to_another_line_account_is_refused(citizen, national_id):
    from raksa.people.services import citizen_line_link

    citizen_line_link(line_user_id=OTHER_LINE_USER, national_id=national_id, birth_date=citizen.birth_date,
                      laser_code=LASER)
    client = sign_in(Client())
    response = client.post("/liff/link", _form(national_id))
    assert response.status_code == 409
    assert "เชื่อมกับบัญชี LINE อื่นอยู่แล้ว" in response.content.decode()
    assert response.context["form"].errors["national_id"]
    assert _linked_to(citizen) == OTHER_LINE_USER


def test_linking_needs_the_csrf_token(citizen, national_id):
    client = sign_in(Client(enforce_csrf_checks=True))
    assert client.post("/liff/link", _form(national_id)).status_code == 403
    assert _linked_to(citizen) is None


def test_a_linked_user_sees_who_they_are_linked_to_and_can_unlink_after_confirming(client, linked):
    body = client.get("/liff/link").content.decode()
    assert "เชื่อมบัญชี LINE แล้ว" in body and linked.cid_masked in body
    confirm = client.get("/liff/unlink")
    assert "ยกเลิกการเชื่อมบัญชี LINE นี้หรือไม่" in confirm.content.decode()
    assert _linked_to(linked) == LINE_USER  # asking changed nothing
    response = client.post("/liff/unlink")
    assert response["Location"] == "/liff/link?ok=unlinked"
    assert _linked_to(linked) is None
    assert "ยกเลิกการเชื่อมบัญชี LINE แล้ว" in client.get("/liff/link?ok=unlinked").content.decode()
