"""LINE's own SDK (line-bot-sdk v3, what Raksa's client uses) against the stand-in: its requests are
answered as LINE answers them, and the stand-in's webhook bodies parse with the SDK's models."""

import uuid

import pytest
from linebot.v3 import WebhookParser
from linebot.v3.exceptions import InvalidSignatureError
from linebot.v3.messaging import (
    ApiClient,
    ApiException,
    Configuration,
    FlexMessage,
    MessagingApi,
    MessagingApiBlob,
    PushMessageRequest,
    ReplyMessageRequest,
    RichMenuRequest,
    TextMessage,
)
from linebot.v3.webhooks import FollowEvent, MessageEvent, PostbackEvent, TextMessageContent, UnfollowEvent

from line_standin.demo_users import DEMO_USERS

SOMCHAI = DEMO_USERS[1].user_id
BUBBLE = {"type": "bubble", "body": {"type": "box", "layout": "vertical", "contents": [
    {"type": "text", "text": "ถึงคิวของคุณแล้ว", "weight": "bold"}]}}


@pytest.fixture
def sdk(line_standin):
    configuration = Configuration(host=line_standin.base_url, access_token=line_standin.channel_access_token)
    with ApiClient(configuration) as client:
        yield MessagingApi(client), MessagingApiBlob(client)


def test_the_sdk_pushes_once_per_retry_key(line_standin, sdk):
    api, _blob = sdk
    request = PushMessageRequest(to=SOMCHAI, messages=[
        TextMessage(text="นัดพรุ่งนี้ 10:30 น."),
        FlexMessage.from_dict({"type": "flex", "altText": "ถึงคิวของคุณแล้ว", "contents": BUBBLE})])
    key = str(uuid.uuid4())

    answer = api.push_message(request, x_line_retry_key=key)
    with pytest.raises(ApiException) as repeat:
        api.push_message(request, x_line_retry_key=key)

    assert len(answer.sent_messages) == 2
    assert repeat.value.status == 409
    assert repeat.value.headers["x-line-accepted-request-id"]
    received = [m["message"] for m in line_standin.messages(SOMCHAI)]
    assert [m["type"] for m in received] == ["text", "flex"] and received[1]["contents"] == BUBBLE


def test_the_sdk_sees_a_wrong_token_as_401(line_standin):
    configuration = Configuration(host=line_standin.base_url, access_token="wrong")
    with ApiClient(configuration) as client, pytest.raises(ApiException) as refused:
        MessagingApi(client).push_message(PushMessageRequest(to=SOMCHAI, messages=[TextMessage(text="x")]))
    assert refused.value.status == 401


def test_the_sdk_replies_reads_the_profile_and_sets_up_a_rich_menu(line_standin, sdk):
    api, blob = sdk
    token = line_standin.webhook(SOMCHAI, "message", text="help").json()["event"]["replyToken"]

    api.reply_message(ReplyMessageRequest(reply_token=token, messages=[TextMessage(text="ช่วยอะไรได้บ้าง")]))
    profile = api.get_profile(SOMCHAI)
    menu = api.create_rich_menu(RichMenuRequest.from_dict({
        "size": {"width": 2500, "height": 843}, "selected": True, "name": "Raksa", "chatBarText": "เมนู",
        "areas": [{"bounds": {"x": 0, "y": 0, "width": 2500, "height": 843},
                   "action": {"type": "uri", "label": "จองคิว", "uri": "http://127.0.0.1:8000/liff/"}}]}))
    blob.set_rich_menu_image(menu.rich_menu_id, body=bytearray(b"\x89PNG\r\n\x1a\n" + b"\0" * 32),
                             _headers={"Content-Type": "image/png"})
    api.set_default_rich_menu(menu.rich_menu_id)

    assert line_standin.messages(SOMCHAI)[-1]["message"]["text"] == "ช่วยอะไรได้บ้าง"
    assert profile.display_name == "สมชาย ศรีสุข" and profile.user_id == SOMCHAI
    assert api.get_default_rich_menu_id().rich_menu_id == menu.rich_menu_id
    assert [m.rich_menu_id for m in api.get_rich_menu_list().richmenus] == [menu.rich_menu_id]
    assert api.get_rich_menu(menu.rich_menu_id).areas[0].action.to_dict()["label"] == "จองคิว"


def test_the_stand_ins_webhook_bodies_parse_with_the_sdks_models(line_standin_factory, receiver):
    standin = line_standin_factory(raksa_url=receiver.url)
    parser = WebhookParser(standin.channel_secret)
    for kind, extra in (("follow", {}), ("message", {"text": "สวัสดี"}), ("postback", {"data": "action=confirm"}),
                        ("unfollow", {})):
        standin.webhook(SOMCHAI, kind, **extra)
    standin.redeliver(user_id=SOMCHAI)

    parsed = [parser.parse(body.decode(), headers["x-line-signature"]) for _path, headers, body in receiver.calls]

    events = [payload[0] for payload in parsed]
    assert [type(e) for e in events] == [FollowEvent, MessageEvent, PostbackEvent, UnfollowEvent, UnfollowEvent]
    assert isinstance(events[1].message, TextMessageContent) and events[1].message.text == "สวัสดี"
    assert events[2].postback.data == "action=confirm"
    assert all(e.source.user_id == SOMCHAI for e in events)
    assert events[4].delivery_context.is_redelivery and events[4].webhook_event_id == events[3].webhook_event_id
    _path, headers, body = receiver.calls[0]
    with pytest.raises(InvalidSignatureError):
        WebhookParser("another-secret").parse(body.decode(), headers["x-line-signature"])
