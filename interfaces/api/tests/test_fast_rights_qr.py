"""The fast lane for API-key rights-QR redemptions answers exactly as the django-ninja endpoint does.

Each case is sent over WSGI once to ``config.wsgi.application`` (the lanes in front of Django) and once to Django
alone, each with a fresh booked citizen and code, and the answers must match: status, JSON body (but the new
visit's authen code, booking reference and time) and headers. The lane serves the common case itself (checked:
the full path's view is not called), and hands everything else to the full path.
"""

import datetime as dt
import io
import json
from collections import Counter

import pytest
from django.utils import timezone

from config.wsgi import application, django_application
from interfaces.api import fast_rights_qr
from interfaces.api import visits as visits_view
from interfaces.api.tests.helpers import make_api_unit
from raksa.booking.models import QueueTicket, Slot
from raksa.booking.services import booking_create
from raksa.core.timeutil import service_day
from raksa.testing.factories import CitizenFactory, CoverageFactory
from raksa.testing.races import race
from raksa.units.models import UnitStatus
from raksa.units.services import unit_api_key_revoke
from raksa.verification import rights_qr_batch
from raksa.verification.models import Visit
from raksa.verification.services import rights_qr_issue

# The lane commits like production (no test transaction around a WSGI call), so: transactional_db.
pytestmark = pytest.mark.django_db(transaction=True)
PATH = "/api/v1/visits/rights-qr"
LANGUAGE_HEADERS = {"Vary", "Content-Language"}  # only the full path's LocaleMiddleware adds these
NEW = ("authen_code", "booking", "opened_at", "ticket")  # differ from one visit to the next


def call(app, body: bytes | dict, key: str | None, **extra) -> tuple[int, dict, dict]:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    if key is not None:
        extra = {"HTTP_AUTHORIZATION": f"Bearer {key}", **extra}
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": PATH, "SCRIPT_NAME": "", "QUERY_STRING": "",
               "SERVER_NAME": "testserver", "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1",
               "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(raw), "wsgi.errors": io.StringIO(),
               "CONTENT_LENGTH": str(len(raw)), "CONTENT_TYPE": "application/json",
               "HTTP_HOST": "testserver", "REMOTE_ADDR": "127.0.0.1", **extra}
    seen = {}

    def start_response(status, headers, exc_info=None):
        seen["status"], seen["headers"] = int(status.split()[0]), dict(headers)

    content = b"".join(application(environ, start_response) if app == "lane" else
                       django_application(environ, start_response))
    return seen["status"], json.loads(content) if content else {}, seen["headers"]


@pytest.fixture
def world(bangkok_morning):
    return make_api_unit()


def booked_code(world, *, booked: bool = True) -> str:
    """A fresh citizen with a booking later today at the world's unit (or none: a walk-in's code), and their code."""
    citizen = CitizenFactory()
    CoverageFactory(citizen=citizen)
    if booked:
        slot = Slot.objects.filter(unit=world["unit"], day=service_day(), starts_at__gt=timezone.now()).last()
        Slot.objects.filter(pk=slot.pk).update(capacity=100)
        booking_create(actor=None, citizen=citizen, slot_id=slot.pk)
    return rights_qr_issue(citizen=citizen).token


def both(world, make_body, key=None, **extra):
    """The same kind of request down both ways; (lane's answer, full path's answer)."""
    key = world["key"] if key is None else key
    return (call("lane", make_body(), key, **extra), call("django", make_body(), key, **extra))


def same(lane, full, *, new=()):
    (s1, b1, h1), (s2, b2, h2) = lane, full
    assert s1 == s2, (lane, full)
    assert {k: v for k, v in b1.items() if k not in new} == {k: v for k, v in b2.items() if k not in new}
    drop = LANGUAGE_HEADERS | {"X-Request-ID", "Content-Length"}
    assert {k: v for k, v in h1.items() if k not in drop} == {k: v for k, v in h2.items() if k not in drop}


def test_the_lane_redeems_a_booked_code_as_the_full_path_does(world, monkeypatch):
    full = call("django", {"token": booked_code(world)}, world["key"])

    def not_here(**kwargs):
        raise AssertionError("the lane should have answered without the full path")

    monkeypatch.setattr(visits_view, "visit_open_by_rights_qr", not_here)
    lane = call("lane", {"token": booked_code(world)}, world["key"])
    assert lane[0] == 201, lane
    same(lane, full, new=NEW)
    assert lane[1]["ticket"] == "B-002" and full[1]["ticket"] == "B-001"
    assert lane[1]["booking"] != full[1]["booking"] and lane[1]["authen_code"] != full[1]["authen_code"]
    visit = Visit.objects.get(authen_code=lane[1]["authen_code"])
    assert visit.verified_by_label == f"api:{world['api_key'].prefix}"
    # the moment written as django-ninja writes it (UTC, to the millisecond)
    assert lane[1]["opened_at"].endswith("Z") and len(lane[1]["opened_at"]) == len(full[1]["opened_at"])
    assert abs(dt.datetime.fromisoformat(lane[1]["opened_at"]) - visit.opened_at) < dt.timedelta(milliseconds=1)


@pytest.mark.parametrize("case", ["walk-in without service", "used", "tampered", "with service", "extra field",
                                  "not a string", "not json", "suspended unit", "revoked key", "nul"])
def test_everything_else_is_answered_by_the_full_path(world, case):
    key = world["key"]
    if case == "walk-in without service":
        def body():
            return {"token": booked_code(world, booked=False)}
    elif case == "used":
        def body():
            token = booked_code(world)
            assert call("lane", {"token": token}, key)[0] == 201
            return {"token": token}
    elif case == "tampered":
        def body():
            token = booked_code(world)  # its last character carries 4 bits and 2 zero bits: change the 4
            return {"token": token[:-1] + ("Q" if token[-1] in "ABCD" else "A")}
    elif case == "with service":
        def body():
            return {"token": booked_code(world, booked=False), "service": world["service"].code}
    elif case == "extra field":
        def body():
            return {"token": booked_code(world), "hcode": "99999"}
    elif case == "not a string":
        def body():
            return {"token": 12345}
    elif case == "not json":
        def body():
            return b'{"token": '
    elif case == "suspended unit":
        def body():
            world["unit"].status = UnitStatus.VERIFIED  # booked while it was verified, scanned once suspended
            world["unit"].save(update_fields=["status"])
            token = booked_code(world)
            world["unit"].status = UnitStatus.SUSPENDED
            world["unit"].save(update_fields=["status"])
            return {"token": token}
    elif case == "revoked key":
        unit_api_key_revoke(actor=None, api_key=world["api_key"])

        def body():
            return {"token": "RQ1." + "A" * 43}
    else:
        def body():
            return b'{"token": "RQ1.\\u0000"}'
    lane, full = both(world, body)
    assert lane[0] >= 400 or case == "with service", lane
    same(lane, full, new=NEW)


def test_a_hundred_concurrent_scans_of_one_code_open_one_visit(world, monkeypatch):
    """Each scan its own thread and PostgreSQL connection: those arriving together share a batch (the person's
    first request in it is written, the others go the ordinary way after it) and every other answer is QR_USED."""
    token = booked_code(world)
    batches = []

    def recorded(*, requests):
        batches.append(len(requests))
        return rights_qr_batch.visits_open_by_booked_rights_qr(requests=requests)

    monkeypatch.setattr(fast_rights_qr, "visits_open_by_booked_rights_qr", recorded)
    results = race([lambda: call("lane", {"token": token}, world["key"])[:2]] * 100)
    assert not [r for r in results if isinstance(r, Exception)], results[:3]
    statuses = Counter((status, body.get("code")) for status, body in results)
    assert statuses == {(201, None): 1, (409, "QR_USED"): 99}, statuses
    assert Visit.objects.count() == 1 and QueueTicket.objects.count() == 1
    assert max(batches) > 1, batches  # the scans did meet in batches


def test_no_scan_waits_for_its_batch_holding_a_database_connection(world, monkeypatch):
    from django.db import connection

    from raksa.units import selectors

    selectors._live_keys.clear()  # so that the key is looked up in the database
    held_while_waiting = []
    real_submit = fast_rights_qr._group_commit.submit

    def submit(item):
        held_while_waiting.append(connection.connection is not None)
        return real_submit(item)

    monkeypatch.setattr(fast_rights_qr._group_commit, "submit", submit)
    status, _, _ = call("lane", {"token": booked_code(world)}, world["key"])
    assert status == 201 and held_while_waiting == [False]
    assert connection.connection is None  # the batch's connection went back before the answer
