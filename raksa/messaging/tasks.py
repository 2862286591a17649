"""Background jobs of the LINE channel (django-tasks, database backend; ``manage.py db_worker`` runs them).

django-tasks does not retry a job by itself: :func:`push_send` retries a push on its own, re-queuing
itself with ``run_after`` and a doubling delay, always with the message's retry key (LINE delivers a
retried push once), until ``LINE_PUSH_MAX_ATTEMPTS``; then the message is ``failed`` with its last error,
visible to staff in the back office. Never silent.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from raksa.messaging import line_api
from raksa.messaging.jobs import jobs_enqueue
from raksa.messaging.models import LineContact, MessageStatus, OutboundMessage, WebhookEvent, WebhookOutcome

logger = logging.getLogger(__name__)

FIRST_RETRY_SECONDS = 0.5
MAX_RETRY_SECONDS = 30.0
# A webhook event whose handling fails (the database away a moment, a bug) is tried again this many times
# in all, with the pushes' backoff; its changes roll back with the failure, so a retry starts clean.
EVENT_MAX_ATTEMPTS = 5


def retry_delay(attempts: int) -> dt.timedelta:
    """How long to wait after the ``attempts``-th failed try: 0.5 s, 1 s, 2 s … at most 30 s."""
    return dt.timedelta(seconds=min(MAX_RETRY_SECONDS, FIRST_RETRY_SECONDS * 2 ** (attempts - 1)))


@task()
def push_send(message_id: int) -> str:
    """Push one OutboundMessage to LINE; returns its status afterwards."""
    with transaction.atomic():
        message = OutboundMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.status != MessageStatus.QUEUED:
            return message.status if message else "missing"
        if LineContact.objects.filter(line_user_id=message.line_user_id, following=False).exists():
            message.status = MessageStatus.SKIPPED  # blocked the account after the message was queued
            message.save(update_fields=["status", "updated_at"])
            return message.status
    try:
        line_api.push_message(to=message.line_user_id, messages=message.messages, retry_key=str(message.retry_key))
    except Exception as exc:  # LineApiError says whether to retry; anything else (a bug, a network error
        retryable = getattr(exc, "retryable", True)  # the client did not wrap) is retried too, and recorded
        return _push_failed(message_id, exc, retryable=retryable)
    with transaction.atomic():
        OutboundMessage.objects.filter(pk=message_id, status=MessageStatus.QUEUED).update(
            status=MessageStatus.SENT, sent_at=timezone.now(), attempts=message.attempts + 1, last_error="",
            updated_at=timezone.now())
    return MessageStatus.SENT


def _push_failed(message_id: int, exc: Exception, *, retryable: bool) -> str:
    detail = (getattr(exc, "detail", "") or str(exc) or type(exc).__name__)
    status = getattr(exc, "status", None)
    error = f"{type(exc).__name__}{f' {status}' if status else ''}: {detail}"[:500]
    with transaction.atomic():
        message = OutboundMessage.objects.select_for_update().get(pk=message_id)
        message.attempts += 1
        message.last_error = error
        if retryable and message.attempts < settings.LINE_PUSH_MAX_ATTEMPTS:
            jobs_enqueue(push_send, [{"message_id": message_id}],
                         run_after=timezone.now() + retry_delay(message.attempts))
            logger.warning("line.push.retry", extra={"message_id": message_id, "attempts": message.attempts,
                                                     "error": error})
        else:
            message.status = MessageStatus.FAILED
            logger.error("line.push.failed", extra={"message_id": message_id, "attempts": message.attempts,
                                                    "error": error})
        message.save(update_fields=["attempts", "last_error", "status", "updated_at"])
    return message.status


@task()
def webhook_event_handle(event_id: int) -> str:
    """Handle one stored webhook event (follow, unfollow, postback, message; others are ignored and
    logged); returns the outcome recorded on the event. The handling and its outcome are one transaction,
    under the event's row lock (a second job for it, queued again by the sweep, waits and then finds it
    handled): a failure rolls its changes back and the event is tried again later (``EVENT_MAX_ATTEMPTS``),
    then recorded as failed."""
    from raksa.messaging.events import event_handle

    WebhookEvent.objects.filter(pk=event_id, handled_at__isnull=True).update(tried_at=timezone.now())
    attempts = 0
    try:
        with transaction.atomic():
            event = WebhookEvent.objects.select_for_update().filter(pk=event_id).first()
            if event is None or event.handled_at is not None:
                return "missing" if event is None else event.outcome
            attempts = event.attempts + 1
            outcome, detail = event_handle(event.type, event.payload)
            WebhookEvent.objects.filter(pk=event_id).update(handled_at=timezone.now(), outcome=outcome,
                                                            detail=detail[:300])
            return outcome
    except Exception as exc:
        detail = f"{type(exc).__name__}: {exc}"[:300]
        if not attempts:  # failed before the event was read: count this try all the same
            attempts = (WebhookEvent.objects.filter(pk=event_id).values_list("attempts", flat=True).first() or 0) + 1
        if attempts < EVENT_MAX_ATTEMPTS:
            logger.warning("line.webhook.event_retry", extra={"event_id": event_id, "attempts": attempts,
                                                              "error": detail})
            with transaction.atomic():
                WebhookEvent.objects.filter(pk=event_id).update(attempts=attempts, detail=detail)
                jobs_enqueue(webhook_event_handle, [{"event_id": event_id}],
                             run_after=timezone.now() + retry_delay(attempts))
            return "retrying"
        logger.exception("line.webhook.event_failed", extra={"event_id": event_id})
        WebhookEvent.objects.filter(pk=event_id).update(handled_at=timezone.now(), outcome=WebhookOutcome.FAILED,
                                                        attempts=attempts, detail=detail)
        return WebhookOutcome.FAILED


@task()
def notify_send(kind: str, ids: list[int]) -> int:
    """Send ``kind`` for each booking (each ticket for ``your_turn``) of ``ids`` whose citizen is linked
    to LINE; returns how many messages were queued."""
    from raksa.messaging.notify import notify_run

    return notify_run(kind=kind, ids=ids)
