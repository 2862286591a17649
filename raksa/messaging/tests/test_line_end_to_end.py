"""The whole way, over HTTP: the LINE stand-in (line_standin/, a subprocess) signs webhook calls to Raksa's
live server, Raksa's jobs push through the real LINE client (raksa.integrations.line.client) to the
stand-in, and the stand-in records what each user received (the stand-in's fixture:
raksa/testing/line_standin.py)."""

from __future__ import annotations

import pytest

from raksa.booking.models import BookingChannel, BookingStatus
from raksa.booking.services import booking_create
from raksa.booking.tests.helpers import make_schedule
from raksa.messaging.models import MessageStatus, OutboundMessage, WebhookEvent
from raksa.messaging.services import message_send
from raksa.messaging.tests import helpers as h
from raksa.testing.factories import UserFactory
from raksa.testing.tasks import run_tasks

pytestmark = pytest.mark.django_db(transaction=True)


def alt_texts(standin, user_id: str) -> list[str]:
    return [m["message"].get("altText") or m["message"].get("text") for m in standin.messages(user_id)]


def test_follow_greeting_and_a_unit_made_booking_confirmed_by_tapping_in_the_chat(live_server, line_standin):
    user_id = line_standin.users()[0]["userId"]
    answer = line_standin.webhook(user_id, "follow")
    assert answer.status == 200, answer.body
    run_tasks()
    assert WebhookEvent.objects.get().outcome == "handled"
    assert alt_texts(line_standin, user_id)[-1].startswith("ยินดีต้อนรับสู่รักษา")

    from django.utils import timezone
    schedule, citizen = make_schedule(start_day=timezone.localdate())
    h.link(citizen, user_id)
    slot = schedule.slots.filter(starts_at__gt=timezone.now() + timezone.timedelta(hours=3)).order_by("starts_at")[0]
    booking = booking_create(actor=UserFactory(), citizen=citizen, slot_id=slot.pk, channel=BookingChannel.PORTAL)
    run_tasks()
    assert alt_texts(line_standin, user_id)[-1].startswith(f"{schedule.unit.name} จองคิวให้คุณ")

    assert line_standin.webhook(user_id, "postback", data=f"action=confirm&booking={booking.reference}").status == 200
    run_tasks()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    assert alt_texts(line_standin, user_id)[-1].startswith("จองคิวสำเร็จ")  # the reply


def test_a_push_during_an_outage_arrives_once_when_the_stand_in_is_back(line_standin):
    user_id = line_standin.users()[1]["userId"]
    line_standin.stop()
    message = message_send(line_user_id=user_id, kind="reply", messages=[{"type": "text", "text": "ทดสอบ"}])
    run_tasks()  # refused: nobody listens
    message.refresh_from_db()
    assert message.status == MessageStatus.QUEUED and message.attempts == 1 and message.last_error
    line_standin.start()
    run_tasks(include_later=True)
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert alt_texts(line_standin, user_id) == ["ทดสอบ"]
    assert OutboundMessage.objects.count() == 1
