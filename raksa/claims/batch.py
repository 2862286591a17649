"""Many API claims in one go: the group commit behind the claims lane (interfaces/api/fast_claims.py).

``claims_submit_many`` answers API-key claims that arrived together (each with its Idempotency-Key) as
``claim_submission_once`` + ``claim_submit_answered`` answer them one at a time, but a batch costs PostgreSQL three
statements and one commit (raksa/claims/sql_batch.py): the keys' rows, the facts of every visit (locked in id
order), and one write of every claim with its visit's close, audit rows, LINE job and the key's stored answer.
Each claim is built and priced by the same functions as the single path (``claim_built``), its rules run over one
engine ``Batch`` holding every claim's facts (``evaluate``, in the order of the requests: claim ids are handed out
in that order, so the volume check counts a unit's earlier claims of the batch as it would have counted them
committed), and its answer is rendered by the caller's ``render``, the single path's own JSON.

What the batch does not decide, it hands back (None: the caller answers it one at a time, after the batch
committed, through the ordinary path), so that every answer there is the single path's by construction:

* a request whose key or authen code already came earlier in the batch (a retry in flight, a second key for one
  visit), or whose citizen already has a claim in the batch (their rules read each other's claims);
* a key already present (a retry: the single path reads the stored answer, or says IDEMPOTENCY_KEY_REUSED);
* every refusal (an unknown authen code, another unit's visit, a duplicate, a visit not claimable, invalid input):
  its key row is deleted by the batch's write and the single path writes it again with its answer;
* a claim whose close code (drawn at random) is already taken: not written, its key row deleted (the single path
  draws again);
* a lone request, and any database but PostgreSQL.

If the batch fails (a statement's error, a claim written around the visit lock, a deadlock…), it wrote nothing
and every request is handed back: logged (WARNING ``claims.batch.fallback`` with ``reason`` and ``requests``) and
counted in :data:`FALLBACKS` (0 in a healthy run), as the bookings' group commit does (raksa/booking/batch.py).
"""

from __future__ import annotations

import bisect
import datetime as dt
import logging
import threading
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from raksa.claims import sql_batch
from raksa.claims.adjudicate import evaluate
from raksa.claims.idempotency import body_digest
from raksa.claims.models import Claim, ClaimSource, ClaimStatus
from raksa.claims.rules.facts import ClaimFacts, VisitFacts, add_other_claims, new_batch
from raksa.claims.sql_submit import SubmitFacts, tooth_text
from raksa.claims.submit import (
    authen_code_clean,
    claim_built,
    claim_decide,
    claim_row,
    decide_after,
    rate_book,
    submit_after,
)
from raksa.core import db_outage
from raksa.core.errors import DomainError
from raksa.core.request_context import get_request_id
from raksa.core.timeutil import service_day
from raksa.messaging.jobs import NEVER, uses_job_table
from raksa.messaging.notify import CLAIM_SENT, claim_sent_notify
from raksa.messaging.tasks import notify_send
from raksa.units.models import Unit
from raksa.verification.models import VisitStatus
from raksa.verification.visits import new_close_code

logger = logging.getLogger(__name__)

Render = Callable[[Claim], tuple[int, dict]]


@dataclass(frozen=True, slots=True)
class ClaimRequest:
    """``POST /claims`` from a unit's software with its API key (no user): what ``claim_answer`` receives."""

    unit: Unit
    key: str  # the Idempotency-Key, cleaned
    identity: bytes = field(repr=False)  # the request as the key's digest sees it (the API's body_identity)
    fields: dict[str, Any] = field(repr=False)  # claim_submit's keyword arguments from authen_code to amount
    actor_label: str
    now: dt.datetime = field(default_factory=timezone.now)
    request_id: str = field(default_factory=get_request_id)


@dataclass(slots=True)
class _Built:
    index: int
    row_id: int
    facts: SubmitFacts
    claim: Claim
    service: Any
    close_code: str = ""
    hits: list = field(default_factory=list)


# Requests handed back to the single path because their batch failed, by reason, in this process.
FALLBACKS: Counter[str] = Counter()
_FALLBACK_LOCK = threading.Lock()


def _fall_back(reason: str, requests: int) -> None:
    with _FALLBACK_LOCK:
        FALLBACKS[reason] += requests
    logger.warning("claims.batch.fallback", extra={"reason": reason, "requests": requests})


def claims_submit_many(*, requests: list[ClaimRequest], render: Render) -> list[tuple[int, dict] | None]:
    """One answer per request, in order: ``(status, JSON)`` stored with its key, or None for a request the caller
    answers one at a time once this returns (see the module's docstring)."""
    results: list[tuple[int, dict] | None] = [None] * len(requests)
    if len(requests) < 2 or connection.vendor != "postgresql":
        return results
    chosen = _chosen(requests)
    if len(chosen) < 2:
        return results
    try:
        with transaction.atomic():
            answered = _submit_together(requests, chosen, render)
    except DatabaseError as exc:  # nothing written: every request goes one at a time
        if not db_outage.is_outage(exc):  # (the database away: the single path answers 503 at once)
            _fall_back(f"batch_failed:{type(exc.__cause__ or exc).__name__}", len(chosen))
        return results
    except Exception as exc:
        logger.exception("A batch of claims failed")
        _fall_back(f"batch_failed:{type(exc).__name__}", len(chosen))
        return results
    for i, answer in answered.items():
        results[i] = answer
    return results


def _chosen(requests: list[ClaimRequest]) -> dict[int, str]:
    """The requests the batch tries, with their cleaned authen codes: the first with each key and each code."""
    chosen: dict[int, str] = {}
    keys: set[tuple[int, str]] = set()
    codes: set[str] = set()
    for i, r in enumerate(requests):
        try:
            code = authen_code_clean(r.fields.get("authen_code"))
        except DomainError:
            continue
        key = (r.unit.pk, r.key)
        if key in keys or code in codes:
            continue
        keys.add(key)
        codes.add(code)
        chosen[i] = code
    return chosen


def _submit_together(requests: list[ClaimRequest], chosen: dict[int, str], render: Render
                     ) -> dict[int, tuple[int, dict]]:
    row_ids = sql_batch.keys_take(keys=[(requests[i].unit.pk, requests[i].key, body_digest(requests[i].identity))
                                        for i in chosen], now=timezone.now())
    keyed = {i: row_ids[(requests[i].unit.pk, requests[i].key)] for i in chosen
             if (requests[i].unit.pk, requests[i].key) in row_ids}
    if not keyed:
        return {}
    facts = sql_batch.facts_many(visits=[(i, chosen[i], requests[i].unit.pk) for i in keyed])
    book = rate_book()
    built: list[_Built] = []
    dropped: list[int] = []
    citizens: set[int] = set()
    for i, row_id in keyed.items():
        r, f = requests[i], facts.get(i)
        if (f is None or f.visit_unit_id != r.unit.pk or f.visit_status not in (VisitStatus.OPEN, VisitStatus.LAPSED)
                or f.first_claim is not None or f.citizen_id in citizens):
            dropped.append(row_id)
            continue
        try:
            claim, service = claim_built(f, unit=r.unit, code=chosen[i], **_without_code(r.fields),
                                         source=ClaimSource.API, actor=None, actor_label=r.actor_label, now=r.now,
                                         book=book)
        except DomainError:
            dropped.append(row_id)
            continue
        citizens.add(f.citizen_id)
        built.append(_Built(i, row_id, f, claim, service))
    if built:
        # the sequence's values drawn by the facts statement, handed out in the requests' order
        for b, pk in zip(built, sorted(b.facts.claim_id for b in built), strict=True):
            b.claim.pk = pk
        _decide(built, requests, book=book)
    answers = {b.index: render(b.claim) for b in built}
    written = set(sql_batch.claims_write_many(rows=[_row(b, requests[b.index], answers[b.index]) for b in built],
                                              dropped=dropped, job=_job_columns()))
    if not written <= {b.claim.pk for b in built}:
        raise RuntimeError("the batch wrote claims it was not given")
    unwritten = [b for b in built if b.claim.pk not in written]
    if unwritten:  # a close code already taken (birthday odds, as visits get claimed): one at a time, drawn again
        sql_batch.keys_drop(ids=[b.row_id for b in unwritten])
        for b in unwritten:
            del answers[b.index]
    if not uses_job_table(notify_send):
        for pk in sorted(written):
            claim_sent_notify(claim_id=pk)
    return answers


def _without_code(fields: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in fields.items() if name != "authen_code"}


def _decide(built: list[_Built], requests: list[ClaimRequest], *, book) -> None:
    """Run the rules on every claim of the batch, in id order, over one engine Batch holding all their facts: what
    each would have read deciding alone, with the batch's earlier claims already committed."""
    claims = []
    codes: set[str] = set()
    for b in built:
        claim, f, now = b.claim, b.facts, requests[b.index].now
        b.close_code = new_close_code()
        while b.close_code in codes:  # pragma: no cover - 1 in 10^10
            b.close_code = new_close_code()
        codes.add(b.close_code)
        claims.append(ClaimFacts(claim.pk, claim.authen_code, 1, True, ClaimStatus.SUBMITTED, claim.unit.pk,
                                 f.citizen_id, b.service.pk, claim.service_date, claim.amount, claim.items,
                                 tooth_text(claim.details), service_day(now), f.visit_id, False, f.coverage,
                                 f.other_units))
    batch = new_batch(claims, now=requests[built[0].index].now, book=book)
    day_claims: dict = {}
    for b in built:
        f = b.facts
        batch.visits[b.claim.authen_code] = VisitFacts(
            f.visit_id, b.claim.authen_code, f.visit_unit_id, f.citizen_id, "claimed", f.visit_day, f.visit_method,
            b.close_code, f.local_time, f.weekday, f.identity_verified)
        batch.units[f.unit.id] = f.unit
        batch.contracts.update(f.contracts)
        day_claims.update(f.day_claims)
    add_other_claims(batch, [(b.facts.citizen_id, o) for b in built for o in b.facts.others])
    for c in claims:
        ids = list(day_claims.get((c.unit_id, c.service_date), ()))
        bisect.insort(ids, c.id)
        day_claims[(c.unit_id, c.service_date)] = ids
    batch.day_claims = day_claims
    for b, facts in zip(built, claims, strict=True):
        now = requests[b.index].now
        batch.now = now  # each claim is judged at its own request's moment, as alone
        b.hits = evaluate(facts, batch)
        claim_decide(b.claim, b.hits, now=now)
        batch.decided[facts.id] = b.claim.status
        visit = b.claim.visit
        visit.close_code, visit.status = b.close_code, VisitStatus.CLAIMED
        if visit.closed_at is None and b.facts.visit_status == VisitStatus.OPEN:
            visit.closed_at = now


def _row(b: _Built, r: ClaimRequest, answer: tuple[int, dict]) -> dict[str, Any]:
    claim = b.claim
    job = uses_job_table(notify_send)
    return {**claim_row(claim, service=b.service), "ord": b.index, "close_code": b.close_code,
            "actor_label": r.actor_label or "system", "request_id": r.request_id,
            "submit_after": submit_after(claim, service=b.service, close_code=b.close_code),
            "decide_after": decide_after(claim, b.hits), "submission_id": b.row_id, "answer_status": answer[0],
            "answer": answer[1], "job_id": str(uuid.uuid4()) if job else None,
            "job_enqueued_at": timezone.now() if job else None,
            "job_args": {"args": [], "kwargs": {"kind": CLAIM_SENT, "ids": [claim.pk]}} if job else None}


def _job_columns() -> dict[str, Any]:
    return {"priority": notify_send.priority, "task_path": notify_send.module_path,
            "queue_name": notify_send.queue_name, "backend_name": notify_send.backend, "run_after": NEVER}
