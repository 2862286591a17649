"""Claims in Chromium: a walk-in from the rights QR to an accepted claim with its EP close code, and a rejected
claim (a service outside the unit's contract) corrected and resent, with both versions shown. Screenshots at
1366 × 800 and 390 × 844 go to /tmp/portal-claims-*.png."""

import re

import pytest
from django.utils import timezone
from playwright import sync_api as playwright_sync

from raksa.booking.queue import ticket_issue_walk_in
from raksa.claims.models import Claim
from raksa.testing.browser import BROWSER_MARKS
from raksa.testing.claims import ALL_DAY, make_item, make_visit
from raksa.testing.factories import (
    CitizenFactory,
    CoverageFactory,
    FeeRateFactory,
    ServiceFactory,
    StaffMembershipFactory,
    UnitFactory,
    UnitServiceFactory,
    UserFactory,
    make_national_id,
)
from raksa.verification.models import Visit
from raksa.verification.services import rights_qr_issue

from .helpers import log_in

pytestmark = [*BROWSER_MARKS, pytest.mark.django_db(transaction=True)]
WIDE = {"width": 1366, "height": 800}
NARROW = {"width": 390, "height": 844}
SHOTS = "/tmp/portal-claims"


@pytest.fixture
def pharmacy(db):
    """A pharmacy open all week, contracted for PH001 (180 baht); PH099 has a rate but no contract; paracetamol
    at 1.50 baht; a clinician ``somchai``; an adult walk-in with the gold card."""
    unit = UnitFactory(name="ร้านยารักษ์สุขภาพ", hcode="12345", opening_hours=ALL_DAY)
    StaffMembershipFactory(user=UserFactory(username="somchai", first_name="สมชาย", last_name="ใจดี"), unit=unit,
                           role="clinician")
    service = ServiceFactory(code="PH001", name_th="ไข้หวัด เจ็บคอ", name_en="Common cold", unit_type="pharmacy")
    UnitServiceFactory(unit=unit, service=service)
    FeeRateFactory(service=service, amount_baht="180.00")
    outside = ServiceFactory(code="PH099", name_th="ผื่นคัน", name_en="Itchy rash", unit_type="pharmacy")
    FeeRateFactory(service=outside, amount_baht="150.00")
    make_item(code="DRUG-PARA500", baht="1.50")
    man = CitizenFactory(national_id=make_national_id(), title_th="นาย", first_name_th="สมศักดิ์",
                         last_name_th="มั่นคง")
    CoverageFactory(citizen=man)
    return {"unit": unit, "service": service, "man": man}


def shoot(page, name: str) -> None:
    page.screenshot(path=f"{SHOTS}-{name}.png", full_page=True)


def test_a_walk_in_from_the_rights_qr_to_an_accepted_claim(page, live_server, pharmacy):
    expect = playwright_sync.expect
    page.set_viewport_size(WIDE)
    ticket_issue_walk_in(actor=None, unit=pharmacy["unit"], citizen=pharmacy["man"])
    log_in(page, live_server, "somchai")
    page.goto(f"{live_server.url}/portal/queue/")
    expect(page.get_by_role("textbox", name="QR ยืนยันสิทธิ์")).to_be_focused()
    page.keyboard.type(rights_qr_issue(citizen=pharmacy["man"]).token)  # the USB scanner types the rights QR
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r".*/portal/visits/\d+/$"))
    visit = Visit.objects.get()
    form = page.locator("#record-form")
    expect(page.get_by_role("heading", name="บันทึกการให้บริการและส่งเคลม")).to_be_visible()
    expect(form.get_by_label("บริการ", exact=True)).to_have_value("PH001")  # the visit's service
    expect(form.get_by_label("วันนัดติดตามอาการ")).not_to_have_value("")  # pharmacy's follow-up, 3 days ahead
    form.get_by_label("รหัส ICD-10 ช่องที่ 1").fill("J00")
    form.get_by_label("รหัสรายการ 1", exact=True).fill("DRUG-PARA500")
    form.get_by_label("จำนวน").first.fill("10")
    form.get_by_role("button", name="เพิ่มแถว").click()  # the script adds a fourth row
    expect(form.locator(".item-row")).to_have_count(4)
    expect(form.get_by_label("รหัสรายการ 4", exact=True)).to_be_focused()
    form.get_by_role("button", name="ตรวจราคา").click()

    price = page.locator("#price")
    expect(price).to_contain_text("180.00")
    expect(price).to_contain_text("15.00")
    expect(page.locator("#price-total")).to_have_text("195.00")
    assert not Claim.objects.exists()  # pricing sends nothing
    shoot(page, "priced-1366")
    page.set_viewport_size(NARROW)
    shoot(page, "priced-390")
    page.set_viewport_size(WIDE)
    page.get_by_role("button", name="ส่งเคลม", exact=True).click()

    expect(page).to_have_url(re.compile(r".*/portal/claims/\d+/$"))
    visit.refresh_from_db()
    claim = Claim.objects.get()
    assert claim.status == "accepted" and str(claim.amount) == "195.00"
    decision = page.locator("#claim-decision")
    expect(decision).to_contain_text("ผ่าน")
    expect(page.locator("#close-code")).to_have_text(visit.close_code)
    assert re.fullmatch(r"EP[0-9]{10}", visit.close_code)
    expect(decision).to_contain_text("195.00 บาท")
    expect(page.locator(".message--success")).to_contain_text(f"เคลม {claim.reference} ผ่าน")
    shoot(page, "accepted-1366")

    page.get_by_role("navigation").get_by_role("link", name="เคลม", exact=True).click()  # the menu item
    expect(page.locator(f'[data-claim="{claim.reference}"]')).to_contain_text("ผ่าน")
    page.set_viewport_size(NARROW)
    shoot(page, "list-390")


def test_a_rejected_claim_is_corrected_and_resent_and_both_versions_show(page, live_server, pharmacy):
    expect = playwright_sync.expect
    page.set_viewport_size(WIDE)
    visit = make_visit(unit=pharmacy["unit"], citizen=pharmacy["man"], service=pharmacy["service"],
                       now=timezone.now())
    log_in(page, live_server, "somchai")
    expect(page.locator(f'[data-unsent="{visit.authen_code}"]')).to_be_visible()  # today's to-do on the home page
    page.set_viewport_size(NARROW)
    shoot(page, "home-todo-390")
    page.set_viewport_size(WIDE)
    page.locator(f'[data-unsent="{visit.authen_code}"]').get_by_role("link", name="บันทึกการให้บริการ").click()

    form = page.locator("#record-form")
    form.get_by_label("บริการ", exact=True).select_option("PH099")  # offered, marked as outside the contract
    form.get_by_role("button", name="ตรวจราคา").click()
    expect(page.locator("#price-total")).to_have_text("150.00")
    page.get_by_role("button", name="ส่งเคลม", exact=True).click()

    decision = page.locator("#claim-decision")
    expect(decision).to_contain_text("ไม่ผ่าน")
    reason = decision.locator('[data-code="SERVICE_NOT_CONTRACTED"]')
    expect(reason).to_contain_text("หน่วยบริการไม่มีสัญญาให้บริการนี้ในวันรับบริการ")
    expect(reason).to_contain_text("เลือกบริการที่หน่วยมีสัญญาในวันนั้นแล้วส่งใหม่")
    shoot(page, "rejected-1366")
    page.get_by_role("link", name="แก้ไขและส่งใหม่").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("แก้ไขและส่งใหม่")
    form = page.locator("#record-form")
    expect(form.get_by_label("บริการ", exact=True)).to_have_value("PH099")  # prefilled from the rejected version
    form.get_by_label("บริการ", exact=True).select_option("PH001")
    form.get_by_role("button", name="ตรวจราคา").click()
    expect(page.locator("#price-total")).to_have_text("180.00")
    page.get_by_role("button", name="ส่งเคลม", exact=True).click()

    expect(page.locator("#claim-decision")).to_contain_text("ผ่าน")
    versions = page.locator(".versions li")
    expect(versions).to_have_count(2)
    expect(versions.nth(0)).to_contain_text("ไม่ผ่าน")
    expect(versions.nth(1)).to_contain_text("ผ่าน")
    assert sorted(Claim.objects.values_list("version", "status")) == [(1, "rejected"), (2, "accepted")]
    shoot(page, "versions-1366")
    page.set_viewport_size(NARROW)
    shoot(page, "versions-390")


def test_a_flagged_claim_waits_for_an_officer_and_the_unit_sees_the_acceptance(page, live_server, pharmacy):
    """The unit's side of "an officer accepts a flagged claim and the unit sees it" (the officer's side is
    interfaces/backoffice/tests/test_browser_claims.py): a visit with no identity verification goes to review."""
    from raksa.claims.review import claim_review_accept
    from raksa.testing.factories import make_officer

    expect = playwright_sync.expect
    page.set_viewport_size(WIDE)
    visit = make_visit(unit=pharmacy["unit"], citizen=pharmacy["man"], service=pharmacy["service"],
                       now=timezone.now(), verified=False)
    log_in(page, live_server, "somchai")
    page.goto(f"{live_server.url}/portal/visits/{visit.pk}/")
    form = page.locator("#record-form")
    form.get_by_role("button", name="ตรวจราคา").click()
    page.get_by_role("button", name="ส่งเคลม", exact=True).click()
    decision = page.locator("#claim-decision")
    expect(decision).to_contain_text("รอเจ้าหน้าที่ตรวจสอบ")
    expect(decision.locator('[data-code="NO_IDENTITY_VERIFICATION"]')).to_be_visible()
    expect(decision).to_contain_text("ไม่ต้องส่งซ้ำ")

    claim = Claim.objects.get()
    claim_review_accept(actor=make_officer(), claim_id=claim.pk, note="ตรวจหลักฐานแล้ว")
    page.goto(f"{live_server.url}/portal/claims/?status=accepted")
    row = page.locator(f'[data-claim="{claim.reference}"]')
    expect(row).to_contain_text("ผ่าน")
    row.get_by_role("link", name=claim.reference).click()
    expect(page.locator("#officer-decision")).to_contain_text("ตรวจหลักฐานแล้ว")
    shoot(page, "officer-accepted-1366")
