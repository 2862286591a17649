"""The schedule editor (unit administrators only): weekly hours per service, and closed days."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from interfaces.portal import labels
from interfaces.portal.forms import ClosureForm, ScheduleForm
from interfaces.portal.permissions import staff_required
from interfaces.portal.views import unit_context
from raksa.booking import selectors as lookups
from raksa.booking.services import closure_add, schedule_set
from raksa.core.errors import DomainError
from raksa.core.thaidate import format_date
from raksa.core.timeutil import service_day
from raksa.units.models import StaffRole
from raksa.units.selectors import services_for_unit

ADMINS = (StaffRole.UNIT_ADMIN,)


def _render(request, *, services, service, form, closure_form, status=200):
    unit = request.portal.unit
    today = service_day()
    schedules = lookups.schedules_for_unit(unit)
    closures = lookups.closures_ahead(unit, today)
    to_move = lookups.active_bookings_per_day(unit, [c.day for c in closures])
    context = unit_context(request) | {
        "services": [{"service": s, "label": labels.service_label(s), "schedule": schedules.get(s.pk),
                      "current": service is not None and s.pk == service.pk} for s in services],
        "service": service,
        "service_label": labels.service_label(service) if service else "",
        "schedule": schedules.get(service.pk) if service else None,
        "form": form,
        "closure_form": closure_form,
        "closures": [{"closure": c, "to_move": to_move.get(c.day, 0)} for c in closures],
        "today": today,
    }
    return render(request, "portal/schedule.html", context, status=status)


def _chosen_service(request, services):
    code = request.POST.get("service") or request.GET.get("service") or ""
    if not code:
        return services[0] if services else None
    return next((s for s in services if s.code == code), None)


@require_http_methods(["GET", "POST"])
@staff_required(roles=ADMINS)
def schedule(request):
    unit = request.portal.unit
    services = list(services_for_unit(unit, on=service_day()))
    service = _chosen_service(request, services)
    if service is None and services:
        messages.error(request, _("Choose one of this unit's services from the list."))
        return redirect("portal:schedule")
    initial = ScheduleForm.initial_for(lookups.schedules_for_unit(unit).get(service.pk) if service else None)
    form = ScheduleForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and service is not None and form.is_valid():
        data = form.cleaned_data
        try:
            schedule_set(actor=request.user, unit=unit, service=service, weekly_hours=data["weekly_hours"],
                         slot_minutes=data["slot_minutes"], seats_per_slot=data["seats_per_slot"],
                         book_ahead_days=data["book_ahead_days"], min_notice_minutes=data["min_notice_minutes"])
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("The schedule of %(service)s was saved; the free times now follow it.")
                             % {"service": labels.service_label(service)})
            return redirect(reverse("portal:schedule") + f"?service={service.code}")
    return _render(request, services=services, service=service, form=form, closure_form=ClosureForm())


@require_POST
@staff_required(roles=ADMINS)
def closure(request):
    unit = request.portal.unit
    closure_form = ClosureForm(request.POST)
    if closure_form.is_valid():
        day = closure_form.cleaned_data["day"]
        try:
            _closure, to_move = closure_add(actor=request.user, unit=unit, day=day,
                                            reason=closure_form.cleaned_data["reason"])
        except DomainError as exc:
            closure_form.add_domain_error(exc)
        else:
            text = format_date(day, language=get_language() or "th")
            if to_move:
                messages.warning(request, ngettext(
                    "The unit is closed on %(day)s. %(count)d booking on that day must be moved or cancelled.",
                    "The unit is closed on %(day)s. %(count)d bookings on that day must be moved or cancelled.",
                    to_move) % {"day": text, "count": to_move})
            else:
                messages.success(request, _("The unit is closed on %(day)s. No bookings were made for that day.")
                                 % {"day": text})
            return redirect("portal:schedule")
    services = list(services_for_unit(unit, on=service_day()))
    service = services[0] if services else None
    form = ScheduleForm(initial=ScheduleForm.initial_for(lookups.schedules_for_unit(unit).get(service.pk)
                                                         if service else None))
    return _render(request, services=services, service=service, form=form, closure_form=closure_form)
