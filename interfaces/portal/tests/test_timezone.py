"""A slot at 00:30 in Bangkok is 17:30 UTC the day before: it must show on its local day everywhere."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import timezone

from raksa.booking.display import display_token_for
from raksa.booking.queue import booking_check_in
from raksa.booking.services import schedule_set
from raksa.booking.slots import WEEKDAYS
from raksa.core.thaidate import format_date
from raksa.core.timeutil import service_day

from .helpers import book, find, local, slot_at, tomorrow

pytestmark = pytest.mark.django_db


@pytest.fixture
def half_past_midnight(unit, service):
    """Only one slot a day, 00:30–01:00 Bangkok time, today and tomorrow."""
    today = service_day()
    hours = {WEEKDAYS[d.weekday()]: [["00:30", "01:00"]] for d in (today, tomorrow())}
    schedule_set(actor=None, unit=unit, service=service, weekly_hours=hours, slot_minutes=30, seats_per_slot=3,
                 book_ahead_days=7, min_notice_minutes=0)
    return {day: slot_at(unit, local(day, 0, 30)) for day in (today, tomorrow())}


def test_the_slot_is_on_its_bangkok_day_although_utc_says_the_day_before(half_past_midnight):
    slot = half_past_midnight[tomorrow()]
    assert slot.starts_at.astimezone(dt.UTC).date() == tomorrow() - dt.timedelta(days=1)
    assert slot.starts_at.astimezone(dt.UTC).strftime("%H:%M") == "17:30"
    assert slot.day == tomorrow()


def test_book_page_offers_it_on_the_local_day_only(staff_client, half_past_midnight, citizen_id):
    ref = find(staff_client, citizen_id)
    content = staff_client.get("/portal/book/", {"p": ref, "service": "PH001",
                                                 "day": tomorrow().isoformat()}).content.decode()
    assert "00:30–01:00" in content and "17:30" not in content
    assert format_date(tomorrow(), language="th") in content
    eve = staff_client.get("/portal/book/", {"p": ref, "service": "PH001",
                                             "day": (tomorrow() - dt.timedelta(days=1)).isoformat()})
    assert f'value="{half_past_midnight[tomorrow()].pk}"' not in eve.content.decode()


def test_booking_pages_show_the_local_day_and_time(staff_client, half_past_midnight, citizen):
    booking = book(citizen, half_past_midnight[tomorrow()])
    content = staff_client.get(f"/portal/bookings/{booking.reference}/").content.decode()
    assert "00:30–01:00" in content and format_date(tomorrow(), language="th") in content
    assert format_date(tomorrow() - dt.timedelta(days=1), language="th") not in content.split('class="facts"')[1][:600]
    assert booking.reference in staff_client.get("/portal/bookings/", {"day": tomorrow().isoformat()}).content.decode()
    today_list = staff_client.get("/portal/bookings/", {"day": service_day().isoformat()}).content.decode()
    assert booking.reference not in today_list


def test_todays_0030_booking_is_in_todays_queue_and_on_the_board(staff_client, client, unit, half_past_midnight,
                                                                 citizen):
    today = service_day()
    booking = book(citizen, half_past_midnight[today], now=local(today, 0))
    content = staff_client.get("/portal/queue/").content.decode()
    assert f'data-booking="{booking.reference}"' in content and "00:30" in content
    booking_check_in(actor=None, booking_id=booking.pk)
    content = staff_client.get("/portal/queue/").content.decode()
    assert 'data-ticket="B-001"' in content and "จองล่วงหน้า 00:30" in content
    board = staff_client.get(f"/display/{display_token_for(unit)}/live/").json()
    assert board["waiting"] == ["B-001"] and board["date"] == format_date(today, language="th")


def test_times_are_bangkok_times_whatever_the_active_time_zone(half_past_midnight):
    slot = half_past_midnight[tomorrow()]
    template = Template("{% load portal_tags raksa %}{{ slot.starts_at|hhmm }} {{ slot.starts_at|thai_date }}")
    with timezone.override("UTC"):
        rendered = template.render(Context({"slot": slot}))
    assert rendered == f"00:30 {format_date(tomorrow(), language='th')}"
