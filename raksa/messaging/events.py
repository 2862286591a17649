"""What Raksa does with each kind of LINE webhook event (run by ``tasks.webhook_event_handle``).

* follow: the contact follows; a greeting by reply (with an invitation to link the ID card when not linked);
* unfollow: the contact stops following: nothing more is pushed;
* postback ``action=confirm|decline|cancel&booking=<reference>``: the booking services act as the
  citizen, only when this LINE user is linked to the booking's citizen (else a polite reply);
* message: a short help text, as a reply;
* anything else: ignored and logged.

Replies use the event's reply token (free, but valid about a minute); when the reply fails (a late
job, a used token) the answer is pushed instead, so the citizen hears it either way.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import parse_qs

from raksa.messaging import flex, line_api
from raksa.messaging.models import MessageKind, WebhookOutcome
from raksa.messaging.services import line_contact_follow, line_contact_unfollow, message_send

logger = logging.getLogger(__name__)


def event_handle(kind: str, event: dict[str, Any]) -> tuple[str, str]:
    """(outcome, detail) of handling one event."""
    user_id = (event.get("source") or {}).get("userId")
    handler = HANDLERS.get(kind)
    if handler is None:
        logger.info("line.webhook.ignored", extra={"type": kind})
        return WebhookOutcome.IGNORED, f"unknown event type {kind!r}"
    if not user_id:
        logger.info("line.webhook.ignored", extra={"type": kind, "reason": "no userId"})
        return WebhookOutcome.IGNORED, "no source.userId (not a one-to-one chat)"
    return handler(user_id, event)


def answer(user_id: str, event: dict[str, Any], messages: list[dict], *, citizen_id: int | None = None,
           kind: str = MessageKind.REPLY) -> None:
    """Reply with the event's token; push the same messages if that fails."""
    token = event.get("replyToken")
    if token:
        try:
            line_api.reply_message(reply_token=token, messages=messages)
            return
        except Exception as exc:
            logger.info("line.reply.failed_pushing_instead", extra={"error": f"{type(exc).__name__}: {exc}"})
    message_send(line_user_id=user_id, kind=kind, messages=messages, citizen_id=citizen_id)


def _citizen_of(user_id: str):
    from raksa.people.models import Citizen

    return Citizen.objects.filter(line_user_id=user_id).only("pk").first()


def on_follow(user_id: str, event: dict[str, Any]) -> tuple[str, str]:
    line_contact_follow(line_user_id=user_id)
    citizen = _citizen_of(user_id)
    answer(user_id, event, flex.help_text() if citizen else flex.greeting(), citizen_id=citizen.pk if citizen else None,
           kind=MessageKind.GREETING)  # a reply: at once, free, and before anything queued after it
    return WebhookOutcome.HANDLED, "followed"


def on_unfollow(user_id: str, event: dict[str, Any]) -> tuple[str, str]:
    line_contact_unfollow(line_user_id=user_id)
    return WebhookOutcome.HANDLED, "unfollowed"


def on_message(user_id: str, event: dict[str, Any]) -> tuple[str, str]:
    answer(user_id, event, flex.help_text())
    return WebhookOutcome.HANDLED, "help sent"


def on_postback(user_id: str, event: dict[str, Any]) -> tuple[str, str]:
    from raksa.messaging.postbacks import postback_act

    data = str((event.get("postback") or {}).get("data") or "")
    query = parse_qs(data, max_num_fields=5)
    action, reference = (query.get("action") or [""])[0], (query.get("booking") or [""])[0]
    outcome, detail, messages, citizen_id = postback_act(user_id=user_id, action=action, reference=reference)
    answer(user_id, event, messages, citizen_id=citizen_id)
    return outcome, detail


HANDLERS = {"follow": on_follow, "unfollow": on_unfollow, "message": on_message, "postback": on_postback}
