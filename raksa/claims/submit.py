"""Sending a claim (the service record) and correcting a rejected one.

``claim_submit`` is what the portal's service-record form and the REST API call: it checks the input
(422 naming the field), refuses a second claim for an authen code (409 with the first claim's reference),
stores the claim, closes the visit with a close code (EP…) and runs the rules, all in one transaction, so the
unit gets the decision in the same answer. Locks: the visit row (``select_for_update``), which serialises two
submissions for one authen code; the partial unique index ``claim_one_current_per_authen_code`` backs it up.

On PostgreSQL ``claim_submit`` takes :func:`claim_submit_sql`: the same checks, rows and decision in two statements
(raksa/claims/sql_submit.py); the ORM path below it serves other databases (the embedded SQLite demo).
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from raksa.audit.services import audit_record
from raksa.claims import errors, sql_submit
from raksa.claims.adjudicate import adjudicate_results, evaluate, rules_version, status_of
from raksa.claims.models import CURRENT_CLAIM_CONSTRAINT, Claim, ClaimSource, ClaimStatus, ClaimSubmission
from raksa.claims.pricing import RateBook, claim_price, parse_baht
from raksa.claims.records import record_validate
from raksa.core.choices import choice_labels
from raksa.core.db import is_violation_of
from raksa.core.request_context import get_request_id
from raksa.core.thai_input import ascii_digits
from raksa.core.timeutil import service_day
from raksa.messaging.jobs import job_values, uses_job_table
from raksa.messaging.notify import CLAIM_SENT, claim_sent_notify
from raksa.messaging.tasks import notify_send
from raksa.units.models import Service, Unit
from raksa.verification.models import Visit, VisitStatus
from raksa.verification.visits import new_close_code, visit_close_for_claim

_AUTHEN = re.compile(r"^PP[0-9]{10}$")
_book: tuple[float, RateBook] | None = None


def rate_book() -> RateBook:
    """The fee schedule in memory, reloaded after ``RAKSA_RATE_BOOK_SECONDS`` (30 s by default; 0 in tests): a
    rate an officer changes applies to claims priced from then on, within that delay."""
    global _book
    max_age = getattr(settings, "RAKSA_RATE_BOOK_SECONDS", 30)
    if _book is None or time.monotonic() - _book[0] > max_age:
        _book = (time.monotonic(), RateBook())
    return _book[1]


def authen_code_clean(value: Any) -> str:
    code = ascii_digits(str(value or "")).strip().upper().replace("-", "").replace(" ", "")
    if not _AUTHEN.match(code):
        raise errors.invalid("authen_code", "The authen code is PP followed by 10 digits (e.g. PP0123456789).",
                             "รหัสยืนยันคือ PP ตามด้วยตัวเลข 10 หลัก (เช่น PP0123456789)")
    return code


def _service_of(*, unit: Unit, visit: Visit, service_code: str | None, book: RateBook) -> Service:
    book.knows(service_id=visit.service_id, codes=[str(service_code).strip().upper()] if service_code else ())
    if not service_code:
        return book.service_by_id[visit.service_id]
    service = book.services.get(str(service_code).strip().upper())
    if service is None or not service.active:
        raise errors.invalid("service_code", f"Unknown service code {service_code!r}.",
                             f"ไม่รู้จักรหัสบริการ {service_code!r}", "SERVICE_UNKNOWN")
    if service.unit_type != unit.unit_type:
        raise errors.invalid("service_code", f"A unit of this type cannot claim {service.code}.",
                             f"หน่วยบริการประเภทนี้เบิก {service.code} ไม่ได้", "SERVICE_NOT_FOR_UNIT_TYPE")
    return service


def _service_date(value: Any, *, visit: Visit, now: dt.datetime) -> dt.date:
    if value in (None, ""):
        return visit.day
    try:
        day = value if isinstance(value, dt.date) else dt.date.fromisoformat(ascii_digits(str(value)).strip())
    except ValueError:
        raise errors.invalid("service_date", "Give the service date as YYYY-MM-DD.",
                             "กรุณาระบุวันที่รับบริการในรูปแบบ ปปปป-ดด-วว (ค.ศ.)") from None
    if day > service_day(now):
        raise errors.invalid("service_date", "The service date is in the future.", "วันที่รับบริการเป็นวันในอนาคต",
                             "SERVICE_DATE_FUTURE")
    if day != visit.day:
        raise errors.invalid("service_date", f"The visit with this authen code was on {visit.day.isoformat()}.",
                             f"การเข้ารับบริการของรหัสนี้เป็นวันที่ {visit.day.isoformat()}", "SERVICE_DATE_MISMATCH")
    return day


def _content(*, unit: Unit, service: Service, day: dt.date, details, icd10, items, amount, book: RateBook) -> dict:
    cleaned, codes = record_validate(unit_type=unit.unit_type, service_code=service.code, service_date=day,
                                     details=details, icd10=icd10)
    priced = claim_price(book=book, unit_type=unit.unit_type, service=service, items=items, day=day)
    claimed = priced.total if amount in (None, "") else parse_baht(amount, field="amount")
    return {"service": service, "details": cleaned, "icd10": codes, "items": priced.items,
            "service_amount": priced.service_amount, "amount": claimed}


def claim_submit(*, actor: Any | None, unit: Unit, authen_code: Any, service_code: str | None = None,
                 service_date: Any = None, details: dict | None = None, icd10: list | str | None = None,
                 items: list | None = None, amount: Any = None, source: str = ClaimSource.PORTAL,
                 actor_label: str = "", now: dt.datetime | None = None) -> Claim:
    """Send the claim for the visit ``authen_code`` of ``unit``; returns it decided (accepted, rejected or
    in review). ``amount`` omitted: the schedule's total; given: checked by the rules (AMOUNT_OVER_SCHEDULE)."""
    now = now or timezone.now()
    code = authen_code_clean(authen_code)
    book = rate_book()  # one schedule for pricing and the rules (and one load where it is not cached)
    if connection.vendor == "postgresql":
        try:
            with transaction.atomic():
                return claim_submit_sql(actor=actor, unit=unit, code=code, service_code=service_code,
                                        service_date=service_date, details=details, icd10=icd10, items=items,
                                        amount=amount, source=source, actor_label=actor_label, now=now, book=book)[0]
        except errors.ClaimWrittenAround:  # rolled back: the claim that got there first is the answer
            raise _first_claim_duplicate(code) from None
    with transaction.atomic():
        visit = Visit.objects.select_for_update(of=("self",)).filter(authen_code=code).first()
        if visit is None:
            raise errors.authen_unknown()
        if visit.unit_id != unit.pk:
            raise errors.visit_other_unit()
        first = Claim.objects.filter(authen_code=code).order_by("version").first()
        if first is not None:
            raise errors.duplicate(first.reference, first.pk)
        if visit.status not in (VisitStatus.OPEN, VisitStatus.LAPSED):
            label = choice_labels(VisitStatus, visit.status)
            raise errors.visit_not_claimable(label.en, label.th)
        day = _service_date(service_date, visit=visit, now=now)
        content = _content(unit=unit, service=_service_of(unit=unit, visit=visit, service_code=service_code,
                                                           book=book),
                           day=day, details=details, icd10=icd10, items=items, amount=amount, book=book)
        claim = Claim(authen_code=code, visit=visit, unit=unit, citizen_id=visit.citizen_id, service_date=day,
                      source=source, submitted_at=now, submitted_by=_user(actor),
                      submitted_label=actor_label or _label(actor), service_confirmed_at=visit.service_confirmed_at,
                      **content)
        try:
            with transaction.atomic():
                claim.save()
        except IntegrityError as exc:  # pragma: no cover - the visit lock serialises submissions
            if is_violation_of(exc, Claim, CURRENT_CLAIM_CONSTRAINT):
                raise errors.duplicate(code, 0) from None
            raise
        close_code = visit_close_for_claim(visit=visit, now=now)
        claim_sent_notify(claim_id=claim.pk)  # the citizen's LINE: a job row that commits with the claim
        audit_record(actor=actor, actor_label=actor_label, action="claim.submit", obj=claim, at=now,
                     after={"authen_code": code, "close_code": close_code, "amount": str(claim.amount),
                            "service": claim.service.code, "source": source})
        _decide(claim, now=now, book=book)
    return claim


Answer = Callable[[Claim], tuple[int, dict]]


def _first_claim_duplicate(code: str) -> Exception:
    first = Claim.objects.filter(authen_code=code).order_by("version").first()
    return errors.duplicate(first.reference, first.pk) if first is not None else RuntimeError(
        f"the claim that broke {CURRENT_CLAIM_CONSTRAINT} for {code} is gone")


def claim_submit_sql(*, actor: Any | None, unit: Unit, code: str, service_code: str | None, service_date: Any,
                     details: dict | None, icd10: list | str | None, items: list | None, amount: Any, source: str,
                     actor_label: str, now: dt.datetime, book: RateBook, answer: Answer | None = None,
                     submission_id: int | None = None) -> tuple[Claim, tuple[int, dict] | None]:
    """``claim_submit`` on PostgreSQL, in the caller's transaction: two statements (raksa/claims/sql_submit.py),
    the visit lock with every fact, then the whole write. The same checks in the same order, the same rows, the
    same decision (the engine's ``evaluate`` over the same facts). ``answer`` (with ``submission_id``): the API's
    JSON for the decided claim, stored in the Idempotency-Key's row by the same statement; returned beside the
    claim."""
    facts = sql_submit.submit_facts(authen_code=code, unit_id=unit.pk)
    if facts is None:
        raise errors.authen_unknown()
    if facts.visit_unit_id != unit.pk:
        raise errors.visit_other_unit()
    if facts.visit_status not in (VisitStatus.OPEN, VisitStatus.LAPSED) or facts.first_claim is not None:
        # read again: a submission that waited for the lock saw the visit as it is now but the claims as they
        # were when the statement began
        first = Claim.objects.filter(authen_code=code).order_by("version").first()
        if first is not None:
            raise errors.duplicate(first.reference, first.pk)
        label = choice_labels(VisitStatus, facts.visit_status)
        raise errors.visit_not_claimable(label.en, label.th)
    claim, service = claim_built(facts, unit=unit, code=code, service_code=service_code, service_date=service_date,
                                 details=details, icd10=icd10, items=items, amount=amount, source=source,
                                 actor=actor, actor_label=actor_label, now=now, book=book)
    visit, day, user = claim.visit, claim.service_date, claim.submitted_by
    close_code = new_close_code()
    batch = sql_submit.single_batch(facts, authen_code=code, unit_id=unit.pk, service_id=service.pk,
                                    service_date=day, amount=claim.amount, items=claim.items, details=claim.details,
                                    submitted_day=service_day(now), close_code=close_code, now=now, book=book)
    hits = evaluate(batch.claims[0], batch)
    claim_decide(claim, hits, now=now)
    ops = connection.ops
    job = job_values(notify_send, {"kind": CLAIM_SENT, "ids": [claim.pk]}) if uses_job_table(notify_send) else None
    for _ in range(5):
        visit.close_code, visit.status = close_code, VisitStatus.CLAIMED
        if visit.closed_at is None and facts.visit_status == VisitStatus.OPEN:
            visit.closed_at = now
        answered = None
        if answer is not None:
            answered = answer(claim)
        row = claim_row(claim, service=service)
        columns = {**row, **{name: ops.adapt_json_value(row[name], None) for name in _JSON_COLUMNS}}
        try:
            written = sql_submit.claim_write(
                claim=columns, visit_id=visit.pk, close_code=close_code, now=now,
                actor_id=user.pk if user else None, actor_label=actor_label or (user.get_username() if user else
                                                                               "system"),
                submit_after=submit_after(claim, service=service, close_code=close_code),
                decide_after=decide_after(claim, hits),
                request_id=get_request_id(), job=job,
                answer=None if answered is None else (submission_id, *answered))
        except IntegrityError as exc:
            if is_violation_of(exc, Claim, CURRENT_CLAIM_CONSTRAINT):  # a claim written around the visit lock
                raise errors.ClaimWrittenAround(code) from exc
            raise
        if written:
            if job is None:
                claim_sent_notify(claim_id=claim.pk)
            claim._state.adding = False
            return claim, answered
        close_code = new_close_code()  # the close code was taken (the lock holds the visit claimable)
        batch.visits[code].close_code = close_code
    raise RuntimeError("could not draw a unique close code")  # pragma: no cover - five collisions in a row


_JSON_COLUMNS = ("details", "icd10", "items", "reasons")


def claim_built(facts: sql_submit.SubmitFacts, *, unit: Unit, code: str, service_code: str | None,
                service_date: Any, details: dict | None, icd10: list | str | None, items: list | None, amount: Any,
                source: str, actor: Any | None, actor_label: str, now: dt.datetime, book: RateBook
                ) -> tuple[Claim, Service]:
    """The new claim for the visit of ``facts`` (already checked: this unit's, claimable, no claim yet), validated
    and priced, not yet decided nor stored (its visit an unsaved instance with the facts), and its service. Raises
    the input's refusals (422). ``claim_submit_sql`` and the group commit (raksa/claims/batch.py) build it here."""
    visit = Visit(pk=facts.visit_id, authen_code=code, unit_id=facts.visit_unit_id, citizen_id=facts.citizen_id,
                  service_id=facts.visit_service_id, day=facts.visit_day, status=facts.visit_status,
                  service_confirmed_at=facts.service_confirmed_at)
    day = _service_date(service_date, visit=visit, now=now)
    content = _content(unit=unit, service=_service_of(unit=unit, visit=visit, service_code=service_code, book=book),
                       day=day, details=details, icd10=icd10, items=items, amount=amount, book=book)
    claim = Claim(pk=facts.claim_id, authen_code=code, visit=visit, unit=unit, citizen_id=facts.citizen_id,
                  service_date=day, source=source, submitted_at=now, submitted_by=_user(actor),
                  submitted_label=actor_label or _label(actor), service_confirmed_at=facts.service_confirmed_at,
                  **content)
    return claim, content["service"]


def claim_row(claim: Claim, *, service: Service) -> dict[str, Any]:
    """The decided claim's values in sql_submit.CLAIM_INSERT_COLUMNS (JSON columns as Python values)."""
    user = claim.submitted_by
    return {
        "id": claim.pk, "authen_code": claim.authen_code, "version": 1, "current": True, "visit_id": claim.visit.pk,
        "unit_id": claim.unit.pk, "citizen_id": claim.citizen_id, "service_id": service.pk,
        "service_date": claim.service_date, "details": claim.details, "icd10": claim.icd10, "items": claim.items,
        "service_amount": claim.service_amount, "amount": claim.amount, "status": claim.status,
        "reasons": claim.reasons, "rules_version": claim.rules_version, "source": claim.source,
        "submitted_at": claim.submitted_at, "submitted_by_id": user.pk if user else None,
        "submitted_label": claim.submitted_label, "service_confirmed_at": claim.service_confirmed_at,
        "decided_at": claim.decided_at, "decision_note": "", "citizen_report_note": ""}


def claim_decide(claim: Claim, hits: list, *, now: dt.datetime) -> None:
    """Set the rules' decision (``hits``, from ``evaluate``) on the claim about to be written."""
    claim.status, claim.reasons, claim.rules_version = status_of(hits), [h.as_json() for h in hits], rules_version()
    claim.decided_at = None if claim.status == ClaimStatus.IN_REVIEW else now


def submit_after(claim: Claim, *, service: Service, close_code: str) -> dict:
    """The ``claim.submit`` audit row's ``after``."""
    return {"authen_code": claim.authen_code, "close_code": close_code, "amount": str(claim.amount),
            "service": service.code, "source": claim.source}


def decide_after(claim: Claim, hits: list) -> dict:
    """The ``claim.adjudicate`` audit row's ``after``."""
    return {"status": claim.status, "reasons": [h.code for h in hits], "rules_version": claim.rules_version}


def claim_submit_answered(*, answer: Answer, submission_id: int, actor: Any | None, unit: Unit, authen_code: Any,
                          service_code: str | None = None, service_date: Any = None, details: dict | None = None,
                          icd10: list | str | None = None, items: list | None = None, amount: Any = None,
                          source: str = ClaimSource.API, actor_label: str = "", now: dt.datetime | None = None
                          ) -> tuple[int, dict]:
    """``claim_submit`` for the API's Idempotency-Key: ``answer(claim)`` renders the decided claim as
    ``(status, JSON)``, which the claim's own write stores in the key's row ``submission_id`` (PostgreSQL; elsewhere
    the row is updated after). Refusals raise as from ``claim_submit``. Run inside the key's transaction."""
    now = now or timezone.now()
    if connection.vendor != "postgresql":
        claim = claim_submit(actor=actor, unit=unit, authen_code=authen_code, service_code=service_code,
                             service_date=service_date, details=details, icd10=icd10, items=items, amount=amount,
                             source=source, actor_label=actor_label, now=now)
        answered = answer(claim)
        ClaimSubmission.objects.filter(pk=submission_id).update(status_code=answered[0], response=answered[1],
                                                                claim=claim)
        return answered
    if not connection.in_atomic_block:
        raise RuntimeError("claim_submit_answered runs in the Idempotency-Key's transaction")
    # No atomic block of its own: a refusal (raised before anything is written) leaves the key's transaction
    # usable, so that the key's row stores it.
    _claim, answered = claim_submit_sql(
        actor=actor, unit=unit, code=authen_code_clean(authen_code), service_code=service_code,
        service_date=service_date, details=details, icd10=icd10, items=items, amount=amount, source=source,
        actor_label=actor_label, now=now, book=rate_book(), answer=answer, submission_id=submission_id)
    return answered  # type: ignore[return-value]


def claim_correct(*, actor: Any | None, unit: Unit, claim_id: int, service_code: str | None = None,
                  details: dict | None = None, icd10: list | str | None = None, items: list | None = None,
                  amount: Any = None, source: str = ClaimSource.PORTAL, actor_label: str = "",
                  now: dt.datetime | None = None) -> Claim:
    """Send a corrected version of a rejected claim: a new row (version + 1) that supersedes it; the rejected
    version and its reasons stay as they were. Returns the new version, decided."""
    now = now or timezone.now()
    book = rate_book()
    with transaction.atomic():
        old = Claim.objects.select_for_update(of=("self",)).filter(pk=claim_id, unit=unit).first()
        if old is None:
            raise errors.claim_not_found()
        if old.status != ClaimStatus.REJECTED or not old.current:
            label = choice_labels(ClaimStatus, old.status)
            if not old.current:
                label = type(label)("มีฉบับแก้ไขแล้ว", "already corrected")
            raise errors.not_correctable(label.en, label.th)
        visit = old.visit
        service = (_service_of(unit=unit, visit=visit, service_code=service_code, book=book)
                   if visit is not None else book.service_by_id[old.service_id])
        content = _content(unit=unit, service=service, day=old.service_date, details=details, icd10=icd10,
                           items=items, amount=amount, book=book)
        Claim.objects.filter(pk=old.pk).update(current=False)
        claim = Claim(authen_code=old.authen_code, version=old.version + 1, supersedes=old, visit=visit, unit=unit,
                      citizen_id=old.citizen_id, service_date=old.service_date, source=source, submitted_at=now,
                      submitted_by=_user(actor), submitted_label=actor_label or _label(actor),
                      service_confirmed_at=old.service_confirmed_at, **content)
        claim.save()
        audit_record(actor=actor, actor_label=actor_label, action="claim.correct", obj=claim, at=now,
                     before={"claim": old.pk, "version": old.version, "amount": str(old.amount)},
                     after={"version": claim.version, "amount": str(claim.amount), "service": service.code})
        _decide(claim, now=now, book=book)
    return claim


def _decide(claim: Claim, *, now: dt.datetime, book: RateBook) -> None:
    """Run the rules on the new claim and set their decision on it as stored (no second read)."""
    for _pk, status, hits in adjudicate_results(claim_ids=[claim.pk], now=now, book=book):
        claim.status, claim.reasons, claim.rules_version = status, [h.as_json() for h in hits], rules_version()
        claim.decided_at = None if status == ClaimStatus.IN_REVIEW else now


def _user(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _label(actor) -> str:
    user = _user(actor)
    return user.get_username() if user else ""
