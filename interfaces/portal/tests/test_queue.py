"""Today's queue (seed 3.1): lists, buttons, live refresh, and who may press them."""

import pytest
from django.urls import reverse
from django.utils import timezone

from raksa.booking.models import BookingStatus, QueueTicket, TicketStatus
from raksa.booking.queue import booking_check_in, ticket_call_next, ticket_issue_walk_in
from raksa.core.thaidate import format_date
from raksa.core.timeutil import service_day

from .helpers import book, local, slot_at, state

pytestmark = pytest.mark.django_db

QUEUE = "/portal/queue/"
LIVE = "/portal/queue/live/"
WALK_IN = "/portal/queue/walk-in/"
CALL_NEXT = "/portal/queue/call-next/"


def ticket_url(ticket):
    return f"/portal/queue/tickets/{ticket.pk}/"


def test_urls_have_the_agreed_names():
    assert reverse("portal:queue") == QUEUE
    assert reverse("portal:queue_live") == LIVE
    assert reverse("portal:queue_walk_in") == WALK_IN
    assert reverse("portal:queue_call_next") == CALL_NEXT


@pytest.mark.parametrize("path", [QUEUE, LIVE])
def test_queue_requires_login(client, path):
    response = client.get(path)
    assert response.status_code == 302 and response["Location"].startswith("/portal/login/")


@pytest.mark.parametrize("path", [WALK_IN, CALL_NEXT])
def test_buttons_require_login(client, unit, path):
    response = client.post(path)
    assert response.status_code == 302 and response["Location"].startswith("/portal/login/")
    assert QueueTicket.objects.count() == 0


@pytest.mark.parametrize("path", [WALK_IN, CALL_NEXT])
def test_buttons_are_post_only(staff_client, unit, path):
    assert staff_client.get(path).status_code == 405
    assert QueueTicket.objects.count() == 0


def test_empty_queue_page_in_thai_with_nav_and_board_link(staff_client, unit):
    response = staff_client.get(QUEUE)
    content = response.content.decode()
    assert response.status_code == 200
    assert "คิววันนี้" in content and 'aria-current="page"' in content
    assert format_date(service_day(), language="th") in content
    for text in ("เรียกคิวถัดไป", "ออกบัตรคิว (ไม่ได้จอง)", "ยังไม่มีผู้รอเรียก", "จอแสดงคิว"):
        assert text in content, text
    assert "http://testserver/display/" in content
    assert 'src="/static/portal/queue.js"' in content
    assert response["Cache-Control"].startswith("max-age=0")


def test_home_links_to_the_queue(staff_client, unit):
    assert 'href="/portal/queue/"' in staff_client.get("/portal/").content.decode()


def test_walk_in_ticket_is_issued_and_listed(staff_client, unit):
    response = staff_client.post(WALK_IN, follow=True)
    content = response.content.decode()
    assert response.redirect_chain == [(QUEUE, 302)]
    assert "ออกบัตรคิว A-001 แล้ว" in content
    assert 'data-ticket="A-001"' in content
    ticket = QueueTicket.objects.get()
    assert (ticket.unit, ticket.label, ticket.status) == (unit, "A-001", TicketStatus.WAITING)


def test_call_next_start_service_and_done(staff_client, unit, staff):
    first = ticket_issue_walk_in(actor=None, unit=unit)
    ticket_issue_walk_in(actor=None, unit=unit)
    content = staff_client.post(CALL_NEXT, follow=True).content.decode()
    assert "เรียกหมายเลข A-001" in content
    first.refresh_from_db()
    assert first.status == TicketStatus.CALLED and first.called_by == staff
    staff_client.post(ticket_url(first), {"status": "in_service"})
    first.refresh_from_db()
    assert first.status == TicketStatus.IN_SERVICE
    content = staff_client.post(ticket_url(first), {"status": "done"}, follow=True).content.decode()
    first.refresh_from_db()
    assert first.status == TicketStatus.DONE
    assert "หมายเลข A-001 เสร็จสิ้น" in content
    assert "เสร็จสิ้นแล้ววันนี้ 1 คิว" in content


def test_call_next_with_no_one_waiting_says_so(staff_client, unit):
    content = staff_client.post(CALL_NEXT, follow=True).content.decode()
    assert "ยังไม่มีผู้รอเรียก" in content


def test_left_and_a_wrong_move_is_a_clear_error_that_changes_nothing(staff_client, unit):
    ticket = ticket_issue_walk_in(actor=None, unit=unit)
    before = state()
    content = staff_client.post(ticket_url(ticket), {"status": "in_service"}, follow=True).content.decode()
    assert "บัตรคิว A-001 อยู่ในสถานะ" in content and "เปลี่ยนไม่ได้" in content
    content = staff_client.post(ticket_url(ticket), {"status": "flying"}, follow=True).content.decode()
    assert "ไม่รู้จักสถานะ" in content
    assert state() == before
    staff_client.post(ticket_url(ticket), {"status": "left"})
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.LEFT


def test_move_error_in_english(staff_client, unit):
    ticket = ticket_issue_walk_in(actor=None, unit=unit)
    staff_client.cookies["django_language"] = "en"
    content = staff_client.post(ticket_url(ticket), {"status": "done"}, follow=True).content.decode()
    assert "Ticket A-001 is" in content and "it cannot become that" in content


def test_staff_of_another_unit_cannot_touch_this_units_tickets(other_unit_client, unit):
    ticket = ticket_issue_walk_in(actor=None, unit=unit)
    before = state()
    content = other_unit_client.post(ticket_url(ticket), {"status": "called"}, follow=True).content.decode()
    assert "ไม่พบบัตรคิวนี้ที่หน่วยบริการนี้" in content
    # ... and "call next" at their own unit never reaches this unit's queue.
    other_unit_client.post(CALL_NEXT)
    other_unit_client.post(f"/portal/queue/tickets/{ticket.pk + 999}/", {"status": "called"})
    assert state() == before
    assert 'data-ticket="A-001"' not in other_unit_client.get(QUEUE).content.decode()


def test_expected_booking_is_listed_and_checked_in_from_the_queue(staff_client, unit, schedule, citizen):
    today = service_day()
    slot = slot_at(unit, local(today, 23))
    booking = book(citizen, slot, now=local(today, 0))
    content = staff_client.get(QUEUE).content.decode()
    assert f'data-booking="{booking.reference}"' in content
    assert "23:00" in content and "นางมาลี ศรีสุข" in content and citizen.cid_masked in content
    assert "มาถึงแล้ว: รับเข้าคิว" in content
    if timezone.now() < slot.starts_at:
        assert "ไม่มาตามนัด" not in content  # the slot has not started
    response = staff_client.post(f"/portal/bookings/{booking.reference}/check-in/", {"next": "queue"}, follow=True)
    content = response.content.decode()
    assert response.redirect_chain == [(QUEUE, 302)]
    assert "บัตรคิว B-001" in content and 'data-ticket="B-001"' in content
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CHECKED_IN


def test_unconfirmed_booking_cannot_be_checked_in(staff_client, unit, schedule, citizen):
    today = service_day()
    booking = book(citizen, slot_at(unit, local(today, 23)), channel="portal", now=local(today, 0))
    content = staff_client.get(QUEUE).content.decode()
    assert "ยังไม่ได้ยืนยัน" in content
    before = state()
    content = staff_client.post(f"/portal/bookings/{booking.reference}/check-in/", {"next": "queue"},
                                follow=True).content.decode()
    assert "การจองนี้เปลี่ยนแปลงไม่ได้แล้ว" in content
    assert state() == before


def test_no_show_for_a_confirmed_booking_whose_time_has_started(staff_client, unit, schedule, citizen):
    today = service_day()
    booking = book(citizen, slot_at(unit, local(today, 0)))  # booked an hour before midnight
    content = staff_client.get(QUEUE).content.decode()
    assert "ไม่มาตามนัด" in content
    content = staff_client.post(f"/portal/bookings/{booking.reference}/no-show/", {"next": "queue"},
                                follow=True).content.decode()
    assert f"บันทึกว่าการจอง {booking.reference} ไม่มาตามนัดแล้ว" in content
    booking.refresh_from_db()
    assert booking.status == BookingStatus.NO_SHOW


def test_live_endpoint_returns_the_lists_and_a_version_that_changes(staff_client, unit):
    live = f"{LIVE}?on_unit={unit.pk}"
    assert f'data-live-url="{live}"' in staff_client.get(QUEUE).content.decode()
    first = staff_client.get(live)
    assert first.status_code == 200 and first["Content-Type"] == "application/json"
    data = first.json()
    assert set(data) == {"version", "html", "updated"}
    assert "ยังไม่มีผู้รอเรียก" in data["html"] and "<html" not in data["html"]
    assert staff_client.get(live).json()["version"] == data["version"]  # nothing changed
    ticket_issue_walk_in(actor=None, unit=unit)
    changed = staff_client.get(live).json()
    assert changed["version"] != data["version"]
    assert 'data-ticket="A-001"' in changed["html"]
    assert 'name="csrfmiddlewaretoken"' in changed["html"]  # its buttons still post


def test_live_endpoint_shows_only_the_current_units_queue(other_unit_client, unit):
    ticket_issue_walk_in(actor=None, unit=unit)
    other = other_unit_client.get("/portal/").context["unit"]
    assert "A-001" not in other_unit_client.get(LIVE, {"on_unit": other.pk}).json()["html"]
    refused = other_unit_client.get(LIVE, {"on_unit": unit.pk})
    assert refused.status_code == 409 and refused.json()["code"] == "UNIT_CHANGED"
    assert "A-001" not in refused.content.decode()


def test_called_and_in_service_tickets_are_shown_first(staff_client, unit):
    for _ in range(3):
        ticket_issue_walk_in(actor=None, unit=unit)
    ticket_call_next(actor=None, unit=unit)
    content = staff_client.get(QUEUE).content.decode()
    now_serving = content.index("กำลังให้บริการ")
    waiting = content.index('id="waiting-title"')
    assert now_serving < content.index('data-ticket="A-001"') < waiting < content.index('data-ticket="A-002"')


def test_checked_in_booking_ticket_shows_the_booked_time(staff_client, unit, schedule, citizen):
    today = service_day()
    booking = book(citizen, slot_at(unit, local(today, 23)), now=local(today, 0))
    booking_check_in(actor=None, booking_id=booking.pk)
    content = staff_client.get(QUEUE).content.decode()
    assert 'data-ticket="B-001"' in content and "จองล่วงหน้า 23:00" in content
