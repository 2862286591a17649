"""A NUL character (code 0) in a request is refused before any view looks it up.

PostgreSQL cannot hold NUL in text: a lookup with one (``/api/v1/units/81%00001``, ``{"hcode": "81\\u0000001"}``,
``/portal/bookings/AB%00CD/``) raises ``DataError``, a 500. No field of Raksa may contain one, so rather than
guard every lookup, one check here refuses it wherever it comes: in the path, the query string, a form body
(urlencoded or multipart: its fields, not its files) or a JSON body under ``/api/``. The answer is 422 and
changes nothing: under ``/api/`` the API's ``INVALID_INPUT`` JSON naming the field (a path parameter's name, a
query or form field, a JSON field as ``a.b.0``); elsewhere a page in Thai or English. A JSON body is only
parsed again when it holds an escaped NUL (``\\u0000``) at all.

Cookies are different: a browser cannot be told to fix one, and a session cookie with NUL would reach the
database when the session is read. :class:`DropNulCookiesMiddleware` drops such cookies (as if not sent).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve

from interfaces.api.errors import nul_character, surrogate_character
from interfaces.api.middleware import is_api_path

NUL = "\x00"
_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")
_NOT_FOUND = object()  # no NUL anywhere (a field of None means: a NUL, in no field we can name)


class DropNulCookiesMiddleware:
    """Before the session middleware: a cookie whose name or value holds NUL is dropped."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        cookies = request.COOKIES
        for name in [n for n, v in cookies.items() if NUL in n or NUL in v]:
            del cookies[name]
        return self.get_response(request)


class RefuseNulMiddleware:
    """After the CSRF middleware (so that the refusal page's language form gets its token)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        field = nul_field(request)
        if field is not _NOT_FOUND:
            if is_api_path(request.path_info):
                return _json_422(nul_character(field))
            return render(request, "nul_refused.html", status=422)
        field = surrogate_field(request)
        if field is not _NOT_FOUND:
            return _json_422(surrogate_character(field))
        return self.get_response(request)


def _json_422(body: dict) -> JsonResponse:
    return JsonResponse(body, status=422, content_type="application/json; charset=utf-8")


def nul_field(request: HttpRequest) -> str | None | object:
    """The name of the first field holding NUL (None if it cannot be named), or ``_NOT_FOUND``."""
    if NUL in request.path_info:
        return _path_field(request)
    query = request.META.get("QUERY_STRING", "")
    if "%00" in query or NUL in query:
        found = _form_field(request.GET.lists())
        if found is not _NOT_FOUND:
            return found
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return _NOT_FOUND
    if request.content_type in _FORMS:
        found = _form_field(request.POST.lists())  # (parsed once: the views and the CSRF check read it anyway)
        if found is not _NOT_FOUND or not is_api_path(request.path_info):
            return found
        # The API reads a body as JSON whatever its Content-Type says (found by review: a JSON body sent as
        # a form reached PostgreSQL with its NUL).
    if is_api_path(request.path_info) and b"\\u0000" in request.body:
        return _json_field(request.body, lambda text: NUL in text)
    return _NOT_FOUND


# A JSON escape of a UTF-16 surrogate (\ud800-\udfff, either case): json.loads accepts a lone one, and
# psycopg cannot encode it as UTF-8 (found by review: a 500).
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def body_needs_checking(body: bytes) -> bool:
    """Whether a JSON body may hold a NUL or a lone surrogate: the WSGI lanes hand such bodies to Django, whose
    middleware here names the field (422), instead of reading them themselves."""
    return b"\\u0000" in body or _SURROGATE_ESCAPE.search(body) is not None


def surrogate_field(request: HttpRequest) -> str | None | object:
    """Under ``/api/``: the first JSON field holding a lone surrogate (a character that is not text), or
    ``_NOT_FOUND``. Pairs are characters of their own once decoded, so only lone halves are found."""
    if request.method in ("GET", "HEAD", "OPTIONS") or not is_api_path(request.path_info):
        return _NOT_FOUND
    if not _SURROGATE_ESCAPE.search(request.body):
        return _NOT_FOUND
    return _json_field(request.body, _has_surrogate)


def _has_surrogate(text: str) -> bool:
    return any("\ud800" <= char <= "\udfff" for char in text)


def _path_field(request: HttpRequest) -> str | None:
    """The URL pattern's name for the part of the path holding NUL (``hcode``, ``reference``)."""
    try:
        match = resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return None
    return next((name for name, value in match.kwargs.items() if isinstance(value, str) and NUL in value), None)


def _form_field(items) -> str | None | object:
    for name, values in items:
        if NUL in name or any(NUL in value for value in values):
            return name.replace(NUL, "") or None
    return _NOT_FOUND


def _json_field(body: bytes, bad: Callable[[str], bool]) -> str | None | object:
    """The dotted path of the first string (or key) that is ``bad``, walked without recursion. A body that is
    not JSON (too deep included) is left to django-ninja, which answers 400 INVALID_JSON."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return _NOT_FOUND
    stack: list[tuple[tuple[str, ...], object]] = [((), data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            if bad(value):
                return ".".join(path) or None
        elif isinstance(value, dict):
            if any(bad(key) for key in value):
                return ".".join(path) or None
            stack.extend(((*path, key), item) for key, item in reversed(value.items()))
        elif isinstance(value, list):
            stack.extend(((*path, str(i)), item) for i, item in reversed(list(enumerate(value))))
    return _NOT_FOUND
