"""``POST /api/v1/claims`` for a unit's software (API key), served without Django's request cycle, as
:mod:`interfaces.api.fast_booking` serves bookings.

Why: a unit's software sends its day's claims in bursts, and Django's middleware, request objects and django-ninja
cost about a fifth of a claim's CPU on the 2-core benchmark machine (``make bench``: claims.http.rate). The lane
takes a body whose every field already has the type the endpoint's schema (:class:`interfaces.api.claims.ClaimIn`)
gives it without coercion, with a live key and a well-formed Idempotency-Key. Claims that arrive together in this
process are answered together (a group commit, interfaces/api/group_commit.py, as bookings are):
:func:`raksa.claims.batch.claims_submit_many` decides them in one transaction of three statements, rendering each
answer with the endpoint's own ``claim_json``; what it hands back (a lone request, a retry, a refusal…) is answered
in the same run, one at a time, through the very function the django-ninja endpoint calls
(:func:`interfaces.api.claims.claim_answer`: the key's store, ``claim_submit_answered``, the same JSON, byte for
byte). Everything else (an ``hcode``, fields of other types or unknown fields, a missing or malformed key, unknown
keys, sessions, plain HTTP where HTTPS is required, hosts not allowed) goes to that endpoint unchanged, which
decides as always. Tests send the same requests down both ways and compare (test_fast_claims.py), and the same
batches through the group commit and one at a time (test_fast_claims_batch.py).

Django's request signals are not sent; ``close_old_connections`` runs after the lane used the database, as in the
booking lane (``CONN_MAX_AGE`` is 0 with the pool).
"""

from __future__ import annotations

import http
import io
import json
import logging
import time
from collections.abc import Callable, Iterable
from typing import Any

from django.db import close_old_connections

from interfaces.api.claims import (
    KEY_HEADER,
    answer_bytes,
    body_identity,
    claim_answer,
    claim_json,
    clean_key,
    unit_of_key,
)
from interfaces.api.fast_booking import _failed, api_key_of, lane_body, security_headers
from interfaces.api.group_commit import GroupCommit
from interfaces.nul_guard import body_needs_checking
from raksa.claims.batch import ClaimRequest, claims_submit_many
from raksa.claims.models import Claim
from raksa.claims.submit import rate_book
from raksa.core import db_outage
from raksa.core.errors import DomainError
from raksa.core.middleware import log_request, request_id_from
from raksa.core.request_context import reset_request_id, set_request_id
from raksa.units.selectors import unit_api_key_authenticate

PATH = "/api/v1/claims"
_MAX_BODY = 16384  # a claim with 30 items is a few kilobytes
_ENVIRON_KEY = "HTTP_" + KEY_HEADER.upper().replace("-", "_")
logger = logging.getLogger("django.request")
_FIELDS = {"authen_code", "service_code", "service_date", "icd10", "details", "items", "amount"}


class ClaimFastLane:
    """WSGI wrapper: the fast lane for API-key claims, everything else to ``app``."""

    def __init__(self, app: Callable) -> None:
        self.app = app

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        body = lane_body(environ, path=PATH, max_body=_MAX_BODY)
        if body is None:
            return self.app(environ, start_response)
        payload = _payload(body)
        key = _key(environ.get(_ENVIRON_KEY))
        answer = None
        if payload is not None and key is not None:
            started = time.perf_counter()
            request_id = request_id_from(environ.get("HTTP_X_REQUEST_ID", ""))
            context = set_request_id(request_id)
            try:
                answer = _send(api_key_of(environ), key, payload, body)
                if answer is not None:
                    data = _start(environ, start_response, *answer, request_id=request_id, started=started)
            finally:
                reset_request_id(context)
        if answer is None:  # not the common case: the full path answers, in a request cycle of its own
            environ["wsgi.input"] = io.BytesIO(body)
            return self.app(environ, start_response)
        return [data]


def _send(api_key: str, key: str, payload: dict, body: bytes) -> tuple[int, bytes] | None:
    """(status, JSON bytes) of the claim; None when the full path must answer (an unknown key)."""
    try:
        db_outage.raise_if_down()  # at once, as the full path's middleware does
        try:
            caller = unit_api_key_authenticate(api_key)
            if caller is None:
                return None
            unit = unit_of_key(caller)
        finally:
            close_old_connections()  # no pooled connection held while this request waits for its batch
        request = ClaimRequest(unit=unit, key=key, identity=body_identity(body, "/claims"), fields=payload,
                               actor_label=f"api:{caller.prefix}")
        return _group_commit.submit((request, body))
    except DomainError as exc:  # the database outage (503) is a DomainError there too
        return exc.status, _encode(exc.as_dict())
    except Exception as exc:
        status, answer = _failed(exc, path=PATH)
        return status, _encode(answer)
    finally:
        close_old_connections()


def _render(claim: Claim) -> tuple[int, dict]:
    """A batch's claim as ``claim_answer`` renders it (the same ``claim_json``; test_fast_claims.py compares)."""
    return 201, claim_json(claim, hcode=claim.unit.hcode, service_code=rate_book().service_by_id[claim.service_id].code,
                           close_code=claim.visit.close_code)


def _submit_together(items: list[tuple[ClaimRequest, bytes]]) -> list[tuple[int, bytes]]:
    """The answers to claims that arrived together: the batch's, then, in order, one at a time, those it handed
    back (a lone request, a retry, a refusal…), in this run, so that the requests arriving meanwhile queue up and
    form the next batch."""
    try:
        try:
            decided = claims_submit_many(requests=[request for request, _ in items], render=_render)
        except Exception:  # (it hands everything back itself when its batch fails)
            logger.exception("A batch of claims failed")
            decided = [None] * len(items)
        return [(answer[0], answer_bytes(answer[1])) if answer is not None else _one(*item)
                for answer, item in zip(decided, items, strict=True)]
    finally:
        try:  # the run's connection goes back to the pool before its callers answer
            close_old_connections()
        except Exception:  # the claims are written: a failure here must not become their answers
            logger.exception("Giving back the batch's database connection failed")


def _one(request: ClaimRequest, body: bytes) -> tuple[int, bytes]:
    """One claim answered alone, the endpoint's own way (``claim_answer``); a failure is this request's answer."""
    token = set_request_id(request.request_id)
    try:
        return claim_answer(unit=request.unit, key=request.key, payload=request.fields, raw_body=body, actor=None,
                            actor_label=request.actor_label)
    except DomainError as exc:  # the database outage (503) is a DomainError there too
        return exc.status, _encode(exc.as_dict())
    except Exception as exc:
        status, answer = _failed(exc, path=PATH)
        return status, _encode(answer)
    finally:
        reset_request_id(token)


# Concurrent API claims in this process share one transaction and three statements (raksa/claims/batch.py); a
# lone request runs at once, alone, by the single path, while the next ones queue up behind it.
_group_commit: GroupCommit[tuple[ClaimRequest, bytes], tuple[int, bytes]] = GroupCommit(_submit_together)


def _encode(answer: dict) -> bytes:
    from interfaces.api.fast_booking import _json

    return _json(answer)


def _start(environ: dict, start_response: Callable, status: int, data: bytes, *, request_id: str,
           started: float) -> bytes:
    """The full path's headers (fast_booking.lane_answer's, for bytes already encoded)."""
    retry = [("Retry-After", str(db_outage.RETRY_AFTER_SECONDS))] if status == 503 else []
    start_response(f"{status} {http.HTTPStatus(status).phrase}", [
        ("Content-Type", "application/json; charset=utf-8"), ("Content-Length", str(len(data))),
        ("X-Request-ID", request_id), *retry, *security_headers(environ)])
    log_request(method="POST", path=PATH, status=status, started=started, user_id=None)
    return data


def _key(value: str | None) -> str | None:
    try:
        return clean_key(value)
    except DomainError:
        return None  # the full path words the 400


def _payload(body: bytes) -> dict[str, Any] | None:
    """The claim's fields when each already has the type ClaimIn gives it (so that django-ninja would pass it
    through unchanged); anything else (None) goes to django-ninja, which validates, coerces and words the error."""
    if body_needs_checking(body):
        return None
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or not data.keys() <= _FIELDS or type(data.get("authen_code")) is not str:
        return None
    for name in ("service_code", "service_date"):
        if data.get(name) is not None and type(data[name]) is not str:
            return None
    icd10, details, items, amount = data.get("icd10"), data.get("details"), data.get("items"), data.get("amount")
    if icd10 is not None and (type(icd10) is not list or any(type(c) is not str for c in icd10)):
        return None
    if details is not None and type(details) is not dict:
        return None
    if amount is not None and type(amount) not in (str, float):
        return None
    if items is not None:
        if type(items) is not list:
            return None
        for item in items:
            if (type(item) is not dict or not item.keys() <= {"code", "quantity"} or type(item.get("code")) is not str
                    or type(item.get("quantity", 1)) is not int):
                return None
        items = [{"code": i["code"], "quantity": i.get("quantity", 1)} for i in items]
    return {"authen_code": data["authen_code"], "service_code": data.get("service_code"),
            "service_date": data.get("service_date") or None, "icd10": icd10, "details": details, "items": items,
            "amount": amount}
