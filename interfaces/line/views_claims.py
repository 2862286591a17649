"""The citizen's "what was claimed in my name" (เคลมในนามของฉัน) and "I did not receive this service".

Read through ``raksa.claims.citizen.claims_of_citizen``; the report goes through
``claim_report_by_citizen`` (which decides what happens to the claim and audits it). The report asks once
more before it is sent (a second page with the claim and an optional note), then thanks the citizen and says
what happens next.
"""

from __future__ import annotations

from django.shortcuts import redirect
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_http_methods

from interfaces.line.session import liff_citizen
from interfaces.line.views import page, refusals_as_pages
from raksa.claims.citizen import NOTE_MAX, claim_of_citizen, claim_report_by_citizen, claims_of_citizen

# The citizen's words for a claim's status (the officers' labels say more than a citizen needs).
STATUS = {
    "submitted": gettext_noop("Sent, being checked"),
    "accepted": gettext_noop("Passed the checks"),
    "rejected": gettext_noop("Not paid"),
    "in_review": gettext_noop("An officer is checking it"),
    "paid": gettext_noop("Paid to the unit"),
}


@require_http_methods(["GET"])
@liff_citizen
def claims(request):
    return page(request, "line/claims.html", {"claims": claims_of_citizen(citizen=request.liff.citizen),
                                              "status_words": STATUS})


@require_http_methods(["GET", "POST"])
@liff_citizen
@refusals_as_pages
def claim_report(request, claim_id: int):
    """GET: "did you really not receive this?" with the claim and a note; POST: report it."""
    claim = claim_of_citizen(citizen=request.liff.citizen, claim_id=claim_id)
    if claim.reported_at is not None:
        return redirect(f"/liff/claims/{claim.id}/reported")
    if request.method == "POST":
        claim_report_by_citizen(citizen=request.liff.citizen, claim_id=claim.id,
                                note=request.POST.get("note", "")[:NOTE_MAX],
                                line_user_id=request.liff.line_user_id)
        return redirect(f"/liff/claims/{claim.id}/reported")
    return page(request, "line/claim_report.html", {"claim": claim, "note_max": NOTE_MAX})


@require_http_methods(["GET"])
@liff_citizen
@refusals_as_pages
def claim_reported(request, claim_id: int):
    claim = claim_of_citizen(citizen=request.liff.citizen, claim_id=claim_id)
    if claim.reported_at is None:
        return redirect(f"/liff/claims/{claim.id}/report")
    return page(request, "line/claim_reported.html", {"claim": claim})
