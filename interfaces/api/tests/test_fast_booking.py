"""The fast lane for API-key bookings answers exactly as the django-ninja endpoint does.

Each case is sent twice over WSGI, once to ``config.wsgi.application`` (the lane in front of Django)
and once to Django alone, with the same conditions (a fresh citizen each time), and the answers must
match: status, JSON body (but the new booking's reference) and headers.
"""

import io
import json

import pytest

from config.wsgi import application, django_application
from interfaces.api import fast_booking
from interfaces.api.tests.helpers import make_api_unit, open_all_day
from raksa.booking.models import Booking, Slot
from raksa.people.models import Scheme
from raksa.testing.factories import (
    CitizenFactory,
    CoverageFactory,
    UnitFactory,
    UnitServiceFactory,
    make_national_id,
)
from raksa.units.models import UnitStatus
from raksa.units.services import unit_api_key_revoke

# The lane commits like production (no test transaction around a WSGI call), so: transactional_db.
pytestmark = pytest.mark.django_db(transaction=True)
# Only the full path's LocaleMiddleware adds these; the JSON carries both languages, so they do not apply.
LANGUAGE_HEADERS = {"Vary", "Content-Language"}


def call(app, body: bytes | dict, key: str | None, method: str = "POST", **extra) -> tuple[int, dict, dict]:
    """Send ``body`` with ``Authorization: Bearer <key>`` (no header when ``key`` is None; any other header
    value as ``HTTP_AUTHORIZATION=`` in ``extra``)."""
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    if key is not None:
        extra = {"HTTP_AUTHORIZATION": f"Bearer {key}", **extra}
    environ = {"REQUEST_METHOD": method, "PATH_INFO": "/api/v1/bookings", "SCRIPT_NAME": "", "QUERY_STRING": "",
               "SERVER_NAME": "testserver", "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1",
               "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(raw), "wsgi.errors": io.StringIO(),
               "CONTENT_LENGTH": str(len(raw)), "CONTENT_TYPE": "application/json",
               "HTTP_HOST": "testserver", "REMOTE_ADDR": "127.0.0.1", **extra}
    seen = {}

    def start_response(status, headers, exc_info=None):
        seen["status"], seen["headers"] = int(status.split()[0]), dict(headers)

    content = b"".join(application(environ, start_response) if app == "lane" else
                       django_application(environ, start_response))
    is_json = seen["headers"].get("Content-Type", "").startswith("application/json")
    return seen["status"], json.loads(content) if content and is_json else {}, seen["headers"]


@pytest.fixture
def world():
    data = make_api_unit()
    other_unit = UnitFactory()
    UnitServiceFactory(unit=other_unit, service=data["service"])
    open_all_day(other_unit, data["service"])
    return {**data, "other_slot": Slot.objects.filter(unit=other_unit, day=data["tomorrow"]).first()}


def citizen(scheme: str = Scheme.UCS) -> str:
    national_id = make_national_id()
    CoverageFactory(citizen=CitizenFactory(national_id=national_id), scheme=scheme)
    return national_id


@pytest.fixture
def lane_calls(monkeypatch):
    calls = []
    real = fast_booking._book
    monkeypatch.setattr(fast_booking, "_book", lambda *a: calls.append(a) or real(*a))
    return calls


def test_the_lane_and_django_ninja_give_the_same_answers(world, lane_calls):
    slots = world["slots"]
    # slot 1 is full for everyone; slot 2 holds one citizen's booking (for ALREADY_BOOKED)
    for app in ("lane", "django"):
        assert call(app, {"national_id": citizen(), "slot_id": slots[1].pk}, world["key"])[0] in (201, 409)
    taken = citizen()
    assert call("django", {"national_id": taken, "slot_id": slots[2].pk}, world["key"])[0] == 201
    lane_calls.clear()
    cases = {
        "booked": lambda i: {"national_id": citizen(), "slot_id": slots[3 + i].pk},
        "SLOT_FULL": lambda i: {"national_id": citizen(), "slot_id": slots[1].pk},
        "NOT_ELIGIBLE": lambda i: {"national_id": citizen(Scheme.SSS), "slot_id": slots[5 + i].pk},
        "ALREADY_BOOKED": lambda i: {"national_id": taken, "slot_id": slots[7 + i].pk},
        "CITIZEN_NOT_FOUND": lambda i: {"national_id": make_national_id(), "slot_id": slots[9].pk},
        "INVALID_NATIONAL_ID": lambda i: {"national_id": "1234567890123", "slot_id": slots[9].pk},
        "SLOT_NOT_FOUND": lambda i: {"national_id": citizen(), "slot_id": 10**9},
        "FORBIDDEN": lambda i: {"national_id": citizen(), "slot_id": world["other_slot"].pk},
    }
    for name, body in cases.items():
        lane = call("lane", body(0), world["key"])
        full = call("django", body(1), world["key"])
        assert lane[0] == full[0], (name, lane, full)
        if name == "booked":
            assert lane[0] == 201
            assert lane[1].pop("reference") != full[1].pop("reference")
            assert lane[1].pop("local_time") != full[1].pop("local_time")  # two different slots
            assert lane[1].pop("starts_at") != full[1].pop("starts_at")
            assert lane[1].pop("expires_at")[:16] == full[1].pop("expires_at")[:16]
        else:
            assert lane[1]["code"] == name
        assert lane[1] == full[1], name
        assert {k: v for k, v in lane[2].items() if k not in {"X-Request-ID", "Content-Length", *LANGUAGE_HEADERS}} == \
            {k: v for k, v in full[2].items() if k not in {"X-Request-ID", "Content-Length", *LANGUAGE_HEADERS}}, name
    assert len(lane_calls) == len(cases)  # every case went down the lane


def test_the_lane_records_the_request_id_in_the_audit_row(world):
    from raksa.audit.models import AuditEntry

    status, body, headers = call("lane", {"national_id": citizen(), "slot_id": world["slots"][0].pk}, world["key"],
                                 HTTP_X_REQUEST_ID="pharmacy-req-0001")
    assert status == 201 and headers["X-Request-ID"] == "pharmacy-req-0001"
    booking = Booking.objects.get(reference=body["reference"])
    assert AuditEntry.objects.get(action="booking.create", object_id=str(booking.pk)).request_id == "pharmacy-req-0001"


@pytest.mark.parametrize("body,status,code", [
    (b"{not json", 400, "INVALID_JSON"), ({"national_id": 1234, "slot_id": 1}, 422, "INVALID_INPUT"),
    ({"slot_id": 1}, 422, "INVALID_INPUT"), (b"[]", 422, "INVALID_INPUT"), (b"", 400, "INVALID_JSON"),
    (b"  ", 400, "INVALID_JSON"),
])
def test_what_the_lane_does_not_take_django_ninja_answers(world, lane_calls, body, status, code):
    lane, full = call("lane", body, world["key"]), call("django", body, world["key"])
    assert lane[0] == full[0] == status and lane[1] == full[1] and lane[1]["code"] == code
    assert lane_calls == []


def test_a_numeric_string_slot_is_coerced_by_the_full_path_as_before(world, lane_calls):
    status, body, _ = call("lane", {"national_id": citizen(), "slot_id": str(world["slots"][0].pk)}, world["key"])
    assert status == 201 and lane_calls == []


def _same_answer(lane, full) -> bool:
    ignore = {"X-Request-ID", "Content-Length", *LANGUAGE_HEADERS}
    return (lane[0], lane[1]) == (full[0], full[1]) and \
        {k: v for k, v in lane[2].items() if k not in ignore} == {k: v for k, v in full[2].items() if k not in ignore}


@pytest.mark.parametrize("authorization,code", [
    (None, "AUTH_REQUIRED"), ("", "AUTH_REQUIRED"),
    ("Bearer rk_not-a-key", "INVALID_API_KEY"), ("Bearer not-a-key", "INVALID_API_KEY"), ("Bearer ", "INVALID_API_KEY"),
    ("Bearer  rk_double-space", "INVALID_API_KEY"), ("bearer rk_lower-case", "INVALID_API_KEY"),
    ("Token rk_other-scheme", "INVALID_API_KEY"), ("Basic dXNlcjpwYXNz", "INVALID_API_KEY"),
])
def test_requests_without_a_live_key_get_the_same_401_both_ways(world, lane_calls, authorization, code):
    """No credentials: AUTH_REQUIRED, never CSRF_FAILED (no session, so no page to reload); anything in the
    header that is not a live key: INVALID_API_KEY. The lane leaves both to django-ninja."""
    extra = {} if authorization is None else {"HTTP_AUTHORIZATION": authorization}
    body = {"national_id": citizen(), "slot_id": world["slots"][0].pk}
    lane, full = call("lane", body, None, **extra), call("django", body, None, **extra)
    assert lane[0] == 401 and lane[1]["code"] == code and _same_answer(lane, full), (lane, full)
    assert "Authorization: Bearer rk_" in lane[1]["message_en"] and "Authorization: Bearer rk_" in lane[1]["message"]
    assert Booking.objects.count() == 0 and lane_calls == []


def test_unknown_and_revoked_keys_are_refused_by_the_full_path(world, lane_calls):
    body = {"national_id": citizen(), "slot_id": world["slots"][0].pk}
    assert call("lane", body, "rk_not-a-key")[1]["code"] == "INVALID_API_KEY"
    assert call("lane", body, world["key"])[0] == 201  # the key is now remembered as live…
    unit_api_key_revoke(actor=None, api_key=world["api_key"])
    body = {"national_id": citizen(), "slot_id": world["slots"][1].pk}
    lane, full = call("lane", body, world["key"]), call("django", body, world["key"])  # …and forgotten when revoked
    assert lane[0] == 401 and lane[1]["code"] == "INVALID_API_KEY" and _same_answer(lane, full)
    assert Booking.objects.count() == 1 and len(lane_calls) == 1


def test_a_suspended_unit_cannot_book_through_the_lane(world):
    world["unit"].status = UnitStatus.SUSPENDED
    world["unit"].save(update_fields=["status"])
    status, body, _ = call("lane", {"national_id": citizen(), "slot_id": world["slots"][0].pk}, world["key"])
    assert status == 409 and body["code"] == "NOT_ELIGIBLE" and "UNIT_SUSPENDED" in body["reasons"]


def test_plain_http_goes_to_django_when_https_is_required(world, lane_calls, settings):
    settings.SECURE_SSL_REDIRECT = True  # (Django's SecurityMiddleware read it at start-up, so it won't redirect here)
    call("lane", {"national_id": citizen(), "slot_id": world["slots"][0].pk}, world["key"])
    assert lane_calls == []
    settings.SECURE_HSTS_SECONDS = 3600
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    status, _, headers = call("lane", {"national_id": citizen(), "slot_id": world["slots"][1].pk}, world["key"],
                              HTTP_X_FORWARDED_PROTO="https")
    assert status == 201 and headers["Strict-Transport-Security"] == "max-age=3600" and len(lane_calls) == 1


def test_a_host_django_would_refuse_goes_to_django(world, lane_calls):
    status, _, _ = call("lane", {"national_id": citizen(), "slot_id": world["slots"][0].pk}, world["key"],
                        HTTP_HOST="evil.example")
    assert status == 400 and lane_calls == [] and Booking.objects.count() == 0


@pytest.mark.parametrize("slot_id", [10**20, 0, -5])
def test_slot_ids_no_slot_can_have_go_to_django_and_book_nothing(world, lane_calls, slot_id):
    status, body, _ = call("lane", {"national_id": citizen(), "slot_id": slot_id}, world["key"])
    assert lane_calls == [] and Booking.objects.count() == 0
    assert status in (404, 422) and body["code"] in ("SLOT_NOT_FOUND", "INVALID_INPUT")


def test_no_request_waits_for_its_batch_holding_a_database_connection(world, monkeypatch):
    """Threads waiting for their batch must not hold pooled connections the batch's leader needs
    (64 threads on a pool of 16 stalled until the pool's timeout)."""
    from django.db import connection

    from raksa.units import selectors

    selectors._live_keys.clear()  # so that the key is looked up in the database
    held_while_waiting = []
    real_submit = fast_booking._group_commit.submit

    def submit(item):
        held_while_waiting.append(connection.connection is not None)
        return real_submit(item)

    monkeypatch.setattr(fast_booking._group_commit, "submit", submit)
    status, _, _ = call("lane", {"national_id": citizen(), "slot_id": world["slots"][0].pk}, world["key"])
    assert status == 201 and held_while_waiting == [False]
    assert connection.connection is None  # the batch's connection went back before the answer


def test_a_failure_giving_back_the_batch_connection_does_not_hide_the_booking(world, monkeypatch):
    from django.db import close_old_connections

    calls = []

    def close_then_fail_after_the_batch():
        calls.append(1)
        close_old_connections()
        if len(calls) == 2:  # the first call follows the key lookup, the second the batch
            raise RuntimeError("pool gone")

    monkeypatch.setattr(fast_booking, "close_old_connections", close_then_fail_after_the_batch)
    status, body, _ = call("lane", {"national_id": citizen(), "slot_id": world["slots"][0].pk}, world["key"])
    assert len(calls) == 2 and status == 201 and Booking.objects.filter(reference=body["reference"]).exists()
