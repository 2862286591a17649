"""Pushing a message: queued in the caller's transaction, sent by a job, retried with the same retry key,
recorded as failed when LINE keeps refusing (never lost silently)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from raksa.messaging.models import LineContact, MessageStatus, OutboundMessage
from raksa.messaging.services import message_send
from raksa.messaging.tasks import retry_delay
from raksa.testing.tasks import queued_jobs, run_tasks

pytestmark = pytest.mark.django_db

USER = "U" + "1" * 32
HELLO = [{"type": "text", "text": "สวัสดี"}]


def send(**kw) -> OutboundMessage | None:
    return message_send(line_user_id=kw.pop("line_user_id", USER), kind=kw.pop("kind", "greeting"),
                        messages=kw.pop("messages", HELLO), **kw)


def test_a_message_is_queued_then_pushed_once_by_its_job(line):
    message = send()
    assert message.status == MessageStatus.QUEUED
    assert [j.task_path for j in queued_jobs()] == ["raksa.messaging.tasks.push_send"]
    assert line.pushes == []  # nothing in the caller's request

    assert run_tasks() == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.attempts == 1 and message.sent_at is not None
    assert line.pushes == [{"to": USER, "messages": HELLO, "retry_key": str(message.retry_key)}]
    assert run_tasks() == 0  # done once


def test_fails_then_succeeds_delivered_once_with_the_same_retry_key(line):
    line.fail_next = 3
    message = send()
    run_tasks(include_later=True)
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert message.attempts == 4
    assert len(line.pushes) == 4
    assert {p["retry_key"] for p in line.pushes} == {str(message.retry_key)}
    assert list(line.delivered) == [str(message.retry_key)]  # LINE delivers one message


def test_a_retry_waits_with_a_doubling_backoff(line):
    line.fail_next = 1
    message = send()
    before = timezone.now()
    run_tasks()  # the first try fails; its retry is not due yet
    retry = queued_jobs("push_send")
    assert len(retry) == 1 and retry[0].args_kwargs["kwargs"] == {"message_id": message.pk}
    assert before + dt.timedelta(seconds=0.5) <= retry[0].run_after <= timezone.now() + dt.timedelta(seconds=0.5)
    assert run_tasks() == 0  # still waiting
    message.refresh_from_db()
    assert message.status == MessageStatus.QUEUED and message.attempts == 1 and "503" in message.last_error
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 7, 8, 20)] == [0.5, 1, 2, 30, 30, 30]


@override_settings(LINE_PUSH_MAX_ATTEMPTS=5)
def test_always_failing_ends_failed_with_the_last_error_after_max_attempts(line):
    line.fail_always = True
    message = send()
    run_tasks(include_later=True)
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert message.attempts == 5 and len(line.pushes) == 5
    assert "LineApiError" in message.last_error and "503" in message.last_error
    assert line.delivered == {}
    assert queued_jobs() == []


def test_a_non_retryable_refusal_fails_at_once(line):
    line.fail_always, line.retryable = True, False
    message = send()
    run_tasks(include_later=True)
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED and message.attempts == 1 and "400" in message.last_error


def test_an_unexpected_error_is_retried_and_recorded(line, monkeypatch):
    calls = []

    def broken(**kw):
        calls.append(kw)
        if len(calls) == 1:
            raise ConnectionResetError("peer reset")
        line.push_message(**kw)
    monkeypatch.setattr("raksa.messaging.line_api.push_message", broken)
    message = send()
    run_tasks(include_later=True)
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.attempts == 2 and len(line.delivered) == 1


def test_a_user_who_blocked_the_account_gets_nothing(line):
    LineContact.objects.create(line_user_id=USER, following=False)
    message = send()
    assert message.status == MessageStatus.SKIPPED
    assert run_tasks() == 0 and line.pushes == []


def test_blocking_after_the_message_was_queued_skips_it(line):
    message = send()
    LineContact.objects.create(line_user_id=USER, following=False)
    run_tasks()
    message.refresh_from_db()
    assert message.status == MessageStatus.SKIPPED and line.pushes == []


def test_a_dedupe_key_sends_once(line):
    assert send(dedupe_key="reminder_day:1") is not None
    assert send(dedupe_key="reminder_day:1") is None
    run_tasks()
    assert len(line.pushes) == 1 and OutboundMessage.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_job_rolls_back_with_the_callers_change(line):
    with pytest.raises(RuntimeError), transaction.atomic():
        send()
        assert DBTaskResult.objects.count() == 1
        raise RuntimeError("the caller's change failed")
    assert OutboundMessage.objects.count() == 0 and DBTaskResult.objects.count() == 0
    with transaction.atomic():
        send()
    assert DBTaskResult.objects.count() == 1  # committed with it
    run_tasks()
    assert len(line.delivered) == 1


def test_a_push_whose_job_was_lost_is_queued_again_by_the_sweep(line):
    from django.core.management import call_command

    from raksa.messaging.services import outbound_requeue_stale

    message = send()
    DBTaskResult.objects.all().delete()  # the worker died holding the job
    assert outbound_requeue_stale() == 0  # not stale yet
    OutboundMessage.objects.filter(pk=message.pk).update(updated_at=timezone.now() - dt.timedelta(minutes=11))
    call_command("booking_sweep", stdout=__import__("io").StringIO())
    assert [j.args_kwargs["kwargs"] for j in queued_jobs("push_send")] == [{"message_id": message.pk}]
    run_tasks()
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and len(line.delivered) == 1
    assert outbound_requeue_stale(now=timezone.now() + dt.timedelta(hours=1)) == 0  # sent: nothing to do
