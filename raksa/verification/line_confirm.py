"""The LINE confirmation QR (flow 1.1 fallback; seed 3.4).

The portal shows a one-time QR bound to its unit, the staff member, the person expected to confirm and the
moment; the citizen scans it inside LINE, sees the unit's name and confirms on their phone. ``identity``:
confirming opens the visit (method LINE) with its authen code; ``service``: the citizen confirms having
received the service, kept on the visit for the claim. The portal polls :func:`line_confirmation_state`.

The token (``LC1.`` + 43 URL-safe characters) is never stored: only its SHA-256. Confirming is one
conditional UPDATE (still unanswered, unexpired, not voided, and the LINE account is the expected
person's): of two taps or two phones exactly one wins, and a replayed or edited token changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from raksa.audit.services import audit_record, line_actor
from raksa.booking.models import Booking
from raksa.booking.queue import unit_may_serve
from raksa.core.choices import choice_labels
from raksa.core.errors import DomainError
from raksa.core.timeutil import service_day
from raksa.people.models import Citizen
from raksa.units.models import Service, Unit
from raksa.verification import errors
from raksa.verification.attempts import attempt_record
from raksa.verification.models import (
    AttemptOutcome,
    ConfirmationPurpose,
    LineConfirmation,
    VerifyMethod,
    Visit,
    VisitStatus,
)
from raksa.verification.visits import (
    booking_arrived,
    check_not_open_elsewhere,
    rights_decision,
    visit_confirm_service,
    visit_open,
)

TOKEN_PREFIX = "LC1."
_TOKEN_LENGTH = len(TOKEN_PREFIX) + 43


def _digest(token: str) -> bytes | None:
    if not (isinstance(token, str) and len(token) == _TOKEN_LENGTH and token.startswith(TOKEN_PREFIX)
            and token.isascii()):
        return None
    return hashlib.sha256(token.encode()).digest()


@dataclass(frozen=True)
class IssuedConfirmation:
    token: str  # the QR's payload: shown once, never stored
    confirmation: LineConfirmation


def line_confirmation_issue(*, actor: Any | None, unit: Unit, citizen: Citizen, purpose: str,
                            service: Service | None = None, booking: Booking | None = None,
                            visit: Visit | None = None, actor_label: str = "",
                            now: dt.datetime | None = None) -> IssuedConfirmation:
    """A new QR for ``citizen`` to confirm at ``unit``; the unit's older unanswered QR for the same person and
    purpose stop working. ``identity`` needs ``service`` (the rights check); ``service`` needs the open visit."""
    now = now or timezone.now()
    unit_may_serve(unit.status)
    if not citizen.line_user_id:
        raise errors.line_not_linked()
    if purpose == ConfirmationPurpose.IDENTITY:
        if service is None:
            raise errors.service_needed()
        check_not_open_elsewhere(citizen_id=citizen.pk, unit_id=unit.pk, now=now)
        rights_decision(citizen=citizen, unit=unit, service=service, day=service_day(now))
    elif purpose == ConfirmationPurpose.SERVICE:
        if visit is None or visit.unit_id != unit.pk or visit.citizen_id != citizen.pk:
            raise errors.visit_not_found()
        if visit.status != VisitStatus.OPEN:
            raise errors.visit_not_open(*choice_labels(VisitStatus, visit.status)[::-1])
    else:
        raise ValueError(f"unknown purpose {purpose!r}")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    user = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        voided = LineConfirmation.objects.filter(unit=unit, citizen=citizen, purpose=purpose, confirmed_at=None,
                                                 declined_at=None, voided_at=None).update(voided_at=now)
        row = LineConfirmation.objects.create(
            digest=_digest(token), purpose=purpose, unit=unit, staff=user, actor_label=actor_label, citizen=citizen,
            service=service, booking=booking, visit=visit, issued_at=now,
            expires_at=now + dt.timedelta(seconds=settings.RAKSA_LINE_CONFIRM_SECONDS))
        audit_record(actor=actor, actor_label=actor_label, action="line_confirmation.issue", obj=row, at=now,
                     after={"purpose": purpose, "unit": unit.hcode, "citizen": citizen.pk, "voided": voided,
                            "expires_at": row.expires_at.isoformat()})
    return IssuedConfirmation(token=token, confirmation=row)


def _refusal(row: LineConfirmation | None, now: dt.datetime):
    if row is None:
        return errors.confirm_unknown()
    if row.confirmed_at or row.declined_at:
        return errors.confirm_used()
    return errors.confirm_expired()  # voided or past expires_at


def _find(token: str) -> LineConfirmation | None:
    digest = _digest((token or "").strip())
    return (LineConfirmation.objects.select_related("unit", "citizen", "service", "booking", "visit")
            .filter(digest=digest).first() if digest else None)


def _usable(token: str, now: dt.datetime) -> LineConfirmation:
    row = _find(token)
    if row is None or row.confirmed_at or row.declined_at or row.voided_at or row.expires_at <= now:
        raise _refusal(row, now)
    return row


def _audit_refusal(line_user_id: str, refusal: DomainError, now: dt.datetime, token: str) -> None:
    """A refused scan or answer (replayed, expired, edited, wrong person, or a rule at answering) is audited in a
    transaction of its own, so the record outlives the refusal's rollback. The token itself is never written.
    When the QR is a known identity QR, the refusal is also a failed verification attempt of its unit, staff
    member and person (an edited or unknown token names no unit: its audit row is the record)."""
    row = _find(token)
    with transaction.atomic():
        audit_record(actor=None, actor_label=line_actor(line_user_id), action="line_confirmation.refuse",
                     object_type=LineConfirmation._meta.label_lower, at=now, after={"code": refusal.code})
        if row is not None and row.purpose == ConfirmationPurpose.IDENTITY:
            _failed_attempt(row, refusal.code, now)


def _failed_attempt(row: LineConfirmation, code: str, now: dt.datetime) -> None:
    attempt_record(actor=row.staff, actor_label=row.actor_label, unit=row.unit, citizen=row.citizen,
                   method=VerifyMethod.LINE, outcome=AttemptOutcome.REFUSED, code=code, now=now)


def line_confirmation_scan(*, token: str, line_user_id: str, now: dt.datetime | None = None) -> LineConfirmation:
    """The citizen scanned the QR in LINE: what to show them (the unit's name, what they confirm). Refuses
    a QR meant for another person without telling them who. The first scan is recorded (the portal shows
    "scanned"); every refusal is audited."""
    now = now or timezone.now()
    try:
        row = _usable(token, now)
        if row.citizen.line_user_id != line_user_id:
            raise errors.confirm_wrong_person()
    except DomainError as refusal:
        _audit_refusal(line_user_id, refusal, now, token)
        raise
    if row.scanned_at is None:
        with transaction.atomic():
            if LineConfirmation.objects.filter(pk=row.pk, scanned_at=None).update(scanned_at=now):
                audit_record(actor=None, actor_label=line_actor(line_user_id), action="line_confirmation.scan",
                             obj=row, at=now)
        row.scanned_at = now
    return row


def line_confirmation_answer(*, token: str, line_user_id: str, confirm: bool,
                             now: dt.datetime | None = None) -> LineConfirmation:
    """The citizen's answer. Confirming an ``identity`` QR opens the visit (method LINE) with its authen code,
    in this transaction; a ``service`` QR records the confirmation on the visit. Declining ends the QR."""
    now = now or timezone.now()
    try:
        return _answer(token=token, line_user_id=line_user_id, confirm=confirm, now=now)
    except DomainError as refusal:
        _audit_refusal(line_user_id, refusal, now, token)
        raise


def _answer(*, token: str, line_user_id: str, confirm: bool, now: dt.datetime) -> LineConfirmation:
    label = line_actor(line_user_id)
    row = _usable(token, now)
    if row.citizen.line_user_id != line_user_id:
        raise errors.confirm_wrong_person()
    column = "confirmed_at" if confirm else "declined_at"
    with transaction.atomic():
        won = LineConfirmation.objects.filter(pk=row.pk, confirmed_at=None, declined_at=None, voided_at=None,
                                              expires_at__gt=now).update(**{column: now, "scanned_at": row.scanned_at
                                                                            or now})
        if not won:
            row.refresh_from_db()
            raise _refusal(row, now)
        setattr(row, column, now)
        if confirm and row.purpose == ConfirmationPurpose.IDENTITY:
            ticket = booking_arrived(actor=row.staff, unit=row.unit, booking=row.booking, now=now)
            opened = visit_open(actor=row.staff, unit=row.unit, citizen=row.citizen, service=row.service,
                                method=VerifyMethod.LINE, booking=row.booking, ticket=ticket,
                                actor_label=row.actor_label, now=now)
            row.visit = opened.visit
            row.save(update_fields=["visit"])
            attempt_record(actor=row.staff, actor_label=row.actor_label, unit=row.unit, citizen=row.citizen,
                           method=VerifyMethod.LINE, outcome=AttemptOutcome.VERIFIED, code="VERIFIED",
                           visit=opened.visit, now=now)
        elif confirm:
            visit_confirm_service(visit_id=row.visit_id, unit=row.unit, now=now, actor_label=label)
        elif row.purpose == ConfirmationPurpose.IDENTITY:
            _failed_attempt(row, "DECLINED", now)
        audit_record(actor=None, actor_label=label, action="line_confirmation.confirm" if confirm
                     else "line_confirmation.decline", obj=row, at=now, after={"purpose": row.purpose})
    return row


@dataclass(frozen=True)
class ConfirmationState:
    state: str  # waiting | scanned | confirmed | declined | expired
    authen_code: str | None
    visit_id: int | None


def line_confirmation_state(*, confirmation_id: int, unit: Unit, now: dt.datetime | None = None
                            ) -> ConfirmationState | None:
    """What the portal shows while it waits (polled every second): None if not this unit's QR."""
    now = now or timezone.now()
    row = (LineConfirmation.objects.filter(pk=confirmation_id, unit=unit).select_related("visit").first())
    if row is None:
        return None
    if row.confirmed_at:
        state = "confirmed"
    elif row.declined_at:
        state = "declined"
    elif row.voided_at or row.expires_at <= now:
        state = "expired"
    else:
        state = "scanned" if row.scanned_at else "waiting"
    visit = row.visit if row.confirmed_at else None
    return ConfirmationState(state=state, authen_code=visit.authen_code if visit else None,
                             visit_id=visit.pk if visit else None)
