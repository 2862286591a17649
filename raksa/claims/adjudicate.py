"""The rules engine: every rule over a batch of claims, the decision and its reasons written back.

* A Deny or C reason rejects the claim (C: the unit may correct it and send a new version);
* otherwise a V reason sends it to an officer's review;
* otherwise it is accepted.

A rule that raises does not stop the others and never lets a claim through: its claim goes to review with
the error recorded (``RULE_ERROR``). The decision, every reason (code, class, rule version, detail) and the
rule-set version are stored with the claim, with one audit row per claim, in the caller's transaction.

Speed: the facts of the whole batch come in a fixed number of queries (rules/facts.py, raksa/claims/sql.py),
the rules are plain functions over them, and on PostgreSQL the decisions and their audit rows go back in one
statement (sql.decisions_write). Claims are decided in id order, so that a rule reading a citizen's earlier
claims sees the decisions already made in the batch, as it would deciding them one at a time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import time
from functools import cache

from django.db import connection, transaction
from django.utils import timezone

from raksa.audit.services import audit_record
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


def claims_adjudicate(*, claim_ids: list[int], now: dt.datetime | None = None, book: RateBook | None = None,
                      day_claims: dict | None = None, timings: dict[str, float] | None = None) -> dict[int, str]:
    """Check these claims (submitted ones; others are left alone) and store each decision. Returns
    ``{claim id: new status}``. Runs in the caller's transaction, or its own. ``day_claims``: the units'
    claims per day for the volume check, when the caller loaded them once for many batches
    (sql.day_claims_load); ``timings``: seconds spent loading, evaluating and writing are added to it."""
    results = adjudicate_results(claim_ids=claim_ids, now=now, book=book, day_claims=day_claims, timings=timings)
    return {pk: status for pk, status, _ in results}


def adjudicate_results(*, claim_ids: list[int], now: dt.datetime | None = None, book: RateBook | None = None,
                       day_claims: dict | None = None, timings: dict[str, float] | None = None
                       ) -> list[tuple[int, str, list[Hit]]]:
    """``claims_adjudicate`` returning each decided claim's (id, status, hits): what claim_submit needs to give
    back the decided claim without reading it again."""
    now = now or timezone.now()
    clock = time.perf_counter
    # No savepoint of its own inside the caller's transaction (claim_submit): an error fails the whole of it.
    with transaction.atomic(savepoint=False):
        t0 = clock()
        batch = batch_load(claim_ids=claim_ids, now=now, book=book, day_claims=day_claims)
        t1 = clock()
        decided = batch.decided
        version = rules_version()
        results: list[tuple[int, str, list[Hit]]] = []
        for claim in batch.claims:
            if claim.status != ClaimStatus.SUBMITTED:
                continue
            hits = evaluate(claim, batch)
            status = status_of(hits)
            decided[claim.id] = status
            results.append((claim.id, status, hits))
        t2 = clock()
        _write(results, version=version, now=now)
        t3 = clock()
    if timings is not None:
        for name, seconds in (("load_s", t1 - t0), ("evaluate_s", t2 - t1), ("write_s", t3 - t2)):
            timings[name] = timings.get(name, 0.0) + seconds
    return results


def _write(results: list[tuple[int, str, list[Hit]]], *, version: str, now: dt.datetime) -> None:
    if connection.vendor == "postgresql":
        request_id = get_request_id()
        from raksa.claims.sql import decisions_write

        afters: dict[tuple[str, tuple[str, ...]], dict] = {}  # most claims share a few audit texts
        decisions = []
        for pk, status, hits in results:
            codes = tuple(h.code for h in hits)
            after = afters.get((status, codes))
            if after is None:
                after = afters[(status, codes)] = {"status": status, "reasons": list(codes), "rules_version": version}
            decisions.append({"id": pk, "status": status, "reasons": [h.as_json() for h in hits], "after": after})
        decisions_write(decisions=decisions, version=version, now=now, request_id=request_id)
        return
    changed = [Claim(pk=pk, status=status, reasons=[h.as_json() for h in hits], rules_version=version,
                     decided_at=now if status != ClaimStatus.IN_REVIEW else None) for pk, status, hits in results]
    still_submitted = set(Claim.objects.filter(pk__in=[c.pk for c in changed], status=ClaimStatus.SUBMITTED)
                          .values_list("pk", flat=True))
    changed = [c for c in changed if c.pk in still_submitted]
    Claim.objects.bulk_update(changed, ["status", "reasons", "rules_version", "decided_at"], batch_size=2000)
    for c in changed:  # one INSERT each (this path is the small embedded demo's; bulk_create would stamp ``at`` now)
        audit_record(actor=None, actor_label="rules", action="claim.adjudicate", object_type="claims.claim",
                     object_id=c.pk, at=now,
                     after={"status": c.status, "reasons": [r["code"] for r in c.reasons], "rules_version": version})
