"""POST /line/webhook: signed bodies (line-bot-sdk's models) stored once and handled by jobs; bad ones
refused with 400 and nothing written."""

from __future__ import annotations

import logging

import pytest
from django_tasks_db.models import DBTaskResult

from raksa.audit.models import AuditEntry
from raksa.messaging import flex
from raksa.messaging.models import LineContact, MessageStatus, OutboundMessage, WebhookEvent
from raksa.messaging.services import webhook_events_accept
from raksa.messaging.tests import helpers as h
from raksa.testing.factories import CitizenFactory
from raksa.testing.tasks import run_tasks

pytestmark = pytest.mark.django_db

ALICE = h.user_id(1)


def nothing_written() -> bool:
    return WebhookEvent.objects.count() == 0 and DBTaskResult.objects.count() == 0


def test_a_follow_is_handled_once_greeting_with_a_link_invitation(webhook, line):
    response = webhook(h.body(h.follow(ALICE)))
    assert response.status_code == 200 and response.json() == {}
    assert WebhookEvent.objects.get().type == "follow"
    assert line.pushes == []  # the request only stored it

    run_tasks()
    event = WebhookEvent.objects.get()
    assert event.outcome == "handled" and event.handled_at is not None
    contact = LineContact.objects.get(line_user_id=ALICE)
    assert contact.following and contact.followed_at is not None
    assert AuditEntry.objects.filter(action="line.follow", actor_label=f"line:{ALICE}").exists()
    ((greeting,),) = [r["messages"] for r in line.replies]
    assert greeting["type"] == "flex" and "ยืนยันตัวตน" in greeting["altText"]
    button = greeting["contents"]["footer"]["contents"][0]["action"]
    assert button == {"type": "uri", "label": "ยืนยันตัวตน", "uri": flex.liff_url("link")}


def test_a_redelivered_event_is_not_handled_again(webhook, line):
    event_id = h.event_id()
    assert webhook(h.body(h.follow(ALICE, webhook_event_id=event_id))).status_code == 200
    run_tasks()
    redelivered = h.body(h.follow(ALICE, webhook_event_id=event_id, redelivery=True))
    assert webhook(redelivered).status_code == 200
    assert webhook(redelivered).status_code == 200
    assert WebhookEvent.objects.count() == 1 and run_tasks() == 0
    assert len(line.replies) == 1  # one greeting


def test_one_call_with_new_and_known_events_queues_the_new_ones_only(webhook, line):
    known = h.event_id()
    webhook(h.body(h.follow(ALICE, webhook_event_id=known)))
    assert webhook_events_accept(events=[h.follow(ALICE, webhook_event_id=known).to_dict(),
                                         h.text_message(ALICE, "สวัสดี").to_dict(),
                                         h.text_message(ALICE, "สวัสดี").to_dict()]) == 2
    assert WebhookEvent.objects.count() == 3 and DBTaskResult.objects.count() == 3


@pytest.mark.parametrize("case", ["wrong_secret", "edited_body", "no_header", "garbage_header"])
def test_a_forged_or_edited_call_is_refused_and_writes_nothing(webhook, line, case):
    body = h.body(h.follow(ALICE))
    if case == "wrong_secret":
        response = webhook(body, signature=h_sign(body, "not-the-channel-secret"))
    elif case == "edited_body":
        response = webhook(body.replace(ALICE, h.user_id(2)), signature=h_sign(body))
    elif case == "no_header":
        response = webhook(body, signature=None)
    else:
        response = webhook(body, signature="bm90IGEgc2lnbmF0dXJl")
    assert response.status_code == 400
    assert response.json()["code"] == "INVALID_SIGNATURE"
    assert set(response.json()) >= {"code", "message", "message_en"}
    assert nothing_written()


def h_sign(body: str, secret: str | None = None) -> str:
    from raksa.messaging.tests.conftest import sign

    return sign(body, secret)


NON_FINITE = '{"events": [{"type": "message", "webhookEventId": "01J", "timestamp": %s}]}'


@pytest.mark.parametrize("body", ["{not json", '{"destination": "x"}', "[]",
                                  # not JSON (NaN), or a number no JSON store holds: once a 500 at every delivery
                                  NON_FINITE % "NaN", NON_FINITE % "-Infinity", NON_FINITE % "1e400"])
def test_a_signed_body_that_is_not_a_webhook_is_400(webhook, body):
    response = webhook(body)
    assert response.status_code == 400 and response.json()["code"] == "WEBHOOK_MALFORMED"
    assert nothing_written()


def test_only_post(client):
    response = client.get("/line/webhook")
    assert response.status_code == 405 and response.json()["code"] == "METHOD_NOT_ALLOWED"


def test_lines_verify_call_with_no_events_is_ok(webhook):
    assert webhook(h.raw_body()).status_code == 200 and nothing_written()


def test_an_unknown_event_type_is_ignored_and_logged(webhook, line, caplog):
    event = {"type": "beacon_of_the_future", "webhookEventId": h.event_id(), "timestamp": 1, "mode": "active",
             "source": {"type": "user", "userId": ALICE}, "deliveryContext": {"isRedelivery": False}}
    assert webhook(h.raw_body(event)).status_code == 200
    with caplog.at_level(logging.INFO, logger="raksa.messaging.events"):
        run_tasks()
    stored = WebhookEvent.objects.get()
    assert stored.outcome == "ignored" and "beacon_of_the_future" in stored.detail
    assert any(r.getMessage() == "line.webhook.ignored" and r.type == "beacon_of_the_future" for r in caplog.records)
    assert line.pushes == [] and line.replies == []


def test_unfollow_stops_pushing(webhook, line):
    webhook(h.body(h.follow(ALICE)))
    run_tasks()
    webhook(h.body(h.unfollow(ALICE)))
    run_tasks()
    assert not LineContact.objects.get(line_user_id=ALICE).following
    from raksa.messaging.services import message_send

    skipped = message_send(line_user_id=ALICE, kind="reply", messages=[{"type": "text", "text": "x"}])
    assert skipped.status == MessageStatus.SKIPPED and run_tasks() == 0 and line.pushes == []


def test_a_text_message_gets_short_thai_help_by_reply(webhook, line):
    event = h.text_message(ALICE, "จองยังไงคะ")
    webhook(h.body(event))
    run_tasks()
    (reply,) = line.replies
    assert reply["reply_token"] == event.reply_token
    assert "จองคิว" in reply["messages"][0]["text"] and "QR ยืนยันสิทธิ์" in reply["messages"][0]["text"]
    assert line.pushes == []


def test_a_failed_reply_is_pushed_instead(webhook, line):
    line.reply_fails = True
    webhook(h.body(h.text_message(ALICE, "hello"), h.follow(ALICE)))
    run_tasks()
    assert line.replies == [] and "จองคิว" in line.received(ALICE)[0]["text"]
    assert line.received(ALICE)[1]["altText"].startswith("ยินดีต้อนรับ")
    assert sorted(OutboundMessage.objects.values_list("kind", flat=True)) == ["greeting", "reply"]


def test_a_linked_citizen_who_follows_again_gets_help_not_a_link_invitation(webhook, line):
    h.link(CitizenFactory(), ALICE)
    webhook(h.body(h.follow(ALICE)))
    run_tasks()
    ((message,),) = [r["messages"] for r in line.replies]
    assert message["type"] == "text" and "นัดของฉัน" in message["text"]


def test_a_message_with_nul_or_a_lone_surrogate_is_stored_with_a_replacement_character(webhook, line):
    event = {"type": "message", "webhookEventId": h.event_id(), "timestamp": 1, "mode": "active",
             "source": {"type": "user", "userId": ALICE}, "deliveryContext": {"isRedelivery": False},
             "replyToken": "rt-x", "message": {"type": "text", "id": "1", "text": "a\u0000b\ud800c 😀"}}
    response = webhook(h.raw_body(event))  # json.dumps writes \\u0000 and \\ud800: valid JSON, not storable
    assert response.status_code == 200
    assert WebhookEvent.objects.get().payload["message"]["text"] == "a\ufffdb\ufffdc 😀"
    run_tasks()
    assert len(line.replies) == 1


def test_an_event_whose_handling_fails_is_rolled_back_and_tried_again_then_recorded_failed(webhook, line,
                                                                                          monkeypatch):
    """A citizen's tap is not dropped by a passing failure: the try's changes roll back, the event is tried again
    with a backoff, and only after EVENT_MAX_ATTEMPTS is it recorded as failed."""
    from raksa.messaging import events as events_module
    from raksa.messaging.tasks import EVENT_MAX_ATTEMPTS

    failures = {"left": 2}
    real = events_module.HANDLERS["follow"]

    def flaky(user_id, event):
        outcome = real(user_id, event)  # changes made, then a failure: all of it must roll back
        if failures["left"]:
            failures["left"] -= 1
            raise RuntimeError("the database went away for a moment")
        return outcome
    monkeypatch.setitem(events_module.HANDLERS, "follow", flaky)
    webhook(h.body(h.follow(ALICE)))
    run_tasks()  # the first try fails and is queued again for later
    event = WebhookEvent.objects.get()
    assert event.handled_at is None and event.attempts == 1 and "went away" in event.detail
    assert not LineContact.objects.exists()  # rolled back
    run_tasks(include_later=True)
    event.refresh_from_db()
    assert event.outcome == "handled" and event.attempts == 2
    assert LineContact.objects.get(line_user_id=ALICE).following

    failures["left"] = EVENT_MAX_ATTEMPTS
    webhook(h.body(h.follow(h.user_id(2))))
    run_tasks(include_later=True)
    failed = WebhookEvent.objects.get(payload__source__userId=h.user_id(2))
    assert failed.outcome == "failed" and failed.attempts == EVENT_MAX_ATTEMPTS and failed.handled_at is not None


def test_an_event_whose_job_was_lost_is_queued_again_by_the_sweep(webhook, line):
    import datetime as dt

    from django.utils import timezone

    from raksa.messaging.services import webhook_events_requeue_stale

    webhook(h.body(h.follow(ALICE)))
    DBTaskResult.objects.all().delete()  # the worker died with the job
    assert webhook_events_requeue_stale() == 0  # not stale yet
    later = timezone.now() + dt.timedelta(minutes=11)
    assert webhook_events_requeue_stale(now=later) == 1
    assert webhook_events_requeue_stale(now=later) == 0  # once per stale period
    run_tasks()
    assert WebhookEvent.objects.get().outcome == "handled"
