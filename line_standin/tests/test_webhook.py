"""Webhook events built, signed and posted to Raksa as LINE does (webhook.yml); reply tokens work once."""

import base64
import hashlib
import hmac
import json
import re
import time

from line_standin.demo_users import DEMO_USERS

SOMCHAI = DEMO_USERS[1].user_id
ULID = re.compile(r"^[0-9A-HJKMNP-TV-Z]{26}$")


def signed_body(receiver, secret):
    """The one body the receiver got, after checking its X-Line-Signature with the channel secret."""
    path, headers, body = receiver.calls[-1]
    expected = base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()
    assert path == "/line/webhook"
    assert headers["x-line-signature"] == expected
    assert headers["content-type"].startswith("application/json")
    return json.loads(body)


def test_a_message_is_signed_and_shaped_as_line_sends_it(line_standin_factory, receiver):
    standin = line_standin_factory(raksa_url=receiver.url)

    answer = standin.webhook(SOMCHAI, "message", text="สวัสดีครับ")

    assert answer.status == 200 and answer.json()["status"] == 200
    body = signed_body(receiver, standin.channel_secret)
    assert re.match(r"^U[0-9a-f]{32}$", body["destination"]) and body["destination"] != SOMCHAI
    (event,) = body["events"]
    assert event["type"] == "message" and event["mode"] == "active"
    assert ULID.match(event["webhookEventId"]) and event["webhookEventId"] == answer.json()["webhookEventId"]
    assert event["deliveryContext"] == {"isRedelivery": False}
    assert isinstance(event["timestamp"], int) and event["timestamp"] > 1_600_000_000_000
    assert event["source"] == {"type": "user", "userId": SOMCHAI}
    assert re.match(r"^[0-9a-f]{32}$", event["replyToken"])
    message = event["message"]
    assert message["type"] == "text" and message["text"] == "สวัสดีครับ"
    assert message["id"].isdigit() and message["quoteToken"]


def test_follow_postback_and_unfollow_events(line_standin_factory, receiver):
    standin = line_standin_factory(raksa_url=receiver.url)

    standin.webhook(SOMCHAI, "follow")
    follow = signed_body(receiver, standin.channel_secret)["events"][0]
    standin.webhook(SOMCHAI, "postback", data="action=confirm&booking=B-123")
    postback = signed_body(receiver, standin.channel_secret)["events"][0]
    standin.webhook(SOMCHAI, "unfollow")
    unfollow = signed_body(receiver, standin.channel_secret)["events"][0]
    standin.webhook(SOMCHAI, "follow")
    refollow = signed_body(receiver, standin.channel_secret)["events"][0]

    assert follow["type"] == "follow" and follow["follow"] == {"isUnblocked": False} and follow["replyToken"]
    assert postback["type"] == "postback" and postback["postback"] == {"data": "action=confirm&booking=B-123"}
    assert unfollow["type"] == "unfollow" and "replyToken" not in unfollow
    assert refollow["follow"] == {"isUnblocked": True}
    assert len({e["webhookEventId"] for e in (follow, postback, unfollow, refollow)}) == 4
    assert [u["following"] for u in standin.users() if u["userId"] == SOMCHAI] == [True]


def test_redelivery_sends_the_same_event_marked_as_redelivered(line_standin_factory, receiver):
    standin = line_standin_factory(raksa_url=receiver.url)
    first = standin.webhook(SOMCHAI, "postback", data="action=decline&booking=B-9").json()["event"]

    again = standin.redeliver(user_id=SOMCHAI)

    assert again.status == 200
    redelivered = signed_body(receiver, standin.channel_secret)["events"][0]
    assert redelivered["webhookEventId"] == first["webhookEventId"]
    assert redelivered["deliveryContext"] == {"isRedelivery": True}
    assert redelivered["postback"] == first["postback"] and redelivered["timestamp"] == first["timestamp"]
    assert standin.redeliver(webhook_event_id="01NOSUCHEVENT0000000000000").status == 404


def test_raksas_status_comes_back_and_an_absent_raksa_is_502(line_standin_factory, receiver):
    standin = line_standin_factory(raksa_url=receiver.url)
    nowhere = line_standin_factory()  # its Raksa URL is a port where nothing listens
    receiver.status = 400

    refused = standin.webhook(SOMCHAI, "message", text="x")
    absent = nowhere.webhook(SOMCHAI, "message", text="x")

    assert refused.status == 400 and refused.json()["status"] == 400
    assert absent.status == 502 and absent.json()["status"] is None


def test_bad_stand_in_requests_are_400_and_send_nothing(line_standin_factory, receiver):
    standin = line_standin_factory(raksa_url=receiver.url)

    answers = [standin.webhook("nobody", "follow"), standin.webhook(SOMCHAI, "join"),
               standin.webhook(SOMCHAI, "message"), standin.webhook(SOMCHAI, "postback"),
               standin.request("POST", "/_standin/webhook", data=b"not json")]

    assert [a.status for a in answers] == [400] * 5
    assert receiver.calls == []


def test_a_reply_token_from_an_event_works_once(line_standin_factory, receiver):
    standin = line_standin_factory(raksa_url=receiver.url)
    token = standin.webhook(SOMCHAI, "message", text="ช่วยด้วย").json()["event"]["replyToken"]
    reply = {"replyToken": token, "messages": [{"type": "text", "text": "พิมพ์ 'นัด' เพื่อดูนัดของคุณ"}]}

    first = standin.post("/v2/bot/message/reply", reply, headers=standin.bot_headers())
    second = standin.post("/v2/bot/message/reply", reply, headers=standin.bot_headers())
    made_up = standin.post("/v2/bot/message/reply", {**reply, "replyToken": "0" * 32}, headers=standin.bot_headers())
    no_token = standin.post("/v2/bot/message/reply", reply)

    assert first.status == 200 and first.json()["sentMessages"][0]["id"].isdigit()
    assert second.status == 400 and second.json() == {"message": "Invalid reply token"}
    assert made_up.status == 400 and no_token.status == 401
    received = standin.messages(SOMCHAI)
    assert [(m["via"], m["message"]["text"]) for m in received] == [("reply", "พิมพ์ 'นัด' เพื่อดูนัดของคุณ")]
    chat = standin.get(f"/_standin/chat?user_id={SOMCHAI}").json()["items"]
    assert [(i["sender"], i["via"]) for i in chat] == [("user", "message"), ("bot", "reply")]


def test_an_expired_reply_token_is_refused(line_standin_factory, receiver):
    standin = line_standin_factory(raksa_url=receiver.url, args=["--reply-token-seconds", "0"])
    token = standin.webhook(SOMCHAI, "follow").json()["event"]["replyToken"]
    time.sleep(0.01)
    answer = standin.post("/v2/bot/message/reply", {"replyToken": token, "messages": [{"type": "text", "text": "x"}]},
                          headers=standin.bot_headers())
    assert answer.status == 400
