"""The messages as citizens see them: Thai, Buddhist year, Bangkok time, a plain altText, and JSON that
line-bot-sdk's models accept (the client turns them into those models with ``from_dict``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from linebot.v3.messaging import FlexMessage, TextMessage

from raksa.core.timeutil import BANGKOK
from raksa.messaging import flex

# 17:30 UTC on 31 Dec 2026 is 00:30 on 1 Jan 2027 in Bangkok: the Bangkok date and year are shown.
VIEW = flex.BookingView(
    reference="K7M2Q9XA", starts_at=dt.datetime(2026, 12, 31, 17, 30, tzinfo=dt.UTC),
    ends_at=dt.datetime(2026, 12, 31, 18, 0, tzinfo=dt.UTC), unit_name="ร้านยารักษ์สุขภาพ",
    unit_address="ถนนราชดำเนิน", unit_phone="02-000-0000", latitude=Decimal("13.756331"),
    longitude=Decimal("100.501765"), service_name="ไข้หวัด เจ็บคอ",
    expires_at=dt.datetime(2026, 12, 31, 9, 0, tzinfo=BANGKOK))

ALL = {
    "confirmed": flex.booking_confirmed(VIEW), "awaiting": flex.booking_awaiting(VIEW),
    "waitlist": flex.waitlist_offer(VIEW), "reminder_day": flex.reminder(VIEW, hour_before=False),
    "reminder_hour": flex.reminder(VIEW, hour_before=True), "cancelled": flex.cancelled_by_unit(VIEW),
    "your_turn": flex.your_turn(ticket_label="B-007", unit_name="ร้านยารักษ์สุขภาพ"),
    "greeting": flex.greeting(), "help": flex.help_text(), "link": flex.link_invitation("ยังไม่ได้ยืนยันตัวตน"),
    "sure_cancel": flex.are_you_sure(VIEW, action="cancel"), "sure_decline": flex.are_you_sure(VIEW, action="decline"),
}


def texts(node) -> list[str]:
    """Every text a citizen reads in a bubble (text boxes and button labels)."""
    if isinstance(node, dict):
        found = [node["text"]] if node.get("type") == "text" else []
        if "label" in node:
            found.append(node["label"])
        return found + [t for v in node.values() for t in texts(v)]
    if isinstance(node, list):
        return [t for v in node for t in texts(v)]
    return []


@pytest.mark.parametrize("name", ALL)
def test_every_message_is_valid_for_line_with_a_plain_alt_text(name):
    for message in ALL[name]:
        if message["type"] == "flex":
            model = FlexMessage.from_dict(message)
            assert model.alt_text == message["altText"] and 0 < len(model.alt_text) <= 400
        else:
            assert TextMessage.from_dict(message).text


def test_the_confirmation_shows_date_with_buddhist_year_time_unit_and_buttons():
    (message,) = ALL["confirmed"]
    shown = texts(message["contents"])
    assert "1 มกราคม 2570" in shown and "00:30–01:00 น." in shown
    assert "ร้านยารักษ์สุขภาพ" in shown and "K7M2Q9XA" in shown and "ไข้หวัด เจ็บคอ" in shown
    assert message["altText"] == "จองคิวสำเร็จ 1 มกราคม 2570 เวลา 00:30–01:00 น. ที่ ร้านยารักษ์สุขภาพ (เลขที่จอง K7M2Q9XA)"
    actions = [b["action"] for b in message["contents"]["footer"]["contents"]]
    assert actions[0] == {"type": "uri", "label": "QR ยืนยันสิทธิ์", "uri": flex.liff_url("qr")}
    assert actions[1]["uri"] == "https://www.google.com/maps/search/?api=1&query=13.756331,100.501765"
    assert actions[2]["data"] == "action=cancel&booking=K7M2Q9XA"


def test_the_unit_made_booking_asks_to_confirm_before_its_deadline():
    (message,) = ALL["awaiting"]
    shown = texts(message["contents"])
    assert "กรุณายืนยันภายใน 31 ธ.ค. 2569 เวลา 09:00 น." in shown
    postbacks = [b["action"] for b in message["contents"]["footer"]["contents"][:2]]
    assert postbacks == [
        {"type": "postback", "label": "ยืนยันนัด", "data": "action=confirm&booking=K7M2Q9XA",
         "displayText": "ยืนยันนัด K7M2Q9XA"},
        {"type": "postback", "label": "ปฏิเสธนัด", "data": "action=decline&booking=K7M2Q9XA",
         "displayText": "ปฏิเสธนัด K7M2Q9XA"}]


def test_a_unit_without_coordinates_is_found_on_the_map_by_name_and_address():
    view = flex.BookingView(**{**VIEW.__dict__, "latitude": None, "longitude": None})
    assert view.map_url.startswith("https://www.google.com/maps/search/?api=1&query=%E0%B8")


def test_your_turn_shows_the_ticket_number():
    (message,) = ALL["your_turn"]
    assert texts(message["contents"])[:2] == ["ถึงคิวของคุณแล้ว", "B-007"]


def test_no_message_mixes_a_christian_year_in():
    for messages in ALL.values():
        for message in messages:
            assert "2026" not in str(message) and "2027" not in str(message)



def test_liff_buttons_open_liff_urls(settings):
    settings.LINE_LIFF_ID = "2000000001-AbCdEfGh"
    assert flex.liff_url("qr") == "https://liff.line.me/2000000001-AbCdEfGh/qr"
    assert flex.liff_url("/link") == "https://liff.line.me/2000000001-AbCdEfGh/link"
