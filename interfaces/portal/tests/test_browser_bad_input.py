"""The refusal page for a NUL character in an address, in Chromium: Thai first, and its language switch works
(it goes home, not back to the refused address)."""

from playwright.sync_api import expect

from raksa.testing.browser import BROWSER_MARKS

from .helpers import log_in

pytestmark = BROWSER_MARKS


def test_the_refusal_page_is_thai_and_switches_to_english(page, live_server, staff):
    log_in(page, live_server, staff.username)
    response = page.goto(f"{live_server.url}/portal/bookings/AB%00CD/")
    assert response.status == 422
    expect(page.get_by_role("heading", level=1)).to_have_text("ใช้อักขระนี้ไม่ได้")
    page.get_by_role("button", name="English").click()
    expect(page).to_have_url(f"{live_server.url}/portal/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
