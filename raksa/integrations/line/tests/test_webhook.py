"""Webhook bodies built with line-bot-sdk's own event models and signed as LINE signs them."""

import base64
import hashlib
import hmac
import json

import pytest
from linebot.v3.webhooks import (
    DeliveryContext,
    EventMode,
    FollowDetail,
    FollowEvent,
    MessageEvent,
    PostbackContent,
    PostbackEvent,
    TextMessageContent,
    UnfollowEvent,
    UserSource,
)

from raksa.integrations.line.errors import WebhookMalformed, WebhookSignatureInvalid
from raksa.integrations.line.webhook import parse_webhook

SECRET = "test-channel-secret"
USER = "U4af4980629a1b2c3d4e5f60718293a4b"


@pytest.fixture(autouse=True)
def _channel_secret(settings):
    settings.LINE_CHANNEL_SECRET = SECRET


def sign(body: str, secret: str = SECRET) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body.encode("utf-8"), hashlib.sha256).digest()).decode()


def common(n: int, redelivery: bool = False) -> dict:
    return {"source": UserSource(user_id=USER), "timestamp": 1764400000000 + n, "mode": EventMode.ACTIVE,
            "webhook_event_id": f"01JDXK6Y5Q8Z3N0000000000{n:02d}",
            "delivery_context": DeliveryContext(is_redelivery=redelivery)}


def sdk_events():
    return [
        FollowEvent(**common(1), reply_token="rt-follow", follow=FollowDetail(is_unblocked=False)),
        PostbackEvent(**common(2), reply_token="rt-postback",
                      postback=PostbackContent(data="action=confirm&booking=BK-2569-0001")),
        MessageEvent(**common(3), reply_token="rt-message",
                     message=TextMessageContent(id="468789577898262530", text="สวัสดีครับ ขอจองคิว",
                                                quote_token="q3")),
        UnfollowEvent(**common(4, redelivery=True)),
    ]


def body_of(events: list[dict]) -> str:
    return json.dumps({"destination": "Ubot0000000000000000000000000000", "events": events}, ensure_ascii=False)


def test_signed_events_come_back_as_line_sent_them(caplog):
    events = [json.loads(event.to_json()) for event in sdk_events()]
    body = body_of(events)

    with caplog.at_level("INFO", logger="raksa.integrations.line.webhook"):
        parsed = parse_webhook(body=body, signature=sign(body))

    assert caplog.records == []  # the SDK's models read every one

    assert parsed == events
    assert [e["type"] for e in parsed] == ["follow", "postback", "message", "unfollow"]
    assert parsed[1]["postback"]["data"] == "action=confirm&booking=BK-2569-0001"
    assert parsed[2]["message"]["text"] == "สวัสดีครับ ขอจองคิว"
    assert parsed[2]["replyToken"] == "rt-message"
    assert {e["source"]["userId"] for e in parsed} == {USER}
    assert parsed[3]["deliveryContext"] == {"isRedelivery": True}


def test_the_signature_covers_the_utf8_bytes_of_an_ascii_escaped_body_too():
    events = [json.loads(sdk_events()[2].to_json())]
    body = json.dumps({"destination": "U0", "events": events})  # \\u0e2a… escapes, as LINE may send
    assert parse_webhook(body=body, signature=sign(body)) == events


def test_line_s_verify_request_has_no_events():
    body = '{"destination":"Ubot0000000000000000000000000000","events":[]}'
    assert parse_webhook(body=body, signature=sign(body)) == []


def test_an_event_type_the_sdk_does_not_know_comes_back_raw(caplog):
    future = {"type": "hologramShared", "mode": "active", "timestamp": 1764400000000, "webhookEventId": "01JDXK7",
              "deliveryContext": {"isRedelivery": False}, "source": {"type": "user", "userId": USER},
              "hologram": {"id": "h1"}}
    known = json.loads(sdk_events()[0].to_json())
    body = body_of([future, known])
    with caplog.at_level("INFO", logger="raksa.integrations.line.webhook"):
        assert parse_webhook(body=body, signature=sign(body)) == [future, known]
    assert [r.getMessage() for r in caplog.records] == [
        "LINE webhook event of a type the SDK does not know: hologramShared"]


def test_a_known_event_with_a_shape_the_sdk_refuses_is_passed_on_raw(caplog):
    """LINE adds message types over time: a message event the SDK cannot parse still reaches the caller."""
    event = json.loads(sdk_events()[2].to_json())
    event["message"] = {"type": "hologram", "id": "1"}
    body = body_of([event])
    assert parse_webhook(body=body, signature=sign(body)) == [event]
    [record] = caplog.records
    assert record.levelname == "WARNING"
    assert record.getMessage().startswith("LINE webhook message event the SDK could not parse")


def test_a_wrong_signature_an_edited_body_or_no_signature_is_refused():
    body = body_of([json.loads(event.to_json()) for event in sdk_events()])
    with pytest.raises(WebhookSignatureInvalid):
        parse_webhook(body=body, signature=sign(body, secret="another-channel-secret"))
    edited = body.replace("action=confirm", "action=cancel")
    assert edited != body
    with pytest.raises(WebhookSignatureInvalid):
        parse_webhook(body=edited, signature=sign(body))
    for missing in (None, ""):
        with pytest.raises(WebhookSignatureInvalid):
            parse_webhook(body=body, signature=missing)
    with pytest.raises(WebhookSignatureInvalid):
        parse_webhook(body=body, signature="ไม่ใช่ลายเซ็น")


def test_a_body_that_is_not_utf8_text_is_not_signed():
    with pytest.raises(WebhookSignatureInvalid):
        parse_webhook(body='{"events": []}\udc80', signature=sign('{"events": []}'))


def test_the_signature_is_checked_before_the_body_is_read():
    with pytest.raises(WebhookSignatureInvalid):
        parse_webhook(body="{not json", signature=sign("{}"))


@pytest.mark.parametrize("body", [
    "{not json",
    "",
    "[]",
    '{"destination": "U0"}',
    '{"events": {}}',
    '{"events": ["follow"]}',
    '{"events": [{"webhookEventId": "01J"}]}',
    '{"events": [{"type": "follow"}]}',
    '{"events": [{"type": 1, "webhookEventId": "01J"}]}',
])
def test_a_signed_body_that_is_not_line_s_shape_is_malformed(body):
    with pytest.raises(WebhookMalformed):
        parse_webhook(body=body, signature=sign(body))
