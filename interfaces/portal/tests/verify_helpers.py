"""Helpers for the verify pages' tests: a person reference as the pages make it, LINE links, states to compare."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from raksa.people.models import Citizen

VERIFY = "/portal/verify/"
VERIFY_LINE = "/portal/verify/line/"
VERIFY_FACE = "/portal/verify/face/"
SCAN = "/portal/verify/scan/"
SCAN_FRAME = "/portal/verify/scan/frame/"


def person_ref(client, national_id: str) -> str:
    """The signed person reference the rights check's "ยืนยันตัวตน" link carries (as the page makes it)."""
    from .helpers import find

    ref = find(client, national_id)
    assert ref, "the booking page's citizen search refused the national ID"
    return ref


def verify_link(html: str) -> str:
    """The first "ยืนยันตัวตน" link (the verify page) in a page."""
    match = re.search(r'href="(/portal/verify/\?[^"]+)"', html)
    assert match, "no link to the verify page"
    return match.group(1).replace("&amp;", "&")


def ref_of(url: str) -> str:
    return parse_qs(urlsplit(url).query)["p"][0]


def link_line(citizen: Citizen, user_id: str | None = None) -> str:
    """Give the citizen a LINE account (what citizen_line_link does after the checks)."""
    user_id = user_id or f"U{citizen.pk:032x}"
    Citizen.objects.filter(pk=citizen.pk).update(line_user_id=user_id)
    citizen.line_user_id = user_id
    return user_id


def verification_state() -> tuple:
    """Everything verifying could change, to compare before and after a refused request."""
    from raksa.booking.models import Booking, QueueTicket
    from raksa.verification.models import LineConfirmation, RightsQrToken, Visit

    return (
        sorted(Visit.objects.values_list("pk", "status")),
        sorted(LineConfirmation.objects.values_list("pk", "confirmed_at", "declined_at", "voided_at")),
        sorted(RightsQrToken.objects.values_list("pk", "used_at", "voided_at")),
        sorted(Booking.objects.values_list("pk", "status")),
        QueueTicket.objects.count(),
    )


def text_of(response) -> str:
    """A page's visible text, whitespace collapsed (to find a sentence whatever the markup)."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
