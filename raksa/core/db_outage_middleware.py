"""503 at once while the database is down (raksa.core.db_outage), and for requests it failed mid-way.

Sits after WhiteNoise (static files are still served) and before everything that reads the session or the
user. ``/api/`` gets the API's JSON error (``DATABASE_UNAVAILABLE``), pages for people get a short page in
Thai and English; both carry ``Retry-After``. ``/healthz`` answers for itself (interfaces/ops/views.py).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

from raksa.core import db_outage

_OWN_ANSWER = {"/healthz"}


class DatabaseOutageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if db_outage.is_down() and request.path not in _OWN_ANSWER:
            return database_unavailable(request)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """A view that met the outage (a connection lost under it, the pool given up): the same 503."""
        if not db_outage.is_outage(exception):
            return None
        db_outage.note(exception)
        return database_unavailable(request)


def database_unavailable(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        response = JsonResponse(db_outage.ANSWER, status=503, content_type="application/json; charset=utf-8")
    else:
        # No request context: the page must not read the session or the user (they live in the database).
        html = render_to_string("database_unavailable.html", {"retry_path": request.get_full_path()
                                                              if request.method in ("GET", "HEAD") else None})
        response = HttpResponse(html, status=503)
    return unavailable(response)


def unavailable(response: HttpResponse) -> HttpResponse:
    """``Retry-After``, never cached, and not logged by Django as an error each time: during an outage that
    would be one error line per request. The request log line says 503; the breaker logs going down and up."""
    response["Retry-After"] = str(db_outage.RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    response._has_been_logged = True  # django.utils.log.log_response's own flag
    return response
