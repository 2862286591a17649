"""POST /line/webhook: LINE's calls. The signature over the raw body is checked (raksa.integrations.line
parse_webhook), the events are stored with their jobs in one statement (webhook_events_accept), and the
answer goes back at once: the work is done by the jobs. A bad signature or a body that is not a webhook
is 400 JSON and writes nothing.

Two doors, one answer (:func:`webhook_answer`): the Django view, and :class:`WebhookFastLane`, a WSGI
wrapper (config/wsgi.py) that serves the same request without Django's middleware and request objects:
a webhook needs none of them (no session, user, CSRF, locale), and on the 2-core benchmark machine they
cost more CPU than the work (in-process: 0.89 ms of CPU per call through Django). Concurrent calls in a
process share one statement and one commit (group commit, as the API's booking lane).
"""

from __future__ import annotations

import http
import json
import logging
import time
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.db import DatabaseError, close_old_connections
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from interfaces.api.fast_booking import host_allowed, is_secure
from interfaces.api.group_commit import GroupCommit
from raksa.core import db_outage
from raksa.core.errors import DomainError
from raksa.core.middleware import log_request, request_id_from
from raksa.core.request_context import reset_request_id, set_request_id
from raksa.integrations.line.errors import WebhookMalformed, WebhookSignatureInvalid
from raksa.messaging import line_api
from raksa.messaging.services import webhook_events_accept, webhook_events_check

logger = logging.getLogger(__name__)

PATH = "/line/webhook"
MAX_BODY = 1_000_000  # LINE sends at most a few hundred events a call; a bigger one goes to Django (its limits answer)

BAD_SIGNATURE = {"code": "INVALID_SIGNATURE", "message": "ลายเซ็น X-Line-Signature ไม่ถูกต้องหรือไม่มี",
                 "message_en": "The X-Line-Signature header is missing or does not match the body.", "field": None}
MALFORMED = {"code": "WEBHOOK_MALFORMED", "message": "เนื้อหาคำขอไม่ใช่ webhook ของ LINE",
             "message_en": "The body is not a LINE webhook.", "field": None}
NOT_POST = {"code": "METHOD_NOT_ALLOWED", "message": "ใช้ได้เฉพาะ POST", "message_en": "Only POST is allowed.",
            "field": None}


def _accept_together(calls: list[list[dict[str, Any]]]) -> list[Exception | None]:
    """One statement for every call; if it fails (and the database is not away), each call alone, so
    that one call's failure is its own answer only."""
    try:
        try:
            webhook_events_accept(events=[event for events in calls for event in events])
            return [None] * len(calls)
        except DatabaseError as exc:
            if len(calls) == 1 or db_outage.is_outage(exc):
                raise
        results: list[Exception | None] = []
        for events in calls:
            try:
                webhook_events_accept(events=events)
                results.append(None)
            except DatabaseError as exc:
                results.append(exc)
        return results
    finally:
        close_old_connections()  # the pooled connection goes back before the callers answer


# Concurrent webhook calls in this process share one statement (and one commit); a lone call runs at once.
_group_commit: GroupCommit[list[dict[str, Any]], Exception | None] = GroupCommit(_accept_together)


def _accept_in_group(events: list[dict[str, Any]]) -> None:
    failure = _group_commit.submit(events)
    if failure is not None:
        raise failure


def _accept_alone(events: list[dict[str, Any]]) -> None:
    webhook_events_accept(events=events)  # Django gives the connection back at the request's end


def webhook_answer(body: bytes, signature: str | None, *,
                   accept: Callable[[list[dict[str, Any]]], None] = _accept_alone) -> tuple[int, dict[str, Any]]:
    """(status, JSON answer) for a webhook call; the events are stored (``accept``) when the answer is 200."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return 400, MALFORMED
    try:
        events = line_api.parse_webhook(body=text, signature=signature)
        webhook_events_check(events=events)
    except WebhookSignatureInvalid:
        logger.warning("line.webhook.bad_signature")
        return 400, BAD_SIGNATURE
    except WebhookMalformed:
        return 400, MALFORMED
    except DomainError as exc:
        return 400, exc.as_dict()
    if events:
        accept(events)
    return 200, {}


@csrf_exempt
def line_webhook(request: HttpRequest) -> JsonResponse:
    if request.method != "POST":
        response = JsonResponse(NOT_POST, status=405)
        response["Allow"] = "POST"
        return response
    status, answer = webhook_answer(request.body, request.headers.get("X-Line-Signature"))
    return JsonResponse(answer, status=status)


class WebhookFastLane:
    """WSGI wrapper: ``POST /line/webhook`` answered here, everything else (and anything unusual: another
    host, a body too large) by ``app`` (Django)."""

    def __init__(self, app: Callable) -> None:
        self.app = app

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("PATH_INFO") != PATH or environ.get("REQUEST_METHOD") != "POST" or not _plain(environ):
            return self.app(environ, start_response)
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if not 0 <= length <= MAX_BODY:
            return self.app(environ, start_response)
        started = time.perf_counter()
        request_id = request_id_from(environ.get("HTTP_X_REQUEST_ID", ""))
        token = set_request_id(request_id)
        try:
            body = environ["wsgi.input"].read(length) if length else b""
            extra: list[tuple[str, str]] = []
            try:
                db_outage.raise_if_down()
                status, answer = webhook_answer(body, environ.get("HTTP_X_LINE_SIGNATURE"), accept=_accept_in_group)
            except Exception as exc:
                if db_outage.is_outage(exc):  # LINE redelivers a call that failed
                    db_outage.note(exc)
                    status, answer = 503, db_outage.ANSWER
                    extra = [("Retry-After", str(db_outage.RETRY_AFTER_SECONDS))]
                else:
                    logger.error("Internal Server Error: %s", PATH, exc_info=exc)
                    status, answer = 500, {"code": "INTERNAL_ERROR", "message": "ระบบขัดข้อง กรุณาลองใหม่",
                                           "message_en": "Internal error; please try again.", "field": None}
            data = json.dumps(answer, ensure_ascii=False).encode()
            start_response(f"{status} {http.HTTPStatus(status).phrase}", [
                ("Content-Type", "application/json"), ("Content-Length", str(len(data))),
                ("X-Request-ID", request_id), ("X-Content-Type-Options", "nosniff"), *extra])
            log_request(method="POST", path=PATH, status=status, started=started, user_id=None)
            return [data]
        finally:
            reset_request_id(token)


def _plain(environ: dict) -> bool:
    """A request Django would not treat specially (the API lane's rules): its host allowed, HTTPS when required
    (behind a proxy: by SECURE_PROXY_SSL_HEADER, as in production)."""
    if settings.SECURE_SSL_REDIRECT and not is_secure(environ):
        return False  # Django redirects it
    return host_allowed(environ)
