"""The portal in a real browser (Debian Chromium through Playwright; never `playwright install`)."""

import re

import pytest
from django.conf import settings
from playwright import sync_api as playwright_sync

from raksa.core.timeutil import service_day
from raksa.testing.browser import BROWSER_MARKS
from raksa.testing.factories import (
    CitizenFactory,
    CoverageFactory,
    ServiceFactory,
    StaffMembershipFactory,
    UnitFactory,
    UnitServiceFactory,
    UserFactory,
    make_national_id,
)
from raksa.units.models import UnitStatus

from .conftest import OPENING_HOURS
from .helpers import log_in

SCREENSHOT = "/tmp/portal-home.png"

pytestmark = BROWSER_MARKS


def test_staff_member_logs_in_and_sees_the_thai_home_page(page, live_server):
    expect = playwright_sync.expect
    unit = UnitFactory(name="ร้านยารักษ์สุขภาพ", hcode="12345", district="เขตพระนคร", opening_hours=OPENING_HOURS)
    other = UnitFactory(name="คลินิกกายภาพบำบัดสุขใจ", hcode="23456", unit_type="physio")
    user = UserFactory(username="somchai", first_name="สมชาย", last_name="ใจดี")
    StaffMembershipFactory(user=user, unit=unit, role="clinician")
    StaffMembershipFactory(user=user, unit=other, role="unit_admin")
    service = ServiceFactory(code="PH001", name_th="ไข้หวัด เจ็บคอ", name_en="Common cold", unit_type="pharmacy")
    UnitServiceFactory(unit=unit, service=service)
    national_id = make_national_id()
    CoverageFactory(citizen=CitizenFactory(national_id=national_id, first_name_th="มาลี", last_name_th="ศรีสุข"))

    log_in(page, live_server, "somchai")

    expect(page).to_have_url(f"{live_server.url}/portal/")
    expect(page.locator("html")).to_have_attribute("lang", "th")
    expect(page.get_by_role("heading", level=1)).to_have_text("หน้าหลัก")
    expect(page.locator(".unit-bar__name")).to_have_text("ร้านยารักษ์สุขภาพ")
    expect(page.locator(".today time")).to_contain_text(str(service_day().year + 543))
    expect(page.get_by_role("heading", name="ตรวจสอบบริการ")).to_be_visible()
    expect(page.locator(".facts")).to_contain_text("ยืนยันแล้ว")

    # Rights check (seed 3.2): the result shows the name and the masked ID, never the full one.
    page.get_by_label("เลขประจำตัวประชาชน").fill(national_id)
    page.get_by_label("บริการ", exact=True).select_option("PH001")
    page.get_by_role("button", name="ตรวจสอบสิทธิ").click()
    result = page.locator(".result")
    expect(result).to_contain_text("มีสิทธิ: บุคคลนี้รับบริการได้")
    expect(result).to_contain_text("นางมาลี ศรีสุข")
    assert national_id not in page.content()
    page.screenshot(path=SCREENSHOT, full_page=True)

    # The unit switcher and the language switcher.
    page.get_by_label("เปลี่ยนหน่วยบริการ").select_option(str(other.pk))
    page.get_by_role("button", name="เปลี่ยน", exact=True).click()
    expect(page.locator(".unit-bar__name")).to_have_text("คลินิกกายภาพบำบัดสุขใจ")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Home")
    expect(page.locator(".facts")).to_contain_text("Physiotherapy clinic")
    expect(page.locator(".today time")).to_contain_text(str(service_day().year))


def test_staff_of_a_pending_unit_land_on_the_registration_page(page, live_server):
    expect = playwright_sync.expect
    unit = UnitFactory(name="คลินิกรอยืนยัน", hcode="54321", status=UnitStatus.PENDING)
    StaffMembershipFactory(user=UserFactory(username="nida"), unit=unit, role="unit_admin")

    log_in(page, live_server, "nida")

    expect(page).to_have_url(f"{live_server.url}/portal/registration/")
    expect(page.get_by_role("heading", level=1)).to_have_text("หน่วยบริการนี้ยังให้บริการไม่ได้")
    expect(page.get_by_text("ยังไม่ได้รับการยืนยันในระบบ OSS")).to_be_visible()
    link = page.get_by_role("link", name="ไปที่ Web OSS")
    expect(link).to_have_attribute("href", settings.RAKSA_REGISTRATION_URL)
    # The home page is closed to them.
    page.goto(f"{live_server.url}/portal/")
    expect(page).to_have_url(f"{live_server.url}/portal/registration/")


def test_wrong_password_in_the_browser(page, live_server):
    StaffMembershipFactory(user=UserFactory(username="somchai"), unit=UnitFactory(hcode="12345"))
    page.goto(f"{live_server.url}/portal/login/")
    page.get_by_label("ชื่อผู้ใช้").fill("somchai")
    page.get_by_label("รหัสผ่าน").fill("not-the-password")
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    playwright_sync.expect(page.get_by_role("alert")).to_contain_text("ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง")


QUEUE_SCREENSHOT = "/tmp/queue.png"
BOARD_SCREENSHOT = "/tmp/board.png"


def test_staff_book_for_a_citizen_check_in_call_and_the_board_shows_the_number(page, live_server, monkeypatch):
    """Seed 2.2 then 3.1: book today's slot for a citizen; when they arrive, confirm in person and check in
    from the queue card in one click; call; the TV board (a second page, no login) shows the number and
    never the name."""
    from interfaces.portal import views_display, views_queue
    from raksa.booking.display import display_token_for
    from raksa.booking.queue import ticket_issue_walk_in
    from raksa.booking.services import schedule_set
    from raksa.booking.slots import slots_free

    from .conftest import ALL_DAY

    # Poll every second instead of every few seconds: the test waits for the refreshes.
    monkeypatch.setattr(views_queue, "LIVE_INTERVAL_MS", 1000)
    monkeypatch.setattr(views_display, "REFRESH_MS", 1000)
    expect = playwright_sync.expect
    unit = UnitFactory(name="ร้านยารักษ์สุขภาพ", hcode="12345", district="เขตพระนคร", opening_hours=OPENING_HOURS)
    StaffMembershipFactory(user=UserFactory(username="somchai", first_name="สมชาย", last_name="ใจดี"), unit=unit,
                           role="clinician")
    service = ServiceFactory(code="PH001", name_th="ไข้หวัด เจ็บคอ", name_en="Common cold", unit_type="pharmacy")
    UnitServiceFactory(unit=unit, service=service)
    schedule_set(actor=None, unit=unit, service=service, weekly_hours=ALL_DAY, slot_minutes=5, seats_per_slot=1,
                 book_ahead_days=1, min_notice_minutes=0)
    national_id = make_national_id()
    CoverageFactory(citizen=CitizenFactory(national_id=national_id, first_name_th="มาลี", last_name_th="ศรีสุข"))
    if len(slots_free(unit_id=unit.pk, service_id=service.pk, day=service_day())) < 2:
        pytest.skip("less than ten minutes left of the day in Bangkok: no slot left today")

    board = page.context.new_page()
    board.set_viewport_size({"width": 1920, "height": 1080})
    board.goto(f"{live_server.url}/display/{display_token_for(unit)}/")
    expect(board.locator(".board__unit")).to_have_text("ร้านยารักษ์สุขภาพ")
    expect(board.locator("#board-now")).to_have_text("—")

    log_in(page, live_server, "somchai")
    page.get_by_role("link", name="จองให้ประชาชน").click()
    page.get_by_label("เลขประจำตัวประชาชน").fill(national_id)
    page.get_by_role("button", name="ค้นหาประชาชน").click()
    expect(page).to_have_url(re.compile(r"/portal/book/\?p="))  # a signed reference, never the ID
    assert national_id not in page.url
    expect(page.locator(".citizen-name")).to_have_text("นางมาลี ศรีสุข")
    expect(page.locator(".result")).to_contain_text("มีสิทธิ: บุคคลนี้รับบริการได้")  # rights first
    page.locator(".slot").nth(1).click()  # the second free time: the first may start while we click
    expect(page.locator(".message--success")).to_contain_text("จองให้นางมาลี ศรีสุขแล้ว เลขที่การจอง")
    reference = page.locator(".booking-ref").inner_text().strip()
    expect(page.locator(".notice--waiting")).to_contain_text("ระบบจะขอให้ประชาชนยืนยันการจองนี้ใน LINE")

    page.get_by_role("link", name="คิววันนี้").click()
    row = page.locator(f'[data-booking="{reference}"]')
    expect(row).to_contain_text("นางมาลี ศรีสุข")
    row.get_by_role("button", name="ยืนยันต่อหน้าแล้ว: รับเข้าคิว").click()  # one click at the counter
    expect(page.locator(".message--success")).to_contain_text(f"ยืนยันการจอง {reference} ต่อหน้าและรับเข้าคิวแล้ว")
    expect(page.locator('[data-ticket="B-001"]')).to_be_visible()
    expect(board.locator("#board-waiting")).to_contain_text("B-001")

    page.get_by_role("button", name="เรียกคิวถัดไป").click()
    expect(page.locator(".message--success")).to_contain_text("เรียกหมายเลข B-001")
    expect(board.locator("#board-now")).to_have_text("B-001")
    board_html = board.content()
    assert "มาลี" not in board_html and national_id not in board_html and reference not in board_html
    assert national_id not in page.content()

    # Live refresh: a ticket issued at another counter appears without reloading the staff page.
    page.evaluate("window.__notReloaded = true")
    ticket_issue_walk_in(actor=None, unit=unit)
    expect(page.locator('#queue-live [data-ticket="A-001"]')).to_be_visible()
    expect(board.locator("#board-waiting")).to_contain_text("A-001")
    assert page.evaluate("window.__notReloaded") is True
    expect(page.locator("#queue-live-status")).to_contain_text("อัปเดตล่าสุด")

    page.screenshot(path=QUEUE_SCREENSHOT, full_page=True)
    board.screenshot(path=BOARD_SCREENSHOT)
