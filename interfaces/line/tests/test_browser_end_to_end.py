"""The citizen's LINE channel end to end, through the real parts only: the LINE stand-in (line_standin/, a
subprocess on its own port: LINE's API, its JWKS, signed webhooks, the chat viewer and its liff-shim.js, which
settings.LINE_LIFF_SDK_URL points at), Raksa's live server, the real LINE client pushing to the stand-in, and
the jobs run with run_tasks(). No window.liff of the test's own, no made-up ID token, no unsigned webhook.

1. A citizen, as the stand-in's LINE user สมศรี on a 360 × 740 phone, opens Raksa's LIFF pages as the viewer's
   phone frame does (``/liff/?standin_user=<userId>``), links with the demo-style ID card (national ID, birth
   date, laser code), finds a unit, books, sees the confirmation and the rights QR; the chat viewer shows the
   booking-confirmed bubble; the QR decoded from a screenshot (zxing-cpp) resolves to that citizen and
   booking, once.
2. Staff book for a linked citizen in the portal; the citizen's chat in the viewer shows the request; tapping
   its confirm button sends the signed postback webhook; the portal then shows the booking confirmed.
"""

from __future__ import annotations

import pytest
import zxingcpp
from django.utils import translation
from playwright import sync_api as playwright_sync

from raksa.booking.models import Booking, BookingChannel, BookingStatus
from raksa.booking.services import schedule_set
from raksa.core.errors import DomainError
from raksa.core.timeutil import BANGKOK, service_day
from raksa.demo.accounts import demo_laser_code
from raksa.messaging import flex
from raksa.messaging.models import WebhookEvent
from raksa.people.services import citizen_line_link
from raksa.testing.browser import BROWSER_MARKS, DESKTOP
from raksa.testing.factories import (
    CitizenFactory,
    CoverageFactory,
    StaffMembershipFactory,
    UserFactory,
    make_national_id,
)
from raksa.testing.tasks import run_tasks
from raksa.verification.services import rights_qr_resolve

from .conftest import ALL_DAY
from .png import png_gray

# The stand-in is a subprocess: slow as well as browser.
pytestmark = [*BROWSER_MARKS, pytest.mark.slow]

SOMSRI = "สมศรี ใจดี"  # the stand-in's first demo LINE user
SOMCHAI = "สมชาย ศรีสุข"
SCREENSHOTS = "/tmp/line-e2e-{}.png"
expect = playwright_sync.expect


@pytest.fixture
def quarter_hours(bangkok_morning, unit, service):
    """Every day, all day, 15-minute slots, the clock at 10:00 in Bangkok (``bangkok_morning``; the stand-in
    follows it): today has free times whatever the hour the suite runs at, and the rights QR binds today's
    booking."""
    return schedule_set(actor=None, unit=unit, service=service, weekly_hours=ALL_DAY, slot_minutes=15,
                        seats_per_slot=2, book_ahead_days=7, min_notice_minutes=0)


def demo_citizen(first_name: str, last_name: str):
    """A citizen as the demo seeds them: a national ID, the demo's laser code for it, a gold card."""
    national_id = make_national_id()
    citizen = CitizenFactory(national_id=national_id, laser_code=demo_laser_code(national_id),
                             first_name_th=first_name, last_name_th=last_name)
    CoverageFactory(citizen=citizen)
    return citizen, national_id


def standin_user(standin, display_name: str) -> str:
    return next(u["userId"] for u in standin.users() if u["displayName"] == display_name)


def open_viewer(phone, standin, user_id: str):
    """The stand-in's chat viewer on a desktop-sized page of its own (a second browser context), the user
    picked in its list as a visitor does."""
    context = phone.context.browser.new_context(locale="th-TH", viewport=DESKTOP)
    viewer = context.new_page()
    viewer.set_default_timeout(15_000)
    viewer.goto(standin.base_url + "/")
    name = next(u["displayName"] for u in standin.users() if u["userId"] == user_id)
    viewer.locator(f'#user-list button[data-user-id="{user_id}"]').click()
    expect(viewer.locator("#chat-as")).to_contain_text(name)
    return viewer


def decode_qr(page) -> str:
    results = zxingcpp.read_barcodes(png_gray(page.locator("#qr").screenshot()))
    assert len(results) == 1, "no QR code found in the screenshot"
    return results[0].text


def test_a_line_user_links_books_gets_the_flex_bubble_and_a_qr_that_resolves_once(
        bangkok_morning, phone, live_server, line_standin, unit, service, quarter_hours):
    citizen, national_id = demo_citizen("สมศรี", "ใจดี")
    user_id = standin_user(line_standin, SOMSRI)

    # In the viewer the user adds Raksa as a friend: a signed follow event to Raksa, then the greeting.
    viewer = open_viewer(phone, line_standin, user_id)
    viewer.locator("#follow-big").click()
    expect(viewer.locator("#toast")).to_contain_text("webhook → HTTP 200")
    run_tasks()
    chat = viewer.locator("#chat")
    expect(chat.locator(".flex-bubble").last).to_contain_text("ยินดีต้อนรับสู่รักษา")

    # The phone opens Raksa's LIFF app as the phone frame does: the shim gets the stand-in's ID token.
    page = phone
    page.goto(f"{live_server.url}/liff/?standin_user={user_id}")
    expect(page.get_by_role("heading", level=1)).to_have_text("เชื่อมบัญชี LINE กับตัวตนของคุณ")
    page.get_by_label("เลขประจำตัวประชาชน (13 หลัก)").fill(national_id)
    page.get_by_label("วันที่", exact=True).select_option(str(citizen.birth_date.day))
    page.get_by_label("เดือน").select_option(str(citizen.birth_date.month))
    page.get_by_label("ปี พ.ศ.").fill(str(citizen.birth_date.year + 543))
    page.get_by_label("เลขหลังบัตรประชาชน (Laser code)").fill(demo_laser_code(national_id))
    page.get_by_role("button", name="เชื่อมบัญชี").click()
    expect(page.get_by_role("status")).to_contain_text("เชื่อมบัญชี LINE เรียบร้อยแล้ว")
    expect(page.get_by_role("heading", level=1)).to_contain_text("สวัสดีคุณสมศรี")
    citizen.refresh_from_db()
    assert citizen.line_user_id == user_id  # the stand-in's user, from the verified ID token

    # Find a unit, pick today's last free time (none starts while we click), book it.
    page.get_by_role("link", name="จองคิว").click()
    expect(page.locator(".unit")).to_contain_text(unit.name)
    page.get_by_role("link", name="เลือกเวลา").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("เลือกเวลา")
    slot = page.locator("a.slot").last
    chosen = slot.inner_text().strip()
    slot.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ยืนยันการจอง")
    page.get_by_role("button", name="จองเวลานี้").click()
    expect(page.get_by_role("status").first).to_contain_text("จองสำเร็จ")
    expect(page.locator(".booking-time")).to_contain_text(chosen)
    page.screenshot(path=SCREENSHOTS.format("booked"), full_page=True)
    booking = Booking.objects.select_related("slot").get(citizen=citizen)
    assert (booking.status, booking.channel) == (BookingStatus.CONFIRMED, BookingChannel.LINE)
    assert f"{booking.slot.starts_at.astimezone(BANGKOK):%H:%M}" == chosen
    assert booking.day == service_day()

    # The rights QR on the phone.
    page.get_by_role("link", name="แสดง QR ยืนยันสิทธิ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("QR ยืนยันสิทธิ์")
    expect(page.get_by_text(f"สำหรับนัดวันนี้ที่ {unit.name}")).to_be_visible()
    page.screenshot(path=SCREENSHOTS.format("qr"), full_page=True)
    token = decode_qr(page)

    # The jobs push the booking-confirmed bubble through the LINE client to the stand-in; the viewer draws it.
    run_tasks()
    view = flex.BookingView(reference=booking.reference, starts_at=booking.slot.starts_at,
                            ends_at=booking.slot.ends_at, unit_name=unit.name, unit_address="", unit_phone="",
                            latitude=None, longitude=None, service_name=service.name_th)
    bubble = chat.locator(".flex-bubble").last
    expect(bubble).to_contain_text("จองคิวสำเร็จ")
    for seen in (view.date_th, view.time_th, f"{chosen}–", unit.name, booking.reference):
        expect(bubble).to_contain_text(seen)
    assert str(service_day().year + 543) in view.date_th  # the Buddhist year
    expect(bubble.get_by_role("button", name="QR ยืนยันสิทธิ์")).to_be_visible()
    viewer.screenshot(path=SCREENSHOTS.format("viewer-confirmed"), full_page=True)

    # The unit scans it: the token resolves to this citizen and this booking, once.
    assert national_id not in token and citizen.cid_masked not in token
    resolved_citizen, resolved_booking = rights_qr_resolve(token=token)
    assert resolved_citizen.pk == citizen.pk
    assert resolved_booking is not None and resolved_booking.pk == booking.pk
    with pytest.raises(DomainError) as used:
        rights_qr_resolve(token=token)
    assert used.value.code == "QR_USED"


def test_staff_book_for_a_linked_citizen_who_confirms_by_tapping_in_the_chat(
        bangkok_morning, page, live_server, line_standin, unit, service, quarter_hours):
    from interfaces.portal import labels
    from interfaces.portal.tests.helpers import log_in

    StaffMembershipFactory(user=UserFactory(username="somchai", first_name="สมชาย", last_name="ใจดี"), unit=unit,
                           role="clinician")
    citizen, national_id = demo_citizen("สมชาย", "ศรีสุข")
    user_id = standin_user(line_standin, SOMCHAI)
    assert line_standin.webhook(user_id, "follow").status == 200  # a friend of the account
    citizen_line_link(line_user_id=user_id, national_id=national_id, birth_date=citizen.birth_date,
                      laser_code=demo_laser_code(national_id))
    run_tasks()

    # The unit books for them in the portal (seed 2.2): it waits for the citizen's confirmation.
    log_in(page, live_server, "somchai")
    page.get_by_role("link", name="จองให้ประชาชน").click()
    page.get_by_label("เลขประจำตัวประชาชน").fill(national_id)
    page.get_by_role("button", name="ค้นหาประชาชน").click()
    expect(page.locator(".citizen-name")).to_have_text(citizen.full_name)
    page.locator(".slot").last.click()  # the last free time today: none starts while we click
    expect(page.locator(".message--success")).to_contain_text("เลขที่การจอง")
    reference = page.locator(".booking-ref").inner_text().strip()
    expect(page.locator(".notice--waiting")).to_contain_text("ระบบจะขอให้ประชาชนยืนยันการจองนี้ใน LINE")
    booking = Booking.objects.select_related("slot").get(reference=reference)
    assert booking.status == BookingStatus.AWAITING_CITIZEN and booking.citizen_id == citizen.pk
    booking_url = page.url

    # The job pushes the request; the citizen's chat in the viewer shows it with its buttons.
    run_tasks()
    viewer = open_viewer(page, line_standin, user_id)
    chat = viewer.locator("#chat")
    request = chat.locator(".flex-bubble").filter(has_text="หน่วยบริการจองคิวให้คุณ")
    expect(request).to_have_count(1)
    expect(request).to_contain_text(f"{unit.name} จองคิวให้คุณ กรุณายืนยันว่าจะมาตามนัด")
    expect(request).to_contain_text(reference)
    expect(request).to_contain_text(f"{booking.slot.starts_at.astimezone(BANGKOK):%H:%M}–")
    viewer.screenshot(path=SCREENSHOTS.format("viewer-awaiting"), full_page=True)

    # Tapping confirm: the stand-in signs the postback event and posts it to Raksa's live server.
    request.get_by_role("button", name="ยืนยันนัด").click()
    expect(chat.locator(".row-user").get_by_text(f"ยืนยันนัด {reference}")).to_be_visible()
    expect(viewer.locator("#toast")).to_contain_text("webhook → HTTP 200")
    postback = WebhookEvent.objects.get(type="postback")
    assert postback.payload["postback"]["data"] == f"action=confirm&booking={reference}"
    run_tasks()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    assert WebhookEvent.objects.get(type="postback").outcome == "handled"

    # The answer in the chat (the reply to the postback), and the portal shows the booking confirmed.
    expect(chat.locator(".flex-bubble").last).to_contain_text("จองคิวสำเร็จ")
    expect(chat.locator(".flex-bubble").last).to_contain_text(reference)
    viewer.screenshot(path=SCREENSHOTS.format("viewer-confirmed-by-tap"), full_page=True)
    page.goto(booking_url)
    with translation.override("th"):
        confirmed = labels.booking_status_label("confirmed")
    expect(page.locator(".badge--confirmed")).to_have_text(confirmed)
    expect(page.locator(".notice--waiting")).to_have_count(0)
    page.get_by_role("link", name="คิววันนี้").click()
    row = page.locator(f'[data-booking="{reference}"]')
    expect(row.locator(".badge--confirmed")).to_have_text(confirmed)
    expect(row.get_by_role("button", name="มาถึงแล้ว: รับเข้าคิว")).to_be_visible()
