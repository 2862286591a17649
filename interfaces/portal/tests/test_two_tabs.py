"""Two tabs, one login, one session: every step that acts on a person or a unit carries it in the request.

The browser version of these cases is in test_browser_counter.py; here each view is checked for the
refusal itself and that a refused request changes nothing.
"""

import datetime as dt

import pytest
from django.utils import timezone

from interfaces.portal.permissions import FORM_UNIT_FIELD
from raksa.booking.models import QueueTicket
from raksa.booking.queue import ticket_issue_walk_in
from raksa.testing.factories import StaffMembershipFactory, UnitFactory

from .helpers import book, find, local, slot_at, state, tomorrow

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_unit(staff):
    other = UnitFactory(name="คลินิกทันตกรรมยิ้มสวย", hcode="22222", unit_type="dental")
    StaffMembershipFactory(user=staff, unit=other, role="unit_admin")
    return other


def test_every_portal_form_names_its_unit(staff_client, unit, schedule, citizen):
    """Each form on the pages a counter uses carries ``on_unit`` (the template tag writes it)."""
    today_booking = book(citizen, slot_at(unit, local(tomorrow(), 10)), channel="portal")
    ticket_issue_walk_in(actor=None, unit=unit)
    for path in ("/portal/", "/portal/queue/", "/portal/book/", "/portal/bookings/",
                 f"/portal/bookings/{today_booking.reference}/"):
        content = staff_client.get(path).content.decode()
        forms = content.count('method="post"')
        assert forms, path
        # the language switcher and the logout form post elsewhere and need no unit
        assert content.count(f'name="{FORM_UNIT_FIELD}" value="{unit.pk}"') >= forms - 2, path


@pytest.mark.parametrize(("path", "data"), [
    ("/portal/queue/walk-in/", {}),
    ("/portal/queue/call-next/", {}),
    ("/portal/", {"national_id": "1101700230708", "service": "PH001", "date": "2026-12-01"}),
])
def test_a_form_made_for_another_unit_is_refused_and_changes_nothing(staff_client, unit, second_unit, service,
                                                                    path, data):
    ticket_issue_walk_in(actor=None, unit=unit)
    ticket_issue_walk_in(actor=None, unit=second_unit)
    staff_client.post("/portal/unit/switch/", {"unit": second_unit.pk})  # "in the other tab"
    before = state()
    response = staff_client.post(path, data | {FORM_UNIT_FIELD: unit.pk})  # the first tab's page, for unit
    content = response.content.decode()
    assert response.status_code == 409
    assert "ยังไม่ได้ดำเนินการใด ๆ" in content
    assert "หน้านั้นเป็นของ ร้านยารักษ์สุขภาพ แต่ขณะนี้หน่วยบริการปัจจุบันของคุณคือ คลินิกทันตกรรมยิ้มสวย" in content
    assert state() == before
    assert "เปลี่ยนกลับไปที่ ร้านยารักษ์สุขภาพ" in content  # one click back to the page's unit
    staff_client.post("/portal/unit/switch/", {"unit": unit.pk})
    assert staff_client.post(path, data | {FORM_UNIT_FIELD: unit.pk}).status_code in (200, 302)


def test_a_form_without_its_unit_is_refused(staff_client, unit):
    before = state()
    response = staff_client.post("/portal/queue/walk-in/", {FORM_UNIT_FIELD: ""})
    assert response.status_code == 409 and "หรือหมดอายุแล้ว" in response.content.decode()
    assert state() == before and not QueueTicket.objects.exists()


def test_the_live_queue_of_a_switched_tab_stops_instead_of_showing_the_other_unit(staff_client, unit,
                                                                                    second_unit):
    ticket_issue_walk_in(actor=None, unit=second_unit)
    staff_client.post("/portal/unit/switch/", {"unit": second_unit.pk})
    response = staff_client.get("/portal/queue/live/", {FORM_UNIT_FIELD: unit.pk})
    assert response.status_code == 409 and response.json()["code"] == "UNIT_CHANGED"
    assert "A-001" not in response.content.decode()


def test_booking_in_one_tab_is_for_the_citizen_that_tab_shows(staff_client, unit, service, schedule):
    """The reported defect: tab 1 shows the child, tab 2 looks up the man; tab 1's slot books the child."""
    from raksa.booking.models import Booking
    from raksa.testing.factories import CitizenFactory, CoverageFactory, make_national_id

    child_id, man_id = make_national_id(), make_national_id()
    child = CitizenFactory(national_id=child_id, first_name_th="เด็กชาย", last_name_th="หนึ่ง")
    man = CitizenFactory(national_id=man_id, first_name_th="นายสอง", last_name_th="สาม")
    CoverageFactory(citizen=child)
    CoverageFactory(citizen=man)
    tab1 = find(staff_client, child_id)
    find(staff_client, man_id)  # tab 2
    slot = slot_at(unit, local(tomorrow(), 10))
    staff_client.post("/portal/book/", {"p": tab1, "action": "book", "slot": slot.pk})
    assert Booking.objects.get().citizen == child
    assert not Booking.objects.filter(citizen=man).exists()


# --- the counter's shorter paths ---------------------------------------------------------------------

def test_an_eligible_verdict_offers_a_walk_in_ticket_and_a_booking(staff_client, unit, service, schedule,
                                                                   citizen_id, citizen):
    from raksa.core.timeutil import service_day

    content = staff_client.post("/portal/", {"national_id": citizen_id, "service": "PH001",
                                             "date": service_day().isoformat()}).content.decode()
    assert "ออกบัตรคิวตอนนี้ (ไม่ได้จอง)" in content and "จองเวลา" in content
    assert citizen_id not in content
    ref = content.split('name="p" value="')[1].split('"')[0]
    response = staff_client.post("/portal/queue/walk-in/", {"p": ref}, follow=True)
    assert "messages" not in response.cookies  # the flash message names the person: kept on the server
    ticket = QueueTicket.objects.get()
    assert ticket.citizen == citizen and ticket.label == "A-001"
    assert "ออกบัตรคิว A-001 ให้นางมาลี ศรีสุขแล้ว" in response.content.decode()
    # The person is in the queue once: a second ticket is refused with the one they hold.
    before = state()
    again = staff_client.post("/portal/queue/walk-in/", {"p": ref}, follow=True).content.decode()
    assert "บุคคลนี้อยู่ในคิววันนี้แล้ว บัตรคิว A-001" in again
    assert state() == before
    # and the verdict no longer offers a ticket: it says which one they hold
    content = staff_client.post("/portal/", {"national_id": citizen_id, "service": "PH001",
                                             "date": service_day().isoformat()}).content.decode()
    assert "อยู่ในคิววันนี้แล้ว บัตรคิว A-001" in content and "ออกบัตรคิวตอนนี้" not in content


def test_a_verdict_for_another_day_offers_booking_only(staff_client, service, schedule, citizen_id):
    content = staff_client.post("/portal/", {"national_id": citizen_id, "service": "PH001",
                                             "date": tomorrow().isoformat()}).content.decode()
    assert "จองเวลา" in content and "ออกบัตรคิวตอนนี้ (ไม่ได้จอง)" not in content
    assert f"day={tomorrow().isoformat()}" in content and "service=PH001" in content


def test_a_walk_in_with_a_stale_person_reference_issues_nothing(staff_client, unit):
    before = state()
    content = staff_client.post("/portal/queue/walk-in/", {"p": "forged"}, follow=True).content.decode()
    assert "ยังไม่ได้ออกบัตรคิว" in content and state() == before


def test_an_unconfirmed_booking_is_confirmed_and_checked_in_from_the_queue_in_one_click(bangkok_morning, staff_client,
                                                                                         unit, schedule, citizen):
    from raksa.audit.models import AuditEntry
    from raksa.booking.models import BookingStatus
    from raksa.core.timeutil import service_day

    today = service_day()
    # made a minute ago, so still within the time the citizen has to confirm
    booking = book(citizen, slot_at(unit, local(today, 23)), channel="portal",
                   now=timezone.now() - dt.timedelta(minutes=1))
    assert "ยืนยันต่อหน้าแล้ว: รับเข้าคิว" in staff_client.get("/portal/queue/").content.decode()
    response = staff_client.post(f"/portal/bookings/{booking.reference}/confirm-check-in/", {"next": "queue"},
                                 follow=True)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CHECKED_IN
    assert response.redirect_chain[-1][0] == "/portal/queue/"
    assert f"ยืนยันการจอง {booking.reference} ต่อหน้าและรับเข้าคิวแล้ว บัตรคิว B-001" in response.content.decode()
    actions = list(AuditEntry.objects.filter(object_id=str(booking.pk)).values_list("action", flat=True))
    assert "booking.confirm" in actions and "booking.check_in" in actions


def test_a_verdict_for_someone_booked_today_offers_their_check_in(staff_client, unit, service, schedule,
                                                                  citizen_id, citizen):
    from raksa.core.timeutil import service_day

    today = service_day()
    booking = book(citizen, slot_at(unit, local(today, 23)), channel="portal", now=local(today, 0))
    content = staff_client.post("/portal/", {"national_id": citizen_id, "service": "PH001",
                                             "date": today.isoformat()}).content.decode()
    assert "มีนัดวันนี้ เวลา 23:00: รับเข้าคิว" in content
    assert f"/portal/bookings/{booking.reference}/confirm-check-in/" in content
    assert "ออกบัตรคิวตอนนี้ (ไม่ได้จอง)" not in content
