"""Every answer under ``/api/`` is JSON with a ``code``, whoever made it.

django-ninja words the API's own errors (:mod:`interfaces.api.errors`), but some answers are made before or
around it, in HTML or plain text: Django's 404 for an address no operation has, django-ninja's 405 for a
method an operation does not take, Django's 400 for a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` or a host
not in ``ALLOWED_HOSTS``, and Django's 500 page. This middleware, second after the request log, gives those
the API's shape instead (keeping ``Allow`` on a 405). A body that is too large is answered 413
``BODY_TOO_LARGE`` before any view reads it. The fast lane (:mod:`interfaces.api.fast_booking`) answers
its own requests in JSON and hands everything else to Django, so through here.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse

from interfaces.api import errors

API_PREFIX = "/api/"


def is_api_path(path_info: str) -> bool:
    return path_info.startswith(API_PREFIX) or path_info == API_PREFIX.rstrip("/")  # "/api" too


class ApiJsonErrorsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_api_path(request.path_info):
            return self.get_response(request)
        try:
            request.body  # noqa: B018  (Django refuses a body over DATA_UPLOAD_MAX_MEMORY_SIZE here, unread)
        except RequestDataTooBig:
            return _json(errors.body_too_large(settings.DATA_UPLOAD_MAX_MEMORY_SIZE), 413)
        response = self.get_response(request)
        if response.status_code >= 400 and not response.get("Content-Type", "").startswith("application/json"):
            return _as_json(response)
        return response


def _as_json(response: HttpResponse) -> HttpResponse:
    status = response.status_code
    if status == 404:
        body = errors.path_not_found()
    elif status == 405:
        body = errors.method_not_allowed(response.get("Allow", ""))
    elif status >= 500:
        body = errors.internal_error() if status == 500 else errors.http_status_error(status)
    else:
        body = errors.http_status_error(status)
    answer = _json(body, status)
    for header in ("Allow", "Retry-After"):
        if header in response:
            answer[header] = response[header]
    return answer


def _json(body: dict, status: int) -> JsonResponse:
    return JsonResponse(body, status=status, content_type="application/json; charset=utf-8")  # as django-ninja
