"""Unit-staff portal pages. Thin: parse, check permission, call one domain function, render."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods, require_POST

from interfaces.portal import labels, person_ref
from interfaces.portal.forms import RightsCheckForm
from interfaces.portal.permissions import SESSION_UNIT_KEY, page_context, staff_required
from interfaces.portal.verify_subject import verify_url
from raksa.booking.models import BookingStatus
from raksa.booking.queue import open_ticket_of
from raksa.booking.selectors import bookings_of_citizen_at_unit
from raksa.claims.selectors_portal import unsent_visits
from raksa.core.errors import DomainError
from raksa.core.timeutil import service_day
from raksa.eligibility.selectors import eligibility_check_by_ids
from raksa.people.selectors import citizen_get_by_national_id
from raksa.units.models import UnitStatus
from raksa.units.selectors import services_for_unit
from raksa.verification.errors import visit_open_elsewhere
from raksa.verification.selectors import open_visit_of


def unit_context(request) -> dict:
    """What every portal page shows about the current unit and the user's role in it."""
    unit = request.portal.unit
    return page_context(request) | {"unit_type_label": labels.unit_type_label(unit.unit_type),
                                    "province_name": labels.province_name(unit.province)}


_unit_context = unit_context


def error_text(exc: DomainError) -> str:
    """A domain error as a sentence in the active language."""
    return exc.message(get_language())


@require_http_methods(["GET", "POST"])
@staff_required
def home(request):
    """Seed step 3.1 (หน้าหลัก) with the rights check of step 3.2 (ตรวจสอบบริการ)."""
    unit = request.portal.unit
    today = service_day()
    services = list(services_for_unit(unit, on=today))
    result = None
    if request.method == "POST":
        form = RightsCheckForm(request.POST, services=services)
        if form.is_valid():
            data = form.cleaned_data
            try:
                decision = eligibility_check_by_ids(national_id=data["national_id"], hcode=unit.hcode,
                                                    service_code=data["service"], on=data["date"])
                citizen = citizen_get_by_national_id(data["national_id"])
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                service = next(s for s in services if s.code == data["service"])
                result = {
                    "eligible": decision.eligible,
                    "day": decision.day,
                    "reasons": decision.messages(get_language()),
                    "citizen_name": citizen.full_name,
                    "cid_masked": citizen.cid_masked,
                    "service": labels.service_label(service),
                } | (_next_actions(request, citizen, service, decision.day, today) if decision.eligible else {})
                # A fresh form: the full national ID is not echoed back into the page.
                form = RightsCheckForm(initial={"service": data["service"], "date": data["date"]},
                                       services=services)
    else:
        # One service (a pharmacy's usual case): chosen already, one step less at the counter.
        form = RightsCheckForm(initial={"date": today, "service": services[0].code if len(services) == 1 else ""},
                               services=services)
    context = _unit_context(request) | {
        "today": today,
        "opening_hours": labels.opening_hours_rows(unit.opening_hours, labels.WEEKDAYS[today.weekday()][0]),
        "form": form,
        "has_services": bool(services),
        "result": result,
        "unsent": unsent_visits(unit=unit),
    }
    return render(request, "portal/home.html", context)


def _next_actions(request, citizen, service, day, today) -> dict:
    """What the counter can do next for an eligible person, carrying them by a signed reference: book a
    time (that service and day), give a walk-in ticket (checked for today), or check in their booking."""
    ref = person_ref.person_ref_make(request, citizen)
    active_today = [b for b in bookings_of_citizen_at_unit(request.portal.unit, citizen.pk, active_only=True)
                    if b.day == today]
    booked_today = [b for b in active_today if b.status in (BookingStatus.CONFIRMED, BookingStatus.AWAITING_CITIZEN)]
    in_queue = open_ticket_of(unit_id=request.portal.unit.pk, day=today, citizen_id=citizen.pk)
    held = open_visit_of(citizen.pk)  # verified today: here (its authen code) or at another unit (who holds it)
    return {
        "person_ref": ref,
        "open_visit": held if held is not None and held.unit_id == request.portal.unit.pk else None,
        "open_elsewhere": visit_open_elsewhere(held.unit.name).message(get_language())
        if held is not None and held.unit_id != request.portal.unit.pk else "",
        "verify_url": verify_url(ref, service=service) if day == today and held is None else "",
        "book_url": person_ref.book_url(ref, service=service.code, day=day.isoformat()),
        "in_queue": in_queue,
        "walk_in": day == today and not active_today and in_queue is None,
        "booked_today": booked_today[0] if booked_today else None,
        "check_in_action": "check-in" if booked_today and booked_today[0].status == BookingStatus.CONFIRMED
        else "confirm-check-in",
    }


@require_http_methods(["GET"])
@staff_required(require_verified=False)
def registration(request):
    """Why a unit whose registration is not verified cannot serve, and the way back to Web OSS."""
    if request.portal.unit.is_verified:
        return redirect("portal:home")
    context = _unit_context(request) | {
        "suspended": request.portal.unit.status == UnitStatus.SUSPENDED,
        "registration_url": settings.RAKSA_REGISTRATION_URL,
    }
    return render(request, "portal/registration.html", context)


@require_POST
@staff_required(require_verified=False, check_unit=False)
def switch_unit(request):
    """Make another of the user's units the current one; a unit they do not belong to is refused."""
    membership = request.portal.membership_for(request.POST.get("unit", ""))
    if membership is None:
        return render(request, "portal/switch_refused.html", _unit_context(request), status=403)
    request.session[SESSION_UNIT_KEY] = membership.unit_id
    return redirect("portal:home")
