from __future__ import annotations

import datetime as dt
import hashlib

from django.db import connection
from django.db.models import Q, QuerySet

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



def api_key_digest(key: str) -> bytes:
    return hashlib.sha256(key.encode()).digest()


def unit_api_key_authenticate(key: str) -> UnitApiKey | None:
    """The live key matching ``key`` (id, unit_id and prefix loaded), or None."""
    if not key.startswith("rk_"):
        return None
    # Every API call authenticates: one plain indexed SELECT, no ORM query compilation.
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, unit_id, prefix FROM units_unitapikey WHERE digest = %s AND revoked_at IS NULL",
                       [api_key_digest(key)])
        row = cursor.fetchone()
    return UnitApiKey(id=row[0], unit_id=row[1], prefix=row[2]) if row else None
