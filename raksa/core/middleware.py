"""Request id and one structured log line per request.

The log line holds the path but never the query string: national IDs must not reach the logs.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from raksa.core.request_context import reset_request_id, set_request_id

logger = logging.getLogger("raksa.request")
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_from(request.headers.get("X-Request-ID", ""))
        request.request_id = request_id
        token = set_request_id(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            user = getattr(request, "user", None)
            log_request(method=request.method, path=request.path, status=response.status_code, started=started,
                        user_id=user.pk if user is not None and user.is_authenticated else None)
            return response
        finally:
            reset_request_id(token)


def request_id_from(incoming: str) -> str:
    """The caller's X-Request-ID if it looks like one, else a new id."""
    return incoming if _VALID_ID.match(incoming) else uuid.uuid4().hex


def log_request(*, method: str, path: str, status: int, started: float, user_id: int | None) -> None:
    if logger.isEnabledFor(logging.INFO):
        logger.info("request", extra={"method": method, "path": path, "status": status,
                                      "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                                      "user_id": user_id})


class ThaiFirstMiddleware:
    """Pages are Thai unless the person chose English with the language switcher (cookie).

    A pharmacist's browser often says English; a national Thai service should still open in Thai.
    The JSON API keeps honouring Accept-Language, for other systems that ask for English messages.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings

        if not request.path.startswith("/api/") and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
