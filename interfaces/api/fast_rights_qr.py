"""``POST /api/v1/visits/rights-qr`` for a unit's software (API key), its common case served without Django's
request cycle, as :mod:`interfaces.api.fast_booking` serves bookings.

Why: a counter's rights-QR scan is the other request that comes in surges (every booked citizen arriving), and
Django's middleware, request objects and django-ninja cost about 2 ms of CPU a request on the 2-core benchmark
machine, more than the redemption's two statements (``make bench``: verify.qr.rate). The lane takes a body that is
exactly ``{"token": "<text>"}`` with a live key, and asks the domain for the common case only
(:func:`raksa.verification.rights_qr_redeem.visit_open_by_booked_rights_qr`: a fresh code whose booking is
confirmed for today at the key's unit), through a group commit as the booking lane does: the requests that arrive
while a batch is being written are redeemed together in one facts query and one commit
(:mod:`raksa.verification.rights_qr_batch`; a lone request runs at once). It answers 201 with the same JSON,
status and headers as the django-ninja endpoint in :mod:`interfaces.api.visits`; everything else (a refusal, a
walk-in's code, a booking awaiting the citizen, other bodies, unknown keys, sessions, plain HTTP where HTTPS is
required, hosts not allowed) goes to that endpoint unchanged, which decides as always. A test sends the same
requests down both ways and compares.

Django's request signals are not sent; ``close_old_connections`` runs after the lane used the database (after the
key's look-up, before waiting for a batch, and after each batch), as in the booking lane (``CONN_MAX_AGE`` is 0
with the pool).
"""

from __future__ import annotations

import io
import json
import time
from collections.abc import Callable, Iterable

from django.db import close_old_connections

from interfaces.api.fast_booking import _failed, api_key_of, lane_answer, lane_body, logger
from interfaces.api.group_commit import GroupCommit
from interfaces.api.visits import visit_out
from interfaces.nul_guard import body_needs_checking
from raksa.core import db_outage
from raksa.core.middleware import request_id_from
from raksa.core.request_context import reset_request_id, set_request_id
from raksa.units.models import UnitApiKey
from raksa.units.selectors import unit_api_key_authenticate
from raksa.verification.rights_qr_batch import RedeemRequest, visits_open_by_booked_rights_qr
from raksa.verification.visits import Opened

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
        api_key = _api_key(key)
        if api_key is None:
            return 0, None
        opened = _group_commit.submit(RedeemRequest(unit_id=api_key.unit_id, token=token,
                                                    actor_label=f"api:{api_key.prefix}"))
    except Exception as exc:
        return _failed(exc, path=PATH)
    if opened is None:
        return 0, None
    if isinstance(opened, Exception):  # this request alone failed (logged by the batch), or the database is away
        return _failed(opened, logged=True, path=PATH)
    return 201, visit_out(opened.visit, unit=opened.visit.unit)


def _api_key(key: str) -> UnitApiKey | None:
    """The live key. Its connection goes back to the pool before the request waits for its batch (see
    fast_booking._unit_for_key: waiting threads must hold no connection)."""
    try:
        return unit_api_key_authenticate(key)
    finally:
        close_old_connections()


def _redeem_together(requests: list[RedeemRequest]) -> list[Opened | None | Exception]:
    try:
        return visits_open_by_booked_rights_qr(requests=requests)
    finally:
        try:  # the batch's connection goes back to the pool before its callers answer
            close_old_connections()
        except Exception:  # the visits are open: a failure here must not become their answers
            logger.exception("Giving back the batch's database connection failed")


# Concurrent API redemptions in this process share one facts query and one commit
# (raksa.verification.rights_qr_batch); a lone request runs at once.
_group_commit: GroupCommit[RedeemRequest, Opened | None | Exception] = GroupCommit(_redeem_together)


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
