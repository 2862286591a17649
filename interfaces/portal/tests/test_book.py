"""Booking for a citizen (seed 2.2 / 3.2): find by national ID, rights first, free times, book."""

import datetime as dt

import pytest
from django.urls import reverse

from raksa.booking.models import Booking, BookingChannel, BookingStatus, Slot
from raksa.core.thaidate import format_date
from raksa.people import national_id as nid
from raksa.people.models import Scheme
from raksa.testing.factories import CitizenFactory, CoverageFactory, ServiceFactory, UnitFactory, make_national_id

from .helpers import book, find, local, slot_at, state, tomorrow

pytestmark = pytest.mark.django_db

BOOK = "/portal/book/"


def test_url_name():
    assert reverse("portal:book") == BOOK


def test_book_requires_login(client):
    assert client.get(BOOK)["Location"].startswith("/portal/login/")


def test_step_one_posts_the_national_id(staff_client, service):
    content = staff_client.get(BOOK).content.decode()
    assert '<form method="post" action="/portal/book/"' in content
    assert 'name="national_id"' in content and "ค้นหาประชาชน" in content


def test_finding_the_citizen_gives_a_signed_reference_not_the_national_id(staff_client, service, schedule,
                                                                            citizen_id, citizen):
    response = staff_client.post(BOOK, {"action": "find", "national_id": nid.format_full(citizen_id)})
    assert response.status_code == 302 and response["Location"].startswith(BOOK + "?p=")
    assert citizen_id not in response["Location"] and citizen_id not in str(dict(staff_client.session))
    response = staff_client.get(response["Location"])  # one service: chosen for them, today by default
    content = response.content.decode()
    assert "นางมาลี ศรีสุข" in content and citizen.cid_masked in content
    assert citizen_id not in content
    assert "มีสิทธิ: บุคคลนี้รับบริการได้" in content
    assert "หลักประกันสุขภาพแห่งชาติ (บัตรทอง)" in content


@pytest.mark.parametrize(("value", "message"), [
    ("", "กรุณากรอกเลขประจำตัวประชาชน (13 หลัก)"),
    ("12345", "เลขประจำตัวประชาชนต้องมี 13 หลัก"),
    ("UNKNOWN", "ไม่พบประชาชนที่มีเลขประจำตัวนี้ในทะเบียน"),
])
def test_bad_national_id_is_a_form_error_and_changes_nothing(staff_client, service, value, message):
    if value == "UNKNOWN":
        value = make_national_id(99_999_999_998)
    before = state()
    response = staff_client.post(BOOK, {"action": "find", "national_id": value})
    content = response.content.decode()
    assert response.status_code == 200
    assert message in content and 'aria-invalid="true"' in content
    assert state() == before


def test_free_times_of_a_day_in_bangkok_time(staff_client, unit, service, schedule, citizen_id):
    ref = find(staff_client, citizen_id)
    day = tomorrow()
    content = staff_client.get(BOOK, {"p": ref, "service": "PH001", "day": day.isoformat()}).content.decode()
    assert format_date(day, language="th") in content
    assert "00:00–01:00" in content and "10:00–11:00" in content
    assert "23:00–24:00" in content  # the last slot ends at local midnight
    assert "ว่าง 2 ที่" in content
    assert content.count('name="slot"') == 24


def test_not_eligible_shows_the_reasons_and_no_times(staff_client, service, schedule):
    national_id = make_national_id()
    CoverageFactory(citizen=CitizenFactory(national_id=national_id), scheme=Scheme.SSS)
    ref = find(staff_client, national_id)
    content = staff_client.get(BOOK, {"p": ref, "service": "PH001", "day": tomorrow().isoformat()}).content.decode()
    assert "ไม่มีสิทธิรับบริการนี้" in content
    assert "บัตรทอง" in content and "บุคคลนี้ใช้สิทธิอื่น" in content
    assert 'name="slot"' not in content


def test_bad_day_or_service_is_a_form_error(staff_client, service, schedule, citizen_id):
    ref = find(staff_client, citizen_id)
    content = staff_client.get(BOOK, {"p": ref, "service": "PH001", "day": "2026-02-30"}).content.decode()
    assert "ไม่ใช่วันที่" in content and 'name="slot"' not in content
    content = staff_client.get(BOOK, {"p": ref, "service": "XX999", "day": tomorrow().isoformat()}).content.decode()
    assert "กรุณาเลือกบริการของหน่วยนี้จากรายการ" in content


def test_booking_a_time_awaits_the_citizen_and_shows_the_reference(staff_client, unit, staff, service, schedule,
                                                                   citizen_id, citizen):
    ref = find(staff_client, citizen_id)
    slot = slot_at(unit, local(tomorrow(), 10))
    response = staff_client.post(BOOK, {"p": ref, "action": "book", "slot": slot.pk, "service": "PH001",
                                        "day": tomorrow().isoformat()}, follow=True)
    booking = Booking.objects.get()
    content = response.content.decode()
    assert response.redirect_chain == [(f"/portal/bookings/{booking.reference}/", 302)]
    assert (booking.status, booking.channel, booking.created_by, booking.citizen) == (
        BookingStatus.AWAITING_CITIZEN, BookingChannel.PORTAL, staff, citizen)
    assert booking.expires_at is not None
    assert f"จองให้นางมาลี ศรีสุขแล้ว เลขที่การจอง {booking.reference}" in content
    assert "10:00–11:00" in content and format_date(tomorrow(), language="th") in content
    assert "ระบบจะขอให้ประชาชนยืนยันการจองนี้ใน LINE" in content
    assert "ประชาชนยืนยันด้วยตนเองแล้ว" in content  # the confirm-in-person button
    assert citizen_id not in content
    assert Slot.objects.get(pk=slot.pk).booked == 1


def test_booking_in_english(staff_client, unit, service, schedule, citizen_id):
    staff_client.cookies["django_language"] = "en"
    ref = find(staff_client, citizen_id)
    slot = slot_at(unit, local(tomorrow(), 10))
    content = staff_client.post(BOOK, {"p": ref, "action": "book", "slot": slot.pk}, follow=True).content.decode()
    assert "Booked for" in content and "Booking reference" in content
    assert "The citizen will be asked to confirm this booking in LINE" in content


def test_full_slot_and_second_booking_are_refused_clearly(staff_client, unit, service, schedule, citizen_id,
                                                           citizen):
    slot = slot_at(unit, local(tomorrow(), 10))
    for other in (CitizenFactory(), CitizenFactory()):
        CoverageFactory(citizen=other)
        book(other, slot)
    ref = find(staff_client, citizen_id)
    before = state()
    content = staff_client.post(BOOK, {"p": ref, "action": "book", "slot": slot.pk}, follow=True).content.decode()
    assert "เวลานี้เต็มแล้ว" in content
    assert state() == before
    book(citizen, slot_at(unit, local(tomorrow(), 11)))
    before = state()
    content = staff_client.post(BOOK, {"p": ref, "action": "book", "slot": slot_at(unit, local(tomorrow(), 12)).pk},
                                follow=True).content.decode()
    assert "บุคคลนี้มีการจองที่หน่วยบริการนี้ในวันดังกล่าวแล้ว" in content
    assert state() == before


def test_a_slot_of_another_unit_cannot_be_booked_here(staff_client, unit, service, schedule, citizen_id):
    from raksa.booking.services import schedule_set
    from raksa.testing.factories import UnitServiceFactory

    other = UnitFactory(hcode="67890")
    other_service = ServiceFactory(code="PH002", unit_type=other.unit_type)
    UnitServiceFactory(unit=other, service=other_service)
    schedule_set(actor=None, unit=other, service=other_service, weekly_hours={"mon": [["08:00", "09:00"]]},
                 slot_minutes=60, seats_per_slot=1, book_ahead_days=7, min_notice_minutes=0)
    foreign = Slot.objects.filter(unit=other).first()
    ref = find(staff_client, citizen_id)
    before = state()
    for value in (foreign.pk, "abc", "", 10**9):
        content = staff_client.post(BOOK, {"p": ref, "action": "book", "slot": value}, follow=True).content.decode()
        assert "ไม่พบช่วงเวลานี้" in content
    assert state() == before


@pytest.mark.parametrize("ref", ["", "garbage", "WzEsMiwzXQ:1tOk:forged"])
def test_booking_without_a_valid_person_reference_asks_for_the_id(staff_client, unit, service, schedule, ref):
    before = state()
    content = staff_client.post(BOOK, {"p": ref, "action": "book", "slot": slot_at(unit, local(tomorrow(), 10)).pk},
                                follow=True).content.decode()
    assert "กรอกเลขประจำตัวประชาชนอีกครั้ง" in content
    assert state() == before


def test_a_person_reference_of_another_login_is_refused(staff_client, unit, staff, service, schedule, citizen_id):
    from raksa.testing.factories import StaffMembershipFactory, UserFactory

    ref = find(staff_client, citizen_id)
    colleague = StaffMembershipFactory(user=UserFactory(username="colleague"), unit=unit, role="clinician").user
    other_client = type(staff_client)()
    other_client.force_login(colleague)
    before = state()
    content = other_client.post(BOOK, {"p": ref, "action": "book", "slot": slot_at(unit, local(tomorrow(), 10)).pk},
                                follow=True).content.decode()
    assert "กรอกเลขประจำตัวประชาชนอีกครั้ง" in content
    assert "นางมาลี" not in other_client.get(BOOK, {"p": ref}).content.decode()
    assert state() == before


def test_a_day_that_has_passed_or_beyond_the_window_says_why(staff_client, service, schedule, citizen_id):
    ref = find(staff_client, citizen_id)
    today = tomorrow() - dt.timedelta(days=1)
    last = format_date(today + dt.timedelta(days=7))
    content = staff_client.get(BOOK, {"p": ref, "service": "PH001",
                                      "day": (today - dt.timedelta(days=1)).isoformat()}).content.decode()
    assert "ผ่านไปแล้ว" in content and last in content and 'name="slot"' not in content
    content = staff_client.get(BOOK, {"p": ref, "service": "PH001",
                                      "day": (today + dt.timedelta(days=8)).isoformat()}).content.decode()
    assert "เกินช่วงที่เปิดจอง" in content and last in content and "ล่วงหน้า 7 วัน" in content
    assert 'name="slot"' not in content


def test_another_citizen_goes_back_to_step_one(staff_client, service, citizen_id):
    ref = find(staff_client, citizen_id)
    content = staff_client.get(BOOK, {"p": ref}).content.decode()
    assert '<a class="button button--small" href="/portal/book/">' in content


def test_existing_bookings_of_the_citizen_are_shown(staff_client, unit, service, schedule, citizen_id, citizen):
    booking = book(citizen, slot_at(unit, local(tomorrow() + dt.timedelta(days=1), 9)))
    ref = find(staff_client, citizen_id)
    content = staff_client.get(BOOK, {"p": ref}).content.decode()
    assert f'href="/portal/bookings/{booking.reference}/"' in content


def test_a_full_time_offers_the_waiting_list(staff_client, unit, service, schedule, citizen_id, citizen):
    from raksa.booking.models import WaitlistEntry

    slot = slot_at(unit, local(tomorrow(), 10))
    for other in (CitizenFactory(), CitizenFactory()):
        CoverageFactory(citizen=other)
        book(other, slot)
    ref = find(staff_client, citizen_id)
    page = staff_client.get(BOOK, {"p": ref, "service": service.code, "day": tomorrow().isoformat()}).content.decode()
    assert "เวลาที่เต็มแล้ว: ลงชื่อรอคิว" in page and f'value="{slot.pk}"' in page
    content = staff_client.post(BOOK, {"p": ref, "action": "waitlist", "slot": slot.pk, "service": service.code,
                                       "day": tomorrow().isoformat()}, follow=True).content.decode()
    assert "ลงชื่อรอคิวแล้ว ลำดับที่ 1" in content
    assert WaitlistEntry.objects.get(slot=slot).citizen == citizen
    again = staff_client.post(BOOK, {"p": ref, "action": "waitlist", "slot": slot.pk}, follow=True).content.decode()
    assert "ลงชื่อรอคิวเวลานี้ไว้แล้ว" in again
    assert WaitlistEntry.objects.filter(slot=slot).count() == 1
