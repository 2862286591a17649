"""Open and close visits; each opened visit carries its authen code (``PP`` + 10 digits).

A visit opens only when identity (face, LINE or rights QR) and rights are both confirmed, at a unit that
may serve. One open visit per person across all units is the database's rule (partial unique index
``visit_one_open_per_citizen``): of two units verifying one person at the same moment, the second insert
waits for the first and then fails, and gets VISIT_OPEN_ELSEWHERE with the holder's unit name. Locks:
a visit is written after any booking/ticket rows of the same transaction (raksa/booking/locks.py order),
and the index entry is the only lock it takes of its own.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from raksa.audit.services import audit_insert_params, audit_record
from raksa.booking.models import Booking, BookingStatus, QueueTicket
from raksa.booking.queue import booking_check_in, unit_may_serve
from raksa.core.choices import choice_labels
from raksa.core.db import is_violation_of
from raksa.core.timeutil import service_day
from raksa.eligibility.services import Decision, eligibility_check
from raksa.people.models import Citizen
from raksa.units.models import Service, Unit
from raksa.verification import errors, sql
from raksa.verification.models import (
    AUTHEN_CODE_CONSTRAINT,
    CLOSE_CODE_CONSTRAINT,
    ONE_OPEN_VISIT_CONSTRAINT,
    Visit,
    VisitStatus,
)
from raksa.verification.selectors import open_visit_of

LAPSE_REASON = sql.LAPSE_REASON


def new_authen_code() -> str:
    """``PP`` + 10 random digits: unguessable, so a code seen on one receipt says nothing of the next."""
    return f"PP{secrets.randbelow(10**10):010d}"


@dataclass(frozen=True)
class Opened:
    visit: Visit
    created: bool  # False: this unit already had the person's open visit (verified twice): the same code


def rights_decision(*, citizen: Citizen, unit: Unit, service: Service, day: dt.date) -> Decision:
    """The rights check for a visit: refuses with NOT_ELIGIBLE and every reason when not eligible."""
    decision = eligibility_check(citizen=citizen, unit=unit, service=service, on=day)
    if not decision.eligible:
        raise errors.not_eligible(decision.messages("th") and _bilingual(decision))
    return decision


def _bilingual(decision: Decision) -> list[dict[str, str]]:
    th, en = decision.messages("th"), decision.messages("en")
    return [{"message": a["message"], "message_en": b["message"]} for a, b in zip(th, en, strict=True)]


def rights_snapshot(decision: Decision) -> dict[str, Any]:
    coverage = decision.coverage
    return {"eligible": decision.eligible, "scheme": coverage.scheme if coverage else None,
            "main_unit_id": coverage.main_unit_id if coverage else None,
            "valid_to": coverage.valid_to.isoformat() if coverage and coverage.valid_to else None}


def check_not_open_elsewhere(*, citizen_id: int, unit_id: int, now: dt.datetime | None = None) -> Visit | None:
    """Refuse early (before a face scan or a QR) when another unit holds the person's open visit; return this
    unit's own open visit if there is one. The index decides races; this only answers sooner."""
    held = open_visit_of(citizen_id, now=now)
    if held is not None and held.unit_id != unit_id:
        raise errors.visit_open_elsewhere(held.unit.name)
    return held


def visit_open(*, actor: Any | None, unit: Unit, citizen: Citizen, service: Service, method: str,
               booking: Booking | None = None, ticket: QueueTicket | None = None,
               face_distance: float | None = None, actor_label: str = "",
               now: dt.datetime | None = None) -> Opened:
    """Open ``citizen``'s visit at ``unit`` today (Bangkok) with a new authen code, or return the one this unit
    already has open. Refuses: unit may not serve (403), not eligible, open at another unit."""
    now = now or timezone.now()
    day = service_day(now)
    unit_may_serve(unit.status)
    with transaction.atomic():
        _lapse_earlier_days(citizen_id=citizen.pk, now=now)
        held = check_not_open_elsewhere(citizen_id=citizen.pk, unit_id=unit.pk, now=now)
        if held is not None:
            return Opened(held, created=False)
        decision = rights_decision(citizen=citizen, unit=unit, service=service, day=day)
        visit = Visit(citizen=citizen, unit=unit, service=service, day=day, booking=booking, ticket=ticket,
                      method=method, verified_by=actor if getattr(actor, "is_authenticated", False) else None,
                      verified_by_label=actor_label or (actor.get_username() if getattr(actor, "is_authenticated",
                                                                                         False) else "system"),
                      rights=rights_snapshot(decision), face_distance=face_distance, opened_at=now)
        for _ in range(5):  # a code collision (1 in 10^10 per open visit) draws again
            visit.authen_code = new_authen_code()
            try:
                with transaction.atomic():
                    visit.save(force_insert=True)
                break
            except IntegrityError as exc:
                if is_violation_of(exc, Visit, AUTHEN_CODE_CONSTRAINT):
                    continue
                if is_violation_of(exc, Visit, ONE_OPEN_VISIT_CONSTRAINT):
                    held = open_visit_of(citizen.pk, now=now)  # the racing insert has committed: we see it now
                    if held is not None and held.unit_id == unit.pk:
                        return Opened(held, created=False)
                    raise errors.visit_open_elsewhere(held.unit.name if held else "") from exc
                raise
        else:  # pragma: no cover - five collisions in a row do not happen
            raise RuntimeError("could not draw a free authen code")
        audit_record(actor=actor, actor_label=actor_label, action="visit.open", obj=visit, at=now,
                     after={"authen_code": visit.authen_code, "citizen": citizen.pk, "unit": unit.hcode,
                            "method": method, "booking": booking.reference if booking else None,
                            "face_distance": face_distance})
    return Opened(visit, created=True)


def _lapse_earlier_days(*, citizen_id: int, now: dt.datetime) -> None:
    """The person's visit left open on an earlier day lapses now, as the sweep would (a sweep that fell behind
    must not block them today, nor hand today's unit yesterday's authen code)."""
    stale = list(Visit.objects.select_for_update(of=("self",)).filter(
        citizen_id=citizen_id, status=VisitStatus.OPEN, day__lt=service_day(now)).order_by("pk"))
    for visit in stale:
        visit.status, visit.closed_at, visit.close_reason = VisitStatus.LAPSED, now, LAPSE_REASON
        visit.save(update_fields=["status", "closed_at", "close_reason"])
        audit_record(actor=None, action="visit.lapse", obj=visit, after={"status": "lapsed"}, at=now)


def _locked_visit(*, visit_id: int, unit: Unit) -> Visit:
    visit = Visit.objects.select_for_update(of=("self",)).filter(pk=visit_id, unit=unit).first()
    if visit is None:
        raise errors.visit_not_found()
    if visit.status != VisitStatus.OPEN:
        label = choice_labels(VisitStatus, visit.status)
        raise errors.visit_not_open(label.en, label.th)
    return visit


def visit_close(*, actor: Any | None, unit: Unit, visit_id: int, status: str = VisitStatus.NO_SERVICE,
                reason: str = "", actor_label: str = "", now: dt.datetime | None = None) -> Visit:
    """Close an open visit of ``unit`` without service (staff, with a reason). A visit becomes ``claimed`` only
    with its claim (``visit_close_for_claim``, called by raksa/claims/submit.py), which gives it its close code."""
    if status != VisitStatus.NO_SERVICE:
        raise ValueError(f"visit_close closes a visit without service, not as {status}: send its claim instead")
    now = now or timezone.now()
    with transaction.atomic():
        visit = _locked_visit(visit_id=visit_id, unit=unit)
        visit.status, visit.closed_at, visit.close_reason = status, now, reason[:200]
        visit.save(update_fields=["status", "closed_at", "close_reason"])
        audit_record(actor=actor, actor_label=actor_label, action="visit.close", obj=visit, at=now,
                     after={"status": status, "reason": visit.close_reason})
    return visit


def new_close_code() -> str:
    """``EP`` + 10 digits: what NHSO's service answers when a claim closes a visit (unique, random)."""
    return f"EP{secrets.randbelow(10**10):010d}"


def visit_close_for_claim(*, visit: Visit, now: dt.datetime) -> str:
    """The claim for ``visit`` was sent: the visit closes as ``claimed`` with a new close code (EP…), returned.
    An open visit closes now; a visit that lapsed at the end of its day is claimed late (the claim's rules
    decide what a late claim gets). In the claim's transaction, with ``visit`` locked by the caller."""
    if visit.status not in (VisitStatus.OPEN, VisitStatus.LAPSED):
        label = choice_labels(VisitStatus, visit.status)
        raise errors.visit_not_open(label.en, label.th)
    if visit.status == VisitStatus.OPEN:
        visit.closed_at = now
    for _ in range(5):
        visit.status, visit.close_code = VisitStatus.CLAIMED, new_close_code()
        try:
            with transaction.atomic():
                visit.save(update_fields=["status", "closed_at", "close_code"])
            break
        except IntegrityError as exc:  # a close-code collision (1 in 10^10): draw again
            if not is_violation_of(exc, CLOSE_CODE_CONSTRAINT):
                raise
    else:  # pragma: no cover - five collisions in a row
        raise RuntimeError("could not draw a unique close code")
    return visit.close_code


def visit_confirm_service(*, visit_id: int, unit: Unit, now: dt.datetime, actor_label: str) -> Visit:
    """The citizen confirmed in LINE that they received the service (seed 3.4); kept for the claim."""
    with transaction.atomic():
        visit = _locked_visit(visit_id=visit_id, unit=unit)
        visit.service_confirmed_at = now
        visit.save(update_fields=["service_confirmed_at"])
        audit_record(actor=None, actor_label=actor_label, action="visit.confirm_service", obj=visit, at=now,
                     after={"service_confirmed_at": now.isoformat()})
    return visit


def visits_lapse(*, now: dt.datetime | None = None) -> int:
    """Open visits of a Bangkok day that has ended lapse (one statement, with their audit rows): the person
    may be verified again elsewhere tomorrow. Run by the sweep every minute."""
    now = now or timezone.now()
    at = connection.ops.adapt_datetimefield_value(now)
    today = connection.ops.adapt_datefield_value(service_day(now))
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(sql.LAPSE_AUDITED_SQL, [at, today, *audit_insert_params(
                actor=None, action="visit.lapse", object_type="verification.visit", after={"status": "lapsed"},
                at=now)])
            return cursor.rowcount
        cursor.execute(sql.LAPSE_SQL, [at, today])
        ids = [row[0] for row in cursor.fetchall()]
        for visit_id in ids:
            audit_record(actor=None, action="visit.lapse", object_type="verification.visit", object_id=visit_id,
                         after={"status": "lapsed"}, at=now)
        return len(ids)


def booking_arrived(*, actor: Any | None, unit: Unit, booking: Booking | None,
                    now: dt.datetime) -> QueueTicket | None:
    """A booked person verified at the counter (face or LINE) joins today's queue, as the rights QR does: their
    booking here today is checked in (one awaiting the citizen is confirmed in person: they are here, verified);
    one already checked in keeps its ticket. A booking of another unit or day, or one no longer active
    (cancelled, declined, expired, over), is refused: the visit would carry the wrong booking. In the caller's
    transaction, before the visit opens."""
    if booking is None:
        return None
    if booking.unit_id != unit.pk or booking.day != service_day(now):
        raise errors.booking_not_here()
    if booking.status in (BookingStatus.CONFIRMED, BookingStatus.AWAITING_CITIZEN):
        return booking_check_in(actor=actor, booking_id=booking.pk, now=now,
                                confirm_in_person=booking.status == BookingStatus.AWAITING_CITIZEN)
    if booking.status == BookingStatus.CHECKED_IN:
        return QueueTicket.objects.filter(booking=booking).first()
    raise errors.booking_not_usable(booking.status)
