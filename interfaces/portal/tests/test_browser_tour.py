"""The README's "Try it" tour, step by step as written, on the demo data, in Chromium."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright import sync_api as playwright_sync

from raksa.booking.models import Booking, BookingStatus, QueueTicket, TicketStatus
from raksa.booking.slots import slots_free
from raksa.core.timeutil import service_day
from raksa.demo.accounts import DEMO_PASSWORD
from raksa.testing.browser import BROWSER_MARKS
from raksa.units.models import Unit

pytestmark = [*BROWSER_MARKS, pytest.mark.django_db(transaction=True)]
ELIGIBLE, NOT_ELIGIBLE = "3-1099-00000-33-5", "1-1099-00000-11-8"


def reference_data_ensure() -> None:
    """The provinces and the officers' group come from a data migration, which an earlier transactional
    test's flush removed: put them back as the migration does."""
    import csv

    from django.contrib.auth.models import Group, Permission

    from raksa.units.models import Province
    from raksa.units.roles import officers_group_ensure

    if not Province.objects.exists():
        path = Path(settings.BASE_DIR) / "raksa" / "units" / "data" / "provinces.csv"
        with path.open(encoding="utf-8") as f:
            Province.objects.bulk_create([Province(code=row["code"], name_th=row["name_th"], name_en=row["name_en"])
                                          for row in csv.DictReader(f)])
    officers_group_ensure(Group, Permission)


@pytest.fixture
def demo(db):
    reference_data_ensure()
    call_command("seed_demo", citizens=40, units=12, seed=7, verbosity=0)
    return Unit.objects.get(hcode="41001")


def log_in_as_pharmacist(tab, live_server):
    tab.goto(f"{live_server.url}/portal/")
    tab.get_by_label("ชื่อผู้ใช้").fill("pharmacist")
    tab.get_by_label("รหัสผ่าน").fill(DEMO_PASSWORD)
    tab.get_by_role("button", name="เข้าสู่ระบบ").click()


def check_rights(tab, national_id):
    tab.get_by_role("link", name="หน้าหลัก").click()
    tab.get_by_label("เลขประจำตัวประชาชน").fill(national_id)
    tab.get_by_label("บริการ", exact=True).select_option(index=1)  # the first service of the unit
    tab.get_by_role("button", name="ตรวจสอบสิทธิ").click()


def test_the_readme_tour_walk_in(page, live_server, demo):
    expect = playwright_sync.expect
    log_in_as_pharmacist(page, live_server)
    check_rights(page, ELIGIBLE)
    expect(page.locator(".result")).to_contain_text("มีสิทธิ")
    page.get_by_role("button", name="ออกบัตรคิวตอนนี้ (ไม่ได้จอง)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("คิววันนี้")
    page.get_by_role("button", name="เรียกคิวถัดไป").click()
    page.get_by_role("button", name="เริ่มให้บริการ").click()
    page.get_by_role("button", name="เสร็จสิ้น").click()
    expect(page.locator(".message--success")).to_contain_text("A-001")
    ticket = QueueTicket.objects.get(unit=demo)
    assert ticket.status == TicketStatus.DONE and ticket.citizen.first_name_th == "สมศรี"

    check_rights(page, NOT_ELIGIBLE)
    expect(page.locator(".result")).to_contain_text("ไม่มีสิทธิ")
    expect(page.locator(".result__reasons")).to_contain_text("บัตรทอง")
    expect(page.get_by_role("button", name="ออกบัตรคิวตอนนี้ (ไม่ได้จอง)")).to_have_count(0)


def test_the_readme_tour_booking(page, live_server, demo):
    expect = playwright_sync.expect
    service = demo.contracts.order_by("service__code").first().service
    if len(slots_free(unit_id=demo.pk, service_id=service.pk, day=service_day())) < 2:
        # After the demo pharmacy's hours (Bangkok) there is no time left today: open it all day, as its
        # administrator could on "ตารางเวลา", so that the tour's path is still walked as written.
        from raksa.booking.services import schedule_set

        all_day = {day: [["00:00", "24:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
        schedule_set(actor=None, unit=demo, service=service, weekly_hours=all_day, slot_minutes=5, seats_per_slot=2,
                     book_ahead_days=14, min_notice_minutes=0)
    if len(slots_free(unit_id=demo.pk, service_id=service.pk, day=service_day())) < 2:
        pytest.skip("less than ten minutes of the day left in Bangkok")
    log_in_as_pharmacist(page, live_server)
    check_rights(page, ELIGIBLE)
    page.get_by_role("link", name="จองเวลา").click()
    page.locator(".slot").nth(1).click()  # a time today (the first may start while we click)
    expect(page.locator(".message--success")).to_contain_text("จองให้")
    booking = Booking.objects.get(unit=demo)
    page.get_by_role("link", name="คิววันนี้").click()
    page.locator(f'[data-booking="{booking.reference}"]').get_by_role(
        "button", name="ยืนยันต่อหน้าแล้ว: รับเข้าคิว").click()
    page.get_by_role("button", name="เรียกคิวถัดไป").click()
    expect(page.locator(".message--success")).to_contain_text("เรียกหมายเลข B-001")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CHECKED_IN
