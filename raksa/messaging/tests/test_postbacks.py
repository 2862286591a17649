"""Confirm, decline or cancel from a LINE message: only the booking's own linked citizen; the booking
services do it, the audit says "line:<userId>"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from raksa.audit.models import AuditEntry
from raksa.booking.models import Booking, BookingChannel, BookingStatus
from raksa.booking.services import booking_create
from raksa.booking.tests.helpers import make_schedule, ucs_citizens
from raksa.messaging import flex
from raksa.messaging.models import WebhookEvent
from raksa.messaging.tests import helpers as h
from raksa.testing.factories import UserFactory
from raksa.testing.tasks import run_tasks

pytestmark = pytest.mark.django_db

ALICE, BOB = h.user_id(1), h.user_id(2)


@pytest.fixture
def unit_made(line):
    """A booking the unit made for Alice (linked), tomorrow at 10:00, awaiting her confirmation."""
    now = timezone.now()
    schedule, citizen = make_schedule(start_day=timezone.localdate())
    h.link(citizen, ALICE)
    slot = schedule.slots.filter(starts_at__gt=now + dt.timedelta(hours=20)).order_by("starts_at").first()
    booking = booking_create(actor=UserFactory(), citizen=citizen, slot_id=slot.pk, channel=BookingChannel.PORTAL,
                             now=now)
    run_tasks()
    line.pushes.clear()
    return booking


def tap(webhook, user_id: str, action: str, reference: str):
    event = h.postback(user_id, f"action={action}&booking={reference}")
    assert webhook(h.body(event)).status_code == 200
    run_tasks()
    return WebhookEvent.objects.get(webhook_event_id=event.webhook_event_id)


def reply_texts(line) -> list[str]:
    return [m.get("altText") or m.get("text") for r in line.replies for m in r["messages"]]


def test_the_linked_citizen_confirms_in_line(webhook, line, unit_made):
    event = tap(webhook, ALICE, "confirm", unit_made.reference)
    unit_made.refresh_from_db()
    assert unit_made.status == BookingStatus.CONFIRMED and event.outcome == "handled"
    audit = AuditEntry.objects.get(action="booking.confirm")
    assert audit.actor_id is None and audit.actor_label == f"line:{ALICE}"
    assert audit.after == {"status": "confirmed", "via": "line"}
    (reply,) = line.replies
    bubble = reply["messages"][0]
    assert bubble["type"] == "flex" and bubble["altText"].startswith("จองคิวสำเร็จ")
    assert unit_made.reference in bubble["altText"]
    qr = bubble["contents"]["footer"]["contents"][0]["action"]
    assert qr == {"type": "uri", "label": "QR ยืนยันสิทธิ์", "uri": flex.liff_url("qr")}


def test_confirming_twice_is_harmless(webhook, line, unit_made):
    tap(webhook, ALICE, "confirm", unit_made.reference)
    tap(webhook, ALICE, "confirm", unit_made.reference)
    assert AuditEntry.objects.filter(action="booking.confirm").count() == 1


def yes_button(line) -> dict:
    """The "yes" of the last "are you sure?" bubble replied."""
    return line.replies[-1]["messages"][0]["contents"]["footer"]["contents"][0]["action"]


def test_the_linked_citizen_declines_after_saying_yes(webhook, line, unit_made):
    tap(webhook, ALICE, "decline", unit_made.reference)
    unit_made.refresh_from_db()
    assert unit_made.status == BookingStatus.AWAITING_CITIZEN  # asked first: a decline cannot be undone
    assert reply_texts(line)[0].startswith("ปฏิเสธนัดนี้ใช่หรือไม่?")
    assert yes_button(line)["data"] == f"action=decline_yes&booking={unit_made.reference}"
    tap(webhook, ALICE, "decline_yes", unit_made.reference)
    unit_made.refresh_from_db()
    assert unit_made.status == BookingStatus.DECLINED
    assert AuditEntry.objects.get(action="booking.decline").actor_label == f"line:{ALICE}"
    assert reply_texts(line)[-1].startswith("ปฏิเสธนัด")


def test_the_linked_citizen_cancels_after_saying_yes_and_is_not_told_it_was_the_unit(webhook, line, unit_made):
    tap(webhook, ALICE, "cancel", unit_made.reference)
    unit_made.refresh_from_db()
    assert unit_made.status == BookingStatus.AWAITING_CITIZEN and "ยกเลิกนัดนี้ใช่หรือไม่?" in reply_texts(line)[0]
    tap(webhook, ALICE, yes_button(line)["data"].split("&")[0].removeprefix("action="), unit_made.reference)
    unit_made.refresh_from_db()
    assert unit_made.status == BookingStatus.CANCELLED
    run_tasks()
    assert reply_texts(line)[-1].startswith("ยกเลิกนัด") and line.pushes == []


def test_an_old_cancel_button_says_why_at_once_without_asking(webhook, line, unit_made):
    Booking.objects.filter(pk=unit_made.pk).update(status=BookingStatus.CANCELLED)
    event = tap(webhook, ALICE, "cancel", unit_made.reference)
    assert event.outcome == "refused" and "ใช่หรือไม่" not in reply_texts(line)[0]


def test_a_line_user_not_linked_is_invited_to_link_and_nothing_changes(webhook, line, unit_made):
    event = tap(webhook, BOB, "confirm", unit_made.reference)
    unit_made.refresh_from_db()
    assert unit_made.status == BookingStatus.AWAITING_CITIZEN and event.outcome == "refused"
    (text,) = reply_texts(line)
    assert "ยังไม่ได้ยืนยันตัวตน" in text
    assert not AuditEntry.objects.filter(action="booking.confirm").exists()


def test_another_citizens_booking_is_not_found_for_them(webhook, line, unit_made):
    (other,) = ucs_citizens(1)
    h.link(other, BOB)
    event = tap(webhook, BOB, "cancel", unit_made.reference)
    unit_made.refresh_from_db()
    assert unit_made.status == BookingStatus.AWAITING_CITIZEN and event.outcome == "refused"
    assert reply_texts(line) == [f"ไม่พบนัดเลขที่ {unit_made.reference} ในบัญชีของคุณ กรุณาดูที่เมนู \"นัดของฉัน\""]


def test_a_refusal_by_the_booking_rules_is_told_in_thai(webhook, line, unit_made):
    Booking.objects.filter(pk=unit_made.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    event = tap(webhook, ALICE, "confirm", unit_made.reference)
    assert event.outcome == "refused" and "BOOKING_EXPIRED" in event.detail
    assert reply_texts(line) == ["หมดเวลายืนยันการจองนี้แล้ว ที่นั่งถูกปล่อยคืน "
                                 "กรุณาดูนัดของคุณที่เมนู \"นัดของฉัน\" หรือจองเวลาใหม่ที่เมนู \"จองคิว\""]


def test_a_tap_on_an_old_button_says_what_to_do_next(webhook, line, unit_made):
    """Declining from the request after having confirmed it: the rule's reason, then where to go."""
    tap(webhook, ALICE, "confirm", unit_made.reference)
    line.replies.clear()
    event = tap(webhook, ALICE, "decline", unit_made.reference)
    assert event.outcome == "refused" and Booking.objects.get(pk=unit_made.pk).status == BookingStatus.CONFIRMED
    (text,) = reply_texts(line)
    assert text.startswith("การจองนี้เปลี่ยนแปลงไม่ได้แล้ว") and text.endswith("ที่เมนู \"จองคิว\"")
    assert "นัดของฉัน" in text


@pytest.mark.parametrize("data", ["action=delete&booking=ABC", "hello", "action=confirm"])
def test_an_unknown_postback_gets_a_polite_answer(webhook, line, data):
    event = h.postback(ALICE, data)
    webhook(h.body(event))
    run_tasks()
    assert WebhookEvent.objects.get().outcome == "ignored"
    assert reply_texts(line) == ["ขออภัย ไม่เข้าใจคำสั่งนี้ กรุณาใช้เมนูด้านล่าง"]

