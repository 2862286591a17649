"""Every portal page on a phone, 360 × 740 CSS pixels (Debian Chromium through Playwright): nothing wider
than the screen, a compact header, controls a finger can hit, bookings as labelled cards, the booking
page's free times near the top; and the favicon answers."""


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
  return {scrollWidth: root.scrollWidth, clientWidth: root.clientWidth,
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
