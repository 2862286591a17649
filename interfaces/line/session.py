"""The LIFF pages' own sign-in: a verified LINE ID token exchanged for a short signed cookie.

The page opened inside LINE has no session yet: it renders a small "signing in" page whose script asks
LINE's SDK (``settings.LINE_LIFF_SDK_URL``) for the ID token and posts it to ``/liff/session``. That view
verifies the token (``raksa.integrations.line.id_token.verify_id_token``: signature, issuer, audience,
expiry) and answers with the cookie ``raksa_liff``: the LINE user id, signed with the project's secret
(``django.core.signing``), valid ``settings.RAKSA_LIFF_SESSION_SECONDS``, HttpOnly, SameSite=Lax, Secure
where the session cookie is (production). Reading it costs no database query: the my-bookings page, the
one the benchmark times, pays only for the citizen and their bookings.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.core import signing
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from raksa.audit.services import line_actor
from raksa.integrations.line.errors import IdTokenInvalid
from raksa.integrations.line.id_token import verify_id_token
from raksa.people.selectors import citizen_by_line_user

COOKIE = "raksa_liff"
SALT = "raksa.liff.session"
LIFF_ROOT = "/liff/"
# LINE user ids are "U" and 32 hex digits; the stand-in's demo users may be named otherwise. A `sub` that
# could not be a user id (or would not fit Citizen.line_user_id) is refused rather than put in a cookie.
_LINE_USER_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
# The stand-in's phone frame names the user it opens the page as (demo only; see standin_in_use).
STANDIN_USER_PARAM = "standin_user"
LIFF_STATE = "liff.state"


@dataclass(frozen=True, slots=True)
class LiffUser:
    """Who the page is for: the LINE user id from the cookie; ``citizen`` once looked up (linked only)."""

    line_user_id: str
    citizen: object | None = None

    @property
    def actor_label(self) -> str:
        """Who the audit rows name for what this citizen does here (LINE has no staff user)."""
        return line_actor(self.line_user_id)


def standin_in_use() -> bool:
    """Raksa talks to the local LINE stand-in (the demo), not to LINE: its phone frame may switch users."""
    return settings.LINE_API_BASE_URL.rstrip("/") == settings.LINE_STANDIN_URL.rstrip("/")


def frame_policy(response):
    """LIFF pages open in LINE's own browser, never in a frame, except the stand-in's phone frame in the
    demo: that origin (and this one) may frame them; in production no one may."""
    from urllib.parse import urlsplit

    if standin_in_use():
        origin = urlsplit(settings.LINE_STANDIN_URL)
        response.xframe_options_exempt = True
        response["Content-Security-Policy"] = f"frame-ancestors 'self' {origin.scheme}://{origin.netloc}"
    return response


def session_user_id(request) -> str | None:
    """The LINE user id of a valid ``raksa_liff`` cookie, or None (missing, tampered, expired)."""
    try:
        value = request.get_signed_cookie(COOKIE, salt=SALT, max_age=settings.RAKSA_LIFF_SESSION_SECONDS)
    except (KeyError, signing.BadSignature):
        return None
    if not _LINE_USER_ID.match(value):
        return None
    wanted = request.GET.get(STANDIN_USER_PARAM) if standin_in_use() else None
    if wanted and wanted != value:  # the demo's phone frame opened the page as another user: sign in again
        return None
    return value


def safe_next(request, candidate: str | None) -> str:
    """Where to go after signing in: a LIFF page of this site, never elsewhere."""
    if candidate and candidate.startswith(LIFF_ROOT) and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return candidate
    return LIFF_ROOT


def signin_page(request):
    """The small "signing in…" page: its script gets the ID token from LINE and posts it here."""
    next_url = request.get_full_path() if request.method == "GET" else request.path
    response = render(request, "line/signin.html", {"next": safe_next(request, next_url),
                                                    "liff_id": settings.LINE_LIFF_ID,
                                                    "liff_sdk_url": settings.LINE_LIFF_SDK_URL})
    response["Cache-Control"] = "no-store"
    return frame_policy(response)


def liff_signed_in(view):
    """A LIFF page: without a valid cookie the sign-in page answers instead (nothing of the page runs)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        line_user_id = session_user_id(request)
        # LINE opens https://liff.line.me/<id>/book as the endpoint with ?liff.state=/book: the SDK's init
        # goes on to /liff/book, so the page that loads the SDK answers, signed in or not.
        if line_user_id is None or LIFF_STATE in request.GET:
            return signin_page(request)
        request.liff = LiffUser(line_user_id=line_user_id)
        return view(request, *args, **kwargs)

    return wrapper


def liff_citizen(view):
    """A LIFF page for a linked citizen: a LINE account not linked yet is sent to link first."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        citizen = citizen_by_line_user(request.liff.line_user_id)
        if citizen is None:  # back here afterwards, with the query (the confirm page's QR token)
            back = request.get_full_path() if request.method == "GET" else request.path
            return redirect(f"{LIFF_ROOT}link?next={quote(back, safe='/')}")
        request.liff = LiffUser(line_user_id=request.liff.line_user_id, citizen=citizen)
        return view(request, *args, **kwargs)

    return liff_signed_in(wrapper)


def _refused(request, status: int):
    response = render(request, "line/session_refused.html", status=status)
    response["Cache-Control"] = "no-store"
    return frame_policy(response)


@never_cache
@require_POST
def liff_session(request):
    """POST ``id_token`` (and ``next``) → 303 to ``next`` with the cookie; a refused token → 401 page.
    (LINE's keys out of reach also refuse the token: the person reopens from LINE, as for an expired one.)"""
    token = request.POST.get("id_token", "").strip()
    if not token or len(token) > 4096:
        return _refused(request, 400)
    try:
        claims = verify_id_token(token)
    except IdTokenInvalid:
        return _refused(request, 401)
    if not _LINE_USER_ID.match(str(claims.sub or "")):
        return _refused(request, 401)
    response = redirect(safe_next(request, request.POST.get("next")), permanent=False)
    response.status_code = 303
    response.set_signed_cookie(COOKIE, claims.sub, salt=SALT, max_age=settings.RAKSA_LIFF_SESSION_SECONDS,
                               httponly=True, samesite="Lax", secure=settings.SESSION_COOKIE_SECURE, path=LIFF_ROOT)
    return response
