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
    """Stable for a unit (no timestamp), so the link staff copy to the TV does not change."""
    return signing.Signer(salt=_salt()).sign_object({"u": unit.pk}, compress=True)


def unit_from_display_token(token: str) -> Unit | None:
    try:
        data = signing.Signer(salt=_salt()).unsign_object(token)
    except signing.BadSignature:
        return None
    return Unit.objects.filter(pk=data.get("u")).first()
