"""The Messaging API client against a real HTTP server on a thread that records what arrives."""

import contextlib
import socket
import threading
import uuid

import pytest

from raksa.integrations.line import client
from raksa.integrations.line.errors import LineApiError

from .http_server import RecordingServer

TOKEN = "test-channel-access-token"
TEXT = {"type": "text", "text": "นัดของคุณได้รับการยืนยันแล้ว"}
FLEX = {
    "type": "flex",
    "altText": "ยืนยันนัด",
    "contents": {
        "type": "bubble",
        "body": {"type": "box", "layout": "vertical", "contents": [{"type": "text", "text": "พรุ่งนี้ 09:00 น."}]},
        "footer": {
            "type": "box",
            "layout": "horizontal",
            "contents": [
                {"type": "button",
                 "action": {"type": "postback", "label": "ยืนยัน", "data": "action=confirm&booking=B1"}},
                {"type": "button", "action": {"type": "uri", "label": "QR", "uri": "https://liff.line.me/1-raksa/qr"}},
            ],
        },
    },
}


SENT = {"sentMessages": [{"id": "461230966842064897", "quotaConsumption": 1}]}  # LINE's 200 answer


@pytest.fixture
def line(settings):
    with RecordingServer() as server:
        server.answer("POST", "/v2/bot/message/push", 200, SENT)
        server.answer("POST", "/v2/bot/message/reply", 200, SENT)
        settings.LINE_API_BASE_URL = server.url
        settings.LINE_CHANNEL_ACCESS_TOKEN = TOKEN
        yield server


@pytest.fixture
def line_data(settings):
    with RecordingServer() as server:
        settings.LINE_API_DATA_BASE_URL = server.url + "/"
        yield server


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


def test_push_sends_the_token_the_retry_key_and_the_messages_as_line_defines_them(line):
    retry_key = str(uuid.uuid4())
    client.push_message(to="U1234", messages=[TEXT, FLEX], retry_key=retry_key)

    [request] = line.requests
    assert (request.method, request.path) == ("POST", "/v2/bot/message/push")
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert request.headers["x-line-retry-key"] == retry_key
    assert request.headers["content-type"] == "application/json"
    body = request.json()
    assert body["to"] == "U1234"
    assert body["messages"] == [TEXT, FLEX]  # LINE's camelCase shapes, through the SDK's models unchanged
    assert set(body) <= {"to", "messages", "notificationDisabled", "customAggregationUnits"}


def test_a_push_sent_again_with_an_accepted_retry_key_counts_as_delivered(line):
    line.answer("POST", "/v2/bot/message/push", 409, {"message": "The retry key is already accepted"},
                headers={"x-line-accepted-request-id": "req-1"})
    client.push_message(to="U1234", messages=[TEXT], retry_key=str(uuid.uuid4()))  # no error
    assert len(line.requests) == 1


def test_a_2xx_answer_the_sdk_cannot_read_still_counts_as_sent(line):
    line.answer("POST", "/v2/bot/message/push", 200, {"unexpected": True})
    client.push_message(to="U1234", messages=[TEXT], retry_key=str(uuid.uuid4()))  # no error
    assert len(line.requests) == 1


def test_a_push_that_cannot_be_sent_is_never_taken_for_sent(line, settings):
    with pytest.raises(LineApiError) as raised:
        client.push_message(to="U1234", messages=[TEXT], retry_key="คีย์")  # LINE wants a UUID
    assert raised.value.retryable is False
    settings.LINE_CHANNEL_ACCESS_TOKEN = "โทเคน"  # not a header value: http.client refuses it
    with pytest.raises(LineApiError) as raised:
        client.push_message(to="U1234", messages=[TEXT], retry_key=str(uuid.uuid4()))
    assert raised.value.retryable is False
    assert line.requests == []


def test_the_retry_key_may_be_a_uuid(line):
    retry_key = uuid.uuid4()
    client.push_message(to="U1234", messages=[TEXT], retry_key=retry_key)
    assert line.requests[0].headers["x-line-retry-key"] == str(retry_key)


@pytest.mark.parametrize("status", [500, 503, 429])
def test_server_errors_and_rate_limits_are_retryable(line, status):
    line.answer("POST", "/v2/bot/message/push", status, {"message": "try later"})
    with pytest.raises(LineApiError) as raised:
        client.push_message(to="U1234", messages=[TEXT], retry_key=str(uuid.uuid4()))
    assert raised.value.status == status
    assert raised.value.retryable is True
    assert "try later" in raised.value.detail
    assert len(line.requests) == 1  # one try: the job retries, not the SDK


@pytest.mark.parametrize("status", [400, 401, 403])
def test_other_client_errors_are_not_retryable(line, status):
    line.answer("POST", "/v2/bot/message/push", status, {"message": "The request body has 1 error(s)"})
    with pytest.raises(LineApiError) as raised:
        client.push_message(to="U1234", messages=[TEXT], retry_key=str(uuid.uuid4()))
    assert raised.value.status == status
    assert raised.value.retryable is False
    assert "The request body has 1 error(s)" in raised.value.detail


def test_line_unreachable_is_retryable(settings):
    settings.LINE_API_BASE_URL = closed_port_url()
    with pytest.raises(LineApiError) as raised:
        client.push_message(to="U1234", messages=[TEXT], retry_key=str(uuid.uuid4()))
    assert raised.value.status is None
    assert raised.value.retryable is True


def test_one_try_per_call_the_sdk_does_not_retry_on_its_own(settings):
    """A connection dropped without an answer: urllib3 would try a GET four times; the caller decides."""
    accepted = []
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.settimeout(0.5)  # the accept loop ends half a second after the last connection

        def drop_connections():
            with contextlib.suppress(OSError):
                while True:
                    connection, _ = listener.accept()
                    accepted.append(connection)
                    connection.close()

        thread = threading.Thread(target=drop_connections, daemon=True)
        thread.start()
        settings.LINE_API_BASE_URL = f"http://127.0.0.1:{listener.getsockname()[1]}"
        with pytest.raises(LineApiError) as raised:
            client.profile_get(user_id="U1234")
    thread.join()
    assert raised.value.retryable is True
    assert len(accepted) == 1


def test_a_slow_line_times_out_and_is_retryable(line, monkeypatch):
    monkeypatch.setattr(client, "TIMEOUT", (1.0, 0.2))
    line.answer("POST", "/v2/bot/message/push", 200, {}, delay=1.0)
    with pytest.raises(LineApiError) as raised:
        client.push_message(to="U1234", messages=[TEXT], retry_key=str(uuid.uuid4()))
    assert raised.value.status is None
    assert raised.value.retryable is True


def test_a_message_line_would_refuse_fails_before_any_request(line):
    with pytest.raises(LineApiError) as raised:
        client.push_message(to="U1234", messages=[{"type": "text"}], retry_key=str(uuid.uuid4()))
    assert raised.value.retryable is False
    assert line.requests == []


def test_reply_sends_the_reply_token_and_messages(line):
    client.reply_message(reply_token="rt-1", messages=[TEXT])
    [request] = line.requests
    assert (request.method, request.path) == ("POST", "/v2/bot/message/reply")
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert "x-line-retry-key" not in request.headers
    assert request.json()["replyToken"] == "rt-1"
    assert request.json()["messages"] == [TEXT]


def test_a_used_reply_token_is_not_retryable(line):
    line.answer("POST", "/v2/bot/message/reply", 400, {"message": "Invalid reply token"})
    with pytest.raises(LineApiError) as raised:
        client.reply_message(reply_token="rt-1", messages=[TEXT])
    assert (raised.value.status, raised.value.retryable) == (400, False)


def test_profile(line):
    line.answer("GET", "/v2/bot/profile/U1234", 200,
                {"userId": "U1234", "displayName": "สมศรี ใจดี", "pictureUrl": "https://profile.example/p.png",
                 "language": "th"})
    assert client.profile_get(user_id="U1234") == {
        "user_id": "U1234", "display_name": "สมศรี ใจดี", "picture_url": "https://profile.example/p.png"}
    line.answer("GET", "/v2/bot/profile/U5678", 200, {"userId": "U5678", "displayName": "ไม่มีรูป"})
    assert client.profile_get(user_id="U5678")["picture_url"] is None
    assert all(r.headers["authorization"] == f"Bearer {TOKEN}" for r in line.requests)


def test_profile_of_a_stranger_is_not_found(line):
    line.answer("GET", "/v2/bot/profile/U0000", 404, {"message": "Not found"})
    with pytest.raises(LineApiError) as raised:
        client.profile_get(user_id="U0000")
    assert (raised.value.status, raised.value.retryable) == (404, False)


MENU = {
    "size": {"width": 2500, "height": 843},
    "selected": True,
    "name": "raksa",
    "chatBarText": "เมนู",
    "areas": [
        {"bounds": {"x": 0, "y": 0, "width": 1250, "height": 843},
         "action": {"type": "uri", "label": "จองคิว", "uri": "https://liff.line.me/1-raksa/book"}},
        {"bounds": {"x": 1250, "y": 0, "width": 1250, "height": 843},
         "action": {"type": "uri", "label": "นัดของฉัน", "uri": "https://liff.line.me/1-raksa/bookings"}},
    ],
}
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


def test_rich_menu_setup_creates_uploads_to_the_data_host_sets_default_and_deletes_older_ones(line, line_data):
    line.answer("POST", "/v2/bot/richmenu", 200, {"richMenuId": "richmenu-new"})
    line.answer("GET", "/v2/bot/richmenu/list", 200, {"richmenus": [
        {**MENU, "richMenuId": "richmenu-old"},
        {**MENU, "richMenuId": "richmenu-new"},
        {**MENU, "name": "someone-else", "richMenuId": "richmenu-other"},
    ]})

    assert client.rich_menu_setup(menu=MENU, image_png=PNG) == "richmenu-new"

    assert [(r.method, r.path) for r in line.requests] == [
        ("POST", "/v2/bot/richmenu"),
        ("POST", "/v2/bot/user/all/richmenu/richmenu-new"),
        ("GET", "/v2/bot/richmenu/list"),
        ("DELETE", "/v2/bot/richmenu/richmenu-old"),
    ]
    assert line.requests[0].json()["areas"] == MENU["areas"]
    [upload] = line_data.requests
    assert (upload.method, upload.path) == ("POST", "/v2/bot/richmenu/richmenu-new/content")
    assert upload.headers["content-type"] == "image/png"
    assert upload.headers["authorization"] == f"Bearer {TOKEN}"
    assert upload.body == PNG


def test_rich_menu_setup_deletes_the_half_made_menu_when_the_upload_fails(line, line_data):
    line.answer("POST", "/v2/bot/richmenu", 200, {"richMenuId": "richmenu-new"})
    line_data.answer("POST", "/v2/bot/richmenu/richmenu-new/content", 400, {"message": "Invalid image"})
    with pytest.raises(LineApiError) as raised:
        client.rich_menu_setup(menu=MENU, image_png=b"not a png")
    assert (raised.value.status, raised.value.retryable) == (400, False)
    assert [(r.method, r.path) for r in line.requests] == [
        ("POST", "/v2/bot/richmenu"),
        ("DELETE", "/v2/bot/richmenu/richmenu-new"),
    ]
