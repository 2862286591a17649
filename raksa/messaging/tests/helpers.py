"""Webhook bodies built with line-bot-sdk's own models, and linked citizens."""

from __future__ import annotations

import itertools
import json

from linebot.v3.webhooks import (
    CallbackRequest,
    DeliveryContext,
    FollowDetail,
    FollowEvent,
    MessageEvent,
    PostbackContent,
    PostbackEvent,
    TextMessageContent,
    UnfollowEvent,
    UserSource,
)

from raksa.people.models import Citizen

DESTINATION = "U" + "0" * 32
_ids = itertools.count(1)


def event_id() -> str:
    return f"01JRAKSATEST{next(_ids):014d}"


def _common(user_id: str, redelivery: bool = False, webhook_event_id: str | None = None) -> dict:
    return {"source": UserSource(type="user", userId=user_id), "timestamp": 1764400000000, "mode": "active",
            "webhookEventId": webhook_event_id or event_id(),
            "deliveryContext": DeliveryContext(isRedelivery=redelivery)}


def follow(user_id: str, **kw) -> FollowEvent:
    return FollowEvent(type="follow", replyToken=f"rt-{next(_ids)}", follow=FollowDetail(isUnblocked=False),
                       **_common(user_id, **kw))


def unfollow(user_id: str, **kw) -> UnfollowEvent:
    return UnfollowEvent(type="unfollow", **_common(user_id, **kw))


def text_message(user_id: str, text: str, **kw) -> MessageEvent:
    return MessageEvent(type="message", replyToken=f"rt-{next(_ids)}",
                        message=TextMessageContent(type="text", id=str(next(_ids)), text=text, quoteToken="q"),
                        **_common(user_id, **kw))


def postback(user_id: str, data: str, **kw) -> PostbackEvent:
    return PostbackEvent(type="postback", replyToken=f"rt-{next(_ids)}", postback=PostbackContent(data=data),
                         **_common(user_id, **kw))


def body(*events) -> str:
    return CallbackRequest(destination=DESTINATION, events=list(events)).to_json()


def raw_body(*events: dict) -> str:
    """A body with events the SDK has no model for (an unknown type)."""
    return json.dumps({"destination": DESTINATION, "events": list(events)})


def link(citizen: Citizen, user_id: str) -> Citizen:
    """Link a citizen to a LINE user as citizen_line_link leaves it: Citizen.line_user_id set."""
    Citizen.objects.filter(pk=citizen.pk).update(line_user_id=user_id)
    citizen.line_user_id = user_id
    return citizen


def user_id(n: int) -> str:
    return f"U{n:032x}"
