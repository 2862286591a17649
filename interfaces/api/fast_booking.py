"""``POST /api/v1/bookings`` for a unit's software (API key), served without Django's request cycle.

Why: on a launch-day surge this one endpoint takes the load, and on the 2-core benchmark machine
Django's middleware, request/response objects and django-ninja cost about 2 ms of CPU per booking,
more than the booking itself (in-process profile; README, "Benchmarks"). This lane does only what
that request needs: it reads the key and the JSON body, books through the domain's group commit
(:func:`raksa.booking.batch.bookings_create_many`, which books as ``booking_create`` does) and writes
the same JSON answer, status and security headers as the django-ninja endpoint in
:mod:`interfaces.api.booking`. That endpoint stays the documented one (OpenAPI) and serves everything
else: staff sessions, malformed bodies, unknown keys, plain HTTP when HTTPS is required, hosts not in
ALLOWED_HOSTS. A test sends the same requests down both ways and compares the answers.

Django's request signals are not sent (they cost ~40 µs a request). Of their receivers the lane
needs only ``close_old_connections`` (it uses no cache and no URLconf), and calls it where it used the
database: after looking up a key, and after each batch. That is enough because the settings fix
``CONN_MAX_AGE`` at 0 (the pool requires it), so no connection outlives the call that opened it. With
DEBUG on, the query log is not reset per request; Django keeps at most 9,000 entries per thread.
"""

from __future__ import annotations

import http
import io
import json
import logging
import time
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.db import close_old_connections
from django.http.request import split_domain_port, validate_host
from ninja.responses import NinjaJSONEncoder

from interfaces.api.booking import _booking_out
from interfaces.api.errors import internal_error
from interfaces.api.group_commit import GroupCommit
from interfaces.nul_guard import body_needs_checking
from raksa.booking.batch import BookingRequest, bookings_create_many
from raksa.booking.models import Booking
from raksa.booking.services import NewBooking
from raksa.core import db_outage
from raksa.core.errors import DomainError
from raksa.core.middleware import log_request, request_id_from
from raksa.core.request_context import reset_request_id, set_request_id
from raksa.units.selectors import unit_api_key_unit_id

PATH = "/api/v1/bookings"
_MAX_BODY = 4096  # a booking is under 100 bytes; anything bigger takes the full path
logger = logging.getLogger("django.request")


class BookingFastLane:
    """WSGI wrapper: the fast lane for API-key bookings, everything else to ``app`` (Django)."""

    def __init__(self, app: Callable) -> None:
        self.app = app

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        body = lane_body(environ, path=PATH, max_body=_MAX_BODY)
        if body is None:
            return self.app(environ, start_response)
        payload = _payload(body)
        if payload is None:  # let django-ninja word the 422 exactly as it always does
            environ["wsgi.input"] = io.BytesIO(body)
            return self.app(environ, start_response)
        started = time.perf_counter()
        request_id = request_id_from(environ.get("HTTP_X_REQUEST_ID", ""))
        token = set_request_id(request_id)
        data = None
        try:
            try:
                db_outage.raise_if_down()  # at once, as the full path's middleware does
                unit_id = _unit_for_key(api_key_of(environ))
            except Exception as exc:
                status, answer = _failed(exc)
            else:
                status, answer = _book(unit_id, *payload) if unit_id is not None else (None, None)
            if status is not None:
                data = lane_answer(environ, start_response, status=status, answer=answer, path=PATH,
                                   request_id=request_id, started=started)
        finally:
            reset_request_id(token)
        if data is None:  # unknown or revoked key: the full path answers, in a request cycle of its own
            environ["wsgi.input"] = io.BytesIO(body)
            return self.app(environ, start_response)
        return [data]



def lane_body(environ: dict, *, path: str, max_body: int) -> bytes | None:
    """The body of a request a fast lane may serve: a POST to ``path`` with a unit's API key (``Bearer rk_…``),
    over HTTPS where it is required, to an allowed host, with a body of 1 to ``max_body`` bytes. None (nothing
    read): Django serves it, which answers everything else as always."""
    if (environ.get("PATH_INFO") != path or environ.get("REQUEST_METHOD") != "POST"
            or not environ.get("HTTP_AUTHORIZATION", "").startswith("Bearer rk_")
            or (settings.SECURE_SSL_REDIRECT and not is_secure(environ)) or not host_allowed(environ)):
        return None
    length = _content_length(environ)
    if not 0 < length <= max_body:
        return None
    return environ["wsgi.input"].read(length)


def api_key_of(environ: dict) -> str:
    return environ["HTTP_AUTHORIZATION"][7:]  # "Bearer " exactly, as django-ninja reads it


def lane_answer(environ: dict, start_response: Callable, *, status: int, answer: dict[str, Any], path: str,
                request_id: str, started: float) -> bytes:
    """Start a lane's JSON answer with the full path's headers (and Retry-After on a 503), log it as the full
    path's middleware would, and give the body."""
    data = _json(answer)
    retry = [("Retry-After", str(db_outage.RETRY_AFTER_SECONDS))] if status == 503 else []
    start_response(f"{status} {http.HTTPStatus(status).phrase}", [
        ("Content-Type", "application/json; charset=utf-8"), ("Content-Length", str(len(data))),
        ("X-Request-ID", request_id), *retry, *security_headers(environ)])
    log_request(method="POST", path=path, status=status, started=started, user_id=None)
    return data


_headers: list[tuple[str, str]] | None = None


def security_headers(environ: dict) -> list[tuple[str, str]]:
    """What SecurityMiddleware and XFrameOptionsMiddleware add to the full path's answers (the fast lanes' too)."""
    global _headers
    if _headers is None:
        headers = []
        if settings.SECURE_CONTENT_TYPE_NOSNIFF:
            headers.append(("X-Content-Type-Options", "nosniff"))
        if settings.SECURE_REFERRER_POLICY:
            policy = settings.SECURE_REFERRER_POLICY
            headers.append(("Referrer-Policy", policy if isinstance(policy, str) else ",".join(policy)))
        if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
            headers.append(("Cross-Origin-Opener-Policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY))
        headers.append(("X-Frame-Options", getattr(settings, "X_FRAME_OPTIONS", "DENY").upper()))
        _headers = headers
    if settings.SECURE_HSTS_SECONDS and is_secure(environ):
        hsts = f"max-age={settings.SECURE_HSTS_SECONDS}"
        if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
            hsts += "; includeSubDomains"
        if settings.SECURE_HSTS_PRELOAD:
            hsts += "; preload"
        return [("Strict-Transport-Security", hsts), *_headers]
    return _headers


_INTERNAL_ERROR = (500, internal_error())
_UNAVAILABLE = (503, db_outage.ANSWER)  # with Retry-After, as the full path answers (raksa.core.db_outage)


def _failed(exc: BaseException, *, logged: bool = False, path: str = PATH) -> tuple[int, dict[str, Any]]:
    """The answer to an unexpected error: 503 when the database is unavailable, else a JSON 500 (logged)."""
    if db_outage.is_outage(exc):
        db_outage.note(exc)
        return _UNAVAILABLE
    if not logged:
        logger.error("Internal Server Error: %s", path, exc_info=exc)
    return _INTERNAL_ERROR


def _unit_for_key(key: str) -> int | None:
    """The unit a live key acts for. A key looked up in the database leaves this thread a pooled
    connection: it goes back before the request waits for its batch, or the threads waiting for their
    batches could hold every connection while the batch's leader waits for one (found with 64 threads
    on a pool of 16: a 10 s stall, then 500s)."""
    try:
        return unit_api_key_unit_id(key)
    finally:
        close_old_connections()


def _book(unit_id: int, national_id: str, slot_id: int) -> tuple[int, dict[str, Any]]:
    """The answer to one booking. Unexpected errors are a JSON 500 (django-ninja's would be Django's
    HTML error page: API clients are better served by a code)."""
    try:
        result = _group_commit.submit(BookingRequest(national_id=national_id, slot_id=slot_id, for_unit_id=unit_id))
    except Exception as exc:
        return _failed(exc)
    if isinstance(result, DomainError):
        return result.status, result.as_dict()
    if isinstance(result, Exception):  # this request alone failed (logged by the batch)
        return _failed(result, logged=True)
    facts = result.slot_facts
    return 201, _booking_out(result, facts, facts.hcode, facts.service_code)


def _book_together(requests: list[BookingRequest]) -> list[NewBooking | Booking | DomainError | Exception]:
    try:
        return bookings_create_many(requests=requests)
    finally:
        try:  # the batch's connection goes back to the pool before its callers answer
            close_old_connections()
        except Exception:  # the bookings are made: a failure here must not become their answers
            logger.exception("Giving back the batch's database connection failed")


# Concurrent API bookings in this process share one facts query and one short transaction
# (raksa.booking.batch); a lone request runs at once.
_group_commit: GroupCommit[BookingRequest, NewBooking | Booking | DomainError | Exception] = GroupCommit(
    _book_together)


_ENCODER = NinjaJSONEncoder()  # one for every answer (building one per answer cost a fifth of the encoding)


def _json(answer: dict[str, Any]) -> bytes:
    return _ENCODER.encode(answer).encode()


def _content_length(environ: dict) -> int:
    try:
        return int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _payload(body: bytes) -> tuple[str, int] | None:
    """(national_id, slot_id) when the body is exactly what the endpoint's schema accepts without
    coercion; anything else (None) goes to django-ninja, which validates and words the error: a body
    nested too deep to parse (RecursionError) is 400 INVALID_JSON there, a NUL (``\\u0000``) anywhere 422
    INVALID_INPUT (:mod:`interfaces.nul_guard`)."""
    if body_needs_checking(body):
        return None
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    national_id, slot_id = data.get("national_id"), data.get("slot_id")
    if type(national_id) is not str or type(slot_id) is not int or not 0 < slot_id < 2**63:
        return None  # (a slot id beyond bigint would fail the whole batch's query)
    return national_id, slot_id


def is_secure(environ: dict) -> bool:
    """As Django's ``HttpRequest.is_secure`` (with ``SECURE_PROXY_SSL_HEADER``)."""
    if settings.SECURE_PROXY_SSL_HEADER:
        header, secure_value = settings.SECURE_PROXY_SSL_HEADER
        value = environ.get(header)
        if value is not None:
            return value.split(",", 1)[0].strip() == secure_value
    return environ.get("wsgi.url_scheme") == "https"


def host_allowed(environ: dict) -> bool:
    """As Django's ``HttpRequest.get_host`` checks ALLOWED_HOSTS; a refused host goes to Django (400)."""
    if settings.USE_X_FORWARDED_HOST:
        return False  # let Django read the forwarded host
    domain, _ = split_domain_port(environ.get("HTTP_HOST") or environ.get("SERVER_NAME", ""))
    allowed = settings.ALLOWED_HOSTS
    if settings.DEBUG and not allowed:
        allowed = [".localhost", "127.0.0.1", "[::1]"]
    return bool(domain) and validate_host(domain, allowed)
