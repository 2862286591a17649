from __future__ import annotations

import datetime as dt
import hashlib
import time

from django.conf import settings
from django.db.models import Q, QuerySet

from raksa.core.db import prepared_cursor
from raksa.core.errors import NotFound
from raksa.units.models import Service, StaffMembership, Unit, UnitApiKey


def unit_not_found(hcode: str) -> NotFound:
    return NotFound(f"No unit with code '{hcode}' is registered.", f"ไม่พบหน่วยบริการรหัส '{hcode}'",
                    code="UNKNOWN_UNIT", field="hcode")


def service_not_found(code: str) -> NotFound:
    return NotFound(f"No service with code '{code}' is in the catalogue.",
                    f"ไม่พบบริการรหัส '{code}' ในรายการบริการ", code="UNKNOWN_SERVICE", field="service")


def unit_get_by_hcode(hcode: str) -> Unit:
    unit = Unit.objects.select_related("province").filter(hcode=(hcode or "").strip()).first()
    if unit is None:
        raise unit_not_found(hcode)
    return unit


def service_get_by_code(code: str) -> Service:
    service = Service.objects.filter(code=(code or "").strip()).first()
    if service is None:
        raise service_not_found(code)
    return service


def memberships_for_user(user) -> QuerySet[StaffMembership]:
    return (StaffMembership.objects.filter(user=user, active=True).select_related("unit", "unit__province")
            .order_by("unit__hcode"))


def services_for_unit(unit: Unit, *, on: dt.date) -> QuerySet[Service]:
    """Services the unit has contracted on ``on``."""
    return (Service.objects.filter(active=True, unit_type=unit.unit_type, unit_contracts__unit=unit,
                                   unit_contracts__valid_from__lte=on)
            .filter(Q(unit_contracts__valid_to__isnull=True) | Q(unit_contracts__valid_to__gte=on))
            .order_by("code").distinct())


def unit_api_keys(unit: Unit) -> QuerySet[UnitApiKey]:
    """The unit's API keys, live and revoked, newest first (never their digests)."""
    return UnitApiKey.objects.filter(unit=unit).defer("digest").order_by("-created_at", "-pk")


def unit_api_key_get(unit: Unit, key_id: int) -> UnitApiKey:
    """One of the unit's keys; another unit's key is not found (its id says nothing to this unit)."""
    api_key = UnitApiKey.objects.filter(unit=unit, pk=key_id).first()
    if api_key is None:
        raise NotFound("This unit has no such API key.", "หน่วยบริการนี้ไม่มีกุญแจ API นี้", code="API_KEY_NOT_FOUND")
    return api_key


def api_key_digest(key: str) -> bytes:
    return hashlib.sha256(key.encode()).digest()


def unit_api_key_authenticate(key: str) -> UnitApiKey | None:
    """The live key matching ``key`` (id, unit_id and prefix loaded), or None.

    Every API call authenticates, so a key found live is remembered in this process for
    ``RAKSA_API_KEY_CACHE_SECONDS`` (default 5; 0 turns it off): a revocation is immediate in the
    process that revokes and takes at most that long in the others. That bound is the price of one
    database round trip less per booking in a surge. Unknown keys are never remembered."""
    row = _live_key(key)
    return UnitApiKey(id=row[0], unit_id=row[1], prefix=row[2]) if row else None


def unit_api_key_unit_id(key: str) -> int | None:
    """The unit a live ``key`` acts for, or None: :func:`unit_api_key_authenticate` without building
    a model instance (the surge lane needs only this)."""
    row = _live_key(key)
    return row[1] if row else None


def _live_key(key: str) -> tuple | None:
    if not key.startswith("rk_"):
        return None
    digest = api_key_digest(key)
    ttl = settings.RAKSA_API_KEY_CACHE_SECONDS
    hit = _live_keys.get(digest) if ttl > 0 else None
    if hit is not None and hit[0] > time.monotonic():
        return hit[1]
    asked_at = time.monotonic()
    with prepared_cursor("SELECT id, unit_id, prefix FROM units_unitapikey WHERE digest = %s"
                         " AND revoked_at IS NULL", [digest]) as cursor:
        row = cursor.fetchone()
    if row is None:
        return None
    # Remember it unless it was forgotten (revoked) since we asked: the answer may predate the revocation.
    if ttl > 0 and _forgotten_at.get(digest, float("-inf")) < asked_at:
        if len(_live_keys) >= 10_000:  # bounded: forget everything rather than grow
            _live_keys.clear()
        _live_keys[digest] = (time.monotonic() + ttl, tuple(row))
    return tuple(row)


_live_keys: dict[bytes, tuple[float, tuple]] = {}


_forgotten_at: dict[bytes, float] = {}


def unit_api_key_forget(digest: bytes) -> None:
    """Drop a key from this process's memory of live keys (on revocation), and refuse to remember it
    from a lookup that started before now."""
    digest = bytes(digest)
    if len(_forgotten_at) >= 10_000:
        _forgotten_at.clear()
    _forgotten_at[digest] = time.monotonic()
    _live_keys.pop(digest, None)
