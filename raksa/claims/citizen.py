"""What was claimed in a citizen's name, and the citizen's report of a visit they did not make.

Shown in LINE ("เคลมในนามของฉัน", interfaces/line): the strongest fraud check there is is the person named on
the claim. A report never decides a claim by itself; it puts it before an officer:

* a **submitted** or **accepted** claim not yet on a payment statement goes to **in_review** with a
  ``CITIZEN_REPORTED`` reason (class V; the citizen's note is its detail; its texts are the rule's of that code,
  raksa/claims/rules/cross_checks.py, which also keeps a reported claim in review if the rules run again), so it is
  not paid until an officer accepts or rejects it (raksa/claims/review.py);
* an **in_review** claim stays there and gains the same reason; a **rejected** one stays rejected (nothing
  will be paid), the report is kept;
* a **paid** claim, or an accepted one already on a statement, cannot change status (the statement's total
  and the payment stand): it **stays as it is** and only ``citizen_reported_at`` / ``citizen_report_note``
  are set. **The officers' review queue (back office) must list every current claim with
  ``citizen_reported_at`` set as "reported by the citizen", whatever its status** (for a paid claim: to
  recover the money outside Raksa).

Every report is audited (``claim.citizen_report``, actor ``line:<userId>``). A second report of the same
claim changes nothing and is not an error (a double tap in LINE).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from raksa.audit.services import audit_record, line_actor
from raksa.claims import errors
from raksa.claims.models import Claim, ClaimStatus, ReasonClass
from raksa.people.models import Citizen

REPORTED = "CITIZEN_REPORTED"
NOTE_MAX = 500
SHOWN = 100


@dataclass(frozen=True)
class ClaimInMyName:
    """One line of "what was claimed in my name" (current version of each claim)."""

    id: int
    reference: str
    unit_name: str
    service_date: dt.date
    service_name_th: str
    service_name_en: str
    amount: Decimal
    status: str
    reported_at: dt.datetime | None


_FIELDS = ("pk", "authen_code", "version", "unit__name", "service_date", "service__name_th", "service__name_en",
           "amount", "status", "citizen_reported_at")


def _lines(claims) -> list[ClaimInMyName]:
    return [ClaimInMyName(pk, f"{code}-{version}", unit, day, th, en, amount, status, reported)
            for pk, code, version, unit, day, th, en, amount, status, reported in claims.values_list(*_FIELDS)]


def claims_of_citizen(*, citizen: Citizen, limit: int = SHOWN) -> list[ClaimInMyName]:
    """The current claims naming ``citizen``, newest service day first (at most ``limit``)."""
    return _lines(Claim.objects.filter(citizen=citizen, current=True)
                  .order_by("-service_date", "-submitted_at", "-pk")[:limit])


def claim_of_citizen(*, citizen: Citizen, claim_id: int) -> ClaimInMyName:
    """One of them, or CLAIM_NOT_FOUND (another person's claim is not found, never forbidden)."""
    found = _lines(Claim.objects.filter(citizen=citizen, current=True, pk=claim_id))
    if not found:
        raise errors.claim_not_found()
    return found[0]


def claim_report_by_citizen(*, citizen: Citizen, claim_id: int, note: str = "", line_user_id: str,
                            now: dt.datetime | None = None) -> Claim:
    """The citizen says they did not receive the service claimed (see the module's text for what happens to
    each status). Only the citizen's own current claim (CLAIM_NOT_FOUND otherwise). Returns the claim."""
    now = now or timezone.now()
    note = " ".join(str(note or "").replace("\x00", "").split())[:NOTE_MAX]
    with transaction.atomic():
        claim = (Claim.objects.select_for_update(of=("self",))
                 .filter(pk=claim_id, citizen=citizen, current=True).first())
        if claim is None:
            raise errors.claim_not_found()
        if claim.citizen_reported_at is not None:
            return claim
        before = claim.status
        claim.citizen_reported_at, claim.citizen_report_note = now, note
        fields = ["citizen_reported_at", "citizen_report_note"]
        if claim.status != ClaimStatus.REJECTED and claim.status != ClaimStatus.PAID and claim.statement_id is None:
            claim.reasons = [*claim.reasons, {"code": REPORTED, "class": ReasonClass.VERIFY.value, "version": 1,
                                              "detail": note}]
            claim.status = ClaimStatus.IN_REVIEW
            fields += ["reasons", "status"]
        claim.save(update_fields=fields)
        audit_record(actor=None, actor_label=line_actor(line_user_id), action="claim.citizen_report", obj=claim,
                     at=now, before={"status": before}, after={"status": claim.status, "note": note})
    return claim
