"""The LINE endpoints Raksa calls, answered as LINE answers them (messaging-api.yml)."""

import uuid

from line_standin.demo_users import DEMO_USERS

SOMSRI = DEMO_USERS[0].user_id
TEXT = {"type": "text", "text": "นัดของคุณได้รับการยืนยันแล้ว"}


def push(standin, body, *, retry_key=None, token=None):
    headers = {"Authorization": f"Bearer {token or standin.channel_access_token}"}
    if retry_key:
        headers["X-Line-Retry-Key"] = retry_key
    return standin.post("/v2/bot/message/push", body, headers=headers)


def test_a_push_with_a_retry_key_is_delivered_once_and_a_repeat_is_told_409(line_standin):
    key = str(uuid.uuid4())
    first = push(line_standin, {"to": SOMSRI, "messages": [TEXT]}, retry_key=key)
    again = push(line_standin, {"to": SOMSRI, "messages": [TEXT]}, retry_key=key)

    assert first.status == 200
    sent = first.json()["sentMessages"]
    assert len(sent) == 1 and sent[0]["id"].isdigit() and sent[0]["quoteToken"]
    assert again.status == 409
    assert again.json()["message"] == "The retry key is already accepted"
    assert again.headers["x-line-accepted-request-id"] == first.headers["x-line-request-id"]
    assert again.json()["sentMessages"] == sent
    received = line_standin.messages(SOMSRI)
    assert [m["message"] for m in received] == [TEXT]
    assert received[0]["via"] == "push" and received[0]["retry_key"] == key
    assert line_standin.stats()["pushes_delivered"] == 1 and line_standin.stats()["retry_keys"] == 1


def test_a_push_without_a_retry_key_is_delivered_each_time(line_standin):
    assert push(line_standin, {"to": SOMSRI, "messages": [TEXT]}).status == 200
    assert push(line_standin, {"to": SOMSRI, "messages": [TEXT, TEXT]}).status == 200
    assert len(line_standin.messages(SOMSRI)) == 3


def test_a_wrong_or_missing_token_is_401_and_delivers_nothing(line_standin):
    wrong = push(line_standin, {"to": SOMSRI, "messages": [TEXT]}, token="not-the-token")
    missing = line_standin.post("/v2/bot/message/push", {"to": SOMSRI, "messages": [TEXT]})

    assert wrong.status == 401 and missing.status == 401
    assert wrong.json()["message"].startswith("Authentication failed")
    assert line_standin.messages(SOMSRI) == []


def test_malformed_bodies_are_400_in_lines_shape_and_deliver_nothing(line_standin):
    headers = {**line_standin.bot_headers(), "Content-Type": "application/json"}
    not_json = line_standin.request("POST", "/v2/bot/message/push", data=b"{to:", headers=headers)
    no_to = push(line_standin, {"messages": [TEXT]})
    bad_to = push(line_standin, {"to": "someone", "messages": [TEXT]})
    no_messages = push(line_standin, {"to": SOMSRI, "messages": []})
    six = push(line_standin, {"to": SOMSRI, "messages": [TEXT] * 6})
    empty_text = push(line_standin, {"to": SOMSRI, "messages": [{"type": "text", "text": ""}]})
    flex_without_alt = push(line_standin, {"to": SOMSRI, "messages": [
        {"type": "flex", "contents": {"type": "bubble"}}]})
    bad_key = push(line_standin, {"to": SOMSRI, "messages": [TEXT]}, retry_key="not-a-uuid")

    for answer in (not_json, no_to, bad_to, no_messages, six, empty_text, flex_without_alt, bad_key):
        assert answer.status == 400, answer.body
        assert isinstance(answer.json()["message"], str)
    assert no_to.json() == {"message": "The request body has 1 error(s)",
                            "details": [{"message": "must be specified", "property": "to"}]}
    assert empty_text.json()["details"][0]["property"] == "messages[0].text"
    assert flex_without_alt.json()["details"][0]["property"] == "messages[0].altText"
    assert line_standin.messages(SOMSRI) == [] and line_standin.stats()["pushes_delivered"] == 0


def test_profile_of_a_known_user_and_404_for_an_unknown_one(line_standin):
    known = line_standin.get(f"/v2/bot/profile/{SOMSRI}", headers=line_standin.bot_headers())
    unknown = line_standin.get(f"/v2/bot/profile/U{'0' * 32}", headers=line_standin.bot_headers())

    assert known.status == 200
    assert known.json()["displayName"] == "สมศรี ใจดี" and known.json()["userId"] == SOMSRI
    assert known.json()["pictureUrl"].startswith(line_standin.base_url)
    assert line_standin.get(known.json()["pictureUrl"].removeprefix(line_standin.base_url)).status == 200
    assert unknown.status == 404 and unknown.json() == {"message": "Not found"}


MENU = {
    "size": {"width": 2500, "height": 1686}, "selected": True, "name": "Raksa", "chatBarText": "เมนู",
    "areas": [
        {"bounds": {"x": 0, "y": 0, "width": 1250, "height": 843},
         "action": {"type": "uri", "label": "จองคิว", "uri": "http://127.0.0.1:8000/liff/book"}},
        {"bounds": {"x": 1250, "y": 0, "width": 1250, "height": 843},
         "action": {"type": "postback", "label": "นัดของฉัน", "data": "action=bookings"}},
    ],
}
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def test_rich_menu_create_upload_set_default_list_and_delete(line_standin):
    bot = line_standin.bot_headers()
    created = line_standin.post("/v2/bot/richmenu", MENU, headers=bot)
    menu_id = created.json()["richMenuId"]
    too_early = line_standin.post(f"/v2/bot/user/all/richmenu/{menu_id}", {}, headers=bot)
    upload = line_standin.request("POST", f"/v2/bot/richmenu/{menu_id}/content", data=PNG,
                                  headers={**bot, "Content-Type": "image/png"})
    upload_again = line_standin.request("POST", f"/v2/bot/richmenu/{menu_id}/content", data=PNG,
                                        headers={**bot, "Content-Type": "image/png"})
    set_default = line_standin.post(f"/v2/bot/user/all/richmenu/{menu_id}", {}, headers=bot)

    assert created.status == 200 and menu_id.startswith("richmenu-")
    assert too_early.status == 400  # LINE: the image first
    assert upload.status == 200 and upload_again.status == 400
    assert set_default.status == 200
    assert line_standin.get("/v2/bot/user/all/richmenu", headers=bot).json() == {"richMenuId": menu_id}
    listed = line_standin.get("/v2/bot/richmenu/list", headers=bot).json()["richmenus"]
    assert [m["richMenuId"] for m in listed] == [menu_id] and listed[0]["areas"] == MENU["areas"]
    assert line_standin.get(f"/v2/bot/richmenu/{menu_id}/content", headers=bot).body == PNG
    viewer_menu = line_standin.get("/_standin/rich-menu").json()["richMenu"]
    assert viewer_menu["richMenuId"] == menu_id and line_standin.get(viewer_menu["imageUrl"]).body == PNG

    assert line_standin.request("DELETE", f"/v2/bot/richmenu/{menu_id}", headers=bot).status == 200
    assert line_standin.get("/v2/bot/richmenu/list", headers=bot).json() == {"richmenus": []}
    assert line_standin.get("/v2/bot/user/all/richmenu", headers=bot).status == 404
    assert line_standin.get(f"/v2/bot/richmenu/{menu_id}", headers=bot).status == 404


def test_a_bad_rich_menu_is_400_and_not_created(line_standin):
    bot = line_standin.bot_headers()
    bad = line_standin.post("/v2/bot/richmenu", {**MENU, "chatBarText": "ข้อความยาวเกินสิบสี่ตัวอักษร",
                                                 "areas": [{"bounds": {"x": 0}, "action": {"type": "uri"}}]},
                            headers=bot)
    unauthorised = line_standin.post("/v2/bot/richmenu", MENU)

    assert bad.status == 400
    assert {d["property"] for d in bad.json()["details"]} == {"chatBarText", "areas[0].bounds", "areas[0].action.uri"}
    assert unauthorised.status == 401
    assert line_standin.get("/v2/bot/richmenu/list", headers=bot).json() == {"richmenus": []}
