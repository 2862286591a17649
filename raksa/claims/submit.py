"""Sending a claim (the service record) and correcting a rejected one.

``claim_submit`` is what the portal's service-record form and the REST API call: it checks the input
(422 naming the field), refuses a second claim for an authen code (409 with the first claim's reference),
stores the claim, closes the visit with a close code (EP…) and runs the rules, all in one transaction, so the
unit gets the decision in the same answer. Locks: the visit row (``select_for_update``), which serialises two
submissions for one authen code; the partial unique index ``claim_one_current_per_authen_code`` backs it up.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from raksa.audit.services import audit_record
from raksa.claims import errors
from raksa.claims.adjudicate import adjudicate_results, rules_version
from raksa.claims.models import CURRENT_CLAIM_CONSTRAINT, Claim, ClaimSource, ClaimStatus
from raksa.claims.pricing import RateBook, claim_price, parse_baht
from raksa.claims.records import record_validate
from raksa.core.choices import choice_labels
from raksa.core.db import is_violation_of
from raksa.core.thai_input import ascii_digits
from raksa.core.timeutil import service_day
from raksa.messaging.notify import claim_sent_notify
from raksa.units.models import Service, Unit
from raksa.verification.models import Visit, VisitStatus
from raksa.verification.visits import visit_close_for_claim

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
