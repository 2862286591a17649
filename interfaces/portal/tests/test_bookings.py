"""Booking search, a booking's page with its history, and its actions."""

import datetime as dt

import pytest
from django.urls import reverse

from raksa.booking.models import Booking, BookingStatus, Slot
from raksa.core.thaidate import format_date
from raksa.core.timeutil import service_day
from raksa.people import national_id as nid
from raksa.testing.factories import CitizenFactory, CoverageFactory

from .helpers import book, local, slot_at, state, tomorrow

pytestmark = pytest.mark.django_db

BOOKINGS = "/portal/bookings/"


def url(booking, action=""):
    return f"/portal/bookings/{booking.reference}/" + (f"{action}/" if action else "")


@pytest.fixture
def booking(unit, schedule, citizen):
    """Made by the unit for tomorrow 10:00: awaiting the citizen."""
    return book(citizen, slot_at(unit, local(tomorrow(), 10)), channel="portal", now=None)


def test_url_names():
    assert reverse("portal:bookings") == BOOKINGS
    assert reverse("portal:booking", args=["ABCD2345"]) == "/portal/bookings/ABCD2345/"
    assert reverse("portal:booking_action", args=["ABCD2345", "cancel"]) == "/portal/bookings/ABCD2345/cancel/"
    assert reverse("portal:booking_move", args=["ABCD2345"]) == "/portal/bookings/ABCD2345/move/"


def test_day_list_shows_this_units_bookings(staff_client, unit, booking):
    content = staff_client.get(BOOKINGS, {"day": tomorrow().isoformat()}).content.decode()
    assert booking.reference in content and "10:00" in content and "นางมาลี ศรีสุข" in content
    assert "รอประชาชนยืนยัน" in content
    assert format_date(tomorrow(), language="th") in content
    assert booking.reference not in staff_client.get(BOOKINGS).content.decode()  # today: none


def test_bad_day_falls_back_to_today_with_an_error(staff_client, booking):
    content = staff_client.get(BOOKINGS, {"day": "32/13/2569"}).content.decode()
    assert "ไม่ใช่วันที่" in content
    assert format_date(service_day(), language="th") in content


def test_search_by_reference_opens_the_booking(staff_client, booking):
    response = staff_client.post(BOOKINGS, {"query": f"  {booking.reference.lower()} "})
    assert response.status_code == 302 and response["Location"] == url(booking)


def test_search_by_national_id_lists_the_citizens_bookings_without_echoing_the_id(staff_client, booking,
                                                                                     citizen_id):
    response = staff_client.post(BOOKINGS, {"query": nid.format_full(citizen_id)})
    content = response.content.decode()
    assert response.status_code == 200
    assert booking.reference in content and "นางมาลี ศรีสุข" in content
    assert citizen_id not in content and nid.format_full(citizen_id) not in content


@pytest.mark.parametrize(("query", "message"), [
    ("", "กรุณากรอกเลขที่การจองหรือเลขประจำตัวประชาชน"),
    ("ZZZZ9999", "ไม่พบการจองเลขที่นี้ที่หน่วยบริการนี้"),
    ("1234567890123", "เลขประจำตัวประชาชนไม่ถูกต้อง"),
    ("x" * 40, "ยาวเกินไป"),
])
def test_bad_search_is_a_clear_error(staff_client, booking, query, message):
    before = state()
    content = staff_client.post(BOOKINGS, {"query": query}).content.decode()
    assert message in content
    assert state() == before


def test_staff_of_another_unit_cannot_find_or_see_this_units_booking(other_unit_client, booking, citizen_id):
    assert other_unit_client.post(BOOKINGS, {"query": booking.reference}).status_code == 200
    response = other_unit_client.get(url(booking))
    assert response.status_code == 404
    assert "ไม่พบการจองนี้ที่หน่วยบริการนี้" in response.content.decode()
    content = other_unit_client.post(BOOKINGS, {"query": citizen_id}).content.decode()
    assert booking.reference not in content
    assert booking.reference not in other_unit_client.get(BOOKINGS, {"day": tomorrow().isoformat()}).content.decode()


@pytest.mark.parametrize("action", ["confirm", "cancel", "no-show", "check-in", "move"])
def test_staff_of_another_unit_cannot_act_on_this_units_booking(other_unit_client, unit, booking, action):
    before = state()
    response = other_unit_client.post(url(booking, action), {"slot": slot_at(unit, local(tomorrow(), 11)).pk})
    assert response.status_code == 404
    assert state() == before


def test_actions_are_post_only_and_unknown_actions_are_not_found(staff_client, booking):
    before = state()
    assert staff_client.get(url(booking, "cancel")).status_code == 405
    assert staff_client.post(url(booking, "delete")).status_code == 404
    assert state() == before


def test_detail_page_shows_the_booking_and_its_history(staff_client, unit, booking, staff):
    content = staff_client.get(url(booking)).content.decode()
    for text in (booking.reference, "10:00–11:00", format_date(tomorrow(), language="th"), "นางมาลี ศรีสุข",
                 booking.citizen.cid_masked, "ไข้หวัด เจ็บคอ", "หน่วยบริการจองให้", "ประวัติ", "จองแล้ว",
                 "รอประชาชนยืนยัน", "ย้ายไปเวลาอื่น"):
        assert text in content, text


def test_confirm_in_person(staff_client, booking):
    content = staff_client.post(url(booking, "confirm"), follow=True).content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED and booking.expires_at is None
    assert f"ยืนยันการจอง {booking.reference} แล้ว" in content
    assert content.count('class="history__what"') == 2


def test_cancel_frees_the_seat_and_twice_is_a_clear_error(staff_client, unit, booking):
    staff_client.post(url(booking, "cancel"))
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert Slot.objects.get(pk=booking.slot_id).booked == 0
    before = state()
    content = staff_client.post(url(booking, "cancel"), follow=True).content.decode()
    assert "การจองนี้เปลี่ยนแปลงไม่ได้แล้ว" in content
    assert state() == before
    assert f'action="{url(booking, "cancel")}"' not in content  # no more buttons


def test_move_to_another_free_time(staff_client, unit, booking):
    content = staff_client.get(url(booking)).content.decode()
    eleven = slot_at(unit, local(tomorrow(), 11))
    assert f'value="{eleven.pk}"' in content and f'value="{booking.slot_id}"' not in content
    content = staff_client.post(url(booking, "move"), {"slot": eleven.pk}, follow=True).content.decode()
    old_slot = booking.slot_id
    booking.refresh_from_db()
    assert booking.slot_id == eleven.pk
    assert (Slot.objects.get(pk=old_slot).booked, Slot.objects.get(pk=eleven.pk).booked) == (0, 1)
    assert "11:00–12:00" in content and "ย้ายไปเวลาอื่นแล้ว" in content


def test_move_to_a_time_of_another_day(staff_client, unit, booking):
    day = tomorrow() + dt.timedelta(days=2)
    content = staff_client.get(url(booking), {"day": day.isoformat()}).content.decode()
    target = slot_at(unit, local(day, 9))
    assert f'value="{target.pk}"' in content
    staff_client.post(url(booking, "move"), {"slot": target.pk})
    booking.refresh_from_db()
    assert booking.day == day


def test_moving_to_a_day_outside_the_window_says_why(staff_client, booking):
    past = tomorrow() - dt.timedelta(days=2)
    content = staff_client.get(url(booking), {"day": past.isoformat()}).content.decode()
    assert "ผ่านไปแล้ว" in content and "ล่วงหน้า 7 วัน" in content
    far = tomorrow() + dt.timedelta(days=30)
    content = staff_client.get(url(booking), {"day": far.isoformat()}).content.decode()
    assert "เกินช่วงที่เปิดจอง" in content


def test_bad_moves_change_nothing(staff_client, unit, booking):
    other = CitizenFactory()
    CoverageFactory(citizen=other)
    full = slot_at(unit, local(tomorrow(), 12))
    book(other, full)
    book(CoverageFactory().citizen, full)
    before = state()
    for value, message in ((full.pk, "เวลานี้เต็มแล้ว"), ("abc", "กรุณาเลือกเวลาจากรายการ"),
                           (10**9, "ไม่พบช่วงเวลานี้")):
        content = staff_client.post(url(booking, "move"), {"slot": value}, follow=True).content.decode()
        assert message in content, message
    assert state() == before


def test_no_show_before_the_time_is_refused(staff_client, booking):
    staff_client.post(url(booking, "confirm"))
    before = state()
    content = staff_client.post(url(booking, "no-show"), follow=True).content.decode()
    assert "บันทึกว่าไม่มาตามนัดได้หลังถึงเวลานัดแล้วเท่านั้น" in content
    assert state() == before


def test_check_in_on_another_day_is_refused(staff_client, booking):
    staff_client.post(url(booking, "confirm"))
    before = state()
    content = staff_client.post(url(booking, "check-in"), follow=True).content.decode()
    assert "การจองนี้เป็นของวันอื่น" in content
    assert state() == before
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CONFIRMED
