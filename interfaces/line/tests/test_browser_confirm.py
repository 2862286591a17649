"""The LINE confirmation QR end to end, through the real parts only (as test_browser_end_to_end.py): the LINE
stand-in (a subprocess: its chat viewer, the phone frame and liff-shim.js, LINE's ID tokens), Raksa's live
server, the verification services.

1. The unit shows an identity QR (``line_confirmation_issue``, its payload ``confirm_links.confirm_url``); the
   citizen, as the stand-in's LINE user in the viewer's phone frame, opens "สแกน QR ที่หน่วยบริการ", taps the
   scanner (``liff.scanCodeV2``: the viewer's reader, where the QR's text is pasted), sees the unit's name,
   taps ยืนยัน: the visit is open by LINE with the authen code the phone shows. Then a service QR, scanned as
   a bare token through the viewer's test hook, records that the service was received.
2. Every new page at 360 px (nothing wider, 44 px targets) and axe-clean, with screenshots at 390 × 844.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.test import RequestFactory
from playwright import sync_api as playwright_sync

from interfaces.line.confirm_links import confirm_url
from raksa.demo.accounts import demo_laser_code
from raksa.people.services import citizen_line_link
from raksa.testing.browser import BROWSER_MARKS
from raksa.testing.factories import StaffMembershipFactory, UserFactory
from raksa.testing.tasks import run_tasks
from raksa.verification.line_confirm import line_confirmation_issue, line_confirmation_state
from raksa.verification.models import Visit

from .test_browser import axe_serious
from .test_browser_end_to_end import SOMCHAI, SOMSRI, demo_citizen, standin_user

pytestmark = [*BROWSER_MARKS, pytest.mark.slow]
SCREENSHOTS = "/tmp/liff-confirm-{}.png"
PHONE_390 = {"width": 390, "height": 844}
expect = playwright_sync.expect


@pytest.fixture
def staff(unit):
    user = UserFactory(username="pharmacist", first_name="ภญ.สุดา", last_name="ใจงาม")
    StaffMembershipFactory(user=user, unit=unit, role="clinician")
    return user


def linked_standin_user(standin, display_name: str, first_name: str, last_name: str):
    """A demo citizen linked to the stand-in's LINE user (a friend of the account), as linking does."""
    citizen, national_id = demo_citizen(first_name, last_name)
    user_id = standin_user(standin, display_name)
    assert standin.webhook(user_id, "follow").status == 200
    citizen_line_link(line_user_id=user_id, national_id=national_id, birth_date=citizen.birth_date,
                      laser_code=demo_laser_code(national_id))
    run_tasks()
    citizen.refresh_from_db()
    return citizen, user_id


def qr_payload(live_server, token: str) -> str:
    """What the portal's QR holds: confirm_url for a request to this server."""
    request = RequestFactory().get("/portal/", HTTP_HOST=urlsplit(live_server.url).netloc)
    return confirm_url(request, token)


def test_the_citizen_scans_the_units_qr_in_the_phone_frame_and_confirms(
        page, live_server, line_standin, unit, service, staff):
    citizen, user_id = linked_standin_user(line_standin, SOMSRI, "สมศรี", "ใจดี")
    viewer = page
    viewer.goto(line_standin.base_url + "/")
    viewer.locator(f'#user-list button[data-user-id="{user_id}"]').click()
    phone = viewer.frame_locator("#liff-frame")
    expect(phone.get_by_role("heading", level=1)).to_contain_text("สวัสดีคุณสมศรี")  # signed in by the shim

    # The unit shows an identity QR (the portal's step; the domain function here).
    issued = line_confirmation_issue(actor=staff, unit=unit, citizen=citizen, purpose="identity", service=service,
                                     actor_label="pharmacist")
    payload = qr_payload(live_server, issued.token)
    assert payload == f"{live_server.url}/line/confirm/?t={issued.token}"

    # In LINE: the scan entry, the scanner (the viewer's reader over the phone), the QR's text pasted.
    phone.get_by_role("link", name="สแกน QR ที่หน่วยบริการ").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("สแกน QR ที่หน่วยบริการ")
    scan_button = phone.get_by_role("button", name="เปิดตัวสแกน QR")
    expect(scan_button).to_be_enabled()  # liff.init done, isApiAvailable("scanCodeV2")
    scan_button.click()
    expect(viewer.get_by_role("heading", name="สแกนคิวอาร์โค้ด")).to_be_visible()
    viewer.get_by_label("ข้อความใน QR").fill(payload)
    viewer.screenshot(path=SCREENSHOTS.format("viewer-scanner"))
    viewer.get_by_role("button", name="อ่านค่านี้").click()

    # The confirm page: the unit's name and what is confirmed; the portal sees "scanned".
    expect(phone.get_by_role("heading", level=1)).to_have_text(unit.name)
    expect(phone.locator(".confirm-what")).to_have_text(
        f"ยืนยันว่าคุณอยู่ที่ {unit.name} เพื่อรับบริการ {service.name_th}")
    assert line_confirmation_state(confirmation_id=issued.confirmation.pk, unit=unit).state == "scanned"
    viewer.screenshot(path=SCREENSHOTS.format("viewer-confirm"))
    phone.get_by_role("button", name="ยืนยัน", exact=True).click()

    # Confirmed: the visit is open by LINE, with the authen code the phone shows; the portal sees the same.
    expect(phone.get_by_role("heading", level=1)).to_have_text("หน่วยบริการได้รับการยืนยันแล้ว")
    visit = Visit.objects.get(citizen=citizen)
    assert (visit.unit, visit.method, visit.status, visit.verified_by) == (unit, "line", "open", staff)
    expect(phone.locator(".authen-code")).to_have_text(visit.authen_code)
    state = line_confirmation_state(confirmation_id=issued.confirmation.pk, unit=unit)
    assert (state.state, state.authen_code) == ("confirmed", visit.authen_code)
    viewer.screenshot(path=SCREENSHOTS.format("viewer-done"))

    # Later, the service QR: scanned as a bare token through the viewer's test hook.
    served = line_confirmation_issue(actor=staff, unit=unit, citizen=citizen, purpose="service", visit=visit)
    phone.locator(".bar__home").click()
    phone.get_by_role("link", name="สแกน QR ที่หน่วยบริการ").click()
    expect(phone.get_by_role("button", name="เปิดตัวสแกน QR")).to_be_enabled()
    phone.get_by_role("button", name="เปิดตัวสแกน QR").click()
    viewer.wait_for_function("standinViewer.scanPending()")
    assert viewer.evaluate("(token) => standinViewer.answerScan(token)", served.token) is True
    expect(phone.locator(".confirm-what")).to_have_text(
        f"ยืนยันว่าคุณได้รับบริการ {service.name_th} จาก {unit.name} แล้ว")
    phone.get_by_role("button", name="ยืนยัน", exact=True).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("ยืนยันการรับบริการแล้ว")
    visit.refresh_from_db()
    assert visit.service_confirmed_at is not None

    # Scanning the same QR again is refused, and says what to do.
    phone.locator(".bar__home").click()
    phone.get_by_role("link", name="สแกน QR ที่หน่วยบริการ").click()
    phone.get_by_role("button", name="เปิดตัวสแกน QR").click()
    viewer.wait_for_function("standinViewer.scanPending()")
    viewer.evaluate("(text) => standinViewer.answerScan(text)", payload)
    expect(phone.get_by_role("heading", level=1)).to_have_text("QR นี้ถูกใช้ไปแล้ว")
    expect(phone.get_by_role("alert")).to_contain_text("ขอให้เจ้าหน้าที่แสดง QR ใหม่")
    assert Visit.objects.count() == 1


def check(page, name: str, found: dict) -> None:
    """Usable at 360 px (nothing wider than the screen, touch targets of 44 px), axe-clean; then a screenshot at
    390 × 844 (the size the issue's screenshots use)."""
    page.set_viewport_size({"width": 360, "height": 740})
    page.wait_for_load_state("load")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{name} is {width}px wide"
    small = page.evaluate("""[...document.querySelectorAll('a, button, input, select, summary')]
        .filter(e => e.offsetParent !== null && e.type !== 'hidden')
        .map(e => [e.textContent.trim() || e.name, e.getBoundingClientRect().height])
        .filter(([, h]) => h < 44)""")
    assert not small, f"{name}: touch targets under 44px: {small}"
    found[name] = axe_serious(page)
    page.set_viewport_size(PHONE_390)
    page.screenshot(path=SCREENSHOTS.format(name), full_page=True)


def test_the_new_pages_fit_a_phone_and_axe_finds_nothing_serious(
        phone, live_server, line_standin, unit, service, staff):
    citizen, user_id = linked_standin_user(line_standin, SOMSRI, "สมศรี", "ใจดี")
    other, other_id = linked_standin_user(line_standin, SOMCHAI, "สมชาย", "ศรีสุข")
    page = phone
    found: dict[str, list[str]] = {}

    page.goto(f"{live_server.url}/liff/scan?standin_user={user_id}")
    expect(page.get_by_role("button", name="เปิดตัวสแกน QR")).to_be_enabled()
    check(page, "scan", found)

    # Outside the phone frame the shim's scanner is a prompt; a text that is not ours is refused in Thai.
    page.once("dialog", lambda dialog: dialog.accept("https://example.com/promo"))
    page.get_by_role("button", name="เปิดตัวสแกน QR").click()
    expect(page.get_by_role("alert")).to_contain_text("QR นี้ไม่ใช่ QR ยืนยันจากหน่วยบริการของรักษา")
    check(page, "scan-refused", found)

    issued = line_confirmation_issue(actor=staff, unit=unit, citizen=citizen, purpose="identity", service=service)
    page.goto(qr_payload(live_server, issued.token))  # the QR's address opened as a phone camera would
    expect(page.get_by_role("heading", level=1)).to_have_text(unit.name)
    check(page, "confirm", found)

    # Another linked LINE account opening this person's QR: 403, nothing recorded.
    page.goto(f"{live_server.url}/liff/confirm?t={issued.token}&standin_user={other_id}")
    expect(page.get_by_role("heading", level=1)).to_have_text("QR นี้เป็นของบุคคลอื่น")
    check(page, "wrong-person", found)

    page.goto(f"{live_server.url}/liff/confirm?t={issued.token}&standin_user={user_id}")
    page.get_by_role("button", name="ไม่ใช่ฉัน / ปฏิเสธ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("คุณปฏิเสธแล้ว")
    check(page, "declined", found)
    assert not Visit.objects.exists()

    fresh = line_confirmation_issue(actor=staff, unit=unit, citizen=citizen, purpose="identity", service=service)
    page.goto(f"{live_server.url}/liff/confirm?t={fresh.token}")
    page.get_by_role("button", name="ยืนยัน", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("หน่วยบริการได้รับการยืนยันแล้ว")
    check(page, "done", found)

    page.goto(f"{live_server.url}/liff/confirm?t={issued.token}")  # declined before: used
    expect(page.get_by_role("heading", level=1)).to_have_text("QR นี้ถูกใช้ไปแล้ว")
    check(page, "used", found)

    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("This QR code has already been answered")
    check(page, "used-en", found)

    print(f"axe (serious or critical): {found}")
    assert not any(found.values()), found
    assert other.pk != citizen.pk
