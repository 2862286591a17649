"""Writes of the messaging app: messages to send, webhook events received, LINE contacts.

Audit: following or blocking the account is a citizen's choice and gets its audit row. The messages
and webhook events are not audited row by row: each table is itself the record (who, what, when, what
became of it), and what a webhook event changes (a booking confirmed in LINE) is audited by the service
that changes it.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from raksa.audit.services import audit_record, line_actor
from raksa.core.db import prepared_cursor
from raksa.core.errors import InvalidInput
from raksa.messaging.jobs import JOB_COLUMNS, JOB_TABLE, jobs_enqueue, uses_job_table
from raksa.messaging.models import LineContact, MessageStatus, OutboundMessage, WebhookEvent

logger = logging.getLogger(__name__)


def message_send(*, line_user_id: str, kind: str, messages: list[dict], citizen_id: int | None = None,
                 dedupe_key: str | None = None) -> OutboundMessage | None:
    """Record a push to ``line_user_id`` and queue its job (``tasks.push_send``), in the caller's
    transaction: the job row commits or rolls back with the caller's change. A user who blocked the
    account gets nothing (the row is kept as ``skipped``). With ``dedupe_key`` the message goes once:
    a second call with the same key returns None and writes nothing."""
    from raksa.messaging.tasks import push_send

    with transaction.atomic():
        following = (LineContact.objects.filter(line_user_id=line_user_id)
                     .values_list("following", flat=True).first())
        status = MessageStatus.SKIPPED if following is False else MessageStatus.QUEUED
        try:
            with transaction.atomic():
                message = OutboundMessage.objects.create(
                    kind=kind, line_user_id=line_user_id, citizen_id=citizen_id, messages=messages,
                    dedupe_key=dedupe_key, status=status)
        except IntegrityError:
            if dedupe_key and OutboundMessage.objects.filter(dedupe_key=dedupe_key).exists():
                return None
            raise
        if status == MessageStatus.QUEUED:
            jobs_enqueue(push_send, [{"message_id": message.pk}])
    return message


# One statement on PostgreSQL: the new events (a known webhookEventId is skipped) and one job row for
# each new one; atomic as any single statement, and planned once per connection (prepared_cursor).
ACCEPT_SQL = f"""
WITH incoming AS (
    SELECT e.id, e.type, e.payload FROM jsonb_to_recordset(%s::jsonb) AS e(id text, type text, payload jsonb)
), new AS (
    INSERT INTO messaging_webhookevent (webhook_event_id, type, payload, received_at, outcome, detail)
    SELECT id, type, payload, %s, '', '' FROM incoming
    ON CONFLICT (webhook_event_id) DO NOTHING
    RETURNING id
), jobs AS (
    INSERT INTO {JOB_TABLE} ({JOB_COLUMNS})
    SELECT gen_random_uuid(), 'READY', %s, NULL, NULL,
           jsonb_build_object('args', '[]'::jsonb, 'kwargs', jsonb_build_object('event_id', new.id)),
           %s, %s, '[]'::jsonb, %s, %s, %s, NULL, '', ''
    FROM new
)
SELECT count(*) FROM new
"""

INSERT_EVENT_SQL = ("INSERT INTO messaging_webhookevent (webhook_event_id, type, payload, received_at, outcome,"
                    " detail) VALUES (%s, %s, %s, %s, '', '') ON CONFLICT (webhook_event_id) DO NOTHING RETURNING id")


_NOT_STORABLE = re.compile(r"\\u0000|\\ud[89a-f]", re.IGNORECASE)


def storable_json(value: Any) -> str:
    """``value`` as JSON that PostgreSQL's jsonb (and SQLite) will hold: a NUL character or a lone
    surrogate (valid JSON escapes a user may send, which jsonb refuses) becomes U+FFFD, so one odd message
    never fails a whole webhook call. Values that are not JSON types (the SDK's enums) become strings."""
    text = json.dumps(value, default=str)
    if not _NOT_STORABLE.search(text):
        return text
    return json.dumps(_clean(value), default=str)


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return "".join("\ufffd" if c == "\x00" or "\ud800" <= c <= "\udfff" else c for c in value)
    if isinstance(value, dict):
        return {_clean(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def webhook_events_check(*, events: list[dict[str, Any]]) -> None:
    """WEBHOOK_MALFORMED (an InvalidInput) unless every event has a ``webhookEventId`` and a ``type``."""
    for event in events:
        event_id, kind = event.get("webhookEventId"), event.get("type")
        if not isinstance(event_id, str) or not event_id or len(event_id) > 64 or not isinstance(kind, str):
            raise InvalidInput("Every event needs a webhookEventId and a type.",
                               "ทุกเหตุการณ์ต้องมี webhookEventId และ type", code="WEBHOOK_MALFORMED")


def webhook_events_accept(*, events: list[dict[str, Any]]) -> int:
    """Store the events of one webhook call (or of several, together) and queue one job per new event
    (``tasks.webhook_event_handle``), in one transaction; an event whose ``webhookEventId`` was seen
    before (LINE's redelivery) is skipped, so each is handled once. Returns how many were new.
    WEBHOOK_MALFORMED (nothing written) if an event has no ``webhookEventId`` or ``type``."""
    from raksa.messaging.jobs import NEVER
    from raksa.messaging.tasks import webhook_event_handle

    webhook_events_check(events=events)
    rows: dict[str, tuple[str, dict]] = {}
    for event in events:
        rows.setdefault(event["webhookEventId"], (event["type"][:32], event))
    if not rows:
        return 0
    now = timezone.now()
    task = webhook_event_handle
    incoming = storable_json([{"id": i, "type": k, "payload": e} for i, (k, e) in rows.items()])
    if connection.vendor == "postgresql" and uses_job_table(task):
        with prepared_cursor(ACCEPT_SQL, [incoming, now, now, task.priority, task.module_path, task.queue_name,
                                          task.backend, NEVER]) as cursor:
            return cursor.fetchone()[0]
    ops = connection.ops
    new: list[int] = []
    with transaction.atomic(), connection.cursor() as cursor:
        for row in json.loads(incoming):
            cursor.execute(INSERT_EVENT_SQL, [row["id"], row["type"], ops.adapt_json_value(row["payload"], None),
                                              ops.adapt_datetimefield_value(now)])
            row = cursor.fetchone()
            if row is not None:
                new.append(row[0])
        jobs_enqueue(task, [{"event_id": pk} for pk in new])
    return len(new)


@transaction.atomic
def line_contact_follow(*, line_user_id: str, now: dt.datetime | None = None) -> LineContact:
    """The user added the official account as a friend (or unblocked it)."""
    now = now or timezone.now()
    contact, _ = LineContact.objects.select_for_update().get_or_create(line_user_id=line_user_id)
    contact.following, contact.followed_at = True, now
    contact.save(update_fields=["following", "followed_at"])
    audit_record(actor=None, actor_label=line_actor(line_user_id), action="line.follow", obj=contact,
                 after={"following": True})
    return contact


@transaction.atomic
def line_contact_unfollow(*, line_user_id: str, now: dt.datetime | None = None) -> LineContact:
    """The user blocked the account: nothing more is pushed to them (queued messages are skipped)."""
    now = now or timezone.now()
    contact, _ = LineContact.objects.select_for_update().get_or_create(line_user_id=line_user_id)
    contact.following, contact.unfollowed_at = False, now
    contact.save(update_fields=["following", "unfollowed_at"])
    audit_record(actor=None, actor_label=line_actor(line_user_id), action="line.unfollow", obj=contact,
                 after={"following": False})
    return contact


STALE_AFTER = dt.timedelta(minutes=10)  # far longer than a push's longest backoff (30 s) and its run


def outbound_requeue_stale(*, now: dt.datetime | None = None) -> int:
    """Queue again the pushes still ``queued`` with nothing done to them for ``STALE_AFTER``: their job
    was lost (a worker killed in the middle of a push). Sending twice is harmless: the same retry key is
    delivered once by LINE, and a job finding the message no longer queued does nothing. Run by
    ``manage.py booking_sweep`` every minute. Returns how many."""
    from raksa.messaging.tasks import push_send

    now = now or timezone.now()
    stale = list(OutboundMessage.objects.filter(status=MessageStatus.QUEUED, updated_at__lt=now - STALE_AFTER)
                 .order_by("pk").values_list("pk", flat=True)[:500])
    with transaction.atomic():
        jobs_enqueue(push_send, [{"message_id": pk} for pk in stale])
        OutboundMessage.objects.filter(pk__in=stale).update(updated_at=now)
    if stale:
        logger.warning("line.push.requeued", extra={"messages": len(stale)})
    return len(stale)


def webhook_events_requeue_stale(*, now: dt.datetime | None = None) -> int:
    """Queue again the webhook events not handled and untouched for ``STALE_AFTER`` (their job was lost: a
    worker killed in the middle), so that a citizen's tap is never dropped. Run by ``manage.py booking_sweep``
    every minute. Returns how many."""
    from django.db.models import Q

    from raksa.messaging.tasks import webhook_event_handle

    now = now or timezone.now()
    cutoff = now - STALE_AFTER
    stale = list(WebhookEvent.objects.filter(handled_at__isnull=True)
                 .filter(Q(tried_at__lt=cutoff) | Q(tried_at__isnull=True, received_at__lt=cutoff))
                 .order_by("pk").values_list("pk", flat=True)[:500])
    with transaction.atomic():
        jobs_enqueue(webhook_event_handle, [{"event_id": pk} for pk in stale])
        WebhookEvent.objects.filter(pk__in=stale).update(tried_at=now)
    if stale:
        logger.warning("line.webhook.requeued", extra={"events": len(stale)})
    return len(stale)
