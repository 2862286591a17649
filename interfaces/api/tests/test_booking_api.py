import datetime as dt

import pytest
from django.utils import timezone

from interfaces.api.tests.helpers import make_api_unit
from raksa.booking.models import Booking, BookingChannel, Slot
from raksa.booking.queue import ticket_issue_walk_in
from raksa.core.timeutil import BANGKOK, service_day
from raksa.testing.factories import CitizenFactory, CoverageFactory, UnitFactory, make_national_id
from raksa.units.services import unit_api_key_issue, unit_api_key_revoke

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    data = make_api_unit()
    return {**data, "auth": {"HTTP_AUTHORIZATION": f"Bearer {data['key']}"}}


def post(client, path, data, **headers):
    return client.post(path, data, content_type="application/json", **headers)


def test_free_slots_are_public_and_in_bangkok_time(client, setup):
    body = client.get(f"/api/v1/units/{setup['unit'].hcode}/slots",
                      {"service": setup["service"].code, "day": setup["tomorrow"].isoformat()}).json()
    assert len(body) == 24
    assert body[0]["local_time"] == "00:00" and body[0]["day"] == setup["tomorrow"].isoformat()
    assert dt.datetime.fromisoformat(body[0]["starts_at"]).astimezone(BANGKOK).date() == setup["tomorrow"]


def test_book_cancel_reschedule_with_a_unit_key(client, setup):
    first, second = setup["slots"][:2]
    response = post(client, "/api/v1/bookings", {"national_id": setup["national_id"], "slot_id": first.pk},
                    **setup["auth"])
    assert response.status_code == 201, response.content
    booking = response.json()
    assert booking["status"] == "awaiting_citizen" and booking["expires_at"]
    ref = booking["reference"]
    assert Booking.objects.get(reference=ref).channel == BookingChannel.API  # the unit's software, not its counter
    moved = post(client, f"/api/v1/bookings/{ref}/reschedule", {"slot_id": second.pk}, **setup["auth"]).json()
    assert moved["local_time"] == "01:00" and moved["reference"] == ref
    assert (Slot.objects.get(pk=first.pk).booked, Slot.objects.get(pk=second.pk).booked) == (0, 1)
    assert post(client, f"/api/v1/bookings/{ref}/cancel", {}, **setup["auth"]).json()["status"] == "cancelled"
    again = post(client, f"/api/v1/bookings/{ref}/cancel", {}, **setup["auth"])
    assert again.status_code == 409 and again.json()["code"] == "BOOKING_NOT_ACTIVE"


def test_conflicts_are_409_with_stable_codes(client, setup):
    slot = setup["slots"][0]
    assert post(client, "/api/v1/bookings", {"national_id": setup["national_id"], "slot_id": slot.pk},
                **setup["auth"]).status_code == 201
    ucs_id, ofc_id = make_national_id(), make_national_id()
    CoverageFactory(citizen=CitizenFactory(national_id=ucs_id))
    CoverageFactory(citizen=CitizenFactory(national_id=ofc_id), scheme="OFC")
    full = post(client, "/api/v1/bookings", {"national_id": ucs_id, "slot_id": slot.pk}, **setup["auth"])
    assert full.status_code == 409 and full.json()["code"] == "SLOT_FULL"
    not_eligible = post(client, "/api/v1/bookings", {"national_id": ofc_id, "slot_id": setup["slots"][3].pk},
                        **setup["auth"])
    assert not_eligible.status_code == 409
    assert not_eligible.json()["code"] == "NOT_ELIGIBLE" and not_eligible.json()["reasons"] == ["NOT_UCS"]
    twice = post(client, "/api/v1/bookings", {"national_id": setup["national_id"], "slot_id": setup["slots"][2].pk},
                 **setup["auth"])
    assert twice.status_code == 409 and twice.json()["code"] == "ALREADY_BOOKED"
    assert twice.json()["message"] and twice.json()["message_en"]


@pytest.mark.parametrize("payload,code", [({"national_id": "123"}, "INVALID_NATIONAL_ID"),
                                          ({"slot_id": "abc"}, "INVALID_INPUT"),
                                          ({"slot_id": 999999999}, "SLOT_NOT_FOUND")])
def test_bad_input_is_refused_and_books_nothing(client, setup, payload, code):
    body = {"national_id": setup["national_id"], "slot_id": setup["slots"][0].pk, **payload}
    response = post(client, "/api/v1/bookings", body, **setup["auth"])
    assert response.status_code in (404, 422) and response.json()["code"] == code
    assert Booking.objects.count() == 0


def test_keys_act_only_for_their_unit_and_can_be_revoked(client, setup):
    other_key, other = unit_api_key_issue(actor=None, unit=UnitFactory(), label="x")
    response = post(client, "/api/v1/bookings", {"national_id": setup["national_id"],
                                                 "slot_id": setup["slots"][0].pk},
                    HTTP_AUTHORIZATION=f"Bearer {other_key}")
    assert response.status_code == 403 and response.json()["code"] == "FORBIDDEN"
    unit_api_key_revoke(actor=None, api_key=other)
    assert client.get("/api/v1/units/00000/queue", HTTP_AUTHORIZATION=f"Bearer {other_key}").status_code == 401
    assert Booking.objects.count() == 0


def test_todays_queue_uses_the_bangkok_day(client, setup):
    ticket_issue_walk_in(actor=None, unit=setup["unit"], now=timezone.now())
    body = client.get(f"/api/v1/units/{setup['unit'].hcode}/queue", **setup["auth"]).json()
    assert body["day"] == service_day().isoformat()
    assert [t["label"] for t in body["waiting"]] == ["A-001"]


def test_waitlist_for_a_full_slot_only(client, setup):
    slot = setup["slots"][0]
    body = {"national_id": setup["national_id"], "slot_id": slot.pk}
    not_full = post(client, "/api/v1/waitlist", body, **setup["auth"])
    assert not_full.status_code == 409 and not_full.json()["code"] == "SLOT_NOT_FULL"
    other_id = make_national_id()
    CoverageFactory(citizen=CitizenFactory(national_id=other_id))
    assert post(client, "/api/v1/bookings", {"national_id": other_id, "slot_id": slot.pk},
                **setup["auth"]).status_code == 201
    joined = post(client, "/api/v1/waitlist", body, **setup["auth"])
    assert joined.status_code == 201 and joined.json() == {"slot_id": slot.pk, "status": "waiting", "position": 1}
    again = post(client, "/api/v1/waitlist", body, **setup["auth"])
    assert again.status_code == 409 and again.json()["code"] == "ALREADY_WAITING"
