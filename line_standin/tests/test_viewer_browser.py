"""The chat viewer and the LIFF shim in Debian Chromium: what a demo visitor sees and does."""

import json

import pytest
from playwright import sync_api as playwright_sync

from line_standin.demo_users import DEMO_USERS
from raksa.testing.browser import BROWSER_MARKS, DESKTOP, chromium_page

pytestmark = BROWSER_MARKS

SOMSRI = DEMO_USERS[0]
BUBBLE = {
    "type": "bubble",
    "header": {"type": "box", "layout": "vertical", "contents": [
        {"type": "text", "text": "ยืนยันการจองแล้ว", "weight": "bold", "color": "#ffffff"}],
        "backgroundColor": "#06c755"},
    "body": {"type": "box", "layout": "vertical", "spacing": "md", "contents": [
        {"type": "text", "text": "ร้านยารักษ์สุขภาพ", "size": "xl", "weight": "bold", "wrap": True},
        {"type": "box", "layout": "baseline", "contents": [
            {"type": "text", "text": "เวลา", "flex": 2, "color": "#888888"},
            {"type": "text", "text": "10:30 น.", "flex": 5}]},
        {"type": "separator"}]},
    "footer": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": [
        {"type": "button", "style": "primary",
         "action": {"type": "postback", "label": "ยืนยันนัด", "data": "action=confirm&booking=B-42",
                    "displayText": "ยืนยันนัด"}},
        {"type": "button", "style": "link",
         "action": {"type": "uri", "label": "QR ยืนยันสิทธิ์", "uri": "https://liff.line.me/1650000001-raksa/qr"}}]},
}


@pytest.fixture
def viewer(monkeypatch):
    with chromium_page(monkeypatch, DESKTOP) as page:
        yield page


def events(receiver):
    return [event for _path, _headers, body in receiver.calls for event in json.loads(body)["events"]]


def test_the_viewer_lists_users_draws_a_pushed_bubble_and_its_postback_reaches_raksa(
        viewer, line_standin_factory, receiver):
    expect = playwright_sync.expect
    standin = line_standin_factory(raksa_url=receiver.url)
    receiver.standin_url = standin.base_url
    pushed = standin.post("/v2/bot/message/push", {"to": SOMSRI.user_id, "messages": [
        {"type": "text", "text": "สวัสดีค่ะ"}, {"type": "flex", "altText": "ยืนยันการจองแล้ว", "contents": BUBBLE}]},
        headers=standin.bot_headers())
    assert pushed.status == 200

    viewer.goto(standin.base_url + "/")
    for user in DEMO_USERS:
        expect(viewer.get_by_role("button", name=user.display_name)).to_be_visible()
    viewer.get_by_role("button", name=SOMSRI.display_name).click()

    chat = viewer.locator("#chat")
    expect(chat.get_by_text("สวัสดีค่ะ")).to_be_visible()
    bubble = chat.locator(".flex-bubble")
    expect(bubble.get_by_text("ร้านยารักษ์สุขภาพ")).to_be_visible()
    expect(bubble.get_by_text("10:30 น.")).to_be_visible()
    expect(bubble.get_by_role("button", name="ยืนยันนัด")).to_be_visible()
    viewer.screenshot(path="/tmp/line-standin-viewer.png")

    # Not a friend yet: the viewer says so; adding the account sends the follow event.
    expect(viewer.locator("#not-friend")).to_be_visible()
    viewer.locator("#follow-big").click()
    expect(chat.get_by_text("คุณเพิ่มบัญชีเป็นเพื่อนแล้ว")).to_be_visible()
    bubble.get_by_role("button", name="ยืนยันนัด").click()
    expect(chat.locator(".row-user").get_by_text("ยืนยันนัด")).to_be_visible()
    assert [(e["type"], e.get("postback")) for e in events(receiver)] == [
        ("follow", None), ("postback", {"data": "action=confirm&booking=B-42"})]

    # A text typed in the composer is a message event; a bot reply to it appears by itself (polling).
    viewer.get_by_placeholder("พิมพ์ข้อความ (Aa)").fill("ขอดูนัด")
    viewer.get_by_role("button", name="ส่ง", exact=True).click()
    expect(chat.locator(".row-user").get_by_text("ขอดูนัด")).to_be_visible()
    message = events(receiver)[-1]
    assert message["message"]["text"] == "ขอดูนัด"
    replied = standin.post("/v2/bot/message/reply", {"replyToken": message["replyToken"], "messages": [
        {"type": "text", "text": "นัดถัดไปของคุณ: พรุ่งนี้ 10:30 น."}]}, headers=standin.bot_headers())
    assert replied.status == 200
    expect(chat.get_by_text("นัดถัดไปของคุณ: พรุ่งนี้ 10:30 น.")).to_be_visible()

    # A message to another user marks that user's chat in the list (refreshed every few seconds).
    somchai = DEMO_USERS[1]
    standin.post("/v2/bot/message/push", {"to": somchai.user_id, "messages": [
        {"type": "flex", "altText": "หน่วยบริการจองคิวให้คุณ: โปรดยืนยัน", "contents": BUBBLE}]},
        headers=standin.bot_headers())
    somchai_button = viewer.get_by_role("button", name=somchai.display_name)
    expect(somchai_button.locator(".user-news")).to_have_text("ใหม่หน่วยบริการจองคิวให้คุณ: โปรดยืนยัน", timeout=10_000)
    somchai_button.click()
    expect(chat.locator(".flex-bubble")).to_have_count(1)
    expect(viewer.get_by_role("button", name=SOMSRI.display_name).locator(".user-news")).to_have_count(0)


@pytest.mark.parametrize("raksa_host", ["127.0.0.1", "localhost"])  # pytest-django's live_server is localhost
def test_the_phone_frame_opens_liff_pages_as_the_user_with_the_shim(viewer, line_standin_factory, receiver,
                                                                    raksa_host):
    expect = playwright_sync.expect
    receiver.url = receiver.url.replace("127.0.0.1", raksa_host)
    standin = line_standin_factory(raksa_url=receiver.url)
    receiver.standin_url = standin.base_url
    standin.webhook(SOMSRI.user_id, "follow")
    standin.post("/v2/bot/message/push", {"to": SOMSRI.user_id, "messages": [
        {"type": "flex", "altText": "ยืนยันการจองแล้ว", "contents": BUBBLE}]}, headers=standin.bot_headers())

    viewer.goto(standin.base_url + "/")
    viewer.get_by_role("button", name=SOMSRI.display_name).click()

    frame = viewer.frame_locator("#liff-frame")
    # The shim's ID token is the stand-in's, for this user, for the LINE Login channel.
    expect(frame.locator("#out")).to_have_text(
        f"{SOMSRI.display_name}|{SOMSRI.user_id}|{standin.login_channel_id}|true|true|3")
    assert viewer.locator("#liff-frame").get_attribute("src") == f"{receiver.url}/liff/?standin_user={SOMSRI.user_id}"

    # scanCodeV2 asks the viewer, which opens its reader over the phone and asks the visitor for the QR's text.
    expect(frame.locator("#api")).to_have_text("false|true|false|INVALID_ARGUMENT")  # before/after login
    frame.get_by_role("button", name="scan").click()
    expect(viewer.get_by_role("heading", name="สแกนคิวอาร์โค้ด")).to_be_visible()
    viewer.get_by_label("ข้อความใน QR").fill("RQ-7F3A")
    viewer.get_by_role("button", name="อ่านค่านี้").click()
    expect(frame.locator("#out")).to_have_text("QR:RQ-7F3A")
    expect(viewer.locator("#scan-dialog")).to_be_hidden()

    # Closing the reader resolves {value: null}, as LINE's does.
    frame.get_by_role("button", name="scan").click()
    viewer.get_by_role("button", name="ปิดตัวสแกน (Close the scanner)").click()
    expect(frame.locator("#out")).to_have_text("QR:null")

    # The test hook answers a pending scan the same way (and says when none is pending).
    assert viewer.evaluate("standinViewer.answerScan('nothing asked')") is False
    frame.get_by_role("button", name="scan").click()
    viewer.wait_for_function("standinViewer.scanPending()")
    assert viewer.evaluate("standinViewer.answerScan('LC1.from-a-test')") is True
    expect(frame.locator("#out")).to_have_text("QR:LC1.from-a-test")
    assert viewer.evaluate("standinViewer.scanPending()") is False

    # closeWindow closes the phone frame.
    frame.get_by_role("button", name="close").click()
    expect(viewer.locator("#liff-frame")).to_be_hidden()

    # A uri button to https://liff.line.me/{liffId}/qr opens Raksa's /liff/qr as this user in the frame.
    viewer.locator("#chat").get_by_role("button", name="QR ยืนยันสิทธิ์").click()
    expect(viewer.locator("#liff-frame")).to_have_attribute(
        "src", f"{receiver.url}/liff/qr?standin_user={SOMSRI.user_id}")


def test_without_the_scan_qr_permission_scancodev2_is_unavailable_and_refused(viewer, line_standin_factory,
                                                                             receiver):
    expect = playwright_sync.expect
    standin = line_standin_factory(raksa_url=receiver.url, args=("--liff-scan-qr", "off"))
    receiver.standin_url = standin.base_url
    viewer.goto(standin.base_url + "/")
    viewer.get_by_role("button", name=SOMSRI.display_name).click()

    frame = viewer.frame_locator("#liff-frame")
    expect(frame.locator("#api")).to_have_text("false|false|false|INVALID_ARGUMENT")
    frame.get_by_role("button", name="scan").click()
    expect(frame.locator("#out")).to_have_text("REFUSED FORBIDDEN")
    expect(viewer.locator("#scan-dialog")).to_be_hidden()


def test_the_phone_says_when_raksa_does_not_answer(viewer, line_standin):
    expect = playwright_sync.expect
    viewer.goto(line_standin.base_url + f"/#user={SOMSRI.user_id}")  # the hash picks the user

    expect(viewer.locator("#liff-down")).to_contain_text("ยังเปิดรักษาไม่ได้ที่ http://127.0.0.1:9")
    expect(viewer.locator("#liff-frame")).to_be_hidden()
    expect(viewer.locator("#chat-as")).to_contain_text(SOMSRI.display_name)
