"""API keys in a real browser: a unit administrator issues a key, sees it once, the key works against the
API, then the administrator revokes it and the API refuses it (Debian Chromium through Playwright)."""

import json
import urllib.error
import urllib.request

import pytest
from playwright import sync_api as playwright_sync

from raksa.testing.browser import BROWSER_MARKS
from raksa.testing.factories import StaffMembershipFactory, UnitFactory, UserFactory
from raksa.units.services import unit_api_key_issue, unit_api_key_revoke

from .conftest import OPENING_HOURS
from .helpers import log_in
from .test_browser_phone import fits_a_phone

pytestmark = BROWSER_MARKS

SCREENSHOT = "/tmp/portal-api-keys.png"
PHONE_SCREENSHOT = "/tmp/portal-api-keys-phone.png"


def api_get(live_server, path: str, key: str) -> tuple[int, dict]:
    request = urllib.request.Request(f"{live_server.url}{path}", headers={"Authorization": f"Bearer {key}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read())


@pytest.mark.django_db(transaction=True)
def test_an_administrator_issues_a_key_uses_it_and_revokes_it(page, live_server):
    expect = playwright_sync.expect
    unit = UnitFactory(name="ร้านยารักษ์สุขภาพ", hcode="12345", opening_hours=OPENING_HOURS)
    StaffMembershipFactory(user=UserFactory(username="nida", first_name="นิดา"), unit=unit, role="unit_admin")
    StaffMembershipFactory(user=UserFactory(username="somchai"), unit=unit, role="clerk")

    log_in(page, live_server, "nida")
    page.get_by_role("navigation").get_by_role("link", name="กุญแจ API").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("กุญแจ API")
    expect(page.get_by_text("หน่วยนี้ยังไม่มีกุญแจ API")).to_be_visible()

    page.get_by_label("ชื่อกุญแจ").fill("ระบบคลังยา เคาน์เตอร์ 1")
    page.get_by_role("button", name="ออกกุญแจ").click()
    expect(page.get_by_role("heading", name="กุญแจ API ใหม่ของคุณ")).to_be_visible()
    expect(page.get_by_text("กุญแจแสดงเพียงครั้งเดียว")).to_be_visible()
    key = page.locator("#new-key").inner_text().strip()
    assert key.startswith("rk_") and len(key) > 40
    page.screenshot(path=SCREENSHOT, full_page=True)

    status, body = api_get(live_server, "/api/v1/units/12345/queue", key)
    assert status == 200 and body["waiting"] == [] and body["called"] == []

    page.goto(f"{live_server.url}/portal/api-keys/")  # shown once: not on the page again
    row = page.get_by_role("row", name="ระบบคลังยา เคาน์เตอร์ 1")
    expect(row).to_contain_text(key[:10])
    expect(row).to_contain_text("ใช้งานอยู่")
    assert key not in page.content()

    row.get_by_text("เพิกถอน…").click()
    row.get_by_role("button", name="เพิกถอน “ระบบคลังยา เคาน์เตอร์ 1”").click()
    expect(page.get_by_role("status")).to_contain_text("เพิกถอนกุญแจ “ระบบคลังยา เคาน์เตอร์ 1”")
    expect(page.get_by_role("row", name="ระบบคลังยา เคาน์เตอร์ 1")).to_contain_text("เพิกถอนแล้วเมื่อ")

    status, body = api_get(live_server, "/api/v1/units/12345/queue", key)
    assert (status, body["code"]) == (401, "INVALID_API_KEY")

    # Other staff of the unit: no menu entry, and the page refuses them with the role-refused page.
    page.get_by_role("button", name="ออกจากระบบ").click()
    log_in(page, live_server, "somchai")
    expect(page.get_by_role("navigation").get_by_role("link", name="กุญแจ API")).to_have_count(0)
    page.goto(f"{live_server.url}/portal/api-keys/")
    expect(page.get_by_role("heading", level=1)).to_have_text("เฉพาะผู้ดูแลหน่วยเท่านั้นที่ทำรายการนี้ได้")
    expect(page.get_by_role("alert")).to_contain_text("เฉพาะผู้ดูแลหน่วยบริการเท่านั้นที่ออกและเพิกถอนกุญแจ API ของหน่วยได้")
    expect(page.get_by_text("ระบบคลังยา")).to_have_count(0)


@pytest.mark.django_db(transaction=True)
def test_the_api_keys_page_fits_a_phone(phone, live_server):
    expect = playwright_sync.expect
    unit = UnitFactory(name="ร้านยารักษ์สุขภาพ สาขาถนนเจริญกรุงตัดใหม่", hcode="12345", opening_hours=OPENING_HOURS)
    StaffMembershipFactory(user=UserFactory(username="nida"), unit=unit, role="unit_admin")
    _, old = unit_api_key_issue(actor=None, unit=unit, label="ระบบคลังยาเดิมของสาขาถนนเจริญกรุงตัดใหม่")
    unit_api_key_revoke(actor=None, api_key=old)

    log_in(phone, live_server, "nida")
    phone.goto(f"{live_server.url}/portal/api-keys/")
    phone.get_by_label("ชื่อกุญแจ").fill("ระบบคิวหน้าร้าน")
    phone.get_by_role("button", name="ออกกุญแจ").click()
    expect(phone.locator("#new-key")).to_be_visible()
    fits_a_phone(phone, "API keys, a new key shown")
    row = phone.get_by_role("row", name="ระบบคิวหน้าร้าน")
    row.get_by_text("เพิกถอน…").click()
    expect(row.get_by_role("button", name="เพิกถอน “ระบบคิวหน้าร้าน”")).to_be_visible()
    fits_a_phone(phone, "API keys, revoking")
    phone.screenshot(path=PHONE_SCREENSHOT, full_page=True)
