"""Where a LINE confirmation QR points, and how a scanned QR's text becomes its token.

The portal shows a one-time QR (``raksa.verification.line_confirm``, token ``LC1.`` + 43 URL-safe
characters); its payload is :func:`confirm_url`. The canonical address is ours, ``/line/confirm/?t=<token>``:
any phone camera or LINE's own QR reader opens it, and it sends the phone on to the LIFF page
``/liff/confirm?t=<token>`` (through LINE's LIFF URL in production, so that LINE opens it signed in; straight
to the page with the local stand-in, where liff.line.me does not exist). The LIFF URL form
``https://liff.line.me/<LINE_LIFF_ID>/confirm?t=<token>`` (what the messages' buttons use) is understood
too, and so is the bare token: :func:`token_from_scan` takes the token out of any of them and nothing else.
We never follow a scanned address itself, only our own page with the token: a QR cannot send the citizen
elsewhere.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlencode, urlsplit

from django.conf import settings

CANONICAL_PATH = "/line/confirm/"
LIFF_PAGE = "/liff/confirm"
TOKEN = re.compile(r"^LC1\.[A-Za-z0-9_-]{43}$")
MAX_SCANNED = 2000  # longer than any of our QR codes: not ours


def liff_confirm_url(token: str) -> str:
    """LINE's LIFF URL of the confirm page: LINE opens it at the LIFF app's endpoint (/liff/) plus the path."""
    return f"https://liff.line.me/{settings.LINE_LIFF_ID}/confirm?{urlencode({'t': token})}"


def confirm_url(request, token: str) -> str:
    """The QR payload for a LINE confirmation ``token``: ``https://<this host>/line/confirm/?t=<token>`` built
    from ``request`` (the portal's page); without a request (no host known) LINE's LIFF URL of the page,
    which needs no host of ours."""
    if request is None:
        return liff_confirm_url(token)
    return request.build_absolute_uri(f"{CANONICAL_PATH}?{urlencode({'t': token})}")


def token_from_scan(value: str | None) -> str | None:
    """The confirmation token in what a scan gave (a bare token, our canonical URL, the LIFF page's URL or
    LINE's LIFF URL of it), or None when the text is none of these."""
    text = (value or "").strip()
    if not text or len(text) > MAX_SCANNED:
        return None
    if TOKEN.match(text):
        return text
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    path = parts.path.rstrip("/")
    liff_form = parts.hostname == "liff.line.me" and path == f"/{settings.LINE_LIFF_ID}/confirm"
    our_form = path in (CANONICAL_PATH.rstrip("/"), LIFF_PAGE) and parts.scheme in ("http", "https", "")
    if not (liff_form or our_form):
        return None
    found = parse_qs(parts.query).get("t", [])
    return found[0] if len(found) == 1 and TOKEN.match(found[0]) else None
