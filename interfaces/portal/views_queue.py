"""Today's queue (seed 3.1): who is being served, who waits, which bookings are still to come.

Every button posts (with CSRF) to a view that calls one domain function and redirects back to the
queue with a message (post/redirect/get), so a reload never repeats an action. The lists are
refreshed in place by ``static/portal/queue.js`` from :func:`queue_live` every few seconds.
"""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_POST

from interfaces.portal import person_ref
from interfaces.portal.forms import RightsQrForm
from interfaces.portal.permissions import FORM_UNIT_FIELD, staff_required
from interfaces.portal.views import error_text, unit_context
from raksa.booking.display import display_token_for
from raksa.booking.models import TicketStatus
from raksa.booking.queue import ticket_call_next, ticket_issue_walk_in, ticket_move
from raksa.booking.selectors import queue_today
from raksa.core.errors import DomainError
from raksa.core.timeutil import BANGKOK, service_day
from raksa.units.selectors import services_for_unit
from raksa.verification.models import VisitStatus
from raksa.verification.selectors import visits_of_unit_today

LIVE_INTERVAL_MS = 5000


def board_url(request, unit) -> str:
    """The queue display board's absolute link (/display/<token>/, no login)."""
    return request.build_absolute_uri(reverse("display:board", args=[display_token_for(unit)]))


def _queue_context(request) -> dict:
    unit = request.portal.unit
    now = timezone.now()
    queue = queue_today(unit=unit, now=now)
    visits = visits_of_unit_today(unit=unit, now=now)
    state = (
        [(t.pk, t.status) for t in queue["called"] + queue["waiting"]],
        [(b.pk, b.status, b.slot_id, b.slot.starts_at <= now) for b in queue["expected"]],
        len(queue["finished"]),
        [(v.pk, v.status) for v in visits],
    )
    return {
        "queue": queue,
        "visits": visits,
        "open_visits": {v.citizen_id: v for v in visits if v.status == VisitStatus.OPEN},
        "now": now,
        "version": hashlib.sha256(repr(state).encode()).hexdigest()[:16],
        "ticket_status": TicketStatus,
    }


@require_GET
@staff_required
def queue(request):
    services = list(services_for_unit(request.portal.unit, on=service_day()))
    context = unit_context(request) | _queue_context(request) | {
        "board_url": board_url(request, request.portal.unit),
        "live_interval": LIVE_INTERVAL_MS,
        "form": RightsQrForm(services=services),  # the USB scanner types the rights QR here
        "several_services": len(services) > 1,
    }
    return render(request, "portal/queue.html", context)


@require_GET
@staff_required
def queue_live(request):
    """The lists as an HTML fragment in JSON, with a version so the page re-renders only on change.

    The page names its unit (``?on_unit=``): after a switch to another unit in another tab, this page
    gets 409 ``UNIT_CHANGED`` and says so, instead of showing the other unit's queue under its header."""
    if request.GET.get(FORM_UNIT_FIELD) != str(request.portal.unit.pk):
        return JsonResponse({"code": "UNIT_CHANGED",
                             "message": _("The current unit was switched in another tab or window: reload this "
                                          "page.")}, status=409)
    context = unit_context(request) | _queue_context(request)
    html = render_to_string("portal/_queue_lists.html", context, request=request)
    updated = timezone.now().astimezone(BANGKOK).strftime("%H:%M:%S")
    return JsonResponse({"version": context["version"], "html": html, "updated": updated})


@require_POST
@staff_required
def queue_walk_in(request):
    """An anonymous walk-in ticket, or one for the person a rights check found (``p``, signed)."""
    citizen = None
    if request.POST.get(person_ref.PARAM):
        citizen = person_ref.person_ref_read(request, request.POST[person_ref.PARAM])
        if citizen is None:
            messages.error(request, _("No ticket was issued: the rights check page is out of date. Check the "
                                      "person's rights again."))
            return redirect("portal:home")
    try:
        ticket = ticket_issue_walk_in(actor=request.user, unit=request.portal.unit, citizen=citizen)
    except DomainError as exc:
        messages.error(request, error_text(exc))
    else:
        if citizen is None:
            text = _("Walk-in ticket %(label)s issued. Give the number to the citizen.")
        else:
            text = _("Walk-in ticket %(label)s issued for %(name)s. Give the number to them.")
        messages.success(request, text % {"label": ticket.label, "name": citizen.full_name if citizen else ""})
    return redirect("portal:queue")


@require_POST
@staff_required
def queue_call_next(request):
    try:
        ticket = ticket_call_next(actor=request.user, unit=request.portal.unit)
    except DomainError as exc:
        messages.error(request, error_text(exc))
    else:
        if ticket is None:
            messages.info(request, _("No one is waiting."))
        else:
            messages.success(request, _("Calling number %(label)s.") % {"label": ticket.label})
    return redirect("portal:queue")


MOVE_MESSAGES = {  # translated when shown
    TicketStatus.CALLED: gettext_noop("Calling number %(label)s."),
    TicketStatus.IN_SERVICE: gettext_noop("Serving number %(label)s."),
    TicketStatus.DONE: gettext_noop("Number %(label)s is done."),
    TicketStatus.LEFT: gettext_noop("Number %(label)s has left the queue."),
}


@require_POST
@staff_required
def ticket_change(request, ticket_id: int):
    """Call (again), start service, finish, or mark as left: one ticket of the current unit only."""
    try:
        ticket = ticket_move(actor=request.user, ticket_id=ticket_id, unit=request.portal.unit,
                             status=request.POST.get("status", ""))
    except DomainError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _(MOVE_MESSAGES[ticket.status]) % {"label": ticket.label})
    return redirect("portal:queue")

