"""The claims back office in a real browser (Debian Chromium through Playwright): an officer accepts a flagged
claim from the review queue, issues a statement, downloads its PDF (its text read back with pdftotext), marks
it paid, and looks at the dashboards."""

import re
from decimal import Decimal

from playwright import sync_api as playwright_sync

from raksa.audit.models import AuditEntry
from raksa.booking.tests.helpers import NOW
from raksa.claims.models import Claim, PaymentStatement
from raksa.claims.submit import claim_submit
from raksa.testing.browser import BROWSER_MARKS
from raksa.testing.claims import make_claim_case
from raksa.testing.factories import PASSWORD, make_officer
from raksa.testing.statements import claim_at, pdf_text
from raksa.units.models import Unit

pytestmark = BROWSER_MARKS
QUEUE_SHOT = "/tmp/backoffice-review.png"
DASHBOARD_SHOT = "/tmp/backoffice-dashboard.png"
PDF_PATH = "/tmp/backoffice-statement.pdf"


def log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/backoffice/")
    page.get_by_label("ชื่อผู้ใช้").fill(username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()


def test_an_officer_accepts_a_flagged_claim_and_pays_it_on_a_statement_whose_pdf_reads_in_thai(page, live_server):
    expect = playwright_sync.expect
    officer = make_officer("wanna")
    officer.set_password(PASSWORD)
    officer.first_name = "วรรณา"
    officer.save()
    case = make_claim_case(verified=False)  # no identity verification: the rules send it to review
    Unit.objects.filter(pk=case.unit.pk).update(name="ร้านยาสุขภาพดีถ้วนหน้า", hcode="41001")
    case.unit.refresh_from_db()
    flagged = claim_submit(actor=None, unit=case.unit, authen_code=case.visit.authen_code, now=NOW)
    accepted = claim_at(case, amount="150.50")  # verified: accepted at once
    assert (flagged.status, accepted.status) == ("in_review", "accepted")

    log_in(page, live_server, "wanna")
    page.get_by_role("link", name="เคลมรอเจ้าหน้าที่ตรวจสอบ").click()
    queue = page.locator("#review-queue")
    expect(queue).to_contain_text(flagged.reference)
    expect(queue).to_contain_text("ไม่พบการยืนยันตัวตนของการเข้ารับบริการนี้")
    expect(queue).not_to_contain_text(accepted.reference)
    page.get_by_role("link", name=flagged.reference).click()

    # The whole picture: reasons with what to do, the visit vs the opening hours, the unit's volume.
    expect(page.locator("#claim-reasons")).to_contain_text("ต้องทำ:")
    expect(page.locator("#claim-visit")).to_contain_text("ไม่พบการยืนยันตัวตนที่บันทึกไว้")
    expect(page.locator("#claim-visit")).to_contain_text("อยู่ในเวลาทำการ")
    expect(page.locator("#unit-volume")).to_contain_text("2 เคลม")
    page.screenshot(path=QUEUE_SHOT, full_page=True)
    page.get_by_label("หมายเหตุ (ไม่บังคับ)").fill("ตรวจใบสั่งยาและโทรยืนยันกับผู้รับบริการแล้ว")
    page.get_by_role("button", name="อนุมัติเคลมนี้…").click()
    expect(page.locator("#question")).to_contain_text(flagged.reference)
    flagged.refresh_from_db()
    assert flagged.status == "in_review"  # asked first, nothing changed
    page.get_by_role("button", name="ยืนยันการอนุมัติ").click()
    expect(page.locator(".messagelist")).to_contain_text(f"อนุมัติเคลม {flagged.reference} แล้ว")
    expect(page.locator("#review-queue")).to_contain_text("ไม่มีเคลมรอตรวจสอบ")
    flagged.refresh_from_db()
    assert (flagged.status, flagged.decided_by) == ("accepted", officer)
    assert AuditEntry.objects.get(action="claim.review.accept").actor == officer

    # Issue the unit's statement for the service day: both claims, 180.00 + 150.50.
    page.goto(f"{live_server.url}/backoffice/")
    page.get_by_role("link", name="ออกใบแจ้ง", exact=True).click()
    page.get_by_label("รหัสหน่วยบริการ").fill("41001")
    page.get_by_label("วันที่รับบริการ ตั้งแต่").fill(NOW.date().isoformat())
    page.locator("#id_period_to").fill(NOW.date().isoformat())
    page.get_by_role("button", name="ออกใบแจ้ง").click()
    statement = PaymentStatement.objects.get()
    assert (statement.claim_count, statement.total) == (2, Decimal("330.50"))
    expect(page.locator(".messagelist")).to_contain_text("รวม 330.50 บาท")
    expect(page.locator("#statement-claims")).to_contain_text(flagged.reference)

    with page.expect_download() as download:
        page.get_by_role("link", name="ดาวน์โหลด PDF").click()
    download.value.save_as(PDF_PATH)
    assert download.value.suggested_filename == f"{statement.reference}.pdf"
    with open(PDF_PATH, "rb") as pdf:
        text = pdf_text(pdf.read())
    assert "ร้านยาสุขภาพดีถ้วนหน้า" in text and "330.50" in text and statement.reference in text
    assert re.search(r"ยอดรวมทั้งสิ้น\s*330\.50", text), text

    page.get_by_role("link", name="บันทึกว่าจ่ายเงินแล้ว…").click()
    expect(page.locator("#question")).to_contain_text("ย้อนกลับไม่ได้")
    page.get_by_role("button", name="ยืนยันการจ่ายเงิน").click()
    expect(page.locator(".messagelist")).to_contain_text("บันทึกการจ่ายใบแจ้ง")
    assert set(Claim.objects.values_list("status", flat=True)) == {"paid"}

    # The dashboards: SVG charts drawn by the server, each with its table.
    page.goto(f"{live_server.url}/backoffice/claims/claim/dashboard/")
    expect(page.locator("svg[role=img]")).to_have_count(5)
    expect(page.get_by_role("img", name="ปริมาณเคลมตามประเภทหน่วยบริการ (30 วันล่าสุด)")).to_be_visible()
    page.locator("#chart-unit-type summary").click()
    expect(page.locator("#chart-unit-type table")).to_contain_text("ร้านยา")
    expect(page.locator("#median-hours")).to_contain_text("ชั่วโมง")
    page.screenshot(path=DASHBOARD_SHOT, full_page=True)
