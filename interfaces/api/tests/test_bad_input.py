"""Bad input never reaches a 500, and every answer under /api/ is JSON with a code (issue 9, section 2).

Sent through ``config.wsgi.application`` (the fast lane in front of Django), as a server would, so that what
the lane hands on is covered too.
"""

import io
import json
import logging

import pytest

from config.wsgi import application
from interfaces.api import fast_booking
from interfaces.api import urls as api_urls
from interfaces.api.tests.helpers import make_api_unit
from raksa.audit.models import AuditEntry
from raksa.booking.models import Booking
from raksa.testing.factories import CitizenFactory, CoverageFactory, make_national_id

# The lane commits like production (no test transaction around a WSGI call), so: transactional_db.
pytestmark = pytest.mark.django_db(transaction=True)
THAI = range(0x0E00, 0x0E80)


def send(method: str, path: str, body: bytes | dict | None = None, key: str | None = None,
         query: str = "", content_type: str = "application/json") -> tuple[int, dict, dict]:
    """One request through the WSGI application; the answer's status, JSON body and headers."""
    raw = json.dumps(body).encode() if isinstance(body, dict) else (body or b"")
    environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "SCRIPT_NAME": "", "QUERY_STRING": query,
               "SERVER_NAME": "testserver", "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1",
               "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(raw), "wsgi.errors": io.StringIO(),
               "CONTENT_LENGTH": str(len(raw)), "CONTENT_TYPE": content_type,
               "HTTP_HOST": "testserver", "REMOTE_ADDR": "127.0.0.1"}
    if key is not None:
        environ["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    seen = {}

    def start_response(status, headers, exc_info=None):
        seen["status"], seen["headers"] = int(status.split()[0]), dict(headers)

    content = b"".join(application(environ, start_response))
    assert seen["headers"]["Content-Type"].startswith("application/json"), (seen, content[:200])
    return seen["status"], json.loads(content), seen["headers"]


def is_api_error(body: dict, code: str) -> bool:
    """The API's error shape, with one language per message."""
    return (body["code"] == code and set(body) >= {"code", "message", "message_en", "field"}
            and any(ord(ch) in THAI for ch in body["message"])
            and not any(ord(ch) in THAI for ch in body["message_en"]))


@pytest.fixture
def world():
    return make_api_unit()


@pytest.fixture
def request_log():
    """The request log's records (the logger is quiet in tests and does not propagate)."""
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    logger = logging.getLogger("raksa.request")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield records
    logger.removeHandler(handler)
    logger.setLevel(level)


def nothing_changed() -> bool:
    return not Booking.objects.exists() and not AuditEntry.objects.filter(action__startswith="booking").exists()


# --- NUL characters -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("path,field", [
    ("/api/v1/units/81\x00001", "hcode"),
    ("/api/v1/units/81\x00001/queue", "hcode"),
    ("/api/v1/bookings/AB\x00CD", "reference"),
    ("/api/v1/units/41001/queue/tickets/A-\x00001/status", "label"),
    ("/api/v1/no\x00such/path", None),
])
def test_nul_in_the_path_is_invalid_input_naming_the_field(world, path, field):
    method = "POST" if path.endswith("status") else "GET"
    status, body, _ = send(method, path, {"status": "done"} if method == "POST" else None, key=world["key"])
    assert status == 422 and is_api_error(body, "INVALID_INPUT") and body["field"] == field, body
    assert body["errors"] == [{"field": field, "message": body["errors"][0]["message"],
                               "message_en": body["errors"][0]["message_en"]}]
    assert "NUL" in body["message_en"]


def test_nul_in_a_body_field_is_invalid_input_naming_the_field(world):
    status, body, _ = send("POST", "/api/v1/eligibility", {"national_id": world["national_id"],
                                                            "hcode": "81\u0000001", "service": "X"}, key=world["key"])
    assert status == 422 and is_api_error(body, "INVALID_INPUT") and body["field"] == "hcode", body
    assert body["message_en"].startswith("Invalid input: hcode contains a NUL character")


def test_nul_in_a_json_body_sent_as_a_form_is_refused_too(world):
    """django-ninja reads the body as JSON whatever the Content-Type says (found by review: a 500)."""
    status, body, _ = send("POST", "/api/v1/eligibility", {"national_id": world["national_id"],
                                                            "hcode": "81\u0000001", "service": "X"},
                           key=world["key"], content_type="application/x-www-form-urlencoded")
    assert status == 422 and is_api_error(body, "INVALID_INPUT") and body["field"] == "hcode", body


@pytest.mark.parametrize("escape", [b"\\ud800", b"\\uDFFF", b"\\udbff"])
def test_a_lone_surrogate_in_a_body_field_is_invalid_input(world, escape):
    """JSON lets a lone half of a UTF-16 pair through; PostgreSQL's text cannot hold it (found by review: a 500)."""
    raw = b'{"national_id": "%s", "hcode": "90000%s", "service": "X"}' % (world["national_id"].encode(), escape)
    status, body, _ = send("POST", "/api/v1/eligibility", raw, key=world["key"])
    assert status == 422 and is_api_error(body, "INVALID_INPUT") and body["field"] == "hcode", body
    assert "surrogate" in body["message_en"] and "surrogate" not in body["message"]  # (Thai text in Thai)


def test_a_surrogate_pair_is_a_character_like_any_other(world):
    raw = b'{"national_id": "%s", "hcode": "\\ud83d\\ude00", "service": "X"}' % world["national_id"].encode()
    status, body, _ = send("POST", "/api/v1/eligibility", raw, key=world["key"])
    assert status == 404 and body["code"] == "UNKNOWN_UNIT"


def test_nul_deep_in_a_body_names_the_path_to_it(world):
    status, body, _ = send("POST", "/api/v1/eligibility", {"national_id": world["national_id"], "hcode": "41001",
                                                            "service": "X", "extra": {"list": ["ok", "b\u0000d"]}},
                           key=world["key"])
    assert status == 422 and body["field"] == "extra.list.1"


def test_nul_in_a_query_parameter_is_invalid_input(world):
    status, body, _ = send("GET", f"/api/v1/units/{world['unit'].hcode}/slots", query="service=PH%00X")
    assert status == 422 and is_api_error(body, "INVALID_INPUT") and body["field"] == "service"


def test_a_json_text_with_an_escaped_backslash_is_not_a_nul(world):
    """``"\\\\u0000"`` is the six characters ``\\u0000``, not a NUL: looked up as any other code."""
    status, body, _ = send("POST", "/api/v1/eligibility", b'{"national_id": "%s", "hcode": "\\\\u0000", '
                           b'"service": "X"}' % world["national_id"].encode(), key=world["key"])
    assert status == 404 and body["code"] == "UNKNOWN_UNIT"


def test_nul_in_a_booking_is_refused_before_the_lane_books(world, monkeypatch):
    lane_calls = []
    monkeypatch.setattr(fast_booking, "_book", lambda *a: lane_calls.append(a))
    slot = world["slots"][0].pk
    for national_id in (f"{world['national_id'][:5]}\u0000{world['national_id'][5:]}", world["national_id"]):
        status, body, _ = send("POST", "/api/v1/bookings", {"national_id": national_id, "slot_id": slot,
                                                             "note": "\u0000"}, key=world["key"])
        assert status == 422 and is_api_error(body, "INVALID_INPUT"), body
    assert body["field"] == "note" and lane_calls == [] and nothing_changed()


# --- Deeply nested JSON ---------------------------------------------------------------------------------------

DEEP = b'{"national_id": ' + b"[" * 2000 + b"]" * 2000 + b', "slot_id": 1}'


@pytest.mark.parametrize("key,answer", [("live", (400, "INVALID_JSON")), ("rk_not-a-key", (401, "INVALID_API_KEY"))])
def test_json_nested_too_deep_is_answered_in_json_and_logged_like_any_request(world, request_log, key, answer):
    """The lane parsed it and raised RecursionError into the server (a bare 500 outside the JSON log), with or
    without a valid key. Now Django answers: the body cannot be read (400), or first, the key is not live (401)."""
    status, body, headers = send("POST", "/api/v1/bookings", DEEP, key=world["key"] if key == "live" else key)
    assert status == answer[0] and is_api_error(body, answer[1])
    logged = [r for r in request_log if r.path == "/api/v1/bookings"]
    assert [(r.method, r.status) for r in logged] == [("POST", answer[0])] and headers["X-Request-ID"]
    assert nothing_changed()


@pytest.mark.parametrize("path", ["/api/v1/eligibility", "/api/v1/waitlist", "/api/v1/citizens"])
def test_json_nested_too_deep_is_invalid_json_on_every_endpoint(world, path):
    status, body, _ = send("POST", path, DEEP, key=world["key"])
    assert status == 400 and is_api_error(body, "INVALID_JSON")


def test_deep_json_that_can_be_read_is_invalid_input(world):
    status, body, _ = send("POST", "/api/v1/bookings", b'{"national_id": ' + b"[" * 500 + b"]" * 500
                           + b', "slot_id": 1}', key=world["key"])
    assert status == 422 and is_api_error(body, "INVALID_INPUT") and body["field"] == "national_id"


# --- Answers Django or django-ninja made outside the API's handlers ------------------------------------------

def test_a_body_over_the_limit_is_413_json(world, settings):
    body = b'{"national_id": "' + b"1" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10) + b'", "slot_id": 1}'
    for path in ("/api/v1/bookings", "/api/v1/eligibility"):
        status, answer, _ = send("POST", path, body, key=world["key"])
        assert status == 413 and is_api_error(answer, "BODY_TOO_LARGE"), answer
        assert f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,}" in answer["message_en"]
    assert nothing_changed()


def test_a_10_mb_body_is_413_json(world):
    status, body, _ = send("POST", "/api/v1/eligibility", b"{" + b" " * (10 * 1024 * 1024) + b"}", key=world["key"])
    assert status == 413 and is_api_error(body, "BODY_TOO_LARGE")


@pytest.mark.parametrize("path", ["/api/v1/nothing-here", "/api/v1/units/41001/nothing", "/api/v2/units/41001",
                                  "/api/", "/api"])
def test_an_unknown_api_path_is_404_json(path):
    status, body, _ = send("GET", path)
    assert status == 404 and is_api_error(body, "NOT_FOUND") and "/api/v1/docs" in body["message_en"]


@pytest.mark.parametrize("method,path,allowed", [("PUT", "/api/v1/eligibility", "POST"),
                                                 ("DELETE", "/api/v1/units/41001", "GET"),
                                                 ("PATCH", "/api/v1/bookings", "POST")])
def test_a_method_an_operation_does_not_take_is_405_json_with_allow(world, method, path, allowed):
    status, body, headers = send(method, path, {}, key=world["key"])
    assert status == 405 and is_api_error(body, "METHOD_NOT_ALLOWED") and headers["Allow"] == allowed
    assert allowed in body["message_en"]


def test_an_unexpected_error_in_the_documented_endpoint_is_json_internal_error_and_logged(world, monkeypatch,
                                                                                           caplog):
    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(api_urls, "eligibility_check_by_ids", broken)
    logged = []
    handler = logging.Handler()
    handler.emit = logged.append
    logging.getLogger("django.request").addHandler(handler)
    try:
        status, body, _ = send("POST", "/api/v1/eligibility", {"national_id": world["national_id"],
                                                                "hcode": world["unit"].hcode,
                                                                "service": world["service"].code}, key=world["key"])
    finally:
        logging.getLogger("django.request").removeHandler(handler)
    assert status == 500 and body == fast_booking._INTERNAL_ERROR[1] and is_api_error(body, "INTERNAL_ERROR")
    assert "boom" not in json.dumps(body)
    assert any(r.exc_info and "boom" in str(r.exc_info[1]) for r in logged)


def test_pages_outside_the_api_keep_their_html():
    status = {}

    def start_response(s, headers, exc_info=None):
        status["line"], status["headers"] = s, dict(headers)

    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/portal/nothing-here/", "SCRIPT_NAME": "", "QUERY_STRING": "",
               "SERVER_NAME": "testserver", "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1",
               "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(), "wsgi.errors": io.StringIO(),
               "HTTP_HOST": "testserver"}
    b"".join(application(environ, start_response))
    assert status["line"].startswith("404") and status["headers"]["Content-Type"].startswith("text/html")


def test_a_citizen_with_a_nul_free_request_still_books_through_the_lane(world):
    """The guard costs the lane nothing it needs: a plain booking is still made there."""
    national_id = make_national_id()
    CoverageFactory(citizen=CitizenFactory(national_id=national_id))
    status, body, _ = send("POST", "/api/v1/bookings", {"national_id": national_id, "slot_id": world["slots"][0].pk},
                           key=world["key"])
    assert status == 201 and Booking.objects.filter(reference=body["reference"]).exists()
