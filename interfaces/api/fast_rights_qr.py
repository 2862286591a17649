"""``POST /api/v1/visits/rights-qr`` for a unit's software (API key), its common case served without Django's
request cycle, as :mod:`interfaces.api.fast_booking` serves bookings.

Why: a counter's rights-QR scan is the other request that comes in surges (every booked citizen arriving), and
Django's middleware, request objects and django-ninja cost about 2 ms of CPU a request on the 2-core benchmark
machine, more than the redemption's two statements (``make bench``: verify.qr.rate). The lane takes a body that is
exactly ``{"token": "<text>"}`` with a live key, and asks the domain for the common case only
(:func:`raksa.verification.rights_qr_redeem.visit_open_by_booked_rights_qr`: a fresh code whose booking is
confirmed for today at the key's unit). It answers 201 with the same JSON, status and headers as the django-ninja
endpoint in :mod:`interfaces.api.visits`; everything else (a refusal, a walk-in's code, a booking awaiting the
citizen, other bodies, unknown keys, sessions, plain HTTP where HTTPS is required, hosts not allowed) goes to that
endpoint unchanged, which decides as always. A test sends the same requests down both ways and compares.

Django's request signals are not sent; ``close_old_connections`` runs after the lane used the database, as in the
booking lane (``CONN_MAX_AGE`` is 0 with the pool).
"""

from __future__ import annotations

import io
import json
import time
from collections.abc import Callable, Iterable

from django.db import close_old_connections

from interfaces.api.fast_booking import _failed, api_key_of, lane_answer, lane_body
from interfaces.api.visits import visit_out
from interfaces.nul_guard import body_needs_checking
from raksa.core import db_outage
from raksa.core.middleware import request_id_from
from raksa.core.request_context import reset_request_id, set_request_id
from raksa.units.selectors import unit_api_key_authenticate
from raksa.verification.rights_qr_redeem import visit_open_by_booked_rights_qr

PATH = "/api/v1/visits/rights-qr"
_MAX_BODY = 1024  # {"token": "RQ1.<43 characters>"} is 59 bytes


class RightsQrFastLane:
    """WSGI wrapper: the fast lane for API-key rights-QR redemptions, everything else to ``app``."""

    def __init__(self, app: Callable) -> None:
        self.app = app

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        body = lane_body(environ, path=PATH, max_body=_MAX_BODY)
        if body is None:
            return self.app(environ, start_response)
        token = _token(body)
        answer = None
        if token is not None:
            started = time.perf_counter()
            request_id = request_id_from(environ.get("HTTP_X_REQUEST_ID", ""))
            context = set_request_id(request_id)
            try:
                status, answer = _redeem(api_key_of(environ), token)
                if answer is not None:
                    data = lane_answer(environ, start_response, status=status, answer=answer, path=PATH,
                                       request_id=request_id, started=started)
            finally:
                reset_request_id(context)
        if answer is None:  # not the common case: the full path answers, in a request cycle of its own
            environ["wsgi.input"] = io.BytesIO(body)
            return self.app(environ, start_response)
        return [data]


def _redeem(key: str, token: str) -> tuple[int, dict | None]:
    """(201, the visit) when the lane could redeem the code; (status, None) for the full path to answer."""
    try:
        db_outage.raise_if_down()  # at once, as the full path's middleware does
        api_key = unit_api_key_authenticate(key)
        if api_key is None:
            return 0, None
        opened = visit_open_by_booked_rights_qr(actor=None, unit_id=api_key.unit_id, token=token,
                                                actor_label=f"api:{api_key.prefix}")
    except Exception as exc:
        return _failed(exc, path=PATH)
    finally:
        close_old_connections()
    if opened is None:
        return 0, None
    return 201, visit_out(opened.visit, unit=opened.visit.unit)


def _token(body: bytes) -> str | None:
    """The token when the body is exactly ``{"token": "<text>"}`` (no NUL); anything else (None) goes to
    django-ninja, which validates and words its answer."""
    if body_needs_checking(body):
        return None
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or data.keys() != {"token"} or type(data["token"]) is not str:
        return None
    return data["token"]
