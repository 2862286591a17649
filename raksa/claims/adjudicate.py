"""The rules engine: every rule over a batch of claims, the decision and its reasons written back.

* A Deny or C reason rejects the claim (C: the unit may correct it and send a new version);
* otherwise a V reason sends it to an officer's review;
* otherwise it is accepted.

A rule that raises does not stop the others and never lets a claim through: its claim goes to review with
the error recorded (``RULE_ERROR``). The decision, every reason (code, class, rule version, detail) and the
rule-set version are stored with the claim, with one audit row per claim, in the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from functools import cache

from django.db import transaction
from django.utils import timezone

from raksa.audit.models import AuditEntry
from raksa.claims.models import Claim, ClaimStatus, ReasonClass
from raksa.claims.pricing import RateBook
from raksa.claims.rules import RULES
from raksa.claims.rules.base import ENGINE_REASONS, Hit
from raksa.claims.rules.facts import Batch, ClaimFacts, batch_load
from raksa.core.request_context import get_request_id

log = logging.getLogger(__name__)
LATE_POLICIES = ("flag", "reject")


@cache
def rules_version() -> str:
    """A short name of the rule set in force: changes whenever a rule is added, removed or changes version."""
    text = ",".join(f"{r.code}:{r.version}" for r in RULES)
    return f"rules-{len(RULES)}-{hashlib.sha256(text.encode()).hexdigest()[:8]}"


def evaluate(claim: ClaimFacts, batch: Batch) -> list[Hit]:
    """Every failed rule of ``claim`` (no queries: the batch holds the facts)."""
    hits: list[Hit] = []
    for rule in RULES:
        try:
            failed = rule.check(claim, batch)
        except Exception as exc:  # a broken rule sends the claim to review; it never accepts it silently
            log.exception("claim rule %s failed on claim %s", rule.code, claim.id)
            error = ENGINE_REASONS["RULE_ERROR"]
            hits.append(Hit(error.code, error.klass, error.version, f"{rule.code}: {type(exc).__name__}: {exc}"[:300]))
            continue
        if failed:
            klass = rule.klass
            if rule.code == "LATE" and batch.late_policy == "reject":
                klass = ReasonClass.DENY
            hits.append(Hit(rule.code, klass, rule.version, failed if isinstance(failed, str) else ""))
    return hits


def status_of(hits: list[Hit]) -> str:
    classes = {h.klass for h in hits}
    if classes & {ReasonClass.DENY, ReasonClass.CORRECT}:
        return ClaimStatus.REJECTED
    if ReasonClass.VERIFY in classes:
        return ClaimStatus.IN_REVIEW
    return ClaimStatus.ACCEPTED


def claims_adjudicate(*, claim_ids: list[int], now: dt.datetime | None = None, book: RateBook | None = None
                      ) -> dict[int, str]:
    """Check these claims (submitted ones; others are left alone) and store each decision. Returns
    ``{claim id: new status}``. Runs in the caller's transaction, or its own."""
    now = now or timezone.now()
    with transaction.atomic():
        batch = batch_load(claim_ids=claim_ids, now=now, book=book)
        decided: dict[int, str] = {}
        changed: list[Claim] = []
        audit: list[AuditEntry] = []
        version = rules_version()
        request_id = get_request_id()
        submitted = set(Claim.objects.filter(pk__in=claim_ids, status=ClaimStatus.SUBMITTED)
                        .values_list("pk", flat=True))
        for claim in batch.claims:
            if claim.id not in submitted:
                continue
            hits = evaluate(claim, batch)
            status = status_of(hits)
            reasons = [h.as_json() for h in hits]
            decided[claim.id] = status
            changed.append(Claim(pk=claim.id, status=status, reasons=reasons, rules_version=version,
                                 decided_at=now if status != ClaimStatus.IN_REVIEW else None))
            audit.append(AuditEntry(actor_label="rules", action="claim.adjudicate", object_type="claims.claim",
                                    object_id=str(claim.id), at=now, request_id=request_id,
                                    after={"status": status, "reasons": [h.code for h in hits],
                                           "rules_version": version}))
        Claim.objects.bulk_update(changed, ["status", "reasons", "rules_version", "decided_at"], batch_size=2000)
        AuditEntry.objects.bulk_create(audit, batch_size=2000)
    return decided
