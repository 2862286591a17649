"""Every binding or destructive portal action asks first, in Chromium: "no" sends nothing and changes nothing;
"yes" does it. (Cancel has its own test in test_browser_counter.py; the back office's verify and suspend are in
interfaces/backoffice/tests/test_browser.py.) A dropped ``data-confirm`` fails here: no question is asked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.utils import timezone
from playwright import sync_api as playwright_sync

from raksa.booking.models import Booking, BookingStatus, Closure, QueueTicket, TicketStatus
from raksa.booking.queue import ticket_call_next, ticket_issue_walk_in
from raksa.booking.services import booking_confirm, schedule_set
from raksa.core.timeutil import service_day
from raksa.testing.browser import BROWSER_MARKS
from raksa.testing.claims import make_visit
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
from raksa.verification.models import Visit, VisitStatus

from .conftest import ALL_DAY
from .helpers import book, local, log_in, slot_at, state, tomorrow

pytestmark = [*BROWSER_MARKS, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def desk(db):
    """A pharmacy open all day every day with a schedule (one-hour slots, two seats), a clinician ``somchai``, a
    unit administrator ``nida`` and a UCS citizen."""
    unit = UnitFactory(name="ร้านยารักษ์สุขภาพ", hcode="12345", opening_hours=ALL_DAY)
    StaffMembershipFactory(user=UserFactory(username="somchai"), unit=unit, role="clinician")
    StaffMembershipFactory(user=UserFactory(username="nida"), unit=unit, role="unit_admin")
    service = ServiceFactory(code="PH001", name_th="ไข้หวัด เจ็บคอ", unit_type="pharmacy")
    UnitServiceFactory(unit=unit, service=service)
    schedule_set(actor=None, unit=unit, service=service, weekly_hours=ALL_DAY, slot_minutes=60, seats_per_slot=2,
                 book_ahead_days=7, min_notice_minutes=0)
    man = CitizenFactory(national_id=make_national_id(), title_th="นาย", first_name_th="สมศักดิ์",
                         last_name_th="มั่นคง")
    CoverageFactory(citizen=man)
    return {"unit": unit, "service": service, "man": man}


@dataclass
class Action:
    user: str
    url: str
    press: Callable  # page -> None: what staff do (the click that asks)
    question: str
    done: str  # the success message once agreed
    changed: Callable[[], bool]  # the database shows the action done


def _started_booking(desk) -> Booking:
    """A confirmed booking of today's first slot (00:00 Bangkok, so it has started whatever the hour)."""
    slot = slot_at(desk["unit"], local(service_day(), 0))
    booking = book(desk["man"], slot, channel="portal")
    return booking_confirm(actor=None, booking_id=booking.pk, via="in_person", now=slot.starts_at - dt.timedelta(
        minutes=30))


def move(desk) -> Action:
    booking = book(desk["man"], slot_at(desk["unit"], local(tomorrow(), 10)), channel="portal")
    return Action(
        "somchai", f"/portal/bookings/{booking.reference}/?day={tomorrow().isoformat()}",
        lambda page: page.locator("form.slots .slot").first.click(),
        "ย้ายการจองไปเวลานี้ใช่หรือไม่ เวลาเดิมจะว่างให้ผู้อื่นจองได้", f"การจอง {booking.reference} ย้ายไปเวลาอื่นแล้ว",
        lambda: Booking.objects.get(pk=booking.pk).slot_id != booking.slot_id)


def leave_waiting(desk) -> Action:
    ticket = ticket_issue_walk_in(actor=None, unit=desk["unit"])
    return Action(
        "somchai", "/portal/queue/",
        lambda page: page.locator('[data-ticket="A-001"]').get_by_role("button", name="ออกจากคิว").click(),
        "นำหมายเลขนี้ออกจากคิว (ผู้รับบริการออกไปแล้ว) ใช่หรือไม่", "A-001",
        lambda: QueueTicket.objects.get(pk=ticket.pk).status == TicketStatus.LEFT)


def leave_called(desk) -> Action:
    ticket_issue_walk_in(actor=None, unit=desk["unit"])
    ticket = ticket_call_next(actor=None, unit=desk["unit"])
    return Action(
        "somchai", "/portal/queue/",
        lambda page: page.locator('[data-ticket="A-001"]').get_by_role("button", name="ไม่อยู่ (ออกจากคิว)").click(),
        "นำหมายเลขนี้ออกจากคิว (ผู้รับบริการออกไปแล้ว) ใช่หรือไม่", "A-001",
        lambda: QueueTicket.objects.get(pk=ticket.pk).status == TicketStatus.LEFT)


def no_show_on_the_queue_card(desk) -> Action:
    booking = _started_booking(desk)
    return Action(
        "somchai", "/portal/queue/",
        lambda page: page.locator(f'[data-booking="{booking.reference}"]').get_by_role(
            "button", name="ไม่มาตามนัด").click(),
        "บันทึกการจองนี้ว่า “ไม่มาตามนัด” ใช่หรือไม่ ย้อนกลับไม่ได้", f"บันทึกว่าการจอง {booking.reference} ไม่มาตามนัดแล้ว",
        lambda: Booking.objects.get(pk=booking.pk).status == BookingStatus.NO_SHOW)


def no_show_on_the_booking_page(desk) -> Action:
    booking = _started_booking(desk)
    return Action(
        "somchai", f"/portal/bookings/{booking.reference}/",
        lambda page: page.locator(".actions").get_by_role("button", name="ไม่มาตามนัด").click(),
        "บันทึกการจองนี้ว่า “ไม่มาตามนัด” ใช่หรือไม่ ย้อนกลับไม่ได้", f"บันทึกว่าการจอง {booking.reference} ไม่มาตามนัดแล้ว",
        lambda: Booking.objects.get(pk=booking.pk).status == BookingStatus.NO_SHOW)


def close_a_day(desk) -> Action:
    day = service_day() + dt.timedelta(days=3)

    def press(page):
        page.get_by_label("วันที่ปิด").fill(day.isoformat())
        page.get_by_label("เหตุผล").fill("อบรมพนักงาน")
        page.get_by_role("button", name="ปิดวันที่เลือก").click()

    return Action("nida", "/portal/schedule/", press, "ปิดหน่วยบริการในวันนี้ใช่หรือไม่ จะไม่รับจองใหม่ในวันดังกล่าว",
                  "", lambda: Closure.objects.filter(unit=desk["unit"], day=day).exists())


def close_a_visit(desk) -> Action:
    visit = make_visit(unit=desk["unit"], citizen=desk["man"], service=desk["service"], now=timezone.now())

    def press(page):
        button = page.get_by_role("button", name="ปิดการเข้ารับบริการ")
        if not button.is_visible():
            page.get_by_text("ปิดโดยไม่ได้ให้บริการ", exact=True).click()  # the <details> that holds the form
        page.get_by_label("เหตุผล").fill("ผู้รับบริการกลับไปก่อน")
        button.click()

    return Action(
        "somchai", f"/portal/visits/{visit.pk}/", press,
        "ปิดการเข้ารับบริการนี้โดยไม่ได้ให้บริการหรือไม่ หลังจากนี้จะใช้รหัส Authen นี้เคลมไม่ได้", visit.authen_code,
        lambda: Visit.objects.get(pk=visit.pk).status == VisitStatus.NO_SERVICE)


ACTIONS = [move, leave_waiting, leave_called, no_show_on_the_queue_card, no_show_on_the_booking_page, close_a_day,
           close_a_visit]


def everything() -> tuple:
    """Every row these actions could change, and the audit log's length."""
    return (state(), sorted(Closure.objects.values_list("day", flat=True)),
            sorted(Visit.objects.values_list("pk", "status")))


@pytest.mark.parametrize("make", ACTIONS, ids=[a.__name__ for a in ACTIONS])
def test_the_action_asks_first_and_a_no_changes_nothing(page, live_server, desk, make):
    expect = playwright_sync.expect
    action = make(desk)
    log_in(page, live_server, action.user)
    page.goto(live_server.url + action.url)
    questions, agree = [], []

    def answer(dialog):
        questions.append(dialog.message)
        dialog.accept() if agree else dialog.dismiss()

    page.on("dialog", answer)
    before = everything()
    page.evaluate("window.__notSent = true")  # gone if the form were sent (a new page)
    action.press(page)
    page.wait_for_timeout(500)  # room for a wrongly sent form to arrive before we look
    assert questions == [action.question]
    assert page.evaluate("window.__notSent === true")
    assert everything() == before and not action.changed()

    agree.append(True)
    action.press(page)
    expect(page.locator(".message--success")).to_contain_text(action.done)
    assert len(questions) == 2 and action.changed()
