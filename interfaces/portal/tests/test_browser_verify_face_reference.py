"""In Chromium with a fake webcam: a walk-in without a reference face; staff press "ขอภาพจากทะเบียนราษฎร์" (the
civil registry stand-in, a real process, answers the astronaut's photo), then the face scan opens the visit."""

import datetime as dt
import re

import pytest
from playwright import sync_api as playwright_sync

from raksa.integrations.face.samples import sample_photo
from raksa.people.models import FaceTemplate
from raksa.testing.browser import BROWSER_MARKS
from raksa.testing.factories import (
    CitizenFactory,
    CoverageFactory,
    ServiceFactory,
    StaffMembershipFactory,
    UnitFactory,
    UnitServiceFactory,
    UserFactory,
)
from raksa.verification.models import Visit

from .conftest import OPENING_HOURS
from .helpers import log_in
from .test_browser_verify import WIDE, Clicks, shoot
from .test_browser_verify_face import turn_clip
from .webcam import camera_page

pytestmark = [*BROWSER_MARKS, pytest.mark.django_db(transaction=True)]

ARUNEE = "1109900000665"  # the stand-in holds the astronaut's photo for this demo citizen


def test_staff_fetch_the_reference_then_the_face_scan_verifies(live_server, monkeypatch, tmp_path, civil_registry):
    expect = playwright_sync.expect
    unit = UnitFactory(name="ร้านยารักษ์สุขภาพ", hcode="12345", opening_hours=OPENING_HOURS)
    StaffMembershipFactory(user=UserFactory(username="somchai"), unit=unit, role="clinician")
    UnitServiceFactory(unit=unit, service=ServiceFactory(code="PH001", name_th="ไข้หวัด เจ็บคอ", unit_type="pharmacy"))
    woman = CitizenFactory(national_id=ARUNEE, title_th="นางสาว", first_name_th="อรุณี", last_name_th="ฟ้าใส",
                           birth_date=dt.date(1985, 5, 21))
    CoverageFactory(citizen=woman)
    clip = turn_clip(sample_photo("astronaut"), tmp_path / "astronaut.y4m")
    with camera_page(monkeypatch, clip, WIDE) as page:
        clicks = Clicks()
        log_in(page, live_server, "somchai")
        page.get_by_label("เลขประจำตัวประชาชน").fill(ARUNEE)
        clicks(page.get_by_role("button", name="ตรวจสอบสิทธิ"))
        clicks(page.get_by_role("link", name="ยืนยันตัวตน", exact=True))
        expect(page.locator("#face-status")).to_contain_text("บุคคลนี้ยังไม่มีภาพใบหน้าอ้างอิง")
        shoot(page, "verify-face-no-reference-1366")
        clicks(page.get_by_role("button", name="ขอภาพจากทะเบียนราษฎร์"))
        expect(page.locator(".message--success")).to_contain_text("ได้ใบหน้าอ้างอิงจากภาพในทะเบียนราษฎร์แล้ว")
        expect(page.get_by_role("button", name="ขอภาพจากทะเบียนราษฎร์")).to_have_count(0)
        assert FaceTemplate.objects.get(citizen=woman).source == "civil_registry"
        expect(page.locator("#face")).to_have_attribute("data-camera", "on")
        shoot(page, "verify-face-reference-fetched-1366")
        clicks(page.get_by_role("button", name="สแกนใบหน้า"))
        expect(page).to_have_url(re.compile(r".*/portal/visits/\d+/$"), timeout=20_000)
        visit = Visit.objects.get()
        assert (visit.method, visit.citizen) == ("face", woman)
        assert clicks.count == 4  # check rights, verify, fetch, scan
