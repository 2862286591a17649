"""The counter over the API: check in, call next, start, finish, left; same rules as the portal's queue."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from interfaces.api.tests.helpers import make_api_unit
from raksa.audit.models import AuditEntry
from raksa.booking.models import Booking, BookingStatus, QueueTicket, Slot, TicketStatus
from raksa.booking.queue import ticket_issue_walk_in
from raksa.booking.services import booking_create
from raksa.core.timeutil import service_day
from raksa.people.selectors import citizen_get_by_national_id
from raksa.testing.factories import StaffMembershipFactory, UnitFactory, make_officer
from raksa.units.services import unit_api_key_issue

pytestmark = pytest.mark.django_db
THAI = range(0x0E00, 0x0E80)


def one_language_each(body: dict) -> bool:
    """The Thai message carries no English word, the English one no Thai letter."""
    return not any(ord(ch) in THAI for ch in body["message_en"]) and not re.search("[A-Za-z]{3,}", body["message"])


@pytest.fixture
def counter():
    data = make_api_unit()
    return {**data, "auth": {"HTTP_AUTHORIZATION": f"Bearer {data['key']}"}, "hcode": data["unit"].hcode}


@pytest.fixture
def other_key():
    key, _ = unit_api_key_issue(actor=None, unit=UnitFactory(), label="อีกหน่วย")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def post(client, path, data=None, **headers):
    return client.post(path, data or {}, content_type="application/json", **headers)


def todays_booking(counter) -> Booking:
    """A confirmed booking (the citizen booked in LINE) for a time later today."""
    slot = Slot.objects.filter(unit=counter["unit"], day=service_day()).order_by("-starts_at").first()
    return booking_create(actor=None, citizen=citizen_get_by_national_id(counter["national_id"]), slot_id=slot.pk,
                          now=min(timezone.now(), slot.starts_at - dt.timedelta(minutes=1)))


def tickets() -> list:
    return sorted(QueueTicket.objects.values_list("kind", "number", "status"))


def test_check_in_gives_a_ticket_in_todays_queue(client, counter):
    booking = todays_booking(counter)
    response = post(client, f"/api/v1/bookings/{booking.reference.lower()}/check-in", **counter["auth"])
    assert response.status_code == 201, response.content
    assert response.json() == {"label": "B-001", "status": "waiting", "booking": booking.reference}
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CHECKED_IN
    queue = client.get(f"/api/v1/units/{counter['hcode']}/queue", **counter["auth"]).json()
    assert [t["label"] for t in queue["waiting"]] == ["B-001"]
    assert AuditEntry.objects.filter(action="booking.check_in", object_id=str(booking.pk)).count() == 1


def test_a_booking_awaiting_the_citizen_is_confirmed_in_person_on_request(bangkok_morning, client, counter):
    slot = Slot.objects.filter(unit=counter["unit"], day=service_day()).order_by("-starts_at").first()
    made = post(client, "/api/v1/bookings", {"national_id": counter["national_id"], "slot_id": slot.pk},
                **counter["auth"]).json()
    assert made["status"] == "awaiting_citizen"
    path = f"/api/v1/bookings/{made['reference']}/check-in"
    refused = client.post(path, "", content_type="application/json", **counter["auth"])  # no body at all
    assert (refused.status_code, refused.json()["code"]) == (409, "BOOKING_NOT_ACTIVE") and tickets() == []
    response = post(client, path, {"confirm_in_person": True}, **counter["auth"])
    assert response.status_code == 201 and response.json()["label"] == "B-001"
    booking = Booking.objects.get(reference=made["reference"])
    assert booking.status == BookingStatus.CHECKED_IN
    rows = AuditEntry.objects.filter(object_id=str(booking.pk), action__startswith="booking.").order_by("pk")
    assert list(rows.values_list("action", flat=True)) == ["booking.create", "booking.confirm", "booking.check_in"]


def test_check_in_refuses_another_units_key_and_unknown_bookings(client, counter, other_key):
    booking = todays_booking(counter)
    response = post(client, f"/api/v1/bookings/{booking.reference}/check-in", **other_key)
    assert (response.status_code, response.json()["code"]) == (403, "FORBIDDEN")
    response = post(client, "/api/v1/bookings/NOSUCHREF/check-in", **counter["auth"])
    assert (response.status_code, response.json()["code"]) == (404, "BOOKING_NOT_FOUND")
    assert tickets() == [] and Booking.objects.get(pk=booking.pk).status == BookingStatus.CONFIRMED


def test_checking_in_twice_is_a_conflict_in_one_language_each(client, counter):
    booking = todays_booking(counter)
    assert post(client, f"/api/v1/bookings/{booking.reference}/check-in", **counter["auth"]).status_code == 201
    response = post(client, f"/api/v1/bookings/{booking.reference}/check-in", **counter["auth"])
    body = response.json()
    assert (response.status_code, body["code"]) == (409, "BOOKING_NOT_ACTIVE")
    assert body["message"].endswith("(สถานะ: มาถึงแล้ว)") and body["message_en"].endswith("(its status is Checked in).")
    assert one_language_each(body)
    assert len(tickets()) == 1


def test_call_next_calls_the_earliest_waiting_and_then_says_no_one_waits(client, counter):
    ticket_issue_walk_in(actor=None, unit=counter["unit"])
    ticket_issue_walk_in(actor=None, unit=counter["unit"])
    path = f"/api/v1/units/{counter['hcode']}/queue/call-next"
    assert post(client, path, **counter["auth"]).json() == {"label": "A-001", "status": "called", "booking": None}
    assert post(client, path, **counter["auth"]).json()["label"] == "A-002"
    response = post(client, path, **counter["auth"])
    assert (response.status_code, response.json()["code"]) == (409, "QUEUE_EMPTY")
    assert AuditEntry.objects.filter(action="ticket.called").count() == 2


def test_call_next_for_another_unit_is_forbidden(client, counter, other_key):
    ticket_issue_walk_in(actor=None, unit=counter["unit"])
    response = post(client, f"/api/v1/units/{counter['hcode']}/queue/call-next", **other_key)
    assert (response.status_code, response.json()["code"]) == (403, "FORBIDDEN")
    response = post(client, "/api/v1/units/99999/queue/call-next", **counter["auth"])
    assert (response.status_code, response.json()["code"]) == (404, "UNKNOWN_UNIT")
    assert tickets() == [("A", 1, TicketStatus.WAITING)]


def test_serve_and_finish_a_ticket_by_its_number(client, counter):
    ticket_issue_walk_in(actor=None, unit=counter["unit"])
    base = f"/api/v1/units/{counter['hcode']}/queue"
    post(client, f"{base}/call-next", **counter["auth"])
    started = post(client, f"{base}/tickets/a-001/status", {"status": "in_service"}, **counter["auth"])
    assert started.json() == {"label": "A-001", "status": "in_service", "booking": None}
    done = post(client, f"{base}/tickets/A-001/status", {"status": "done"}, **counter["auth"])
    assert done.status_code == 200 and done.json()["status"] == "done"
    assert [a for a in AuditEntry.objects.order_by("pk").values_list("action", flat=True) if a.startswith("ticket.")] \
        == ["ticket.issue", "ticket.called", "ticket.in_service", "ticket.done"]


def test_a_booked_citizen_who_leaves_is_a_no_show(client, counter):
    booking = todays_booking(counter)
    post(client, f"/api/v1/bookings/{booking.reference}/check-in", **counter["auth"])
    response = post(client, f"/api/v1/units/{counter['hcode']}/queue/tickets/B-001/status", {"status": "left"},
                    **counter["auth"])
    assert response.json() == {"label": "B-001", "status": "left", "booking": booking.reference}
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.NO_SHOW


def test_a_move_the_state_does_not_allow_is_a_conflict_in_one_language_each(client, counter):
    ticket_issue_walk_in(actor=None, unit=counter["unit"])
    path = f"/api/v1/units/{counter['hcode']}/queue/tickets/A-001/status"
    response = post(client, path, {"status": "done"}, **counter["auth"])  # waiting: must be called first
    body = response.json()
    assert (response.status_code, body["code"]) == (409, "TICKET_STATE")
    assert body["message"] == "บัตรคิว A-001 อยู่ในสถานะรอเรียก จึงเปลี่ยนเป็นเสร็จสิ้นไม่ได้"
    assert body["message_en"] == "Ticket A-001 is Waiting; it cannot become Done."
    assert one_language_each(body)
    assert tickets() == [("A", 1, TicketStatus.WAITING)]


@pytest.mark.parametrize("label,data,status,code,field", [
    ("A-002", {"status": "done"}, 404, "TICKET_NOT_FOUND", "label"),
    ("X-001", {"status": "done"}, 404, "TICKET_NOT_FOUND", "label"),
    ("A-001", {"status": "eaten"}, 422, "INVALID_INPUT", "status"),
    ("A-001", {}, 422, "INVALID_INPUT", "status"),
])
def test_unknown_tickets_and_states_are_refused(client, counter, label, data, status, code, field):
    ticket_issue_walk_in(actor=None, unit=counter["unit"])
    response = post(client, f"/api/v1/units/{counter['hcode']}/queue/tickets/{label}/status", data, **counter["auth"])
    body = response.json()
    assert (response.status_code, body["code"], body["field"]) == (status, code, field)
    assert tickets() == [("A", 1, TicketStatus.WAITING)]


def test_another_units_ticket_cannot_be_moved(client, counter, other_key):
    ticket_issue_walk_in(actor=None, unit=counter["unit"])
    path = f"/api/v1/units/{counter['hcode']}/queue/tickets/A-001/status"
    response = post(client, path, {"status": "called"}, **other_key)
    assert (response.status_code, response.json()["code"]) == (403, "FORBIDDEN")
    own = UnitFactory()
    ticket_issue_walk_in(actor=None, unit=own)  # the other unit's own A-001 is its own ticket, not ours
    key, _ = unit_api_key_issue(actor=None, unit=own, label="x")
    post(client, f"/api/v1/units/{own.hcode}/queue/tickets/A-001/status", {"status": "called"},
         HTTP_AUTHORIZATION=f"Bearer {key}")
    assert QueueTicket.objects.get(unit=counter["unit"]).status == TicketStatus.WAITING


def test_staff_sessions_act_for_their_unit_and_officers_for_any(client, counter):
    ticket_issue_walk_in(actor=None, unit=counter["unit"])
    ticket_issue_walk_in(actor=None, unit=counter["unit"])
    path = f"/api/v1/units/{counter['hcode']}/queue/call-next"
    client.force_login(StaffMembershipFactory(unit=UnitFactory()).user)
    assert post(client, path).status_code == 403
    clerk = StaffMembershipFactory(unit=counter["unit"], role="clerk").user
    client.force_login(clerk)
    assert post(client, path).json()["label"] == "A-001"
    assert QueueTicket.objects.get(number=1).called_by == clerk
    client.force_login(make_officer())
    assert post(client, path).json()["label"] == "A-002"


@pytest.mark.parametrize("status", ["suspended", "pending"])
def test_a_unit_that_may_not_serve_cannot_run_its_counter_through_the_api(client, counter, status):
    """As in the portal, where such a unit's staff are sent to the registration page."""
    from raksa.units.models import Unit

    booking = todays_booking(counter)
    ticket_issue_walk_in(actor=None, unit=counter["unit"])
    Unit.objects.filter(pk=counter["unit"].pk).update(status=status)
    code = "UNIT_SUSPENDED" if status == "suspended" else "UNIT_NOT_VERIFIED"
    before = tickets()
    for path in (f"/api/v1/bookings/{booking.reference}/check-in",
                 f"/api/v1/units/{counter['hcode']}/queue/call-next"):
        response = post(client, path, **counter["auth"])
        assert response.status_code == 403 and response.json()["code"] == code, path
        assert "หน่วยบริการ" in response.json()["message"] and "unit" in response.json()["message_en"]
    assert tickets() == before


@pytest.mark.parametrize("status", ["suspended", "pending"])
def test_a_unit_that_may_not_serve_cannot_read_its_queue_through_the_api(client, counter, status):
    """Its key is refused as its staff are in the portal (sent to the registration page), staff sessions alike."""
    from raksa.units.models import Unit

    ticket_issue_walk_in(actor=None, unit=counter["unit"])
    path = f"/api/v1/units/{counter['hcode']}/queue"
    assert client.get(path, **counter["auth"]).json()["waiting"][0]["label"] == "A-001"
    Unit.objects.filter(pk=counter["unit"].pk).update(status=status)
    code = "UNIT_SUSPENDED" if status == "suspended" else "UNIT_NOT_VERIFIED"
    response = client.get(path, **counter["auth"])
    assert response.status_code == 403 and response.json()["code"] == code and "A-001" not in response.content.decode()
    staff = StaffMembershipFactory(unit=counter["unit"]).user
    client.force_login(staff)
    assert client.get(path).json()["code"] == code
    assert client.get("/portal/queue/")["Location"] == "/portal/registration/"


@pytest.mark.parametrize("body", ["null", "[]", '"x"', "1"])
def test_a_check_in_body_that_is_not_an_object_is_refused(client, counter, body):
    booking = todays_booking(counter)
    response = client.post(f"/api/v1/bookings/{booking.reference}/check-in", body, content_type="application/json",
                           **counter["auth"])
    assert response.status_code == 422 and response.json()["code"] == "INVALID_INPUT"
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED and not QueueTicket.objects.exists()
