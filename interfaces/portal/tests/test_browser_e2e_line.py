"""The counter and the citizen's LINE together, end to end through the real parts only: the portal in Chromium with
a fake webcam, the LINE stand-in (a subprocess: its chat viewer, the phone frame, liff-shim.js), Raksa's live
server. Nothing answers for the citizen but the stand-in's phone frame and Raksa's own LIFF pages.

1. Another person's face is refused three times; staff show the LINE QR; the citizen, in the viewer's phone frame,
   scans it (``standinViewer.answerScan``: what ``liff.scanCodeV2`` resolves with) and taps ยืนยัน: the portal
   shows the authen code by itself within 2 s, and the visit is open by LINE.
2. The rights QR the LIFF page ``/liff/qr`` draws for a citizen booked today, screenshot and played as the
   portal's webcam ("สแกน QR ยืนยันสิทธิ์" camera mode): the visit opens with its authen code and the booking is
   checked in.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import time

import numpy as np
import pytest
import zxingcpp
from playwright import sync_api as playwright_sync

from interfaces.line.tests.test_browser_end_to_end import SOMSRI, demo_citizen, standin_user
from raksa.booking.models import Booking, BookingStatus, Slot
from raksa.booking.services import booking_create, schedule_set
from raksa.core.errors import DomainError
from raksa.core.timeutil import service_day
from raksa.demo.accounts import demo_laser_code
from raksa.integrations.face.engine import get_engine
from raksa.integrations.face.samples import sample_photo
from raksa.people.faces import face_template_set
from raksa.people.services import citizen_line_link
from raksa.testing import faces
from raksa.testing.browser import BROWSER_MARKS, DESKTOP, PHONE, chromium_page
from raksa.testing.tasks import run_tasks
from raksa.verification.models import Visit
from raksa.verification.services import rights_qr_resolve

from .conftest import ALL_DAY
from .test_browser_verify import NARROW, WIDE, Clicks, _png, shoot
from .test_browser_verify_face import to_verify_page, turn_clip
from .webcam import camera_page

# The stand-in is a subprocess: slow as well as browser.
pytestmark = [*BROWSER_MARKS, pytest.mark.slow, pytest.mark.django_db(transaction=True)]
expect = playwright_sync.expect


@pytest.fixture
def counter(live_server, line_standin, unit, service, staff):
    """The portal's pharmacy (``unit``, ``service``, clinician ``somchai``) and the demo citizen สมศรี linked to
    the stand-in's LINE user สมศรี, whose reference face is the astronaut's."""
    citizen, national_id = demo_citizen("สมศรี", "ใจดี")
    user_id = standin_user(line_standin, SOMSRI)
    assert line_standin.webhook(user_id, "follow").status == 200  # a friend of the account
    citizen_line_link(line_user_id=user_id, national_id=national_id, birth_date=citizen.birth_date,
                      laser_code=demo_laser_code(national_id))
    run_tasks()
    citizen.refresh_from_db()
    face_template_set(actor=None, citizen=citizen, encoding=get_engine().analyse(sample_photo("astronaut")).encoding,
                      source="test")
    return {"unit": unit, "service": service, "man": citizen, "man_id": national_id, "line_user": user_id}


def phone_frame(browser, standin, user_id: str):
    """The stand-in's chat viewer in a context of its own, the user picked; its phone frame signed in (the shim)."""
    viewer = browser.new_context(locale="th-TH", viewport=DESKTOP).new_page()
    viewer.set_default_timeout(15_000)
    viewer.goto(standin.base_url + "/")
    viewer.locator(f'#user-list button[data-user-id="{user_id}"]').click()
    phone = viewer.frame_locator("#liff-frame")
    expect(phone.get_by_role("heading", level=1)).to_contain_text("สวัสดีคุณสมศรี")
    return viewer, phone


def test_another_persons_face_is_refused_then_the_citizen_confirms_in_the_line_phone_frame(
        live_server, line_standin, monkeypatch, tmp_path, counter, settings):
    clip = turn_clip(sample_photo("grace_hopper"), tmp_path / "grace.y4m")
    with camera_page(monkeypatch, clip, NARROW) as page:
        clicks = Clicks()
        to_verify_page(page, live_server, counter, clicks)
        for tries in range(1, settings.RAKSA_FACE_MAX_TRIES + 1):
            clicks(page.get_by_role("button", name="สแกนใบหน้า"))
            expect(page.locator("#face-tries-count")).to_have_text(str(tries), timeout=20_000)
            expect(page.locator("#face-status")).to_contain_text("ใบหน้าไม่ตรงกับภาพอ้างอิงของบุคคลนี้")
        expect(page.locator("#line-fallback")).to_have_class(re.compile("verify-line--first"))
        clicks(page.get_by_role("button", name="ยืนยันผ่าน LINE (แสดง QR)"))

        # What the QR holds: the text the page prints under it, and the QR itself decoded from a screenshot.
        qr_text = page.locator("#line-qr-text").text_content().strip()
        decoded = zxingcpp.read_barcodes(_png(page.locator("#line-qr-code").screenshot()))
        assert [found.text for found in decoded] == [qr_text]
        assert qr_text.startswith(f"{live_server.url}/line/confirm/?t=")
        shoot(page, "line-e2e-qr-390")
        assert not Visit.objects.exists()

        # The citizen, in the stand-in's phone frame: the scan entry, the scanner answered with the QR's text.
        viewer, phone = phone_frame(page.context.browser, line_standin, counter["line_user"])
        phone.get_by_role("link", name="สแกน QR ที่หน่วยบริการ").click()
        scan_button = phone.get_by_role("button", name="เปิดตัวสแกน QR")
        expect(scan_button).to_be_enabled()  # liff.init done, scanCodeV2 available
        scan_button.click()
        viewer.wait_for_function("standinViewer.scanPending()")
        assert viewer.evaluate("(text) => standinViewer.answerScan(text)", qr_text) is True
        expect(phone.get_by_role("heading", level=1)).to_have_text(counter["unit"].name)
        expect(phone.locator(".confirm-what")).to_contain_text(counter["service"].name_th)
        phone.get_by_role("button", name="ยืนยัน", exact=True).click()
        confirmed = time.monotonic()
        expect(phone.get_by_role("heading", level=1)).to_have_text("หน่วยบริการได้รับการยืนยันแล้ว")

        # The portal page, untouched, shows the code by itself within 2 s of the tap.
        expect(page.locator("#authen-code")).to_be_visible(timeout=2000)
        shown_after = time.monotonic() - confirmed
        visit = Visit.objects.get()
        assert (visit.method, visit.citizen, visit.unit, visit.status) == ("line", counter["man"], counter["unit"],
                                                                           "open")
        expect(page.locator("#authen-code")).to_have_attribute("data-code", visit.authen_code)
        expect(phone.locator(".authen-code")).to_have_text(visit.authen_code)
        shoot(page, "line-e2e-code-390")
        viewer.screenshot(path="/tmp/portal-verify-line-e2e-viewer.png")
        print(f"\nLINE fallback through the phone frame: the portal showed the code {shown_after:.2f} s after ยืนยัน")
        assert shown_after < 2


def booked_today(citizen, unit, service) -> Booking:
    """A confirmed booking today for ``citizen``: today's first slot, booked a minute before it began (``now``),
    so the test works at any hour of the Bangkok day without moving the clock (Chromium keeps the real time,
    which ``bangkok_morning`` would not move; the stand-in would follow it)."""
    schedule_set(actor=None, unit=unit, service=service, weekly_hours=ALL_DAY, slot_minutes=60, seats_per_slot=2,
                 book_ahead_days=7, min_notice_minutes=0)
    slot = Slot.objects.filter(unit=unit, service=service, day=service_day()).order_by("starts_at").first()
    if slot is None:
        pytest.skip("no slot today in Bangkok: the rights QR binds today's booking")
    return booking_create(actor=None, citizen=citizen, slot_id=slot.pk, now=slot.starts_at - dt.timedelta(minutes=1))


def liff_qr_picture(live_server, monkeypatch, user_id: str) -> tuple[np.ndarray, str]:
    """The LIFF page /liff/qr on a phone, as the stand-in's user: the QR element's screenshot (RGB) and its text."""
    from PIL import Image

    with chromium_page(monkeypatch, PHONE) as page:
        page.goto(f"{live_server.url}/liff/qr?standin_user={user_id}")
        expect(page.get_by_role("heading", level=1)).to_have_text("QR ยืนยันสิทธิ์")
        expect(page.get_by_text("สำหรับนัดวันนี้ที่ ร้านยารักษ์สุขภาพ")).to_be_visible()  # bound to today's booking
        page.screenshot(path="/tmp/portal-verify-liff-qr.png", full_page=True)
        png = page.locator("#qr").screenshot()
    picture = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
    decoded = zxingcpp.read_barcodes(_png(png))
    assert len(decoded) == 1, "no QR code in the LIFF page's screenshot"
    return picture, decoded[0].text


def test_a_rights_qr_made_by_the_liff_page_held_to_the_webcam_checks_the_booking_in(
        live_server, line_standin, monkeypatch, tmp_path, counter):
    booking = booked_today(counter["man"], counter["unit"], counter["service"])
    assert booking.status == BookingStatus.CONFIRMED
    picture, token = liff_qr_picture(live_server, monkeypatch, counter["line_user"])
    clip = faces.y4m_from_image(picture, tmp_path / "liff-qr.y4m")
    with camera_page(monkeypatch, clip, WIDE) as page:
        from .helpers import log_in

        log_in(page, live_server, "somchai")
        clicks = Clicks()
        started = time.monotonic()
        clicks(page.get_by_role("link", name="สแกน QR ยืนยันสิทธิ์"))
        clicks(page.get_by_role("button", name="สแกน QR ด้วยกล้อง"))
        expect(page).to_have_url(re.compile(r".*/portal/visits/\d+/$"), timeout=20_000)  # the machine is shared
        elapsed = time.monotonic() - started
        visit = Visit.objects.get()
        expect(page.locator("#authen-code")).to_have_attribute("data-code", visit.authen_code)
        assert (visit.method, visit.citizen, visit.booking) == ("rights_qr", counter["man"], booking)
        booking.refresh_from_db()
        assert booking.status == BookingStatus.CHECKED_IN
        shoot(page, "liff-qr-webcam-1366")
        with pytest.raises(DomainError) as used:  # the webcam read the very code the LIFF page drew
            rights_qr_resolve(token=token)
        assert used.value.code == "QR_USED"
        print(f"\nLIFF rights QR on the webcam: {clicks.count} clicks, {elapsed:.1f} s to the code "
              f"(token {len(token)} characters)")
