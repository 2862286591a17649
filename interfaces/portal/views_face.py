"""Face verification at the counter (FVS, flow 1.1): the verify page's script posts 4–6 webcam frames taken
over ~2 s while the person turns their head slightly and back; ``visit_open_by_face`` answers with a verdict.
A person without a reference face gets one from the civil registry first (``verify_face_reference``).

JSON for the page's script: the verdict ``{verified, outcome, code, message, message_en, text, failed_tries,
max_tries, line_fallback, visit_url}``, or a refusal ``{code, message, message_en, field, text}`` with its
status (bad images 422, not eligible / open elsewhere 409, the face engine down 503: the page then offers
the LINE confirmation).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from interfaces.portal.permissions import staff_required
from interfaces.portal.verify_subject import json_error, subject_read, verify_url
from interfaces.portal.views import error_text
from interfaces.portal.views_verify import lost_response
from raksa.core.errors import DomainError
from raksa.core.timeutil import service_day
from raksa.people.face_fetch import face_template_fetch
from raksa.people.faces import face_template_of
from raksa.verification.errors import service_needed
from raksa.verification.face import visit_open_by_face


def _frames(request) -> list[bytes]:
    """The uploaded frames' bytes. At most one frame over the limit is read (the domain refuses the count),
    and no more than one byte over the size limit of each (the domain refuses the size)."""
    uploads = request.FILES.getlist("frames")[: settings.RAKSA_FACE_MAX_FRAMES + 1]
    return [upload.read(settings.RAKSA_FACE_MAX_FRAME_BYTES + 1) for upload in uploads]


@require_POST
@staff_required
def verify_face(request):
    try:
        subject = subject_read(request, request.POST, today=service_day())
        if subject.service is None:
            raise service_needed()
        verdict = visit_open_by_face(actor=request.user, unit=request.portal.unit, citizen=subject.citizen,
                                     service=subject.service, frames=_frames(request), booking=subject.booking)
    except DomainError as exc:
        return json_error(exc)
    english = (get_language() or "th").startswith("en")
    if verdict.visit is not None:
        messages.success(request, verdict.message_en if english else verdict.message)
    return JsonResponse({
        "verified": verdict.visit is not None,
        "outcome": verdict.outcome,
        "code": verdict.code,
        "message": verdict.message,
        "message_en": verdict.message_en,
        "text": verdict.message_en if english else verdict.message,
        "failed_tries": verdict.failed_tries,
        "max_tries": settings.RAKSA_FACE_MAX_TRIES,
        "line_fallback": verdict.line_fallback,
        "visit_url": reverse("portal:visit", args=[verdict.visit.pk]) if verdict.visit else None,
    })


@require_POST
@staff_required
def verify_face_reference(request):
    """The button "Fetch the reference photo from the civil registry", for a person without a reference face: the
    photo is fetched, encoded and dropped (``face_template_fetch``: only the encrypted encoding is kept, audited as
    this staff member), then back to the verify page, where the face scan can start. A button rather than a fetch on
    the first scan: storing someone's biometric reference is a step staff take knowingly, with the person at the
    counter; the registry's own failures (unknown person, unreachable) then read as such and cost no face try."""
    try:
        subject = subject_read(request, request.POST, today=service_day())
    except DomainError as exc:
        return lost_response(request, exc)
    back = verify_url(subject.ref, service=subject.service, booking=subject.booking)
    if face_template_of(subject.citizen.pk) is not None:  # another tab fetched it already
        return redirect(back)
    try:
        face_template_fetch(actor=request.user, citizen=subject.citizen)
    except DomainError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("The reference face was taken from the civil registry photo (the photo is not "
                                    "kept). Start the face scan."))
    return redirect(back)
