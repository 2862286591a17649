"""What people and API clients get while the database is down (raksa.core.db_outage): 503 at once, JSON
under /api/ and in the booking fast lane, a page in Thai and English elsewhere, always with Retry-After.
test_database_outage_live.py stops a real PostgreSQL under load; these check each answer in-process."""

import io
import json
import logging
import time

import psycopg
import pytest
from django.db import OperationalError
from django.templatetags.static import static

from config.wsgi import application
from interfaces.api.tests.helpers import make_api_unit
from raksa.core import db_outage
from raksa.core.tests.test_db_outage import Probe, wrapped
from raksa.testing.factories import make_officer

EXPECTED = {"code": "DATABASE_UNAVAILABLE", "message": "ฐานข้อมูลขัดข้องชั่วคราว กรุณาลองใหม่อีกครั้งในอีกสักครู่",
            "message_en": "The database is unavailable for a moment. Please try again shortly.", "field": None}


@pytest.fixture
def down(monkeypatch):
    """The database marked down, with a probe that keeps failing (conftest's autouse fixture brings it up)."""
    monkeypatch.setattr(db_outage.breaker, "_probe", Probe())
    db_outage.breaker.trip("test")


def lost_connection(*args, **kwargs):
    raise wrapped(psycopg.OperationalError("consuming input failed: server closed the connection unexpectedly"))


@pytest.mark.django_db
def test_the_api_answers_503_json_with_retry_after_at_once(client, down, django_assert_num_queries, caplog):
    with django_assert_num_queries(0), caplog.at_level(logging.ERROR, logger="django.request"):
        started = time.monotonic()
        response = client.get("/api/v1/units/10001")
        booking = client.post("/api/v1/bookings", {"national_id": "x", "slot_id": 1}, content_type="application/json",
                              HTTP_AUTHORIZATION="Bearer rk_whatever")
    assert time.monotonic() - started < 1.0
    for answer in (response, booking):
        assert answer.status_code == 503
        assert answer["Content-Type"] == "application/json; charset=utf-8"
        assert answer.json() == EXPECTED
        assert answer["Retry-After"] == str(db_outage.RETRY_AFTER_SECONDS)
        assert answer["Cache-Control"] == "no-store"
    assert not caplog.records  # one line per request in raksa.request, not an error with each


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_pages_for_people_answer_a_503_page_in_thai_and_english(client, down, method):
    response = getattr(client, method)("/portal/")
    assert response.status_code == 503
    assert response["Retry-After"] == str(db_outage.RETRY_AFTER_SECONDS)
    page = response.content.decode()
    assert '<html lang="th">' in page
    assert "กรุณาลองใหม่อีกครั้งในอีกสักครู่" in page and "ขณะนี้ระบบติดต่อฐานข้อมูลไม่ได้" in page
    assert 'lang="en"' in page and "Please try again shortly" in page
    if method == "get":  # a link to try the same page again; a form sent is not sent again by a link
        assert 'href="/portal/"' in page and "ลองอีกครั้ง" in page
    else:
        assert "ลองอีกครั้ง" not in page and "โปรดตรวจสอบว่าข้อมูลถูกบันทึกแล้ว" in page


@pytest.mark.django_db
def test_the_back_office_gets_the_page_too(client, down):
    response = client.get("/backoffice/")
    assert response.status_code == 503 and "Please try again shortly" in response.content.decode()


def test_static_files_are_still_served(client, down):
    response = client.get(static("portal/portal.css"))
    assert response.status_code == 200


@pytest.mark.django_db
def test_healthz_answers_503_at_once_without_the_database(client, down, django_assert_num_queries):
    started = time.monotonic()
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert time.monotonic() - started < 1.0
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unreachable", "detail": "DatabaseUnavailable"}
    assert response["Retry-After"] == str(db_outage.RETRY_AFTER_SECONDS)


@pytest.mark.django_db(transaction=True)
def test_the_fast_lane_gives_the_same_answer(monkeypatch):
    data = make_api_unit()
    monkeypatch.setattr(db_outage.breaker, "_probe", Probe())
    db_outage.breaker.trip("test")  # after the data: while down nothing connects
    raw = json.dumps({"national_id": data["national_id"], "slot_id": data["slots"][0].pk}).encode()
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/api/v1/bookings", "SCRIPT_NAME": "", "QUERY_STRING": "",
               "SERVER_NAME": "testserver", "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1",
               "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(raw), "wsgi.errors": io.StringIO(),
               "CONTENT_LENGTH": str(len(raw)), "CONTENT_TYPE": "application/json", "HTTP_HOST": "testserver",
               "REMOTE_ADDR": "127.0.0.1", "HTTP_AUTHORIZATION": f"Bearer {data['key']}"}
    seen = {}

    def start_response(status, headers, exc_info=None):
        seen["status"], seen["headers"] = status, dict(headers)

    from interfaces.api import fast_booking

    calls = []
    real = fast_booking._unit_for_key
    fast_booking._unit_for_key = lambda key: calls.append(key) or real(key)
    try:
        body = b"".join(application(environ, start_response))
    finally:
        fast_booking._unit_for_key = real
    assert not calls  # answered before looking the key up: the lane did not touch the database
    assert seen["status"] == "503 Service Unavailable"
    assert seen["headers"]["Content-Type"] == "application/json; charset=utf-8"
    assert seen["headers"]["Retry-After"] == str(db_outage.RETRY_AFTER_SECONDS)
    assert json.loads(body) == EXPECTED


@pytest.mark.django_db
def test_an_api_operation_that_loses_its_connection_answers_503_and_trips_the_breaker(client, monkeypatch):
    monkeypatch.setattr(db_outage.breaker, "_probe", Probe())
    monkeypatch.setattr("interfaces.api.urls.unit_get_by_hcode", lost_connection)
    response = client.get("/api/v1/units/10001")
    assert response.status_code == 503 and response.json() == EXPECTED
    assert response["Retry-After"] == str(db_outage.RETRY_AFTER_SECONDS)
    assert db_outage.is_down()


@pytest.mark.django_db
def test_a_page_that_loses_its_connection_answers_the_503_page(client, monkeypatch):
    monkeypatch.setattr(db_outage.breaker, "_probe", Probe())
    client.force_login(make_officer())
    monkeypatch.setattr("django.contrib.admin.sites.AdminSite.each_context", lost_connection)
    response = client.get("/backoffice/")
    assert response.status_code == 503 and "Please try again shortly" in response.content.decode()
    assert db_outage.is_down()


@pytest.mark.django_db
def test_a_database_error_that_is_not_an_outage_is_not_a_503(client, monkeypatch):
    def deadlock(*args, **kwargs):
        raise wrapped(psycopg.errors.DeadlockDetected("deadlock detected"))

    monkeypatch.setattr("interfaces.api.urls.unit_get_by_hcode", deadlock)
    with pytest.raises(OperationalError):
        client.get("/api/v1/units/10001")
    assert not db_outage.is_down()
