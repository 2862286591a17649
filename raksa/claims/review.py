"""An officer's decision on a claim the rules sent to review (class V reasons: no identity verification,
outside opening hours, several units a day, a volume spike, a rule that crashed, the citizen's report).

Only a claim ``in_review`` is decided here (409 ``CLAIM_NOT_IN_REVIEW`` otherwise, so two officers deciding
at once never both win: the row is locked and the second sees the first's decision). Accepting keeps the
reasons it was reviewed for; rejecting adds an ``OFFICER_REJECTED`` reason whose detail is the officer's
text, so the unit reads why, and the unit may then send a correction (raksa.claims.submit.claim_correct).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from raksa.audit.services import audit_record
from raksa.claims.models import Claim, ClaimStatus
from raksa.claims.rules.base import ENGINE_REASONS
from raksa.core.choices import choice_labels
from raksa.core.errors import Conflict, InvalidInput, NotFound

NOTE_MAX = 500  # Claim.decision_note


def _not_found() -> NotFound:
    return NotFound("No such claim.", "ไม่พบเคลมนี้", code="CLAIM_NOT_FOUND")


def _not_in_review(status: str) -> Conflict:
    label = choice_labels(ClaimStatus, status)
    return Conflict(f"Only a claim in review can be accepted or rejected here; this one is {label.en}.",
                    f"อนุมัติหรือไม่อนุมัติได้เฉพาะเคลมที่รอเจ้าหน้าที่ตรวจสอบ เคลมนี้มีสถานะ {label.th}",
                    code="CLAIM_NOT_IN_REVIEW")


def _locked_in_review(claim_id: int) -> Claim:
    claim = Claim.objects.select_for_update(of=("self",)).filter(pk=claim_id).first()
    if claim is None:
        raise _not_found()
    if claim.status != ClaimStatus.IN_REVIEW:
        raise _not_in_review(claim.status)
    return claim


def _clean_text(value: Any, *, field: str, required: bool) -> str:
    text = " ".join(str(value or "").split())
    if required and not text:
        raise InvalidInput("Write the reason: the unit reads it to know what to correct.",
                           "กรุณาเขียนเหตุผล หน่วยบริการจะอ่านเพื่อรู้ว่าต้องแก้ไขอะไร", code="REASON_REQUIRED",
                           field=field)
    if len(text) > NOTE_MAX:
        raise InvalidInput(f"At most {NOTE_MAX} characters.", f"ไม่เกิน {NOTE_MAX} ตัวอักษร", field=field)
    return text


def _officer(actor: Any):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def claim_review_accept(*, actor: Any, claim_id: int, note: str = "", now: dt.datetime | None = None) -> Claim:
    """Accept a claim in review: it may then go on a payment statement."""
    now = now or timezone.now()
    note = _clean_text(note, field="note", required=False)
    with transaction.atomic():
        claim = _locked_in_review(claim_id)
        claim.status = ClaimStatus.ACCEPTED
        claim.decided_at, claim.decided_by, claim.decision_note = now, _officer(actor), note
        claim.save(update_fields=["status", "decided_at", "decided_by", "decision_note"])
        audit_record(actor=actor, action="claim.review.accept", obj=claim, at=now,
                     before={"status": ClaimStatus.IN_REVIEW}, after={"status": claim.status, "note": note})
    return claim


def claim_review_reject(*, actor: Any, claim_id: int, reason: str, now: dt.datetime | None = None) -> Claim:
    """Reject a claim in review with the officer's reason (required), stored as an ``OFFICER_REJECTED``
    reason the unit sees; the unit may correct the claim and send it again."""
    now = now or timezone.now()
    reason = _clean_text(reason, field="reason", required=True)
    rejected = ENGINE_REASONS["OFFICER_REJECTED"]
    with transaction.atomic():
        claim = _locked_in_review(claim_id)
        claim.status = ClaimStatus.REJECTED
        claim.reasons = [*claim.reasons, {"code": rejected.code, "class": rejected.klass,
                                          "version": rejected.version, "detail": reason}]
        claim.decided_at, claim.decided_by, claim.decision_note = now, _officer(actor), reason
        claim.save(update_fields=["status", "reasons", "decided_at", "decided_by", "decision_note"])
        audit_record(actor=actor, action="claim.review.reject", obj=claim, at=now,
                     before={"status": ClaimStatus.IN_REVIEW}, after={"status": claim.status, "reason": reason})
    return claim
