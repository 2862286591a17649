"""The unit's claims: sending a visit's service record (flow 1.2), the claims list with what to do about each,
a claim with its versions, and the correction of a rejected claim (a new version, never an edit in place).

Who may: every active staff member of a verified unit (clerks, clinicians and unit administrators alike), as
for the visit page the record is sent from: the person at the counter records what was done. Another unit's
visit or claim is "not found".

Sending is post/redirect/get: the answer is the claim's page, which shows the decision, so a reload never
sends twice (and ``claim_submit`` refuses a second claim for an authen code anyway).
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from interfaces.portal.claim_display import can_correct, claim_status_label, reasons_of
from interfaces.portal.forms import _clean_date
from interfaces.portal.labels import is_english
from interfaces.portal.permissions import staff_required
from interfaces.portal.service_record import ServiceRecordForm
from interfaces.portal.views import unit_context
from interfaces.portal.views_visit import visit_page
from raksa.claims.models import ClaimStatus
from raksa.claims.records import fields_for
from raksa.claims.selectors_portal import (
    claim_of_unit,
    claim_versions,
    claims_of_unit,
    current_claim_of_visit,
    unsent_visits,
)
from raksa.claims.submit import claim_correct, claim_submit
from raksa.core.errors import DomainError
from raksa.core.thaidate import format_date
from raksa.verification.models import VisitStatus
from raksa.verification.selectors import visit_of_unit

PRICE, SEND = "price", "send"


def _claim_not_found(request):
    return render(request, "portal/claim_not_found.html", unit_context(request), status=404)


def _price_or_send(request, form: ServiceRecordForm, send, show, back: str):
    """The service record's two steps. ``send(input)`` calls the domain and returns the claim; ``show(form,
    preview, status, repriced)`` renders the page again; ``back`` is the page to return to when the form no longer
    applies. Sends only what was priced on the page."""
    if not form.is_valid():
        return show(form, None, 422, False)
    try:
        preview = form.preview()
    except DomainError as exc:
        form.add_domain_error(exc)
        return show(form, None, 422, False)
    wants_send = request.POST.get("action") == SEND
    if not wants_send or request.POST.get("priced") != preview.digest:
        return show(form, preview, 200, wants_send)  # priced now: check the lines and the total, then send
    try:
        claim = send(form.claim_input())
    except DomainError as exc:
        if exc.code == "CLAIM_DUPLICATE" and getattr(exc, "claim_id", 0):
            messages.error(request, exc.message(get_language()))
            return redirect("portal:claim", claim_id=exc.claim_id)
        if exc.status != 422 and form.field_of(exc.field) is None:
            # The visit or claim changed meanwhile (closed without service in another tab, corrected already):
            # the form no longer applies; its page says why.
            messages.error(request, exc.message(get_language()))
            return redirect(back)
        form.add_domain_error(exc)
        return show(form, None, exc.status, False)
    _say_decision(request, claim)
    return redirect("portal:claim", claim_id=claim.pk)


def _say_decision(request, claim) -> None:
    if claim.status == ClaimStatus.ACCEPTED:
        messages.success(request, _("Claim %(ref)s accepted: %(amount)s baht.") % {
            "ref": claim.reference, "amount": f"{claim.amount:,.2f}"})
    elif claim.status == ClaimStatus.REJECTED:
        messages.error(request, _("Claim %(ref)s was rejected: see the reasons and what to do below.") % {
            "ref": claim.reference})
    else:
        messages.info(request, _("Claim %(ref)s was sent: %(status)s.") % {
            "ref": claim.reference, "status": claim_status_label(claim.status)})


@require_POST
@staff_required
def visit_record(request, visit_id: int):
    """The visit's service record: price it, then send it as the visit's claim."""
    unit = request.portal.unit
    visit = visit_of_unit(unit=unit, visit_id=visit_id)
    if visit is None:
        return render(request, "portal/visit_not_found.html", unit_context(request), status=404)
    sent = current_claim_of_visit(visit)
    if sent is not None:  # sent meanwhile (another tab, the unit's software): its page shows the decision
        messages.info(request, _("This visit's claim was already sent: %(ref)s.") % {"ref": sent.reference})
        return redirect("portal:claim", claim_id=sent.pk)
    if visit.status not in (VisitStatus.OPEN, VisitStatus.LAPSED):
        messages.error(request, _("This visit was closed without service: it cannot be claimed."))
        return redirect("portal:visit", visit_id=visit.pk)
    form = ServiceRecordForm(request.POST, unit=unit, day=visit.day, default_service=visit.service.code)

    def send(given):
        return claim_submit(actor=request.user, unit=unit, authen_code=visit.authen_code, **given)

    def show(form, preview, status, repriced):
        visit.refresh_from_db()
        return visit_page(request, visit, form=form, preview=preview, status=status, repriced=repriced)

    return _price_or_send(request, form, send, show, reverse("portal:visit", args=[visit.pk]))


class ClaimFilterForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    day = forms.CharField(label=gettext_lazy("Service date"), required=False, max_length=32,
                          widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All"))] + [(value, claim_status_label(value))
                                                            for value in ClaimStatus.values]

    def clean_day(self):
        """A Buddhist-era year or a typo is explained (raksa.core.timeutil.parse_date), not matched to nothing."""
        value = self.cleaned_data["day"].strip()
        return _clean_date(value, "day") if value else None


@require_GET
@staff_required
def claims(request):
    """The unit's claims, newest first, with each reason and what to do; today's unsent visits on top."""
    unit = request.portal.unit
    filters = ClaimFilterForm(request.GET or None)
    status, day = "", None
    if filters.is_bound and filters.is_valid():
        status, day = filters.cleaned_data["status"], filters.cleaned_data["day"]
    rows = claims_of_unit(unit=unit, status=status or None, day=day)
    context = unit_context(request) | {
        "filters": filters if filters.is_bound else ClaimFilterForm(),
        "rows": [(claim, reasons_of(claim)) for claim in rows],
        "filtered": bool(status or day),
        "unsent": unsent_visits(unit=unit),
    }
    return render(request, "portal/claims.html", context)


@require_GET
@staff_required
def claim(request, claim_id: int):
    """One claim version: its decision, reasons and what to do, and every version of its authen code."""
    found = claim_of_unit(unit=request.portal.unit, claim_id=claim_id)
    if found is None:
        return _claim_not_found(request)
    context = unit_context(request) | {
        "claim": found, "reasons": reasons_of(found), "can_correct": can_correct(found),
        "versions": [(version, reasons_of(version)) for version in claim_versions(found)],
        "details": _details_shown(found),
    }
    return render(request, "portal/claim.html", context)


def _details_shown(claim) -> list[tuple[str, object]]:
    """The record's details under the labels of its unit type's form (records.fields_for)."""
    english = is_english()
    specs = {spec.name: spec for spec in fields_for(claim.unit.unit_type)}
    shown = []
    for name, value in claim.details.items():
        spec = specs.get(name)
        if spec is not None and spec.kind == "date":
            value = format_date(dt.date.fromisoformat(value), language="en" if english else "th")
        shown.append(((spec.label_en if english else spec.label_th) if spec else name, value))
    return shown


@require_http_methods(["GET", "POST"])
@staff_required
def claim_correct_view(request, claim_id: int):
    """A rejected claim's correction: the form prefilled from the rejected version, priced, then sent as the
    next version (``claim_correct``)."""
    unit = request.portal.unit
    found = claim_of_unit(unit=unit, claim_id=claim_id)
    if found is None:
        return _claim_not_found(request)
    if not can_correct(found):
        messages.error(request, _("Only the newest version of a rejected claim can be corrected."))
        return redirect("portal:claim", claim_id=found.pk)

    def show(form, preview, status, repriced):
        context = unit_context(request) | {"claim": found, "reasons": reasons_of(found), "record_form": form,
                                           "preview": preview, "repriced": repriced}
        return render(request, "portal/claim_correct.html", context, status=status)

    day: dt.date = found.service_date
    if request.method == "GET":
        return show(ServiceRecordForm(unit=unit, day=day, claim=found), None, 200, False)
    form = ServiceRecordForm(request.POST, unit=unit, day=day, claim=found)

    def send(given):
        return claim_correct(actor=request.user, unit=unit, claim_id=found.pk, **given)

    return _price_or_send(request, form, send, show, reverse("portal:claim", args=[found.pk]))
