"""Booking for a citizen (seed 2.2 / 3.2), booking search, a booking's page and its actions.

The citizen being booked for travels with the page: a signed reference (``person_ref``) in its links and
forms, never the national ID and never the session, so two tabs of one login each book for the citizen
they show. The ID is only ever posted. Booking pages are addressed by the booking reference and always
looked up within the current unit, so staff of another unit get "not found".
"""

from __future__ import annotations

import datetime as dt
import functools

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from interfaces.portal import person_ref
from interfaces.portal.forms import BookingPickForm, BookingSearchForm, CitizenFindForm, DayForm, SlotForm
from interfaces.portal.permissions import staff_required
from interfaces.portal.views import error_text, unit_context
from raksa.booking import errors as booking_errors
from raksa.booking import selectors as lookups
from raksa.booking.models import BookingChannel
from raksa.booking.queue import booking_check_in
from raksa.booking.services import (
    booking_can_move,
    booking_cancel,
    booking_confirm,
    booking_create,
    booking_mark_no_show,
    booking_reschedule,
    waitlist_join,
)
from raksa.booking.slots import booking_day_check, slots_free, slots_full
from raksa.core.errors import DomainError
from raksa.core.timeutil import service_day
from raksa.eligibility.services import eligibility_check
from raksa.people.models import Scheme
from raksa.people.selectors import citizen_get_by_national_id, coverage_on
from raksa.units.selectors import services_for_unit

DAYS_SHOWN = 7


def _not_found(request):
    return render(request, "portal/booking_not_found.html", unit_context(request), status=404)


def _week(today: dt.date) -> list[dt.date]:
    return [today + dt.timedelta(days=offset) for offset in range(DAYS_SHOWN)]


# --- book for a citizen -----------------------------------------------------------------------------

PERSON_LOST = gettext_noop("This page no longer names a citizen you may book for (it has expired or was made for "
                           "another login or unit). Enter the national ID again.")


@require_http_methods(["GET", "POST"])
@staff_required
def book(request):
    """Step 1 (POST national ID) finds the citizen; step 2 (GET ?p=<reference>&service&day) shows the
    rights first and then the free times; a time is booked by POST (action=book, with the reference)."""
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "book":
            return _book_slot(request)
        if action == "waitlist":
            return _book_slot(request, waitlist=True)
        return _book_find(request)

    ref = request.GET.get(person_ref.PARAM)
    if not ref:
        return _render_step1(request, CitizenFindForm())
    citizen = person_ref.person_ref_read(request, ref)
    if citizen is None:
        return _render_step1(request, CitizenFindForm(), notice=_(PERSON_LOST))
    unit = request.portal.unit
    today = service_day()
    services = list(services_for_unit(unit, on=today))
    data = {"service": request.GET.get("service", ""), "day": request.GET.get("day", today.isoformat())}
    if not data["service"] and len(services) == 1:
        data["service"] = services[0].code
    form = BookingPickForm(data if data["service"] or "day" in request.GET else None, services=services,
                           initial={"day": today.isoformat()})
    decision = slots = service = None
    full_slots = []
    if form.is_bound and form.is_valid():
        service = next(s for s in services if s.code == form.cleaned_data["service"])
        day = form.cleaned_data["day"]
        decision = eligibility_check(citizen=citizen, unit=unit, service=service, on=day)
        if decision.eligible:
            try:
                booking_day_check(unit_id=unit.pk, service_id=service.pk, day=day)
            except DomainError as exc:
                form.add_error("day", error_text(exc))
            else:
                slots = slots_free(unit_id=unit.pk, service_id=service.pk, day=day)
                full_slots = slots_full(unit_id=unit.pk, service_id=service.pk, day=day)
    coverage = coverage_on(citizen, today)  # the right in force today, shown before anything else
    if coverage is not None and not coverage.covers(today):
        coverage = None
    context = unit_context(request) | {
        "citizen": citizen,
        "person_ref": ref,
        "coverage": coverage,
        "coverage_is_ucs": coverage is not None and coverage.scheme == Scheme.UCS,
        "form": form,
        "services": services,
        "service": service,
        "decision": decision,
        "reasons": decision.messages(get_language()) if decision else [],
        "slots": slots,
        "full_slots": full_slots,
        "today": today,
        "week": [(d, person_ref.book_url(ref, service=service.code, day=d.isoformat()) if service else "")
                 for d in _week(today)],
        "chosen_day": form.cleaned_data.get("day") if form.is_bound and form.is_valid() else None,
        "active_bookings": lookups.bookings_of_citizen_at_unit(unit, citizen.pk, active_only=True),
    }
    return render(request, "portal/book.html", context)


def _render_step1(request, form, notice: str = ""):
    return render(request, "portal/book_find.html", unit_context(request) | {"form": form, "notice": notice})


def _book_find(request):
    form = CitizenFindForm(request.POST)
    if form.is_valid():
        try:
            citizen = citizen_get_by_national_id(form.cleaned_data["national_id"])
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            return redirect(person_ref.book_url(person_ref.person_ref_make(request, citizen)))
    return _render_step1(request, form)


def _book_slot(request, waitlist: bool = False):
    ref = request.POST.get(person_ref.PARAM, "")
    citizen = person_ref.person_ref_read(request, ref)
    if citizen is None:
        messages.error(request, _(PERSON_LOST))
        return redirect("portal:book")
    back = person_ref.book_url(ref, **{key: request.POST.get(key, "")[:32] for key in ("service", "day")})
    form = SlotForm(request.POST)
    slot = lookups.slot_for_unit(request.portal.unit, form.cleaned_data["slot"]) if form.is_valid() else None
    if slot is None:
        messages.error(request, error_text(booking_errors.slot_not_found()))
        return redirect(back)
    if waitlist:
        try:
            entry = waitlist_join(actor=request.user, citizen=citizen, slot_id=slot.pk)
        except DomainError as exc:
            messages.error(request, error_text(exc))
        else:
            text = _("On the waiting list, number %(position)s. When a seat frees, the citizen is offered it "
                     "and asked to confirm.")
            messages.success(request, text % {"position": lookups.waitlist_position(entry)})
        return redirect(back)
    try:
        booking = booking_create(actor=request.user, citizen=citizen, slot_id=slot.pk, channel=BookingChannel.PORTAL)
    except DomainError as exc:
        messages.error(request, error_text(exc))
        return redirect(back)
    messages.success(request, _("Booked for %(name)s. Booking reference %(reference)s.")
                     % {"name": citizen.full_name, "reference": booking.reference})
    return redirect("portal:booking", reference=booking.reference)


# --- search ----------------------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
@staff_required
def bookings(request):
    """This unit's bookings of one day (GET ?day=), or found by reference or national ID (POST)."""
    unit = request.portal.unit
    today = service_day()
    search_form = BookingSearchForm(request.POST or None)
    found = found_citizen = None
    if request.method == "POST" and search_form.is_valid():
        query = search_form.cleaned_data["query"]
        if search_form.is_national_id():
            try:
                found_citizen = citizen_get_by_national_id(query)
            except DomainError as exc:
                search_form.add_error("query", error_text(exc))
            else:
                found = lookups.bookings_of_citizen_at_unit(unit, found_citizen.pk)
                search_form = BookingSearchForm()  # the full national ID is not echoed back
        else:
            booking = lookups.booking_for_unit(unit, query)
            if booking is not None:
                return redirect("portal:booking", reference=booking.reference)
            search_form.add_error("query", _("No booking with this reference at this unit."))
    day_form = DayForm(request.GET if "day" in request.GET else {"day": today.isoformat()})
    day = day_form.cleaned_data["day"] if day_form.is_valid() else today
    context = unit_context(request) | {
        "search_form": search_form,
        "found": found,
        "found_citizen": found_citizen,
        "day_form": day_form,
        "day": day,
        "today": today,
        "previous_day": day - dt.timedelta(days=1),
        "next_day": day + dt.timedelta(days=1),
        "day_bookings": lookups.bookings_on_day(unit, day),
    }
    return render(request, "portal/bookings.html", context)


# --- one booking -----------------------------------------------------------------------------------

@require_http_methods(["GET"])
@staff_required
def booking(request, reference: str):
    unit = request.portal.unit
    booking = lookups.booking_for_unit(unit, reference)
    if booking is None:
        return _not_found(request)
    now = timezone.now()
    today = service_day(now)
    can_move = booking_can_move(booking)
    day_form = DayForm(request.GET if "day" in request.GET else {"day": max(booking.day, today).isoformat()})
    move_day = day_form.cleaned_data["day"] if day_form.is_valid() else booking.day
    move_slots = None
    if can_move and day_form.is_valid():
        try:
            booking_day_check(unit_id=unit.pk, service_id=booking.service_id, day=move_day, now=now)
        except DomainError as exc:
            day_form.add_error("day", error_text(exc))
        else:
            move_slots = [s for s in slots_free(unit_id=unit.pk, service_id=booking.service_id, day=move_day,
                                                now=now) if s.pk != booking.slot_id]
    context = unit_context(request) | {
        "booking": booking,
        "now": now,
        "today": today,
        "started": booking.slot.starts_at <= now,
        "can_move": can_move,
        "day_form": day_form,
        "move_day": move_day,
        "move_slots": move_slots,
        "week": _week(today),
        "ticket_label": lookups.booking_ticket_label(booking),
        "history": lookups.booking_history(booking),
    }
    return render(request, "portal/booking.html", context)


BOOKING_ACTIONS = {
    # action: (domain function, message on success)
    "confirm": (functools.partial(booking_confirm, via="in_person"),
                gettext_noop("Booking %(reference)s is confirmed (the citizen confirmed in person).")),
    "cancel": (booking_cancel, gettext_noop("Booking %(reference)s was cancelled; the seat is free again.")),
    "no-show": (booking_mark_no_show, gettext_noop("Booking %(reference)s was marked as did not come.")),
    "check-in": (booking_check_in, gettext_noop("Booking %(reference)s has arrived: queue ticket %(ticket)s.")),
    "confirm-check-in": (functools.partial(booking_check_in, confirm_in_person=True),
                         gettext_noop("Booking %(reference)s was confirmed in person and has arrived: queue ticket "
                                      "%(ticket)s.")),
}


@require_POST
@staff_required
def booking_action(request, reference: str, action: str):
    """Confirm in person, cancel, mark as no-show, check in (confirming in person first when the citizen has
    not confirmed in LINE) one booking of the current unit."""
    if action not in BOOKING_ACTIONS:
        return _not_found(request)
    booking = lookups.booking_for_unit(request.portal.unit, reference)
    if booking is None:
        return _not_found(request)
    function, message = BOOKING_ACTIONS[action]
    try:
        result = function(actor=request.user, booking_id=booking.pk)
    except DomainError as exc:
        messages.error(request, error_text(exc))
    else:
        ticket = getattr(result, "label", "")
        messages.success(request, _(message) % {"reference": booking.reference, "ticket": ticket})
    if request.POST.get("next") == "queue":
        return redirect("portal:queue")
    return redirect("portal:booking", reference=booking.reference)


@require_POST
@staff_required
def booking_move(request, reference: str):
    """Move a booking to another free time of the same service (the domain refuses anything else)."""
    booking = lookups.booking_for_unit(request.portal.unit, reference)
    if booking is None:
        return _not_found(request)
    form = SlotForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a time from the list."))
        return redirect("portal:booking", reference=booking.reference)
    try:
        moved = booking_reschedule(actor=request.user, booking_id=booking.pk, new_slot_id=form.cleaned_data["slot"])
    except DomainError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Booking %(reference)s was moved.") % {"reference": moved.reference})
    return redirect("portal:booking", reference=booking.reference)
