"""Who is calling: a unit's software (``Authorization: Bearer rk_…``) or a logged-in user (session)."""

from __future__ import annotations

from ninja.security import HttpBearer, SessionAuth

from interfaces.api.errors import Forbidden
from raksa.units.models import Unit, UnitApiKey
from raksa.units.roles import is_officer
from raksa.units.selectors import memberships_for_user, unit_api_key_authenticate


class UnitKeyAuth(HttpBearer):
    def authenticate(self, request, token):
        return unit_api_key_authenticate(token)


class StaffSessionAuth(SessionAuth):
    """A logged-in user's session (CSRF checked). Not tried when the request presents an API key, so
    an unknown or revoked key is a plain 401 rather than a CSRF failure."""

    def __call__(self, request):
        if request.headers.get("Authorization", "").lower().startswith("bearer "):  # as HttpBearer reads it
            return None
        return super().__call__(request)


unit_or_staff = [UnitKeyAuth(), StaffSessionAuth()]


def acting_unit(request, unit: Unit | int) -> None:
    """Refuse unless the caller acts for ``unit``: its API key, its staff, or an officer."""
    unit_id = unit if isinstance(unit, int) else unit.pk
    caller = request.auth
    if isinstance(caller, UnitApiKey):
        if caller.unit_id == unit_id:
            return
    elif is_officer(caller) or memberships_for_user(caller).filter(unit_id=unit_id).exists():
        return
    raise Forbidden("You do not act for this unit.", "คุณไม่มีสิทธิดำเนินการแทนหน่วยบริการนี้")


def actor_of(request):
    """The user to record in the audit log (None for an API key: the key's unit is in the row)."""
    return None if isinstance(request.auth, UnitApiKey) else request.auth
