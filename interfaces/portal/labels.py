"""Labels for the portal in the active language (the models' own labels are fixed Thai/English pairs)."""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from raksa.units.models import StaffRole, UnitStatus, UnitType

UNIT_TYPES = {
    UnitType.PHARMACY: _("Pharmacy"),
    UnitType.NURSING_CLINIC: _("Nursing and midwifery clinic"),
    UnitType.PHYSIOTHERAPY: _("Physiotherapy clinic"),
    UnitType.MEDICAL_LAB: _("Medical laboratory clinic"),
    UnitType.DENTAL: _("Dental clinic"),
    UnitType.THAI_TRADITIONAL: _("Thai traditional medicine clinic"),
    UnitType.WARM_CLINIC: _("Warm community clinic"),
}

UNIT_STATUSES = {
    UnitStatus.PENDING: _("Pending verification"),
    UnitStatus.VERIFIED: _("Verified"),
    UnitStatus.SUSPENDED: _("Suspended"),
}

ROLES = {
    StaffRole.UNIT_ADMIN: _("Unit administrator"),
    StaffRole.CLINICIAN: _("Pharmacist / clinician"),
    StaffRole.CLERK: _("Clerk"),
}

# Keys of Unit.opening_hours, Monday first.
WEEKDAYS = [
    ("mon", _("Monday")),
    ("tue", _("Tuesday")),
    ("wed", _("Wednesday")),
    ("thu", _("Thursday")),
    ("fri", _("Friday")),
    ("sat", _("Saturday")),
    ("sun", _("Sunday")),
]


def is_english() -> bool:
    return (get_language() or "th").startswith("en")


def unit_type_label(value: str) -> str:
    return str(UNIT_TYPES.get(value, value))


def unit_status_label(value: str) -> str:
    return str(UNIT_STATUSES.get(value, value))


def role_label(value: str) -> str:
    return str(ROLES.get(value, value))


def province_name(province) -> str:
    return province.name_en if is_english() else province.name_th


def service_label(service) -> str:
    return f"{service.code} — {service.name_en if is_english() else service.name_th}"


def opening_hours_rows(opening_hours: dict | None, today_key: str) -> list[dict]:
    """One row per weekday: ``{"day", "hours": ["08:00–20:00", ...], "today": bool}``; empty hours = closed."""
    if not isinstance(opening_hours, dict):
        opening_hours = {}
    rows = []
    for key, name in WEEKDAYS:
        intervals = opening_hours.get(key) or []
        hours = [f"{pair[0]}–{pair[1]}" for pair in intervals
                 if isinstance(pair, list | tuple) and len(pair) == 2 and all(pair)]
        rows.append({"day": str(name), "hours": hours, "today": key == today_key})
    return rows
