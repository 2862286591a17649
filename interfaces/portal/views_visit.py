"""A visit's page: the authen code, large, to copy or read aloud; the citizen's LINE confirmation of the
service (seed 3.4); closing without service; the service record that sends the visit's claim (flow 1.2; the
form is interfaces/portal/service_record.py, sending it interfaces/portal/views_claims.py), and once sent, the
claim's decision.

Visits are looked up within the current unit only: another unit's visit is "not found".
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from interfaces.portal.claim_display import can_correct, reasons_of
from interfaces.portal.permissions import staff_required
from interfaces.portal.service_record import Preview, ServiceRecordForm
from interfaces.portal.views import error_text, unit_context
from interfaces.portal.views_verify import confirmation_page
from raksa.claims.selectors_portal import current_claim_of_visit
from raksa.core.errors import DomainError
from raksa.core.timeutil import service_day
from raksa.verification.line_confirm import line_confirmation_issue
from raksa.verification.models import ConfirmationPurpose, VisitStatus
from raksa.verification.selectors import visit_of_unit
from raksa.verification.visits import visit_close

CLOSE_REASON_MAX = 200


def _not_found(request):
    return render(request, "portal/visit_not_found.html", unit_context(request), status=404)


@require_GET
@staff_required
def visit(request, visit_id: int):
    found = visit_of_unit(unit=request.portal.unit, visit_id=visit_id)
    if found is None:
        return _not_found(request)
    return visit_page(request, found)


def visit_page(request, visit, *, form: ServiceRecordForm | None = None, preview: Preview | None = None,
               status: int = 200, repriced: bool = False):
    """The visit's page; ``form`` bound with what was typed when it comes back with errors or its prices."""
    claim = current_claim_of_visit(visit)
    claimable = claim is None and visit.status in (VisitStatus.OPEN, VisitStatus.LAPSED)
    if claimable and form is None:
        form = ServiceRecordForm(unit=request.portal.unit, day=visit.day, default_service=visit.service.code)
    context = unit_context(request) | {
        "visit": visit, "is_open": visit.status == VisitStatus.OPEN, "close_reason_max": CLOSE_REASON_MAX,
        "claim": claim, "claim_reasons": reasons_of(claim) if claim else [],
        "can_correct": claim is not None and can_correct(claim),
        "record_form": form if claimable else None, "preview": preview, "repriced": repriced,
        "late": visit.day < service_day(),
    }
    return render(request, "portal/visit.html", context, status=status)


@require_POST
@staff_required
def visit_close_view(request, visit_id: int):
    """Close the visit without service: staff give a reason (the page asks to confirm first)."""
    reason = (request.POST.get("reason") or "").strip()
    if not reason:
        messages.error(request, _("Give the reason for closing the visit without service."))
        return redirect("portal:visit", visit_id=visit_id)
    if len(reason) > CLOSE_REASON_MAX:
        messages.error(request, _("Keep the reason under 200 characters."))
        return redirect("portal:visit", visit_id=visit_id)
    try:
        closed = visit_close(actor=request.user, unit=request.portal.unit, visit_id=visit_id,
                             status=VisitStatus.NO_SERVICE, reason=reason)
    except DomainError as exc:
        if exc.status == 404:
            return _not_found(request)
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Visit %(code)s closed without service.") % {"code": closed.authen_code})
    return redirect("portal:visit", visit_id=visit_id)


@require_POST
@staff_required
def visit_line_service(request, visit_id: int):
    """A LINE QR for the citizen to confirm having received the service (purpose ``service``)."""
    found = visit_of_unit(unit=request.portal.unit, visit_id=visit_id)
    if found is None:
        return _not_found(request)
    try:
        issued = line_confirmation_issue(actor=request.user, unit=request.portal.unit, citizen=found.citizen,
                                         purpose=ConfirmationPurpose.SERVICE, visit=found)
    except DomainError as exc:
        messages.error(request, error_text(exc))
        return redirect("portal:visit", visit_id=visit_id)
    return confirmation_page(request, issued, visit=found, back_url=reverse("portal:visit", args=[found.pk]))
