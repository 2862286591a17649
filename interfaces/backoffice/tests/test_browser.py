"""The back office in a real browser (Debian Chromium through Playwright; the portal's fixture)."""


import pytest
from django.utils import timezone
from playwright import sync_api as playwright_sync

from raksa.audit.models import AuditEntry
from raksa.core.timeutil import BANGKOK
from raksa.testing.browser import BROWSER_MARKS
from raksa.testing.factories import PASSWORD, ProvinceFactory, ServiceFactory, UnitFactory, make_officer
from raksa.units.models import UnitStatus
from raksa.units.services import unit_verify

pytestmark = BROWSER_MARKS
SCREENSHOT = "/tmp/backoffice-unit.png"
HOURS = {"mon": [["08:00", "17:00"]], "tue": [], "wed": [], "thu": [], "fri": [], "sat": [], "sun": []}


def test_an_officer_edits_opening_hours_in_a_thai_back_office(page, live_server):
    expect = playwright_sync.expect
    officer = make_officer("wanna")
    officer.set_password(PASSWORD)
    officer.first_name = "วรรณา"
    officer.save()
    unit = UnitFactory(name="ร้านยารักษ์สุขภาพ", hcode="12345", province=ProvinceFactory(code="10"),
                       status=UnitStatus.PENDING, opening_hours=HOURS)
    # Provinces by factory: an earlier live-server test may have flushed the reference data.
    UnitFactory(name="ร้านยาเชียงใหม่", hcode="50001",
                province=ProvinceFactory(code="50", name_th="เชียงใหม่", name_en="Chiang Mai"))
    unit_verify(actor=officer, unit=unit, reason="ตรวจเอกสารครบ")
    ServiceFactory(code="PH001", name_th="ไข้หวัด เจ็บคอ")
    buddhist_year = str(timezone.localtime(timezone.now(), BANGKOK).year + 543)

    # Log in with Thai labels.
    page.goto(f"{live_server.url}/backoffice/")
    page.get_by_label("ชื่อผู้ใช้").fill("wanna")
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    expect(page.locator("#user-tools")).to_contain_text("วรรณา")

    # The units list: Thai headers, the action counter drawn by Django's JavaScript, the region filter.
    page.locator("tr.model-unit th a").first.click()  # the index page lists the models
    expect(page.locator("html")).to_have_attribute("lang", "th")
    expect(page.locator("#result_list thead")).to_contain_text("ชื่อหน่วย")
    expect(page.locator(".action-counter")).to_have_text("เลือก 0 จาก 2")
    page.locator("#result_list tbody input.action-select").first.check()
    expect(page.locator(".action-counter")).to_have_text("เลือก 1 จาก 2")
    page.get_by_role("link", name="เขต 13 กรุงเทพมหานคร").click()
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    page.get_by_role("link", name="12345").click()

    # The unit page: Thai labels, Buddhist years, the weekly editor.
    expect(page.get_by_text("ละติจูด")).to_be_visible()
    expect(page.locator(".field-status_changed_at .readonly")).to_contain_text(buddhist_year)
    editor = page.get_by_role("group", name="เวลาทำการรายสัปดาห์")
    sunday = editor.locator('[data-day="sun"]')
    expect(sunday.get_by_text("ปิดทำการ")).to_be_visible()
    editor.get_by_role("button", name="เพิ่มช่วงเวลา วันจันทร์").click()
    editor.get_by_label("วันจันทร์ ตั้งแต่").nth(1).fill("16:00")
    editor.get_by_label("วันจันทร์ ถึง").nth(1).fill("20:00")
    editor.get_by_role("button", name="วันอังคาร: ใช้เวลาเดียวกับวันก่อนหน้า").click()
    editor.get_by_role("button", name="เพิ่มช่วงเวลา วันอาทิตย์").click()
    expect(sunday.get_by_text("ปิดทำการ")).to_be_hidden()
    editor.get_by_role("button", name="ลบช่วงเวลา วันอาทิตย์").click()
    expect(sunday.get_by_text("ปิดทำการ")).to_be_visible()
    page.get_by_role("button", name="บันทึก", exact=True).click()

    # 16:00-20:00 overlaps 08:00-17:00: refused by the domain's rule, in Thai, and nothing changed.
    expect(page.locator(".errorlist")).to_contain_text("วันจันทร์: เวลาทำการของวันเดียวกันซ้อนกัน")
    unit.refresh_from_db()
    assert unit.opening_hours == HOURS
    expect(page.locator(".errornote")).to_have_text("กรุณาแก้ไขข้อผิดพลาดด้านล่าง")
    editor.get_by_label("วันจันทร์ ตั้งแต่").nth(1).fill("18:00")
    editor.get_by_role("button", name="วันอังคาร: ใช้เวลาเดียวกับวันก่อนหน้า").click()
    page.screenshot(path=SCREENSHOT, full_page=True)
    page.get_by_role("button", name="บันทึก", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("เรียบร้อยแล้ว")

    unit.refresh_from_db()
    assert unit.opening_hours == {**HOURS, "mon": [["08:00", "17:00"], ["18:00", "20:00"]],
                                  "tue": [["08:00", "17:00"], ["18:00", "20:00"]]}
    assert AuditEntry.objects.get(action="unit.opening_hours.set").actor == officer

    # The unit's history is its audit log, with Thai actions and Buddhist years.
    page.get_by_role("link", name="12345 ร้านยารักษ์สุขภาพ").click()
    page.get_by_role("link", name="ประวัติ").click()
    rows = page.locator("#result_list tbody")
    expect(rows).to_contain_text("ตั้งเวลาทำการ")
    expect(rows).to_contain_text("ยืนยันหน่วยบริการ")
    expect(rows).to_contain_text(buddhist_year)
    expect(page.locator("nav.toplinks")).to_contain_text(buddhist_year)

    # A date input shows its Buddhist-year reading as the officer types.
    page.goto(f"{live_server.url}/backoffice/units/feerate/add/")
    page.get_by_label("มีผลตั้งแต่").fill("2026-10-01")
    expect(page.locator('[data-be-reading-for="id_effective_from"]')).to_have_text("1 ตุลาคม 2569")


UNIT_ACTIONS = {
    # action: (the unit's status before, the action's label, the question, the button that agrees, after)
    "verify": (UnitStatus.PENDING, "ยืนยันหน่วยบริการที่เลือก…", "จะได้รับการยืนยัน ให้บริการและเบิกจ่ายได้ทันที",
               "ยืนยันหน่วยบริการเหล่านี้", UnitStatus.VERIFIED),
    "suspend": (UnitStatus.VERIFIED, "ระงับหน่วยบริการที่เลือก…", "จะถูกระงับ ให้บริการและเบิกจ่ายไม่ได้",
                "ยืนยันการระงับ", UnitStatus.SUSPENDED),
}


@pytest.mark.parametrize("action", UNIT_ACTIONS)
def test_verifying_or_suspending_a_unit_asks_first_and_a_no_changes_nothing(page, live_server, action):
    expect = playwright_sync.expect
    before, label, question, agree, after = UNIT_ACTIONS[action]
    officer = make_officer("wanna")
    officer.set_password(PASSWORD)
    officer.save()
    unit = UnitFactory(name="คลินิกทดสอบการยืนยัน", hcode="12345", status=before)
    audit_rows = AuditEntry.objects.count()
    page.goto(f"{live_server.url}/backoffice/")
    page.get_by_label("ชื่อผู้ใช้").fill("wanna")
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()

    def ask():
        page.goto(f"{live_server.url}/backoffice/units/unit/")
        page.locator(f'#result_list input.action-select[value="{unit.pk}"]').check()
        page.locator('select[name="action"]').select_option(label=label)
        page.locator('button[name="index"]').click()
        expect(page.locator("#content")).to_contain_text(question)  # what will happen, to which units
        expect(page.locator("#content li")).to_have_text("12345 คลินิกทดสอบการยืนยัน")

    ask()
    page.get_by_role("link", name="ยกเลิก").click()  # "no"
    expect(page.locator("#result_list")).to_be_visible()
    unit.refresh_from_db()
    assert unit.status == before and AuditEntry.objects.count() == audit_rows

    ask()
    if action == "suspend":  # the reason is asked for: without one, the form is not sent and nothing happens
        reason = page.get_by_label("เหตุผล (เจ้าหน้าที่หน่วยจะเห็นข้อความนี้)")
        page.get_by_role("button", name=agree).click()
        assert reason.evaluate("el => el.validity.valueMissing")
        unit.refresh_from_db()
        assert unit.status == before and AuditEntry.objects.count() == audit_rows
        reason.fill("ใบอนุญาตหมดอายุ")
    page.get_by_role("button", name=agree).click()  # "yes"
    expect(page.locator(".messagelist")).to_contain_text("1 หน่วย")
    unit.refresh_from_db()
    assert unit.status == after
    assert AuditEntry.objects.get(action=f"unit.{action}").actor == officer
