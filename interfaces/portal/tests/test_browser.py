"""The portal in a real browser (Debian Chromium through Playwright; never `playwright install`)."""

import os

import pytest
from django.conf import settings
from django.db import connections

from raksa.core.timeutil import service_day
from raksa.testing.factories import (
    PASSWORD,
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

playwright_sync = pytest.importorskip("playwright.sync_api")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
SCREENSHOT = "/tmp/portal-home.png"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium is not installed"),
]


@pytest.fixture
def page(live_server, monkeypatch):
    # Playwright's sync API runs an event loop in this thread; Django would refuse ORM calls
    # (the factories in the tests) while it runs.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with playwright_sync.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(locale="th-TH", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        context.close()
        browser.close()
        # While the loop runs, Django's connections are per asyncio context: close the ones the test
        # opened here, or they outlive the test and block dropping the test database.
        connections.close_all()


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/portal/")
    playwright_sync.expect(page).to_have_url(f"{live_server.url}/portal/login/?next=/portal/")
    page.get_by_label("ชื่อผู้ใช้").fill(username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()


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
