"""Verification over the API: a rights QR redeemed opens the visit with its authen code (same rules as the
portal's counter); replays and other units' codes are refused and change nothing; a visit is read and
closed by its own unit only; the authen status answers with the national ID in the body, never the URL."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from interfaces.api.tests.helpers import make_api_unit
from raksa.audit.models import AuditEntry
from raksa.booking.models import Booking, BookingStatus, QueueTicket, Slot
from raksa.booking.services import booking_cancel, booking_create
from raksa.core.timeutil import service_day
from raksa.testing.factories import StaffMembershipFactory, UnitFactory, UnitServiceFactory, make_officer
from raksa.units.models import Unit, UnitStatus
from raksa.units.services import unit_api_key_issue
from raksa.verification.models import RightsQrToken, VerificationAttempt, Visit
from raksa.verification.services import rights_qr_issue

pytestmark = pytest.mark.django_db
AUTHEN_CODE = re.compile(r"^PP[0-9]{10}$")
THAI = re.compile("[\u0e00-\u0e7f]")


@pytest.fixture
def counter(bangkok_morning):
    data = make_api_unit()
    from raksa.people.selectors import citizen_get_by_national_id

    return {**data, "citizen": citizen_get_by_national_id(data["national_id"]), "hcode": data["unit"].hcode,
            "auth": {"HTTP_AUTHORIZATION": f"Bearer {data['key']}"}}


@pytest.fixture
def other(counter):
    """Another verified unit offering the same service, with its key."""
    unit = UnitFactory()
    UnitServiceFactory(unit=unit, service=counter["service"])
    key, _ = unit_api_key_issue(actor=None, unit=unit, label="อีกร้าน")
    return {"unit": unit, "auth": {"HTTP_AUTHORIZATION": f"Bearer {key}"}}


def post(client, path, data, **headers):
    return client.post(path, data, content_type="application/json", **headers)


def booked_today(counter, *, channel: str = "line") -> Booking:
    """A booking for a time later today (the clock stands at 10:00 in Bangkok)."""
    slot = Slot.objects.filter(unit=counter["unit"], day=service_day()).order_by("-starts_at").first()
    return booking_create(actor=None, citizen=counter["citizen"], slot_id=slot.pk, channel=channel)


def redeem(client, counter, token, **extra):
    return post(client, "/api/v1/visits/rights-qr", {"token": token, **extra}, **counter["auth"])


def nothing_changed(before):
    return (Visit.objects.count(), QueueTicket.objects.count(),
            sorted(RightsQrToken.objects.values_list("pk", "used_at"))) == before


def snapshot():
    return (Visit.objects.count(), QueueTicket.objects.count(),
            sorted(RightsQrToken.objects.values_list("pk", "used_at")))


def refused(response, status, code):
    body = response.json()
    assert (response.status_code, body["code"]) == (status, code), response.content
    english = body["message_en"]
    for name in Unit.objects.values_list("name", flat=True):  # a unit's name is its name in both languages
        english = english.replace(name, "")
    assert THAI.search(body["message"]) and not THAI.search(english), body
    return body


def test_a_booked_persons_qr_opens_the_visit_with_its_authen_code(client, counter):
    booking = booked_today(counter)
    token = rights_qr_issue(citizen=counter["citizen"]).token
    response = redeem(client, counter, token)
    assert response.status_code == 201, response.content
    body = response.json()
    assert AUTHEN_CODE.match(body["authen_code"])
    assert {k: body[k] for k in ("status", "method", "hcode", "service", "booking", "ticket")} == {
        "status": "open", "method": "rights_qr", "hcode": counter["hcode"], "service": counter["service"].code,
        "booking": booking.reference, "ticket": "B-001"}
    assert body["day"] == service_day().isoformat() and body["closed_at"] is None
    visit = Visit.objects.get()
    assert visit.authen_code == body["authen_code"] and visit.verified_by_label.startswith("api:rk_")
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CHECKED_IN
    attempt = VerificationAttempt.objects.get()
    assert (attempt.outcome, attempt.unit_id, attempt.actor_label) == ("verified", counter["unit"].pk,
                                                                      visit.verified_by_label)
    assert AuditEntry.objects.filter(action="visit.open", object_id=str(visit.pk)).count() == 1


def test_a_replayed_code_is_refused_and_nothing_is_issued(client, counter):
    booked_today(counter)
    token = rights_qr_issue(citizen=counter["citizen"]).token
    assert redeem(client, counter, token).status_code == 201
    before = snapshot()
    refused(redeem(client, counter, token), 409, "QR_USED")
    assert nothing_changed(before)
    assert VerificationAttempt.objects.filter(outcome="refused", code="QR_USED").count() == 1


def test_the_same_unit_scanning_a_new_code_gets_the_same_visit(client, counter):
    booked_today(counter)
    first = redeem(client, counter, rights_qr_issue(citizen=counter["citizen"]).token).json()
    again = redeem(client, counter, rights_qr_issue(citizen=counter["citizen"]).token)
    assert again.status_code == 200 and again.json()["authen_code"] == first["authen_code"]
    assert Visit.objects.count() == 1


def test_a_booking_the_unit_made_is_confirmed_in_person_by_the_qr(client, counter):
    booking = booked_today(counter, channel="portal")
    assert booking.status == BookingStatus.AWAITING_CITIZEN
    response = redeem(client, counter, rights_qr_issue(citizen=counter["citizen"]).token)
    assert response.status_code == 201 and response.json()["ticket"] == "B-001"
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CHECKED_IN


def test_a_walk_in_code_needs_a_known_service_and_stays_usable_until_then(client, counter):
    token = rights_qr_issue(citizen=counter["citizen"]).token  # no booking today: a walk-in's code
    before = snapshot()
    body = refused(redeem(client, counter, token), 422, "SERVICE_REQUIRED")
    assert body["field"] == "service"
    body = refused(redeem(client, counter, token, service="NO-SUCH"), 404, "UNKNOWN_SERVICE")
    assert body["field"] == "service" and nothing_changed(before)
    response = redeem(client, counter, token, service=counter["service"].code)
    assert response.status_code == 201, response.content
    assert response.json()["booking"] is None and response.json()["ticket"] is None


@pytest.mark.parametrize("token", ["", "hello", "RQ1.short", "RQ1." + "x" * 43, "PP1234567890", "RQ1." + "ก" * 43,
                                   "RQ1." + "A" * 5000])
def test_malformed_and_unknown_tokens_are_qr_unknown(client, counter, token):
    before = snapshot()
    body = refused(redeem(client, counter, token), 404, "QR_UNKNOWN")
    assert body["field"] == "token" and nothing_changed(before)


def test_a_tampered_code_is_unknown_and_the_real_one_still_works(client, counter):
    booked_today(counter)
    token = rights_qr_issue(citizen=counter["citizen"]).token
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    refused(redeem(client, counter, tampered), 404, "QR_UNKNOWN")
    assert redeem(client, counter, token).status_code == 201


def test_an_expired_code_is_refused(client, counter):
    token = rights_qr_issue(citizen=counter["citizen"], now=timezone.now() - dt.timedelta(minutes=30)).token
    before = snapshot()
    refused(redeem(client, counter, token, service=counter["service"].code), 409, "QR_EXPIRED")
    assert nothing_changed(before)


def test_another_units_booking_is_refused_there_and_the_code_still_works_here(client, counter, other):
    booked_today(counter)
    token = rights_qr_issue(citizen=counter["citizen"]).token
    before = snapshot()
    body = refused(post(client, "/api/v1/visits/rights-qr", {"token": token}, **other["auth"]), 409, "QR_OTHER_UNIT")
    assert counter["unit"].name in body["message"] and nothing_changed(before)
    assert redeem(client, counter, token).status_code == 201


def test_a_cancelled_bookings_code_is_refused(client, counter):
    booking = booked_today(counter)
    token = rights_qr_issue(citizen=counter["citizen"]).token
    booking_cancel(actor=None, booking_id=booking.pk)
    refused(redeem(client, counter, token), 409, "BOOKING_NOT_ACTIVE")


def test_an_open_visit_elsewhere_is_refused_with_the_holders_name(client, counter, other):
    redeem(client, counter, rights_qr_issue(citizen=counter["citizen"]).token, service=counter["service"].code)
    token = rights_qr_issue(citizen=counter["citizen"]).token
    body = refused(post(client, "/api/v1/visits/rights-qr", {"token": token, "service": counter["service"].code},
                        **other["auth"]), 409, "VISIT_OPEN_ELSEWHERE")
    assert counter["unit"].name in body["message"] and Visit.objects.count() == 1


def test_a_unit_that_may_not_serve_is_refused(client, counter):
    counter["unit"].status = UnitStatus.SUSPENDED
    counter["unit"].save(update_fields=["status"])
    token = rights_qr_issue(citizen=counter["citizen"]).token
    refused(redeem(client, counter, token, service=counter["service"].code), 403, "UNIT_SUSPENDED")


def test_a_key_cannot_act_for_another_unit(client, counter, other):
    token = rights_qr_issue(citizen=counter["citizen"]).token
    refused(redeem(client, counter, token, service=counter["service"].code, hcode=other["unit"].hcode), 403,
            "FORBIDDEN")
    refused(redeem(client, counter, token, service=counter["service"].code, hcode="99999x"), 404, "UNKNOWN_UNIT")


def test_staff_in_the_portal_name_their_unit(client, counter, other):
    token = rights_qr_issue(citizen=counter["citizen"]).token
    client.force_login(StaffMembershipFactory(unit=counter["unit"]).user)
    path, service = "/api/v1/visits/rights-qr", counter["service"].code
    assert refused(post(client, path, {"token": token, "service": service}), 422, "HCODE_REQUIRED")["field"] == "hcode"
    refused(post(client, path, {"token": token, "service": service, "hcode": other["unit"].hcode}), 403, "FORBIDDEN")
    response = post(client, path, {"token": token, "service": service, "hcode": counter["hcode"]})
    assert response.status_code == 201, response.content
    visit = Visit.objects.get()
    assert visit.verified_by.username == visit.verified_by_label != ""


def test_no_key_no_visit(client, counter):
    response = client.post("/api/v1/visits/rights-qr", {"token": "x"}, content_type="application/json")
    refused(response, 401, "AUTH_REQUIRED")
    refused(client.post("/api/v1/visits/rights-qr", "{", content_type="application/json", **counter["auth"]), 400,
            "INVALID_JSON")


# --- reading and closing a visit -------------------------------------------------------------------------------


@pytest.fixture
def opened(client, counter):
    response = redeem(client, counter, rights_qr_issue(citizen=counter["citizen"]).token,
                      service=counter["service"].code)
    assert response.status_code == 201
    return response.json()


def test_a_unit_reads_its_own_visit_and_no_other(client, counter, other, opened):
    response = client.get(f"/api/v1/visits/{opened['authen_code'].lower()}", **counter["auth"])
    assert response.status_code == 200 and response.json() == opened
    refused(client.get(f"/api/v1/visits/{opened['authen_code']}", **other["auth"]), 404, "VISIT_NOT_FOUND")
    refused(client.get("/api/v1/visits/PP0000000000", **counter["auth"]), 404, "VISIT_NOT_FOUND")
    client.force_login(StaffMembershipFactory(unit=other["unit"]).user)
    refused(client.get(f"/api/v1/visits/{opened['authen_code']}"), 404, "VISIT_NOT_FOUND")
    client.force_login(make_officer())
    assert client.get(f"/api/v1/visits/{opened['authen_code']}").json()["authen_code"] == opened["authen_code"]


def test_closing_without_service_frees_the_person_for_another_unit(client, counter, other, opened):
    path = f"/api/v1/visits/{opened['authen_code']}/close"
    assert refused(post(client, path, {"reason": "  "}, **counter["auth"]), 422, "INVALID_INPUT")["field"] == "reason"
    refused(post(client, path, {"reason": "x" * 201}, **counter["auth"]), 422, "INVALID_INPUT")
    refused(post(client, path, {}, **counter["auth"]), 422, "INVALID_INPUT")
    refused(post(client, path, {"reason": "ไม่ได้รับยา"}, **other["auth"]), 404, "VISIT_NOT_FOUND")
    response = post(client, path, {"reason": "ผู้รับบริการเปลี่ยนใจ"}, **counter["auth"])
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["close_reason"], body["authen_code"]) == ("no_service", "ผู้รับบริการเปลี่ยนใจ",
                                                                          opened["authen_code"])
    assert body["closed_at"] is not None
    assert AuditEntry.objects.filter(action="visit.close", actor_label__startswith="api:rk_").count() == 1
    refused(post(client, path, {"reason": "อีกครั้ง"}, **counter["auth"]), 409, "VISIT_NOT_OPEN")
    token = rights_qr_issue(citizen=counter["citizen"]).token
    response = post(client, "/api/v1/visits/rights-qr", {"token": token, "service": counter["service"].code},
                    **other["auth"])
    assert response.status_code == 201 and response.json()["hcode"] == other["unit"].hcode


# --- authen status ---------------------------------------------------------------------------------------------


def test_authen_status_shows_the_open_visit_and_the_days_visits(client, counter, other, opened):
    ask = {"national_id": counter["national_id"]}
    mine = post(client, "/api/v1/authen-status", ask, **counter["auth"])
    assert mine.status_code == 200, mine.content
    body = mine.json()
    assert (body["has_open_visit"], body["open_at_unit"], body["day"]) == (True, counter["unit"].name,
                                                                          service_day().isoformat())
    assert [(v["unit_hcode"], v["authen_code"], v["method"], v["status"]) for v in body["visits"]] == [
        (counter["hcode"], opened["authen_code"], "rights_qr", "open")]
    theirs = post(client, "/api/v1/authen-status", ask, **other["auth"]).json()
    assert theirs["has_open_visit"] and theirs["visits"][0]["authen_code"] is None  # another unit's code stays hidden
    yesterday = (service_day() - dt.timedelta(days=1)).isoformat()
    earlier = post(client, "/api/v1/authen-status", {**ask, "on": yesterday}, **counter["auth"]).json()
    assert earlier["visits"] == [] and earlier["has_open_visit"] and earlier["day"] == yesterday


def test_authen_status_refuses_a_national_id_in_the_url_and_bad_input(client, counter):
    response = client.get(f"/api/v1/authen-status?national_id={counter['national_id']}", **counter["auth"])
    refused(response, 405, "METHOD_NOT_ALLOWED")
    refused(post(client, "/api/v1/authen-status", {"national_id": "1234567890123"}, **counter["auth"]), 422,
            "INVALID_NATIONAL_ID")
    refused(post(client, "/api/v1/authen-status", {"national_id": "1234567890121"}, **counter["auth"]), 404,
            "CITIZEN_NOT_FOUND")
    refused(post(client, "/api/v1/authen-status", {"national_id": counter["national_id"], "on": "2026-02-30"},
                 **counter["auth"]), 422, "INVALID_DATE")
    nobody = post(client, "/api/v1/authen-status", {"national_id": counter["national_id"]}, **counter["auth"]).json()
    assert nobody["has_open_visit"] is False and nobody["open_at_unit"] is None and nobody["visits"] == []
