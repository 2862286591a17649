"""The queue display board's link: a signed token naming the unit, so a TV in the shop needs no login.

The board shows ticket numbers only (no names, no IDs), so a leaked link reveals no personal data;
changing ``RAKSA_DISPLAY_SALT`` invalidates every board link.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing

from raksa.units.models import Unit


def _salt() -> str:
    return getattr(settings, "RAKSA_DISPLAY_SALT", "raksa.queue-display.v1")


def display_token_for(unit: Unit) -> str:
    return signing.dumps({"u": unit.pk}, salt=_salt(), compress=True)


def unit_from_display_token(token: str) -> Unit | None:
    try:
        data = signing.loads(token, salt=_salt())
    except signing.BadSignature:
        return None
    return Unit.objects.filter(pk=data.get("u")).first()
