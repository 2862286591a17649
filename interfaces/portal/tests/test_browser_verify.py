"""The counter's verification in Chromium: a rights QR typed by a USB scanner, the LINE fallback confirmed while
the page waits (no reload), a rights QR held to a fake webcam, and a counter without a webcam. Clicks are
counted: a walk-in must be verified in at most 4. Screenshots at 1366 × 800 and 390 × 844 go to /tmp."""

import datetime as dt
import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest
import zxingcpp
from playwright import sync_api as playwright_sync

from interfaces.line.confirm_links import token_from_scan
from raksa.booking.queue import ticket_issue_walk_in
from raksa.testing import faces
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
from raksa.units.models import Service
from raksa.verification.line_confirm import line_confirmation_answer
from raksa.verification.models import Visit
from raksa.verification.services import rights_qr_issue

from .conftest import OPENING_HOURS
from .helpers import log_in
from .verify_helpers import link_line
from .webcam import camera_page, qr_picture

pytestmark = [*BROWSER_MARKS, pytest.mark.django_db(transaction=True)]
WIDE = {"width": 1366, "height": 800}
NARROW = {"width": 390, "height": 844}
SHOTS = "/tmp/portal-verify"


class Clicks:
    """Every click staff make, counted."""

    def __init__(self):
        self.count = 0

    def __call__(self, locator):
        self.count += 1
        locator.click()


@pytest.fixture
def counter(db):
    """A pharmacy with one service; a clinician ``somchai``; an adult walk-in ``สมศักดิ์`` linked to LINE."""
    unit = UnitFactory(name="ร้านยารักษ์สุขภาพ", hcode="12345", opening_hours=OPENING_HOURS)
    StaffMembershipFactory(user=UserFactory(username="somchai", first_name="สมชาย", last_name="ใจดี"), unit=unit,
                           role="clinician")
    UnitServiceFactory(unit=unit, service=ServiceFactory(code="PH001", name_th="ไข้หวัด เจ็บคอ",
                                                         name_en="Common cold", unit_type="pharmacy"))
    national_id = make_national_id()
    man = CitizenFactory(national_id=national_id, title_th="นาย", first_name_th="สมศักดิ์", last_name_th="มั่นคง",
                         birth_date=dt.date(1985, 6, 1), sex="M")
    CoverageFactory(citizen=man)
    return {"unit": unit, "man": man, "man_id": national_id, "line_user": link_line(man)}


def shoot(page, name: str) -> None:
    page.screenshot(path=f"{SHOTS}-{name}.png", full_page=True)


def test_a_usb_scanner_types_the_rights_qr_and_the_authen_code_shows(page, live_server, counter):
    expect = playwright_sync.expect
    page.set_viewport_size(WIDE)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    ticket_issue_walk_in(actor=None, unit=counter["unit"], citizen=counter["man"])
    log_in(page, live_server, "somchai")
    page.goto(f"{live_server.url}/portal/queue/")
    card = page.locator('[data-ticket="A-001"]')
    expect(card.get_by_role("link", name="ยืนยันตัวตน")).to_be_visible()  # the queue card's way to the verify page
    shoot(page, "queue-before-1366")
    token = rights_qr_issue(citizen=counter["man"]).token
    clicks = Clicks()
    expect(page.get_by_role("textbox", name="QR ยืนยันสิทธิ์")).to_be_focused()  # the scanner types into the focused field
    page.keyboard.type(token)
    page.keyboard.press("Enter")  # a USB scanner ends with Enter: no click

    expect(page).to_have_url(re.compile(r".*/portal/visits/\d+/$"))
    visit = Visit.objects.get()
    expect(page.locator("#authen-code")).to_have_attribute("data-code", visit.authen_code)
    groups = [visit.authen_code[:2], visit.authen_code[2:5], visit.authen_code[5:8], visit.authen_code[8:]]
    expect(page.locator("#authen-code .authen__group")).to_have_text(groups)  # read aloud in groups
    expect(page.locator(".message--success")).to_contain_text("ยืนยันด้วย QR ยืนยันสิทธิ์แล้ว: นายสมศักดิ์ มั่นคง")
    expect(page.locator(".facts")).to_contain_text("QR ยืนยันสิทธิ์")
    expect(page.get_by_role("heading", name="บันทึกการให้บริการและส่งเคลม")).to_be_visible()
    clicks(page.get_by_role("button", name="คัดลอกรหัส"))
    expect(page.locator("#authen-copied")).to_have_text("คัดลอกแล้ว")
    assert page.evaluate("navigator.clipboard.readText()") == visit.authen_code
    assert clicks.count == 1  # only the copy
    shoot(page, "authen-code-1366")
    page.set_viewport_size(NARROW)
    shoot(page, "authen-code-390")

    page.goto(f"{live_server.url}/portal/queue/")  # the card and today's visits show the code
    expect(page.locator(f'[data-visit="{visit.authen_code}"]')).to_contain_text("นายสมศักดิ์ มั่นคง")
    expect(card.locator(".authen-chip")).to_have_text(visit.authen_code)  # the card shows the code now
    shoot(page, "queue-390")
    page.set_viewport_size(WIDE)
    shoot(page, "queue-1366")

    page.keyboard.type(token)  # the same code again: refused with its reason, nothing more opened
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("QR นี้ถูกใช้ไปแล้ว")
    assert Visit.objects.count() == 1


def test_a_walk_in_confirms_in_line_and_the_page_shows_the_code_by_itself(page, live_server, counter):
    expect = playwright_sync.expect
    page.set_viewport_size(WIDE)
    log_in(page, live_server, "somchai")
    clicks = Clicks()
    started = time.monotonic()
    page.get_by_label("เลขประจำตัวประชาชน").fill(counter["man_id"])  # the service is the unit's only one
    clicks(page.get_by_role("button", name="ตรวจสอบสิทธิ"))
    expect(page.locator(".result")).to_contain_text("มีสิทธิ: บุคคลนี้รับบริการได้")
    clicks(page.get_by_role("link", name="ยืนยันตัวตน", exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text("ยืนยันตัวตน")
    expect(page.locator(".person-card")).to_contain_text("นายสมศักดิ์ มั่นคง")
    # This Chromium has no webcam: the page says so and puts the LINE confirmation first.
    expect(page.locator("#face-status")).to_contain_text("เปิดกล้องไม่ได้")
    expect(page.locator("#line-fallback")).to_have_class(re.compile("verify-line--first"))
    shoot(page, "verify-no-camera-1366")
    clicks(page.get_by_role("button", name="ยืนยันผ่าน LINE (แสดง QR)"))
    expect(page.locator("#line-state")).to_have_text("รอผู้รับบริการสแกน QR…")
    expect(page.locator(".line-qr")).to_contain_text("ร้านยารักษ์สุขภาพ")
    shoot(page, "line-qr-1366")

    # The citizen's phone: LINE's camera reads the QR (here: zxing-cpp reads a screenshot of it) and opens its
    # address, Raksa's /line/confirm/ page, on to the LIFF confirm page, which confirms with the token.
    url = zxingcpp.read_barcodes(_png(page.locator("#line-qr-code").screenshot()))[0].text
    assert url.startswith(f"{live_server.url}/line/confirm/?t=LC1.")  # Raksa's page, on to the LIFF page
    token = token_from_scan(url)  # what the LIFF scanner (liff.scanCodeV2) takes out of it
    assert token and token == parse_qs(urlsplit(url).query)["t"][0]
    confirmed_at = time.monotonic()
    line_confirmation_answer(token=token, line_user_id=counter["line_user"], confirm=True)

    visit = Visit.objects.get()
    # by itself, no reload: the code replaces the QR, then the visit's page opens
    expect(page.locator(f'[data-code="{visit.authen_code}"]')).to_be_visible(timeout=2000)
    shown_after = time.monotonic() - confirmed_at
    expect(page.locator("#authen-code")).to_have_attribute("data-code", visit.authen_code)
    staff_seconds = confirmed_at - started  # the citizen's own time on their phone is not the counter's
    assert visit.method == "line" and clicks.count <= 4, clicks.count
    print(f"\nLINE walk-in: {clicks.count} clicks, staff {staff_seconds:.1f} s, code shown {shown_after:.2f} s "
          "after the citizen confirmed")
    assert shown_after < 2 and staff_seconds < 30


def test_a_declined_line_confirmation_offers_a_new_qr(page, live_server, counter):
    expect = playwright_sync.expect
    page.set_viewport_size(NARROW)
    log_in(page, live_server, "somchai")
    page.get_by_label("เลขประจำตัวประชาชน").fill(counter["man_id"])
    page.get_by_role("button", name="ตรวจสอบสิทธิ").click()
    shoot(page, "verdict-390")
    page.get_by_role("link", name="ยืนยันตัวตน", exact=True).click()
    expect(page.locator("#face-status")).to_contain_text("เปิดกล้องไม่ได้")
    shoot(page, "verify-no-camera-390")
    page.get_by_role("button", name="ยืนยันผ่าน LINE (แสดง QR)").click()
    expect(page.locator("#line-state")).to_have_text("รอผู้รับบริการสแกน QR…")
    expect(page.get_by_role("button", name="ออก QR ใหม่")).to_be_hidden()  # only once this QR is over
    url = zxingcpp.read_barcodes(_png(page.locator("#line-qr-code").screenshot()))[0].text
    line_confirmation_answer(token=parse_qs(urlsplit(url).query)["t"][0], line_user_id=counter["line_user"],
                             confirm=False)
    expect(page.locator("#line-state")).to_contain_text("ผู้รับบริการกดปฏิเสธบนโทรศัพท์", timeout=3000)
    shoot(page, "line-declined-390")
    page.get_by_role("button", name="ออก QR ใหม่").click()
    expect(page.locator("#line-state")).to_have_text("รอผู้รับบริการสแกน QR…")
    assert not Visit.objects.exists()


def test_a_rights_qr_held_to_the_webcam_opens_the_visit(live_server, monkeypatch, tmp_path, counter):
    expect = playwright_sync.expect
    token = rights_qr_issue(citizen=counter["man"]).token
    clip = faces.y4m_from_image(qr_picture(token), tmp_path / "rights-qr.y4m")
    with camera_page(monkeypatch, clip, WIDE) as page:
        log_in(page, live_server, "somchai")
        clicks = Clicks()
        clicks(page.get_by_role("link", name="สแกน QR ยืนยันสิทธิ์"))  # the menu
        clicks(page.get_by_role("button", name="สแกน QR ด้วยกล้อง"))
        visit_url = re.compile(r".*/portal/visits/\d+/$")
        expect(page).to_have_url(visit_url, timeout=20_000)  # generous: the test machine is shared
        visit = Visit.objects.get()
        expect(page.locator("#authen-code")).to_have_attribute("data-code", visit.authen_code)
        assert (visit.method, visit.citizen) == ("rights_qr", counter["man"]) and clicks.count == 2
        shoot(page, "after-camera-1366")


def test_a_used_rights_qr_on_the_webcam_is_refused_with_its_reason(live_server, monkeypatch, tmp_path, counter):
    from raksa.verification.rights_qr_redeem import visit_open_by_rights_qr

    expect = playwright_sync.expect
    token = rights_qr_issue(citizen=counter["man"]).token
    visit_open_by_rights_qr(actor=None, unit=counter["unit"], token=token, service=Service.objects.get(code="PH001"))
    clip = faces.y4m_from_image(qr_picture(token), tmp_path / "used.y4m")
    with camera_page(monkeypatch, clip, NARROW) as page:
        log_in(page, live_server, "somchai")
        page.goto(f"{live_server.url}/portal/verify/scan/")
        page.get_by_role("button", name="สแกน QR ด้วยกล้อง").click()
        expect(page.locator("#qr-status")).to_contain_text("QR นี้ถูกใช้ไปแล้ว", timeout=20_000)
        expect(page.get_by_role("button", name="สแกนอีกครั้ง")).to_be_visible()
        shoot(page, "scan-refused-390")
        assert Visit.objects.count() == 1


def _png(data: bytes):
    import io

    from PIL import Image

    return Image.open(io.BytesIO(data)).convert("L")
