"""Template filters of the portal: Bangkok local times and labels in the active language."""

from __future__ import annotations

import datetime as dt

from django import template
from django.middleware.csrf import get_token
from django.utils.html import format_html

from interfaces.portal import labels, person_ref
from interfaces.portal.permissions import FORM_UNIT_FIELD
from interfaces.portal.verify_subject import verify_url
from raksa.core.timeutil import BANGKOK

register = template.Library()


@register.filter
def hhmm(value: dt.datetime | None) -> str:
    """``10:30``: an instant as Bangkok wall-clock time (whatever the server's time zone)."""
    if not value:
        return ""
    return value.astimezone(BANGKOK).strftime("%H:%M")


@register.filter
def hhmm_end(value: dt.datetime | None) -> str:
    """Like :func:`hhmm` for the end of a slot: a slot ending at local midnight ends at ``24:00``."""
    text = hhmm(value)
    return "24:00" if text == "00:00" else text


@register.filter
def booking_status(value: str) -> str:
    return labels.booking_status_label(value)


@register.filter
def ticket_status(value: str) -> str:
    return labels.ticket_status_label(value)


@register.filter
def ticket_kind(value: str) -> str:
    return labels.ticket_kind_label(value)


@register.filter
def channel(value: str) -> str:
    return labels.channel_label(value)


@register.filter
def scheme(value: str) -> str:
    return labels.scheme_label(value)


@register.filter
def booking_action(value: str) -> str:
    return labels.booking_action_label(value)


@register.filter
def verify_method(value: str) -> str:
    return labels.verify_method_label(value)


@register.filter
def visit_status(value: str) -> str:
    return labels.visit_status_label(value)


@register.filter
def authen_groups(code: str) -> list[str]:
    """``PP1234567890`` -> ``["PP", "123", "456", "7890"]``: read aloud in short groups, like a phone number."""
    code = code or ""
    return [part for part in (code[:2], code[2:5], code[5:8], code[8:]) if part]


@register.filter
def weekday(value: dt.date) -> str:
    return labels.weekday_label(value) if value else ""


@register.filter
def service_name(service) -> str:
    return labels.service_label(service) if service else ""


@register.simple_tag(takes_context=True)
def portal_form(context) -> str:
    """Inside every portal form that posts: the CSRF token and the unit the page was made for
    (``on_unit``), which ``staff_required`` compares with the current unit (two tabs, one session)."""
    request = context["request"]
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
                       '<input type="hidden" name="{}" value="{}">',
                       get_token(request), FORM_UNIT_FIELD, request.portal.unit.pk)


@register.inclusion_tag("portal/_verify_action.html", takes_context=True)
def verify_action(context, citizen, booking=None):
    """On a queue card: the person's authen code when their visit here is open, else "ยืนยันตัวตน" (the verify
    page for them, with the booking's service). Needs ``open_visits`` (citizen id -> open visit) in the page."""
    if citizen is None:
        return {"visit": None, "href": None}
    visit = context.get("open_visits", {}).get(citizen.pk)
    href = None if visit else verify_url(person_ref.person_ref_make(context["request"], citizen), booking=booking)
    return {"visit": visit, "href": href}


@register.filter
def claim_status(value: str) -> str:
    from interfaces.portal.claim_display import claim_status_label

    return claim_status_label(value)
