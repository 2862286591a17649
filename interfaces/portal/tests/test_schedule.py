"""The schedule editor: unit administrators only; weekly hours, slot length, seats, window; closed days."""

import datetime as dt

import pytest
from django import forms
from django.urls import reverse

from interfaces.portal.forms import parse_day_hours
from raksa.booking.models import Closure, Schedule, Slot
from raksa.core.thaidate import format_date
from raksa.testing.factories import StaffMembershipFactory, UserFactory

from .helpers import book, local, slot_at, state, tomorrow

pytestmark = pytest.mark.django_db

SCHEDULE = "/portal/schedule/"
CLOSURE = "/portal/schedule/closure/"

WEEK = {"hours_mon": "08:00-12:00, 13:00-17:00", "hours_tue": "08:00–12:00", "hours_wed": "",
        "hours_thu": "8.00 - 10.00", "hours_fri": "ปิด", "hours_sat": "00:00-24:00", "hours_sun": ""}


def schedule_post(**overrides):
    return {"service": "PH001", "slot_minutes": "30", "seats_per_slot": "2", "book_ahead_days": "14",
            "min_notice_minutes": "60", **WEEK, **overrides}


def test_url_names():
    assert reverse("portal:schedule") == SCHEDULE
    assert reverse("portal:closure") == CLOSURE


@pytest.mark.parametrize("role", ["clerk", "clinician"])
def test_only_unit_admins_may_edit_the_schedule(client, unit, service, role):
    client.force_login(StaffMembershipFactory(user=UserFactory(username=role), unit=unit, role=role).user)
    before = (state(), Schedule.objects.count(), Closure.objects.count())
    for response in (client.get(SCHEDULE), client.post(SCHEDULE, schedule_post()),
                     client.post(CLOSURE, {"day": tomorrow().isoformat(), "reason": "อบรม"})):
        content = response.content.decode()
        assert response.status_code == 403
        assert "เฉพาะผู้ดูแลหน่วยเท่านั้นที่ทำรายการนี้ได้" in content
    assert (state(), Schedule.objects.count(), Closure.objects.count()) == before
    assert 'href="/portal/schedule/"' not in client.get("/portal/").content.decode()  # not in their menu


def test_role_refusal_in_english(client, unit, service):
    client.force_login(StaffMembershipFactory(unit=unit, role="clerk").user)
    client.cookies["django_language"] = "en"
    content = client.get(SCHEDULE).content.decode()
    assert "Only the unit administrator can do this" in content and "Clerk" in content


def test_admin_of_another_unit_edits_only_their_own(other_unit_client, unit, service):
    content = other_unit_client.get(SCHEDULE).content.decode()
    assert "PH001" not in content
    before = Schedule.objects.count()
    other_unit_client.post(SCHEDULE, schedule_post())
    assert Schedule.objects.filter(unit=unit).count() == 0 and Schedule.objects.count() == before


def test_admin_sees_the_form_for_a_service_without_schedule(admin_client, service):
    content = admin_client.get(SCHEDULE).content.decode()
    assert "ยังไม่มีตารางเวลา" in content
    assert 'name="hours_mon"' in content and 'name="slot_minutes"' in content
    assert 'href="/portal/schedule/"' in content  # in the admin's menu


def test_saving_a_schedule_makes_slots(admin_client, unit, service):
    response = admin_client.post(SCHEDULE, schedule_post(), follow=True)
    content = response.content.decode()
    assert "บันทึกตารางเวลาของ PH001 — ไข้หวัด เจ็บคอ แล้ว" in content
    schedule = Schedule.objects.get(unit=unit, service=service)
    assert schedule.weekly_hours == {"mon": [["08:00", "12:00"], ["13:00", "17:00"]], "tue": [["08:00", "12:00"]],
                                     "wed": [], "thu": [["08:00", "10:00"]], "fri": [], "sat": [["00:00", "24:00"]],
                                     "sun": []}
    assert (schedule.slot_minutes, schedule.seats_per_slot, schedule.book_ahead_days,
            schedule.min_notice_minutes) == (30, 2, 14, 60)
    assert Slot.objects.filter(unit=unit).exists()
    # The form shows the saved values back.
    assert 'value="08:00-12:00, 13:00-17:00"' in content and 'value="00:00-24:00"' in content


@pytest.mark.parametrize(("overrides", "message"), [
    ({"hours_mon": "8-12"}, "เขียนเวลาแบบ 08:00-12:00, 13:00-17:00"),
    ({"hours_mon": "12:00-08:00"}, "เวลาปิดต้องอยู่หลังเวลาเปิด"),
    ({"hours_mon": "25:00-26:00"}, "เขียนเวลาแบบ 08:00-12:00, 13:00-17:00"),
    ({"hours_mon": "08:00-12:00, 11:00-13:00"}, "เวลาทำการของวันเดียวกันซ้อนกัน"),
    ({"seats_per_slot": "0"}, "จำนวนที่ต่อช่วงเวลาต้องอยู่ระหว่าง 1 ถึง 500"),
    ({"slot_minutes": "2"}, "ช่วงเวลาหนึ่งต้องยาว 5 ถึง 480 นาที"),
    ({"book_ahead_days": "365"}, "จองล่วงหน้าได้ 0–90 วัน"),
    ({"slot_minutes": "abc"}, "กรุณากรอกเป็นจำนวนเต็ม"),
    ({"min_notice_minutes": ""}, "กรุณากรอกเวลาแจ้งล่วงหน้าขั้นต่ำเป็นนาที"),
])
def test_bad_schedule_input_is_a_form_error_and_changes_nothing(admin_client, unit, service, overrides, message):
    before = (state(), Schedule.objects.count())
    response = admin_client.post(SCHEDULE, schedule_post(**overrides))
    content = response.content.decode()
    assert response.status_code == 200
    assert message in content
    assert (state(), Schedule.objects.count()) == before


def test_unknown_service_is_refused(admin_client, service):
    response = admin_client.post(SCHEDULE, schedule_post(service="ZZ999"), follow=True)
    assert "กรุณาเลือกบริการของหน่วยนี้จากรายการ" in response.content.decode()
    assert Schedule.objects.count() == 0


def test_closing_a_day_reports_the_bookings_to_move(admin_client, unit, schedule, citizen):
    booking = book(citizen, slot_at(unit, local(tomorrow(), 10)))
    response = admin_client.post(CLOSURE, {"day": tomorrow().isoformat(), "reason": "วันหยุดนักขัตฤกษ์"},
                                 follow=True)
    content = response.content.decode()
    day = format_date(tomorrow(), language="th")
    assert f"ปิดหน่วยบริการวันที่ {day} แล้ว มีการจอง 1 รายการในวันนั้นที่ต้องย้ายหรือยกเลิก" in content
    assert "วันหยุดนักขัตฤกษ์" in content
    assert f'href="/portal/bookings/?day={tomorrow().isoformat()}"' in content
    assert not Slot.objects.filter(unit=unit, day=tomorrow(), withdrawn=False).exists()
    booking.refresh_from_db()
    assert booking.is_active  # kept: staff move it


def test_closing_a_day_twice_or_without_reason_is_refused(admin_client, unit, schedule):
    day = (tomorrow() + dt.timedelta(days=1)).isoformat()
    admin_client.post(CLOSURE, {"day": day, "reason": "อบรม"})
    before = (state(), Closure.objects.count())
    for data, message in (({"day": day, "reason": "อบรม"}, "วันนี้ถูกปิดไว้แล้ว"),
                          ({"day": tomorrow().isoformat(), "reason": ""}, "กรุณาระบุเหตุผล"),
                          ({"day": "tomorrow", "reason": "อบรม"}, "ไม่ใช่วันที่")):
        response = admin_client.post(CLOSURE, data)
        assert response.status_code == 200 and message in response.content.decode(), message
    assert (state(), Closure.objects.count()) == before


def test_closure_with_no_bookings_says_so(admin_client, unit, schedule):
    content = admin_client.post(CLOSURE, {"day": tomorrow().isoformat(), "reason": "อบรม"},
                                follow=True).content.decode()
    assert "ไม่มีการจองในวันนั้น" in content


@pytest.mark.parametrize(("text", "expected"), [
    ("", []),
    ("  ", []),
    ("closed", []),
    ("08:00-12:00", [["08:00", "12:00"]]),
    ("13:00-17:00; 8:00 – 12:00", [["08:00", "12:00"], ["13:00", "17:00"]]),
    ("00:00-24:00", [["00:00", "24:00"]]),
    ("09.30 ถึง 11.00", [["09:30", "11:00"]]),
])
def test_parse_day_hours(text, expected):
    assert parse_day_hours(text) == expected


@pytest.mark.parametrize("text", ["8-12", "08:00", "08:00-08:00", "10:00-09:00", "24:00-24:30", "08:00-24:30",
                                  "08:00-12:00, 12:00-11:00", "09:00-12:00, 08:00-10:00", "08:60-09:00"])
def test_parse_day_hours_refuses(text):
    with pytest.raises(forms.ValidationError):
        parse_day_hours(text)
