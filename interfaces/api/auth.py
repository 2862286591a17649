"""Who is calling: a unit's software (``Authorization: Bearer rk_…``) or a logged-in user (session).

What a caller without access is told (tests: test_auth_errors.py, and the fast lane's parity test):
* no ``Authorization`` header and no logged-in session → 401 ``AUTH_REQUIRED``, saying how to send a key;
* an ``Authorization`` header that is not a live key (unknown, revoked, another scheme, malformed)
  → 401 ``INVALID_API_KEY``, whatever the session;
* a logged-in session whose POST lacks the CSRF token → 403 ``CSRF_FAILED`` (a browser page grown old).
"""

from __future__ import annotations

from ninja.security import HttpBearer, SessionAuth

from interfaces.api.errors import Forbidden, invalid_api_key
from raksa.units.models import Unit, UnitApiKey
from raksa.units.roles import is_officer
from raksa.units.selectors import memberships_for_user, unit_api_key_authenticate


class UnitKeyAuth(HttpBearer):
    openapi_description = ("กุญแจ API ของหน่วยบริการ: `Authorization: Bearer rk_…` "
                           "(ผู้ดูแลหน่วยออกกุญแจได้ที่พอร์ทัล เมนู กุญแจ API) · "
                           "A unit's API key: `Authorization: Bearer rk_…` "
                           "(a unit administrator issues keys in the portal, under API keys).")

    def __call__(self, request):
        header = request.headers.get("Authorization", "")
        if not header:
            return None  # no key presented: a session may still be
        scheme, _, token = header.partition(" ")  # the token is what follows "Bearer ", as the fast lane reads it
        if scheme.lower() != "bearer" or not token.startswith("rk_"):
            raise invalid_api_key()
        key = unit_api_key_authenticate(token)
        if key is None:
            raise invalid_api_key()
        return key

    def authenticate(self, request, token):  # (HttpBearer's hook; __call__ above does the work)
        return unit_api_key_authenticate(token)


class StaffSessionAuth(SessionAuth):
    """A logged-in user's session, CSRF checked. Without a logged-in user there is nothing to protect
    from cross-site requests, so such a request is told to authenticate (AUTH_REQUIRED) rather than
    to reload a page it never had (CSRF_FAILED)."""

    openapi_description = ("เซสชันของผู้ที่เข้าสู่ระบบพอร์ทัลหรือระบบหลังบ้าน (ต้องมีโทเคน CSRF) · "
                           "The session of a user logged in to the portal or back office (with the CSRF token).")

    def __call__(self, request):
        if request.headers.get("Authorization") or not request.user.is_authenticated:
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


def require_officer(request) -> None:
    """Refuse unless the caller is a payer officer (an API key never is)."""
    if isinstance(request.auth, UnitApiKey) or not is_officer(request.auth):
        raise Forbidden("Only payer officers may change the registry.", "เฉพาะเจ้าหน้าที่ สปสช. แก้ไขทะเบียนได้")


def actor_of(request):
    """The user to record in the audit log (None for an API key: the key's unit is in the row)."""
    return None if isinstance(request.auth, UnitApiKey) else request.auth
