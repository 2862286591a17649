"""Two tabs of one login on the verify page, in Chromium: tab 1 shows one person, tab 2 another; what staff do in
tab 1 (the LINE confirmation QR, a face scan) is for tab 1's person, never for the person tab 2 looked up last
(issue 8, item 1; the booking case is test_browser_counter.py::test_two_tabs_each_book_for_the_citizen_they_show)."""

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
import zxingcpp
from playwright import sync_api as playwright_sync

from raksa.core.errors import DomainError
from raksa.integrations.face.engine import get_engine
from raksa.integrations.face.samples import sample_photo
from raksa.people.faces import face_template_set
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
from raksa.verification.errors import confirm_wrong_person
from raksa.verification.line_confirm import line_confirmation_answer
from raksa.verification.models import LineConfirmation, Visit

from .conftest import ALL_DAY
from .helpers import log_in
from .test_browser_verify import _png
from .test_browser_verify_face import turn_clip
from .verify_helpers import link_line
from .webcam import camera_page

pytestmark = [*BROWSER_MARKS, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def two(db):
    """A pharmacy with one service, a clinician ``somchai``, and two adults linked to LINE: สมศักดิ์ (reference face:
    the astronaut photo) and วันดี (reference face: Grace Hopper's)."""
    unit = UnitFactory(name="ร้านยารักษ์สุขภาพ", hcode="12345", opening_hours=ALL_DAY)
    StaffMembershipFactory(user=UserFactory(username="somchai"), unit=unit, role="clinician")
    UnitServiceFactory(unit=unit, service=ServiceFactory(code="PH001", name_th="ไข้หวัด เจ็บคอ", unit_type="pharmacy"))
    people = {}
    for key, title, first, last, photo in (("man", "นาย", "สมศักดิ์", "มั่นคง", "astronaut"),
                                           ("woman", "นาง", "วันดี", "ศรีสุข", "grace_hopper")):
        national_id = make_national_id()
        citizen = CitizenFactory(national_id=national_id, title_th=title, first_name_th=first, last_name_th=last,
                                 birth_date=dt.date(1985, 6, 1))
        CoverageFactory(citizen=citizen)
        face_template_set(actor=None, citizen=citizen, source="test",
                          encoding=get_engine().analyse(sample_photo(photo)).encoding)
        people[key] = citizen
        people[f"{key}_id"] = national_id
        people[f"{key}_line"] = link_line(citizen)
    return people


def open_verify_page(tab, live_server, national_id: str, name: str) -> None:
    """Rights check on the home page, then its "ยืนยันตัวตน" link: the verify page for that person."""
    tab.goto(f"{live_server.url}/portal/")
    tab.get_by_label("เลขประจำตัวประชาชน").fill(national_id)
    tab.get_by_role("button", name="ตรวจสอบสิทธิ").click()
    tab.get_by_role("link", name="ยืนยันตัวตน", exact=True).click()
    playwright_sync.expect(tab.locator(".person-card")).to_contain_text(name)


def test_two_tabs_each_issue_the_line_qr_for_the_person_they_show(page, live_server, two):
    expect = playwright_sync.expect
    log_in(page, live_server, "somchai")
    tab1, tab2 = page, page.context.new_page()
    open_verify_page(tab1, live_server, two["man_id"], "สมศักดิ์")
    open_verify_page(tab2, live_server, two["woman_id"], "วันดี")  # the other tab looks up วันดี last

    tab1.bring_to_front()
    tab1.get_by_role("button", name="ยืนยันผ่าน LINE (แสดง QR)").click()  # back in tab 1, which shows สมศักดิ์
    expect(tab1.locator("#line-state")).to_have_text("รอผู้รับบริการสแกน QR…")
    expect(tab1.locator(".person-card")).to_contain_text("สมศักดิ์")
    assert LineConfirmation.objects.get().citizen == two["man"]
    url = zxingcpp.read_barcodes(_png(tab1.locator("#line-qr-code").screenshot()))[0].text
    token = parse_qs(urlsplit(url).query)["t"][0]
    # วันดี's phone cannot confirm สมศักดิ์'s QR; สมศักดิ์'s can, and tab 1 shows his authen code.
    with pytest.raises(DomainError) as refused:
        line_confirmation_answer(token=token, line_user_id=two["woman_line"], confirm=True)
    assert refused.value.code == confirm_wrong_person().code
    assert not Visit.objects.exists()
    line_confirmation_answer(token=token, line_user_id=two["man_line"], confirm=True)
    visit = Visit.objects.get()
    expect(tab1.locator("#authen-code")).to_have_attribute("data-code", visit.authen_code, timeout=5000)
    assert (visit.citizen, visit.method) == (two["man"], "line")

    tab2.bring_to_front()  # tab 2 still acts for วันดี
    tab2.get_by_role("button", name="ยืนยันผ่าน LINE (แสดง QR)").click()
    expect(tab2.locator(".person-card")).to_contain_text("วันดี")
    assert LineConfirmation.objects.latest("pk").citizen == two["woman"]


def test_two_tabs_a_face_scan_in_tab_1_verifies_tab_1s_person(live_server, monkeypatch, tmp_path, two):
    """The camera shows สมศักดิ์ (the astronaut photo turning): tab 1 shows him, tab 2 วันดี, looked up last. Were the
    scan matched against วันดี's face it would be refused; it opens สมศักดิ์'s visit."""
    expect = playwright_sync.expect
    clip = turn_clip(sample_photo("astronaut"), tmp_path / "astronaut.y4m")
    with camera_page(monkeypatch, clip, {"width": 1366, "height": 800}) as page:
        log_in(page, live_server, "somchai")
        tab1, tab2 = page, page.context.new_page()
        open_verify_page(tab1, live_server, two["man_id"], "สมศักดิ์")
        open_verify_page(tab2, live_server, two["woman_id"], "วันดี")
        tab2.close()  # one camera preview at a time, as at a counter; tab 2's lookup is what matters

        expect(tab1.locator("#face")).to_have_attribute("data-camera", "on")
        tab1.get_by_role("button", name="สแกนใบหน้า").click()
        expect(tab1.locator("#authen-code")).to_be_visible(timeout=20_000)
        visit = Visit.objects.get()
        assert (visit.citizen, visit.method) == (two["man"], "face")
        expect(tab1.locator("#authen-code")).to_have_attribute("data-code", visit.authen_code)
        expect(tab1.locator(".authen .facts")).to_contain_text("นายสมศักดิ์ มั่นคง")
