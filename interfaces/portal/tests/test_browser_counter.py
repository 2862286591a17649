"""The counter in Chromium: two tabs of one login, the short paths, confirmations, Thai digits."""

import time

import pytest
from django.utils import timezone
from playwright import sync_api as playwright_sync

from raksa.booking.models import Booking, BookingStatus, QueueTicket, TicketStatus
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

from .conftest import ALL_DAY, OPENING_HOURS
from .helpers import local, log_in, slot_at

pytestmark = [*BROWSER_MARKS, pytest.mark.django_db(transaction=True)]
THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


@pytest.fixture
def counter(db):
    """A pharmacy open all day with a schedule, a clinician ``somchai`` who also works at a dental clinic,
    and two UCS citizens: a child and a man."""
    from raksa.booking.services import schedule_set

    unit = UnitFactory(name="ร้านยารักษ์สุขภาพ", hcode="12345", opening_hours=OPENING_HOURS)
    other = UnitFactory(name="คลินิกทันตกรรมยิ้มสวย", hcode="22222", unit_type="dental")
    user = UserFactory(username="somchai", first_name="สมชาย", last_name="ใจดี")
    StaffMembershipFactory(user=user, unit=unit, role="clinician")
    StaffMembershipFactory(user=user, unit=other, role="clinician")
    service = ServiceFactory(code="PH001", name_th="ไข้หวัด เจ็บคอ", name_en="Common cold", unit_type="pharmacy")
    UnitServiceFactory(unit=unit, service=service)
    schedule_set(actor=None, unit=unit, service=service, weekly_hours=ALL_DAY, slot_minutes=60, seats_per_slot=2,
                 book_ahead_days=7, min_notice_minutes=0)
    child_id, man_id = make_national_id(), make_national_id()
    child = CitizenFactory(national_id=child_id, first_name_th="ด.ช.ภูมิ", last_name_th="ใจกล้า", title_th="")
    man = CitizenFactory(national_id=man_id, first_name_th="สมศักดิ์", last_name_th="มั่นคง", title_th="นาย")
    CoverageFactory(citizen=child)
    CoverageFactory(citizen=man)
    return {"unit": unit, "service": service, "other": other, "child": child, "child_id": child_id, "man": man,
            "man_id": man_id}


def find_citizen(tab, live_server, national_id):
    tab.goto(f"{live_server.url}/portal/book/")
    tab.get_by_label("เลขประจำตัวประชาชน").fill(national_id)
    tab.get_by_role("button", name="ค้นหาประชาชน").click()


def test_two_tabs_each_book_for_the_citizen_they_show(page, live_server, counter):
    expect = playwright_sync.expect
    log_in(page, live_server, "somchai")
    tab1, tab2 = page, page.context.new_page()
    tomorrow = (service_day() + timezone.timedelta(days=1)).isoformat()
    find_citizen(tab1, live_server, counter["child_id"])
    tab1.goto(f"{tab1.url}&service=PH001&day={tomorrow}")
    expect(tab1.locator(".citizen-name")).to_contain_text("ภูมิ")
    find_citizen(tab2, live_server, counter["man_id"])  # the other tab looks up the man
    expect(tab2.locator(".citizen-name")).to_contain_text("สมศักดิ์")

    tab1.locator(".slot").first.click()  # back in tab 1, which still shows the child
    expect(tab1.locator(".message--success")).to_contain_text("ภูมิ")
    booking = Booking.objects.get()
    assert booking.citizen == counter["child"]
    assert not Booking.objects.filter(citizen=counter["man"]).exists()


def test_a_tab_left_on_another_unit_is_refused_and_changes_nothing(page, live_server, counter):
    expect = playwright_sync.expect
    log_in(page, live_server, "somchai")
    tab1, tab2 = page, page.context.new_page()
    tab1.goto(f"{live_server.url}/portal/queue/")
    expect(tab1.locator(".unit-bar__name")).to_have_text("ร้านยารักษ์สุขภาพ")
    tab2.goto(f"{live_server.url}/portal/")
    tab2.get_by_label("เปลี่ยนหน่วยบริการ").select_option(str(counter["other"].pk))
    tab2.get_by_role("button", name="เปลี่ยน", exact=True).click()
    expect(tab2.locator(".unit-bar__name")).to_have_text("คลินิกทันตกรรมยิ้มสวย")

    tab1.get_by_role("button", name="ออกบัตรคิว (ไม่ได้จอง)").click()  # tab 1 still shows the pharmacy
    expect(tab1.get_by_role("heading", level=1)).to_have_text("ยังไม่ได้ดำเนินการใด ๆ: หน่วยบริการถูกเปลี่ยนแล้ว")
    expect(tab1.get_by_role("alert")).to_contain_text("หน้านั้นเป็นของ ร้านยารักษ์สุขภาพ")
    assert not QueueTicket.objects.exists()


def test_eligible_then_walk_in_ticket_then_call_then_done(page, live_server, counter):
    expect = playwright_sync.expect
    log_in(page, live_server, "somchai")
    page.get_by_label("เลขประจำตัวประชาชน").fill(counter["man_id"].translate(THAI))  # Thai digits
    page.get_by_label("บริการ", exact=True).select_option("PH001")
    page.get_by_role("button", name="ตรวจสอบสิทธิ").click()
    expect(page.locator(".result")).to_contain_text("มีสิทธิ: บุคคลนี้รับบริการได้")
    page.get_by_role("button", name="ออกบัตรคิวตอนนี้ (ไม่ได้จอง)").click()
    expect(page).to_have_url(f"{live_server.url}/portal/queue/")
    expect(page.locator(".message--success")).to_contain_text("A-001")
    expect(page.locator('[data-ticket="A-001"]')).to_contain_text("สมศักดิ์")
    page.get_by_role("button", name="เรียกคิวถัดไป").click()
    expect(page.locator(".message--success")).to_contain_text("เรียกหมายเลข A-001")
    page.locator('[data-ticket="A-001"]').get_by_role("button", name="เสร็จสิ้น").click()
    expect(page.locator(".message--success")).to_contain_text("A-001")
    ticket = QueueTicket.objects.get()
    assert (ticket.citizen, ticket.status) == (counter["man"], TicketStatus.DONE)


def test_a_booked_person_is_checked_in_from_the_queue_card_in_one_click(page, live_server, counter, monkeypatch):
    from raksa.booking.services import booking_create

    expect = playwright_sync.expect
    # The counter's clock (this process's, which the live server shares) reads today's noon in Bangkok, running
    # from there: a unit-made booking holds its seat only until its slot starts, so late in the real day no
    # booking of today could still await the citizen. The test therefore never depends on the hour it runs.
    noon, started = local(service_day(), 12), time.monotonic()
    monkeypatch.setattr(timezone, "now", lambda: noon + timezone.timedelta(seconds=time.monotonic() - started))
    booking = booking_create(actor=None, citizen=counter["man"], channel="portal",
                             slot_id=slot_at(counter["unit"], local(service_day(), 13)).pk)
    assert booking.status == BookingStatus.AWAITING_CITIZEN
    log_in(page, live_server, "somchai")
    page.get_by_role("link", name="คิววันนี้").click()
    card = page.locator(f'[data-booking="{booking.reference}"]')
    card.get_by_role("button", name="ยืนยันต่อหน้าแล้ว: รับเข้าคิว").click()
    expect(page.locator('[data-ticket="B-001"]')).to_contain_text("สมศักดิ์")
    page.get_by_role("button", name="เรียกคิวถัดไป").click()
    expect(page.locator(".message--success")).to_contain_text("เรียกหมายเลข B-001")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CHECKED_IN


def test_cancel_asks_first_and_a_no_keeps_the_booking(page, live_server, counter):
    from raksa.booking.services import booking_create
    from raksa.booking.slots import slots_free

    expect = playwright_sync.expect
    day = service_day() + timezone.timedelta(days=1)
    slot = slots_free(unit_id=counter["unit"].pk, service_id=counter["service"].pk,
                      day=day)[0]
    booking = booking_create(actor=None, citizen=counter["man"], slot_id=slot.pk, channel="portal")
    log_in(page, live_server, "somchai")
    page.goto(f"{live_server.url}/portal/bookings/{booking.reference}/")
    questions = []

    def answer(dialog, accept):
        questions.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda d: answer(d, False))
    page.get_by_role("button", name="ยกเลิกการจอง").click()
    expect(page.get_by_role("button", name="ยกเลิกการจอง")).to_be_visible()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.AWAITING_CITIZEN and questions == ["ยกเลิกการจองนี้ใช่หรือไม่ ที่นั่งจะว่างให้ผู้อื่นจองได้"]

    page.once("dialog", lambda d: answer(d, True))
    page.get_by_role("button", name="ยกเลิกการจอง").click()
    expect(page.locator(".message--success")).to_contain_text("ยกเลิก")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED and len(questions) == 2


def test_a_national_id_typed_on_the_thai_layout_gets_a_hint(page, live_server, counter):
    log_in(page, live_server, "somchai")
    page.get_by_label("เลขประจำตัวประชาชน").fill("ๅ/-ภถุึคตจๅ/-ภ")
    page.get_by_label("บริการ", exact=True).select_option("PH001")
    page.get_by_role("button", name="ตรวจสอบสิทธิ").click()
    playwright_sync.expect(page.locator("form.form")).to_contain_text("แป้นพิมพ์เป็นภาษาไทย")
