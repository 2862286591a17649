"""A signed reference to the citizen a page acts on, carried by the page's links and forms.

Staff often keep two tabs open with one login; anything kept in the session is shared by both, so a page
that still shows one citizen could act on another looked up in the other tab. Every step that acts on a
person therefore carries its own reference: the citizen's primary key, signed with the project's secret
and bound to the staff member and the unit (a reference made for one login or unit is refused by
another), valid for a working day. The national ID itself never goes into a URL.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.core import signing
from django.urls import reverse

from raksa.booking import selectors as lookups
from raksa.people.models import Citizen

SALT = "raksa.portal.person"
MAX_AGE_SECONDS = 12 * 3600
PARAM = "p"


def person_ref_make(request, citizen: Citizen) -> str:
    return signing.dumps([citizen.pk, request.user.pk, request.portal.unit.pk], salt=SALT, compress=False)


def person_ref_read(request, value: str | None) -> Citizen | None:
    """The citizen a reference names, or None when it is missing, altered, expired, or was made for
    another staff member or unit."""
    if not value or len(value) > 200:
        return None
    try:
        citizen_id, user_id, unit_id = signing.loads(value, salt=SALT, max_age=MAX_AGE_SECONDS)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if user_id != request.user.pk or unit_id != request.portal.unit.pk:
        return None
    return lookups.citizen_by_pk(citizen_id)


def book_url(ref: str, **choice: str) -> str:
    """Booking step 2 for the citizen named by ``ref``, with the service and day chosen (no personal data)."""
    return reverse("portal:book") + "?" + urlencode({PARAM: ref} | {k: v for k, v in choice.items() if v})
