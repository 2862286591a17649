"""Verify a person at the counter (flow 1.1): the verify page, and the LINE confirmation QR with its state.

Who is verified and for which service travel with each request (:mod:`interfaces.portal.verify_subject`).
The page offers the face scan first (``views_face``) and the LINE confirmation as the fallback; a citizen
showing their rights QR is verified on the scan page (``views_rights_qr``). When the visit opens, the page
goes to its authen code (``views_visit``).
"""

from __future__ import annotations

import segno
from django.conf import settings
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from interfaces.line import confirm_links
from interfaces.portal.permissions import staff_required
from interfaces.portal.verify_subject import Subject, json_error, subject_read, verify_url
from interfaces.portal.views import error_text, unit_context
from raksa.core.errors import DomainError, NotFound
from raksa.core.timeutil import service_day
from raksa.eligibility.services import eligibility_check
from raksa.people.faces import face_template_of
from raksa.verification import errors as verify_errors
from raksa.verification.attempts import failed_face_tries, line_fallback_at_once
from raksa.verification.face import line_fallback_offered
from raksa.verification.line_confirm import line_confirmation_issue, line_confirmation_state
from raksa.verification.models import ConfirmationPurpose
from raksa.verification.visits import check_not_open_elsewhere

POLL_MS = 1000


def lost_response(request, exc: DomainError):
    """The page's person reference is not valid for this login and unit (or the booking/service is not this
    unit's): say so and send staff back to the rights check. Nothing was done."""
    context = unit_context(request) | {"error": error_text(exc)}
    return render(request, "portal/verify_lost.html", context, status=exc.status)


def confirmation_url(request, token: str) -> str:
    """The LINE confirmation QR's payload: ``https://<this host>/line/confirm/?t=<token>``, Raksa's own page that
    sends the phone on to the LIFF confirm page (through LINE's LIFF URL in production, straight to it with the
    stand-in). Any camera or LINE's QR reader opens it, and the LIFF scanner takes the token out of it: the
    LIFF pages' own helper builds it."""
    return confirm_links.confirm_url(request, token)


def confirmation_qr_svg(request, token: str) -> str:
    """The LINE confirmation QR as inline SVG."""
    return segno.make(confirmation_url(request, token), error="m").svg_inline(
        scale=5, border=4, dark="#000", light="#fff", title="QR", omitsize=True)  # sized by portal.css


@require_GET
@staff_required
def verify(request):
    """The verify page for the person of ``p`` and a service (``service`` code or ``booking`` reference)."""
    today = service_day()
    try:
        subject = subject_read(request, request.GET, today=today)
    except DomainError as exc:
        return lost_response(request, exc)
    unit, citizen = request.portal.unit, subject.citizen
    context = unit_context(request) | {"subject": subject, "citizen": citizen, "today": today}
    try:
        held = check_not_open_elsewhere(citizen_id=citizen.pk, unit_id=unit.pk)
    except DomainError as exc:
        return render(request, "portal/verify.html", context | {"refusal": error_text(exc)}, status=exc.status)
    if held is not None:  # already verified here today: the same authen code
        return redirect("portal:visit", visit_id=held.pk)
    if subject.service is None:
        return render(request, "portal/verify.html", context | {"choose_service": True})
    decision = eligibility_check(citizen=citizen, unit=unit, service=subject.service, on=today)
    context |= {"decision": decision, "reasons": decision.messages(get_language())}
    if decision.eligible:
        context |= _verify_options(request, subject)
    return render(request, "portal/verify.html", context)


def _verify_options(request, subject: Subject) -> dict:
    """Face first; the LINE confirmation first instead when it is offered already (under 15, 60 and over, the face
    tries used up, no reference face) and the person has LINE linked."""
    unit, citizen = request.portal.unit, subject.citizen
    linked = bool(citizen.line_user_id)
    failed = failed_face_tries(citizen_id=citizen.pk, unit_id=unit.pk)
    return {
        "line_first": linked and line_fallback_offered(citizen=citizen, unit=unit),
        "line_at_once": linked and line_fallback_at_once(citizen, service_day()),
        "tries_used_up": failed >= settings.RAKSA_FACE_MAX_TRIES,
        # The counter may fetch the reference (views_face.verify_face_reference); the scan's verdict, shared with the
        # API, says only to use LINE (HINTS["no_reference"]).
        "no_reference": _("This person has no reference face yet: fetch it from the civil registry below, or use "
                          "the LINE confirmation.") if face_template_of(citizen.pk) is None else "",
        "failed_tries": failed,
        "max_tries": settings.RAKSA_FACE_MAX_TRIES,
        "line_linked": linked,
        "line_not_linked": verify_errors.line_not_linked().message(get_language()),
        "scan_url": reverse("portal:verify_scan") + (f"?service={subject.service.code}" if subject.service else ""),
    }


@require_POST
@staff_required
def verify_line(request):
    """Issue the LINE confirmation QR (purpose ``identity``) for the posted person and service, and show it;
    the page polls :func:`confirmation_state` and goes to the authen code when the citizen confirms."""
    today = service_day()
    try:
        subject = subject_read(request, request.POST, today=today)
    except DomainError as exc:
        return lost_response(request, exc)
    back = verify_url(subject.ref, service=subject.service, booking=subject.booking)
    try:
        issued = line_confirmation_issue(actor=request.user, unit=request.portal.unit, citizen=subject.citizen,
                                         purpose=ConfirmationPurpose.IDENTITY, service=subject.service,
                                         booking=subject.booking)
    except DomainError as exc:
        messages.error(request, error_text(exc))
        return redirect(back)
    return confirmation_page(request, issued, subject=subject, back_url=back)


def confirmation_page(request, issued, *, subject: Subject | None = None, visit=None, back_url: str):
    """The QR page of an issued LINE confirmation (identity or service)."""
    row = issued.confirmation
    seconds = max(0, int((row.expires_at - timezone.now()).total_seconds()))
    context = unit_context(request) | {
        "confirmation": row,
        "purpose": row.purpose,
        "citizen": row.citizen,
        "service": row.service or (visit.service if visit else None),
        "subject": subject,
        "visit": visit,
        "svg": confirmation_qr_svg(request, issued.token),
        "qr_text": confirmation_url(request, issued.token),
        "seconds": seconds,
        "state_url": reverse("portal:confirmation_state", args=[row.pk]),
        "poll_ms": POLL_MS,
        "back_url": back_url,
    }
    return render(request, "portal/verify_line.html", context)


@require_GET
@staff_required
def confirmation_state(request, confirmation_id: int):
    """What the QR page shows while it waits (polled every second): ``{state, authen_code, visit_url}``;
    404 for a confirmation of another unit."""
    state = line_confirmation_state(confirmation_id=confirmation_id, unit=request.portal.unit)
    if state is None:
        return json_error(NotFound("No such confirmation QR at this unit.", "ไม่พบ QR ยืนยันนี้ที่หน่วยบริการนี้",
                                   code="CONFIRMATION_NOT_FOUND"))
    visit_url = reverse("portal:visit", args=[state.visit_id]) if state.visit_id else None
    return JsonResponse({"state": state.state, "authen_code": state.authen_code, "visit_url": visit_url})

