"""Every portal page on a phone, 360 × 740 CSS pixels (Debian Chromium through Playwright): nothing wider
than the screen, a compact header, controls a finger can hit, bookings as labelled cards, the booking
page's free times near the top; and the favicon answers. The verification and claims pages have their own
test with a visit, claims and a statement; the verify page also with its camera running."""


import pytest
from playwright import sync_api as playwright_sync

from raksa.booking.display import display_token_for
from raksa.booking.queue import ticket_call_next, ticket_issue_walk_in
from raksa.booking.services import booking_confirm
from raksa.core.timeutil import service_day
from raksa.testing.browser import BROWSER_MARKS, PHONE
from raksa.testing.factories import (
    CitizenFactory,
    CoverageFactory,
    StaffMembershipFactory,
    UnitFactory,
    UserFactory,
    make_national_id,
)

from .conftest import OPENING_HOURS
from .helpers import book, local, log_in, slot_at, tomorrow

TOUCH = 44  # px, the smallest control a finger should have to hit

pytestmark = BROWSER_MARKS

# What a page looks like on this screen: its widths, the header's height, and every visible control smaller
# than a fingertip (visually hidden ones, 1 px boxes kept for screen readers, are skipped).
MEASURE = """(touch) => {
  const root = document.documentElement;
  const header = document.querySelector('.site-header');
  const small = [];
  const controls = 'button, .button, select, input:not([type=hidden]), '
    + '.portal-nav__list a, .day-strip a, .tabs a, .table a';
  for (const el of document.querySelectorAll(controls)) {
    const box = el.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1 || getComputedStyle(el).visibility === 'hidden') continue;
    if (box.width < touch - 0.5 || box.height < touch - 0.5) {
      const size = Math.round(box.width) + 'x' + Math.round(box.height);
      small.push(`${el.tagName} "${el.textContent.trim().slice(0, 30)}" ${size}`);
    }
  }
  // The innermost elements that reach past the right edge: what to fix when the page is too wide.
  // (Content of a box that scrolls or clips sideways, such as the menu, does not widen the page.)
  const clipped = (el) => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== 'visible') return true;
    }
    return false;
  };
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const right = el.getBoundingClientRect().right;
    if (right > root.clientWidth + 0.5 && !clipped(el)
        && ![...el.children].some(c => c.getBoundingClientRect().right >= right)) {
      wide.push(`${el.tagName}.${el.className} ${Math.round(right)}px`);
    }
  }
  return {scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, wide: wide.slice(0, 5),
          header: header ? header.getBoundingClientRect().height : 0, small: small};
}"""


@pytest.fixture
def unit(db):
    """A long name, as real pharmacies have, to test the unit bar."""
    return UnitFactory(name="ร้านยารักษ์สุขภาพ สาขาถนนเจริญกรุงตัดใหม่", hcode="12345", district="เขตพระนคร",
                       opening_hours=OPENING_HOURS)


def fits_a_phone(page, what: str, *, header: bool = True) -> None:
    facts = page.evaluate(MEASURE, TOUCH)
    assert facts["scrollWidth"] <= facts["clientWidth"], f"{what} is wider than the phone: {facts}"
    assert facts["small"] == [], f"{what}: controls smaller than {TOUCH} px: {facts['small']}"
    if header:
        assert facts["header"] <= PHONE["height"] / 4, f"{what}: the header takes {facts['header']} px"


def test_every_portal_page_fits_a_phone(phone, live_server, unit, schedule, citizen_id):
    expect = playwright_sync.expect
    page = phone
    StaffMembershipFactory(user=UserFactory(username="somchai", first_name="สมชายชาญ", last_name="ใจดีมีสุขเจริญ"),
                           unit=unit, role="unit_admin")
    booked, first_id = [], make_national_id()
    names = [("ประภัสสราภรณ์", "ศรีสุวรรณวงศ์ไพบูลย์"), ("สมปอง", "ดีใจ"), ("วิไลวรรณ", "เกษมสุข")]
    for hour, (first, last) in zip((9, 10, 11), names, strict=True):
        citizen = CitizenFactory(first_name_th=first, last_name_th=last,
                                 national_id=first_id if hour == 9 else make_national_id())
        CoverageFactory(citizen=citizen)
        booked.append(book(citizen, slot_at(unit, local(tomorrow(), hour)), channel="portal", now=None))
    booking_confirm(actor=None, booking_id=booked[1].pk, via="in_person")
    today = service_day()
    expected = CitizenFactory(first_name_th="มานี", last_name_th="มีนา")
    CoverageFactory(citizen=expected)
    booking_confirm(actor=None, via="in_person",
                    booking_id=book(expected, slot_at(unit, local(today, 23)), now=local(today, 0)).pk)
    for _ in range(3):
        ticket_issue_walk_in(actor=None, unit=unit)
    ticket_call_next(actor=None, unit=unit)

    log_in(page, live_server, "somchai")

    # Home with a rights result.
    page.get_by_label("เลขประจำตัวประชาชน").fill(citizen_id)
    page.get_by_label("บริการ", exact=True).select_option("PH001")
    page.get_by_role("button", name="ตรวจสอบสิทธิ").click()
    expect(page.locator(".result")).to_contain_text("มีสิทธิ")
    fits_a_phone(page, "home")
    # The language buttons say TH / EN here, but keep their names for screen readers.
    expect(page.get_by_role("button", name="English")).to_be_visible()

    # Today's queue with tickets being served, waiting and expected.
    page.get_by_role("link", name="คิววันนี้").click()
    expect(page.locator('[data-ticket="A-001"]')).to_be_visible()
    expect(page.locator('[data-ticket="A-003"]')).to_be_visible()
    expect(page.locator(".ticket--expected")).to_contain_text("นางมานี มีนา")
    fits_a_phone(page, "queue")
    board_url = page.locator(".board-link__url a").get_attribute("href")

    # Booking, step 1 then step 2 with free times: the first within a screen and a half.
    page.goto(f"{live_server.url}/portal/book/")
    expect(page.get_by_role("button", name="ค้นหาประชาชน")).to_be_visible()
    fits_a_phone(page, "book, step 1")
    page.get_by_label("เลขประจำตัวประชาชน").fill(citizen_id)
    page.get_by_role("button", name="ค้นหาประชาชน").click()
    expect(page.locator(".citizen-name")).to_have_text("นางมาลี ศรีสุข")
    page.goto(f"{page.url}&service=PH001&day={tomorrow().isoformat()}")  # the page carries the person
    first_slot = page.locator(".slot").first
    expect(first_slot).to_be_visible()
    expect(page.locator(".result--ok")).to_be_visible()  # the verdict still comes before the times
    fits_a_phone(page, "book, step 2")
    assert page.evaluate("scrollY") == 0
    top = first_slot.bounding_box()["y"]
    assert top <= 1.5 * PHONE["height"], f"the first free time starts {top} px down"
    # The day strip scrolls sideways with the chosen day in view.
    chosen = page.locator('.day-strip a[aria-current="date"]').bounding_box()
    assert chosen["x"] >= 0 and chosen["x"] + chosen["width"] <= PHONE["width"]

    # Bookings of a day: one card per booking, each cell labelled, the status never cut off.
    page.goto(f"{live_server.url}/portal/bookings/?day={tomorrow().isoformat()}")
    rows = page.locator(".table tbody tr")
    expect(rows).to_have_count(3)
    fits_a_phone(page, "bookings")
    expect(page.locator(".table thead")).not_to_be_in_viewport()
    labels = page.locator(".table tbody td").evaluate_all(
        "cells => cells.map(td => getComputedStyle(td, '::before').content)")
    assert labels[:5] == ['"เวลา"', '"เลขที่การจอง"', '"ชื่อ-นามสกุล"', '"บริการ"', '"สถานะ"']
    for badge in page.locator(".table .badge").all():
        box = badge.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], badge.inner_text()
    expect(rows.nth(0)).to_contain_text("รอประชาชนยืนยัน")
    # A citizen's bookings, found by national ID: the same cards, with the date.
    page.get_by_label("เลขที่การจองหรือเลขประจำตัวประชาชน").fill(first_id)
    page.get_by_role("button", name="ค้นหา", exact=True).click()
    found = page.locator(".found .table tbody tr")
    expect(found).to_have_count(1)
    assert found.locator("td").first.evaluate("td => getComputedStyle(td, '::before').content") == '"วันที่"'
    fits_a_phone(page, "bookings found")

    # A booking's page, with times to move to.
    found.get_by_role("link", name=booked[0].reference).click()
    expect(page.locator(".booking-ref")).to_have_text(booked[0].reference)
    expect(page.locator(".slots .slot").first).to_be_visible()
    fits_a_phone(page, "a booking's page")

    # The schedule (unit administrators): its section is the last in the navigation, scrolled into view.
    page.goto(f"{live_server.url}/portal/schedule/")
    expect(page.get_by_role("heading", level=1)).to_have_text("ตารางเวลา")
    fits_a_phone(page, "schedule")
    current = page.locator('.portal-nav__list a[aria-current="page"]').bounding_box()
    assert current["x"] >= 0 and current["x"] + current["width"] <= PHONE["width"]

    # The queue display board (no login, its own stylesheet) on a phone.
    page.goto(board_url)
    expect(page.locator("#board-now")).to_have_text("A-001")
    fits_a_phone(page, "display board", header=False)

    # The favicon: linked from every page, and /favicon.ico for everything else.
    icon = page.request.get(live_server.url + page.locator('link[rel="icon"]').get_attribute("href"))
    assert (icon.status, icon.headers["content-type"]) == (200, "image/svg+xml")
    ico = page.request.get(f"{live_server.url}/favicon.ico")
    assert ico.status == 200 and ico.body()[:4] == b"\x00\x00\x01\x00"

    assert display_token_for(unit) in board_url


def test_registration_and_login_pages_fit_a_phone(phone, live_server, pending_unit):
    page = phone
    page.goto(f"{live_server.url}/portal/login/")
    fits_a_phone(page, "login", header=False)
    StaffMembershipFactory(user=UserFactory(username="nida"), unit=pending_unit, role="unit_admin")
    log_in(page, live_server, "nida")
    playwright_sync.expect(page).to_have_url(f"{live_server.url}/portal/registration/")
    fits_a_phone(page, "registration")


def test_bookings_stay_a_table_on_a_laptop(phone, live_server, unit, schedule, citizen):
    booking = book(citizen, slot_at(unit, local(tomorrow(), 10)), channel="portal", now=None)
    StaffMembershipFactory(user=UserFactory(username="somchai"), unit=unit)
    phone.set_viewport_size({"width": 1366, "height": 800})
    log_in(phone, live_server, "somchai")
    phone.goto(f"{live_server.url}/portal/bookings/?day={tomorrow().isoformat()}")
    playwright_sync.expect(phone.locator(".table thead th").first).to_be_in_viewport()
    assert phone.locator(".table td").first.evaluate("td => getComputedStyle(td).display") == "table-cell"
    playwright_sync.expect(phone.locator(".table")).to_contain_text(booking.reference)
    assert phone.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_every_verification_and_claims_page_fits_a_phone(phone, live_server):
    """The pages added after the test above, each with real data: the verify page (face first, here without a
    webcam), its LINE QR page, the rights-QR scan page, a visit's authen code with its service record form
    (priced), the home page's and the queue's visits, the claims list, an accepted and a rejected claim, the
    correction form, and the payment statements."""
    from django.utils import timezone

    from raksa.claims.statements import statement_issue
    from raksa.claims.submit import claim_submit
    from raksa.testing.claims import ALL_DAY, make_item, make_visit
    from raksa.testing.factories import FeeRateFactory, ServiceFactory, UnitServiceFactory
    from raksa.verification.models import Visit

    from .verify_helpers import link_line

    expect = playwright_sync.expect
    page = phone
    unit = UnitFactory(name="ร้านยารักษ์สุขภาพ สาขาถนนเจริญกรุงตัดใหม่", hcode="12345", district="เขตพระนคร",
                       opening_hours=ALL_DAY)
    StaffMembershipFactory(user=UserFactory(username="somchai", first_name="สมชายชาญ", last_name="ใจดีมีสุขเจริญ"),
                           unit=unit, role="unit_admin")
    service = ServiceFactory(code="PH001", name_th="ไข้หวัด เจ็บคอ น้ำมูกไหล ไอ (กลุ่มอาการทางเดินหายใจส่วนบน)",
                             name_en="Common cold", unit_type="pharmacy")
    UnitServiceFactory(unit=unit, service=service)
    FeeRateFactory(service=service, amount_baht="180.00")
    outside = ServiceFactory(code="PH099", name_th="ผื่นคัน ลมพิษ แมลงสัตว์กัดต่อย", unit_type="pharmacy")
    FeeRateFactory(service=outside, amount_baht="150.00")
    make_item(code="DRUG-PARA500-TAB", baht="1.50")
    people, first_id = [], make_national_id()
    for first, last in (("ประภัสสราภรณ์", "ศรีสุวรรณวงศ์ไพบูลย์"), ("สมปอง", "ดีใจมากมายเหลือเกิน"),
                        ("วิไลวรรณ", "เกษมสุขสวัสดิ์"), ("มานี", "มีนาคม")):
        citizen = CitizenFactory(first_name_th=first, last_name_th=last,
                                 national_id=make_national_id() if people else first_id)
        CoverageFactory(citizen=citizen)
        people.append(citizen)
    link_line(people[0])
    now = timezone.now()
    accepted = claim_submit(actor=None, unit=unit, now=now, icd10=["J00"],
                            items=[{"code": "DRUG-PARA500-TAB", "quantity": 10}],
                            authen_code=make_visit(unit=unit, citizen=people[1], service=service, now=now).authen_code)
    rejected = claim_submit(actor=None, unit=unit, now=now, service_code="PH099",
                            authen_code=make_visit(unit=unit, citizen=people[2], service=service, now=now).authen_code)
    assert (accepted.status, rejected.status) == ("accepted", "rejected")
    statement = statement_issue(actor=None, unit=unit, period_from=service_day(), period_to=service_day())
    open_visit = make_visit(unit=unit, citizen=people[3], service=service, now=now)

    log_in(page, live_server, "somchai")

    # Home with today's visit not yet claimed; the rights check, then the verify page (no webcam here: the page
    # says so and offers the LINE confirmation first), then its QR.
    expect(page.locator(f'[data-unsent="{open_visit.authen_code}"]')).to_be_visible()
    fits_a_phone(page, "home with an unclaimed visit")
    page.get_by_label("เลขประจำตัวประชาชน").fill(first_id)
    page.get_by_role("button", name="ตรวจสอบสิทธิ").click()
    page.get_by_role("link", name="ยืนยันตัวตน", exact=True).click()
    expect(page.locator(".person-card")).to_contain_text("ประภัสสราภรณ์")
    expect(page.locator("#face-status")).to_contain_text("เปิดกล้องไม่ได้")
    fits_a_phone(page, "verify (face)")
    page.get_by_role("button", name="ยืนยันผ่าน LINE (แสดง QR)").click()
    expect(page.locator("#line-state")).to_have_text("รอผู้รับบริการสแกน QR…")
    page.locator(".line-qr details summary").click()  # the QR's text, a long URL
    expect(page.locator("#line-qr-text")).to_be_visible()
    fits_a_phone(page, "verify (LINE QR)")

    page.goto(f"{live_server.url}/portal/verify/scan/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    for later in ("สแกนอีกครั้ง", "ปิดกล้อง"):  # the camera has not started: these wait (hidden) until it has
        expect(page.get_by_role("button", name=later)).to_be_hidden()
    fits_a_phone(page, "verify (rights QR scan)")

    # Today's queue with its visits and authen codes.
    page.goto(f"{live_server.url}/portal/queue/")
    expect(page.locator(f'[data-visit="{open_visit.authen_code}"]')).to_be_visible()
    fits_a_phone(page, "queue with visits")

    # A visit's authen code and its service record form, priced.
    page.goto(f"{live_server.url}/portal/visits/{open_visit.pk}/")
    expect(page.locator("#authen-code")).to_have_attribute("data-code", open_visit.authen_code)
    form = page.locator("#record-form")
    form.get_by_label("รหัส ICD-10 ช่องที่ 1").fill("J00")
    form.get_by_label("รหัสรายการ 1", exact=True).fill("DRUG-PARA500-TAB")
    form.get_by_label("จำนวน").first.fill("10")
    form.get_by_role("button", name="ตรวจราคา").click()
    expect(page.locator("#price-total")).to_have_text("195.00")
    fits_a_phone(page, "visit with its authen code and the service record form")

    # The claims: the list, an accepted claim, a rejected one with its reasons, its correction form.
    page.get_by_role("navigation").get_by_role("link", name="เคลม", exact=True).click()
    expect(page.locator(f'[data-claim="{accepted.reference}"]')).to_be_visible()
    expect(page.locator(f'[data-claim="{rejected.reference}"]')).to_be_visible()
    fits_a_phone(page, "claims list")
    page.goto(f"{live_server.url}/portal/claims/{accepted.pk}/")
    expect(page.locator("#claim-decision")).to_contain_text("ผ่าน")
    fits_a_phone(page, "an accepted claim")
    page.goto(f"{live_server.url}/portal/claims/{rejected.pk}/")
    expect(page.locator('#claim-decision [data-code="SERVICE_NOT_CONTRACTED"]')).to_be_visible()
    fits_a_phone(page, "a rejected claim")
    page.get_by_role("link", name="แก้ไขและส่งใหม่").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("แก้ไขและส่งใหม่")
    fits_a_phone(page, "a claim's correction form")

    # The payment statements, with one.
    page.goto(f"{live_server.url}/portal/statements/")
    expect(page.get_by_text(statement.reference)).to_be_visible()
    fits_a_phone(page, "statements")
    assert Visit.objects.count() == 3


def test_the_verify_page_with_its_camera_running_fits_a_phone(live_server, monkeypatch, tmp_path):
    """The face scan as it is used: the webcam's preview running (Chromium's fake camera plays a photo)."""
    from raksa.integrations.face.samples import sample_photo
    from raksa.testing import faces
    from raksa.testing.claims import ALL_DAY
    from raksa.testing.factories import ServiceFactory, UnitServiceFactory

    from .webcam import camera_page

    unit = UnitFactory(name="ร้านยารักษ์สุขภาพ สาขาถนนเจริญกรุงตัดใหม่", hcode="12345", opening_hours=ALL_DAY)
    StaffMembershipFactory(user=UserFactory(username="somchai"), unit=unit, role="clinician")
    UnitServiceFactory(unit=unit, service=ServiceFactory(code="PH001", name_th="ไข้หวัด เจ็บคอ", unit_type="pharmacy"))
    national_id = make_national_id()
    CoverageFactory(citizen=CitizenFactory(national_id=national_id, first_name_th="ประภัสสราภรณ์",
                                           last_name_th="ศรีสุวรรณวงศ์ไพบูลย์"))
    clip = faces.write_y4m(faces.still_frames(sample_photo("astronaut"), 4), tmp_path / "still.y4m", fps=8)
    with camera_page(monkeypatch, clip, PHONE) as page:
        log_in(page, live_server, "somchai")
        page.get_by_label("เลขประจำตัวประชาชน").fill(national_id)
        page.get_by_role("button", name="ตรวจสอบสิทธิ").click()
        page.get_by_role("link", name="ยืนยันตัวตน", exact=True).click()
        playwright_sync.expect(page.locator("#face")).to_have_attribute("data-camera", "on")
        playwright_sync.expect(page.get_by_role("button", name="สแกนใบหน้า")).to_be_visible()
        fits_a_phone(page, "verify (face, camera on)")
