"""Labels for the portal in the active language (the models' own labels are fixed Thai/English pairs)."""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from raksa.booking.models import BookingChannel, BookingStatus, TicketKind, TicketStatus
from raksa.people.models import Scheme
from raksa.units.models import StaffRole, UnitStatus, UnitType
from raksa.verification.models import VerifyMethod, VisitStatus

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

BOOKING_STATUSES = {
    BookingStatus.AWAITING_CITIZEN: _("Awaiting the citizen's confirmation"),
    BookingStatus.CONFIRMED: _("Confirmed"),
    BookingStatus.CHECKED_IN: _("Arrived"),
    BookingStatus.COMPLETED: _("Served"),
    BookingStatus.CANCELLED: _("Cancelled"),
    BookingStatus.DECLINED: _("Declined by the citizen"),
    BookingStatus.EXPIRED: _("Not confirmed in time"),
    BookingStatus.NO_SHOW: _("Did not come"),
}

TICKET_STATUSES = {
    TicketStatus.WAITING: _("Waiting"),
    TicketStatus.CALLED: _("Called"),
    TicketStatus.IN_SERVICE: _("In service"),
    TicketStatus.DONE: _("Done"),
    TicketStatus.LEFT: _("Left the queue"),
}

TICKET_KINDS = {
    TicketKind.WALK_IN: _("Walk-in"),
    TicketKind.BOOKING: _("Booked ahead"),
}

CHANNELS = {
    BookingChannel.LINE: _("Citizen in LINE"),
    BookingChannel.PORTAL: _("Booked by the unit"),
    BookingChannel.API: _("Unit software (API)"),
    BookingChannel.WAITLIST: _("From the waiting list"),
}

SCHEMES = {
    Scheme.UCS: _("Universal Coverage (gold card)"),
    Scheme.OFC: _("Civil servant"),
    Scheme.LGO: _("Local government"),
    Scheme.SSS: _("Social security"),
    Scheme.SOE: _("State enterprise"),
    Scheme.NRH: _("Other right"),
}

VERIFY_METHODS = {
    VerifyMethod.FACE: _("Face scan"),
    VerifyMethod.LINE: _("Confirmed in LINE"),
    VerifyMethod.RIGHTS_QR: _("Rights QR"),
}

VISIT_STATUSES = {
    VisitStatus.OPEN: _("Open"),
    VisitStatus.CLAIMED: _("Claim sent"),
    VisitStatus.NO_SERVICE: _("Closed without service"),
    VisitStatus.LAPSED: _("Lapsed at the end of the day"),
}

# Audit actions shown in a booking's history.
BOOKING_ACTIONS = {
    "booking.create": _("Booked"),
    "booking.confirm": _("Confirmed"),
    "booking.cancel": _("Cancelled"),
    "booking.decline": _("Declined by the citizen"),
    "booking.reschedule": _("Moved to another time"),
    "booking.no_show": _("Marked as did not come"),
    "booking.expire": _("Not confirmed in time; the seat was released"),
    "booking.check_in": _("Arrived: queue ticket issued"),
    "waitlist.offer": _("Offered from the waiting list"),
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


def booking_status_label(value: str) -> str:
    return str(BOOKING_STATUSES.get(value, value))


def ticket_status_label(value: str) -> str:
    return str(TICKET_STATUSES.get(value, value))


def ticket_kind_label(value: str) -> str:
    return str(TICKET_KINDS.get(value, value))


def channel_label(value: str) -> str:
    return str(CHANNELS.get(value, value))


def scheme_label(value: str) -> str:
    return str(SCHEMES.get(value, value))


def booking_action_label(value: str) -> str:
    return str(BOOKING_ACTIONS.get(value, value))


def weekday_label(day) -> str:
    return str(WEEKDAYS[day.weekday()][1])


def verify_method_label(value: str) -> str:
    return str(VERIFY_METHODS.get(value, value))


def visit_status_label(value: str) -> str:
    return str(VISIT_STATUSES.get(value, value))
