"""The citizen's side in Debian Chromium on a 360 × 740 phone: sign in through (fake) LIFF, link, find a
unit, book, see the rights QR, decode it from a screenshot (zxing-cpp) and resolve it; axe finds no serious
or critical violation on any LIFF page, in each of its states (the refusals, the unit-made booking waiting for
the citizen, the locked link page …: ``test_every_other_liff_page_state_fits_a_phone_and_is_axe_clean``).
The claim pages are scanned in test_browser_claims.py, the scan/confirm pages in test_browser_confirm.py.

LINE's SDK is replaced by a small ``window.liff`` (``page.add_init_script``) that hands over an ID token
signed with a test P-256 key, which the real ``verify_id_token`` checks against a JWKS served by a real
HTTP server (the LINE client's test fixture). Linking and the rights QR are the real services.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
import zxingcpp
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings as django_settings
from playwright import sync_api as playwright_sync

from raksa.booking.models import Booking, BookingChannel, BookingStatus, Slot
from raksa.booking.services import booking_create
from raksa.core.errors import DomainError
from raksa.core.timeutil import service_day
from raksa.people.models import Citizen
from raksa.people.services import citizen_line_link
from raksa.testing.browser import BROWSER_MARKS, PHONE
from raksa.testing.factories import CitizenFactory, make_national_id
from raksa.verification.services import rights_qr_resolve

from .conftest import LASER, LINE_USER, OTHER_LINE_USER
from .png import png_gray

pytestmark = BROWSER_MARKS
SCREENSHOTS = "/tmp/liff-{}.png"


def fake_liff(id_token: str) -> str:
    return ("window.liff = {init: function () { return Promise.resolve(); },"
            " isLoggedIn: function () { return true; }, login: function () {},"
            " getIDToken: function () { return " + json.dumps(id_token) + "; },"
            " isInClient: function () { return true; }, closeWindow: function () {}};")


def no_line_sdk(page) -> None:
    """LINE's SDK (LINE_LIFF_SDK_URL: the stand-in's shim) is not fetched: window.liff is the test's."""
    page.route(django_settings.LINE_LIFF_SDK_URL, lambda route: route.fulfill(status=200, body="",
                                                                              content_type="text/javascript"))


def axe_serious(page) -> list[str]:
    violations = Axe().run(page).response["violations"]
    return [f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes']]}" for v in violations
            if v["impact"] in ("serious", "critical")]


def check(page, name: str, scanned: dict) -> None:
    """Usable at 360 px (nothing wider than the screen), and axe-clean."""
    page.wait_for_load_state("load")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{name} is {width}px wide"
    small = page.evaluate("""[...document.querySelectorAll('a, button, input, select')]
        .filter(e => e.offsetParent !== null && e.type !== 'hidden')
        .map(e => [e.textContent.trim() || e.name, e.getBoundingClientRect().height])
        .filter(([, h]) => h < 44)""")
    assert not small, f"{name}: touch targets under 44px: {small}"
    scanned[name] = axe_serious(page)
    page.screenshot(path=SCREENSHOTS.format(name), full_page=True)


def test_a_citizen_links_finds_a_unit_books_and_shows_a_qr_that_resolves(
        bangkok_morning, phone, live_server, settings, line_login, citizen, national_id, unit, service, schedule):
    """At 10:00 in Bangkok (``bangkok_morning``), whatever the hour the suite runs at: today has free times and
    the rights QR binds today's booking."""
    expect = playwright_sync.expect
    page = phone
    settings.RAKSA_RIGHTS_QR_SECONDS = 12
    no_line_sdk(page)
    page.add_init_script(fake_liff(line_login.token()))
    scanned: dict[str, list[str]] = {}

    # Signing in: the little page, then the link page (not linked yet).
    page.goto(f"{live_server.url}/liff/")
    expect(page.get_by_role("heading", level=1)).to_have_text("เชื่อมบัญชี LINE กับตัวตนของคุณ")
    check(page, "link", scanned)

    # A wrong laser code first: refused, in Thai, nothing linked.
    page.get_by_label("เลขประจำตัวประชาชน (13 หลัก)").fill(national_id)
    page.get_by_label("วันที่", exact=True).select_option("14")
    page.get_by_label("เดือน").select_option("3")
    page.get_by_label("ปี พ.ศ.").fill("2499")
    page.get_by_label("เลขหลังบัตรประชาชน (Laser code)").fill("ME0-0000000-00")
    page.get_by_role("button", name="เชื่อมบัญชี").click()
    expect(page.get_by_role("alert")).to_contain_text("ข้อมูลไม่ตรงกับทะเบียน")
    check(page, "link-refused", scanned)
    page.get_by_label("เลขประจำตัวประชาชน (13 หลัก)").fill(national_id)
    page.get_by_label("เลขหลังบัตรประชาชน (Laser code)").fill(LASER)
    page.get_by_role("button", name="เชื่อมบัญชี").click()

    # Home: the four destinations.
    expect(page.get_by_role("status")).to_contain_text("เชื่อมบัญชี LINE เรียบร้อยแล้ว")
    expect(page.get_by_role("heading", level=1)).to_contain_text("สวัสดีคุณมาลี")
    assert Citizen.objects.get(pk=citizen.pk).line_user_id == LINE_USER
    check(page, "home", scanned)

    page.get_by_role("link", name="สิทธิของฉัน").click()
    expect(page.locator(".rights-valid")).to_contain_text("2563")
    check(page, "rights", scanned)
    page.get_by_role("link", name="เมนูรักษา").click()

    # Find a unit, pick a time, confirm.
    page.get_by_role("link", name="จองคิว").click()
    expect(page.get_by_role("heading", name="หน่วยบริการสำหรับ PH001 — ไข้หวัด เจ็บคอ")).to_be_visible()
    expect(page.locator(".unit")).to_contain_text("ร้านยารักษ์สุขภาพ")
    expect(page.locator(".unit")).to_contain_text("เปิดอยู่ตอนนี้")
    check(page, "find", scanned)
    page.get_by_role("link", name="เลือกเวลา").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("เลือกเวลา")
    check(page, "pick-time", scanned)
    size = booking_page_size(page)
    print(f"liff.page.kb (HTML+CSS+JS of the booking page, without LINE's SDK) = {size / 1024:.1f}")
    assert size < 100 * 1024
    first = page.locator("a.slot").first
    chosen = first.inner_text()
    first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ยืนยันการจอง")
    check(page, "book-confirm", scanned)
    page.get_by_role("button", name="จองเวลานี้").click()
    expect(page.get_by_role("status").first).to_contain_text("จองสำเร็จ")
    expect(page.locator(".booking-time")).to_contain_text(chosen)
    expect(page.get_by_role("link", name="เปิดแผนที่")).to_have_attribute(
        "href", "https://www.google.com/maps/search/?api=1&query=13.756300,100.501800")
    check(page, "booked", scanned)

    # My bookings, then the QR.
    page.get_by_role("link", name="นัดทั้งหมดของฉัน").click()
    expect(page.locator(".booking")).to_have_count(1)
    check(page, "bookings", scanned)
    page.locator(".booking h3 a").click()
    page.get_by_role("link", name="แสดง QR ยืนยันสิทธิ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("QR ยืนยันสิทธิ์")
    check(page, "qr", scanned)
    token = decode_qr(page)
    assert national_id not in token and citizen.cid_masked not in token
    # The countdown runs.
    left = int(page.locator("#qr-left").inner_text())
    page.wait_for_timeout(1100)
    assert int(page.locator("#qr-left").inner_text()) < left

    resolved_citizen, booking = rights_qr_resolve(token=token)
    assert resolved_citizen.pk == citizen.pk
    today = Booking.objects.get(citizen=citizen)
    assert today.day == service_day()  # booked for today …
    assert booking is not None and booking.pk == today.pk  # … and the code stands for that booking
    with pytest.raises(DomainError) as used:
        rights_qr_resolve(token=token)  # after use it is refused
    assert used.value.code == "QR_USED"

    # The page renews the code by itself before it expires (codes live RAKSA_RIGHTS_QR_SECONDS: 12 here).
    before = page.locator("#qr svg").inner_html()
    page.wait_for_function("(b) => document.querySelector('#qr svg').innerHTML !== b", arg=before, timeout=15_000)
    assert int(page.locator("#qr-left").inner_text()) > 3
    assert decode_qr(page) != token

    # The pages that ask before they change something.
    page.goto(f"{live_server.url}/liff/bookings")
    page.locator(".booking h3 a").click()
    page.get_by_role("link", name="เปลี่ยนเวลา").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("เลือกเวลาใหม่")
    check(page, "move", scanned)
    page.locator("a.slot").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ย้ายการจองไปเวลานี้หรือไม่")
    check(page, "move-confirm", scanned)
    page.get_by_role("button", name="ใช่ ย้ายเวลา").click()
    expect(page.get_by_role("status")).to_contain_text("ย้ายการจองไปเวลาใหม่แล้ว")
    page.get_by_role("link", name="ยกเลิกการจอง").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ยกเลิกการจองนี้หรือไม่")
    check(page, "cancel", scanned)
    page.get_by_role("button", name="ใช่ ยกเลิก").click()
    expect(page.get_by_role("status")).to_contain_text("ยกเลิกการจองแล้ว")
    page.goto(f"{live_server.url}/liff/unlink")
    check(page, "unlink", scanned)
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Unlink this LINE account?")
    check(page, "unlink-en", scanned)

    print(f"axe (serious or critical): {scanned}")
    assert not any(scanned.values()), scanned


def booking_page_size(page) -> int:
    """Bytes of the booking page's HTML, CSS and JS (LINE's SDK excluded), fetched as the phone would."""
    return page.evaluate("""async () => {
        const urls = [location.href,
          ...[...document.querySelectorAll('link[rel=stylesheet]')].map(l => l.href),
          ...[...document.querySelectorAll('script[src]')].map(s => s.src)];
        let total = 0;
        for (const url of urls) { const r = await fetch(url); total += (await r.arrayBuffer()).byteLength; }
        return total;
    }""")


def decode_qr(page) -> str:
    results = zxingcpp.read_barcodes(png_gray(page.locator("#qr").screenshot()))
    assert len(results) == 1, "no QR code found in the screenshot"
    return results[0].text


def test_a_refused_sign_in_shows_the_thai_reopen_page(phone, live_server, line_login):
    page = phone
    no_line_sdk(page)
    page.add_init_script(fake_liff(line_login.token(aud="1999999999")))  # another channel's token
    page.goto(f"{live_server.url}/liff/bookings")
    expect = playwright_sync.expect
    expect(page.get_by_role("heading", level=1)).to_have_text("กรุณาปิดหน้านี้แล้วเปิดใหม่จาก LINE")
    expect(page.get_by_role("heading", level=2)).to_have_text("Please close this page and open it again from LINE")
    assert not axe_serious(page)


def test_without_liff_the_sign_in_page_says_to_reopen_from_line(phone, live_server):
    page = phone
    no_line_sdk(page)
    page.goto(f"{live_server.url}/liff/")
    playwright_sync.expect(page.locator("#signin-failed")).to_be_visible()
    playwright_sync.expect(page.locator("#signin-failed")).to_contain_text("เปิดใหม่จากเมนู Raksa ใน LINE")
    assert not axe_serious(page)


def phone_as(browser, line_login, sub: str):
    """Another phone (its own browser context: its own LIFF cookie) signed in as LINE user ``sub``."""
    page = browser.new_context(locale="th-TH", viewport=PHONE).new_page()
    page.set_default_timeout(15_000)
    no_line_sdk(page)
    page.add_init_script(fake_liff(line_login.token(sub=sub)))
    return page


def fill_link_form(page, national_id: str, laser_code: str) -> None:
    page.get_by_label("เลขประจำตัวประชาชน (13 หลัก)").fill(national_id)
    page.get_by_label("วันที่", exact=True).select_option("14")
    page.get_by_label("เดือน").select_option("3")
    page.get_by_label("ปี พ.ศ.").fill("2499")
    page.get_by_label("เลขหลังบัตรประชาชน (Laser code)").fill(laser_code)
    page.get_by_role("button", name="เชื่อมบัญชี").click()


def test_every_other_liff_page_state_fits_a_phone_and_is_axe_clean(
        phone, live_server, settings, line_login, citizen, national_id, unit, service, schedule):
    """The states the walk above does not reach: a booking the unit made waiting for the citizen (seed 2.2:
    home's banner, the confirm and decline buttons, the decline question, both answers), the linked user's
    link page, the refusal pages (problem.html, a refused day or time, an unknown service, an old form), the
    link form's errors and its lock (429), and a citizen without a right today. Everything is tomorrow's, so
    the hour the suite runs changes nothing."""
    expect = playwright_sync.expect
    citizen_line_link(line_user_id=LINE_USER, national_id=national_id, birth_date=citizen.birth_date,
                      laser_code=LASER)
    tomorrow = service_day() + dt.timedelta(days=1)

    def slot_on(days_ahead: int) -> Slot:
        day = service_day() + dt.timedelta(days=days_ahead)
        return Slot.objects.filter(schedule=schedule, day=day).order_by("starts_at")[3]

    # The unit books for them in the portal (one a day): each waits for the citizen.
    made = [booking_create(actor=None, citizen=citizen, slot_id=slot_on(days).pk, channel=BookingChannel.PORTAL)
            for days in (1, 2)]
    assert {b.status for b in made} == {BookingStatus.AWAITING_CITIZEN}
    page = phone
    no_line_sdk(page)
    page.add_init_script(fake_liff(line_login.token()))
    scanned: dict[str, list[str]] = {}

    page.goto(f"{live_server.url}/liff/")
    expect(page.locator(".note--warn")).to_contain_text("กรุณายืนยัน")
    check(page, "home-awaiting", scanned)
    page.locator(".note--warn a").click()
    expect(page.locator(".booking .tag--warn")).to_have_count(2)
    check(page, "bookings-awaiting", scanned)

    # The first: decline it, after the question.
    page.goto(f"{live_server.url}/liff/bookings/{made[0].reference}")
    expect(page.get_by_role("button", name="ยืนยันการจองนี้")).to_be_visible()
    expect(page.get_by_role("link", name="ปฏิเสธ", exact=True)).to_be_visible()
    check(page, "booking-awaiting", scanned)
    page.get_by_role("link", name="ปฏิเสธ", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ปฏิเสธการจองนี้หรือไม่")
    check(page, "decline", scanned)
    page.get_by_role("button", name="ใช่ ปฏิเสธ").click()
    expect(page.get_by_role("status")).to_contain_text("ปฏิเสธการจองแล้ว")
    check(page, "bookings-declined", scanned)
    assert Booking.objects.get(pk=made[0].pk).status == BookingStatus.DECLINED

    # The second: a form left open too long (its security token no longer matches) changes nothing …
    page.goto(f"{live_server.url}/liff/bookings/{made[1].reference}")
    page.evaluate("document.querySelector('[name=csrfmiddlewaretoken]').value = 'x'.repeat(64)")
    page.get_by_role("button", name="ยืนยันการจองนี้").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("หน้านี้เปิดไว้นานเกินไป ยังไม่ได้บันทึกอะไร")
    check(page, "csrf-failed", scanned)
    assert Booking.objects.get(pk=made[1].pk).status == BookingStatus.AWAITING_CITIZEN
    # … then confirmed.
    page.goto(f"{live_server.url}/liff/bookings/{made[1].reference}")
    page.get_by_role("button", name="ยืนยันการจองนี้").click()
    expect(page.get_by_role("status")).to_contain_text("ยืนยันการจองแล้ว")
    check(page, "booking-confirmed-by-citizen", scanned)
    assert Booking.objects.get(pk=made[1].pk).status == BookingStatus.CONFIRMED

    # Linked already: the link page says to whom.
    page.goto(f"{live_server.url}/liff/link")
    expect(page.get_by_role("heading", level=1)).to_have_text("เชื่อมบัญชี LINE แล้ว")
    check(page, "link-done", scanned)

    # Refusals: problem.html, a day outside the window, a time taken meanwhile, a service not in LINE.
    page.goto(f"{live_server.url}/liff/bookings/NOSUCHREF")
    expect(page.get_by_role("heading", level=1)).to_have_text("ดำเนินการไม่สำเร็จ")
    expect(page.get_by_role("alert")).to_contain_text("ไม่พบการจองนี้ในนัดของคุณ")
    check(page, "problem", scanned)
    far = service_day() + dt.timedelta(days=30)
    page.goto(f"{live_server.url}/liff/book/{unit.hcode}/{service.code}?day={far.isoformat()}")
    expect(page.get_by_role("alert")).to_be_visible()
    check(page, "pick-time-day-refused", scanned)
    taken = slot_on(3)
    page.goto(f"{live_server.url}/liff/book/{unit.hcode}/{service.code}/confirm?slot={taken.pk}")
    Slot.objects.filter(pk=taken.pk).update(booked=taken.capacity)  # the last seats went while they looked
    page.get_by_role("button", name="จองเวลานี้").click()
    expect(page.get_by_role("alert")).to_contain_text("เวลานี้เต็มแล้ว")
    check(page, "book-confirm-refused", scanned)
    page.goto(f"{live_server.url}/liff/book?service=NOSUCH")
    expect(page.get_by_role("alert")).to_contain_text("บริการนี้จองทาง LINE ไม่ได้")
    check(page, "find-unknown-service", scanned)

    # Another LINE account, not linked: the form's own errors, wrong details, then locked (429).
    settings.RAKSA_LINK_MAX_FAILURES = 2
    browser = page.context.browser
    other = phone_as(browser, line_login, OTHER_LINE_USER)
    other.goto(f"{live_server.url}/liff/link")
    other.get_by_role("button", name="เชื่อมบัญชี").click()
    expect(other.locator(".field__error").first).to_be_visible()
    check(other, "link-invalid", scanned)
    stranger = make_national_id()
    for _ in range(2):
        fill_link_form(other, stranger, "ME0-0000000-00")
        expect(other.get_by_role("alert")).to_contain_text("ข้อมูลไม่ตรงกับทะเบียน")
    fill_link_form(other, stranger, "ME0-0000000-00")
    expect(other.get_by_role("alert")).to_contain_text("ระงับการเชื่อมบัญชีไว้จนถึง")
    check(other, "link-locked", scanned)
    other.get_by_role("button", name="English").click()
    other.get_by_label("National ID (13 digits)").fill(stranger)
    other.get_by_label("Day", exact=True).select_option("14")
    other.get_by_label("Month").select_option("3")
    other.get_by_label("Year (B.E.)").fill("2499")
    other.get_by_label("Laser code (back of the ID card)").fill("ME0-0000000-00")
    other.get_by_role("button", name="Link my account").click()
    expect(other.get_by_role("alert")).to_contain_text("linking is locked until")
    check(other, "link-locked-en", scanned)
    assert Citizen.objects.filter(line_user_id=OTHER_LINE_USER).count() == 0

    # A citizen with no right recorded today: rights says what to do, booking says why not.
    third_user = "U" + "c" * 32
    uncovered_id = make_national_id()
    uncovered = CitizenFactory(national_id=uncovered_id, laser_code=LASER, first_name_th="ชูใจ")
    citizen_line_link(line_user_id=third_user, national_id=uncovered_id, birth_date=uncovered.birth_date,
                      laser_code=LASER)
    third = phone_as(browser, line_login, third_user)
    third.goto(f"{live_server.url}/liff/rights")
    expect(third.locator(".note--warn")).to_contain_text("1330")
    check(third, "rights-none", scanned)
    third.goto(f"{live_server.url}/liff/book/{unit.hcode}/{service.code}?day={tomorrow.isoformat()}")
    expect(third.get_by_role("alert")).to_contain_text("คุณจองบริการนี้ที่หน่วยบริการนี้ไม่ได้")
    assert third.locator("a.slot").count() == 0
    check(third, "pick-time-not-eligible", scanned)
    third.goto(f"{live_server.url}/liff/bookings")
    expect(third.locator("main")).to_contain_text("ยังไม่มีนัดที่จะถึง")
    check(third, "bookings-empty", scanned)
    other.context.close()
    third.context.close()

    print(f"axe (serious or critical): {scanned}")
    assert not any(scanned.values()), scanned
