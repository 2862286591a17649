"""Every verification try, successful or not, is recorded (VerificationAttempt + its audit row)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from raksa.audit.services import audit_record
from raksa.core.timeutil import BANGKOK, service_day
from raksa.people.models import Citizen
from raksa.units.models import Unit
from raksa.verification.models import AttemptOutcome, VerificationAttempt, VerifyMethod, Visit

# Face tries that count towards the LINE fallback (a missing reference or a broken engine offers it at once).
FAILED_FACE_OUTCOMES = (AttemptOutcome.NO_MATCH, AttemptOutcome.NOT_LIVE, AttemptOutcome.POOR_IMAGE)


def attempt_record(*, actor: Any | None, unit: Unit, citizen: Citizen | None, method: str, outcome: str,
                   code: str = "", face_distance: float | None = None, visit: Visit | None = None,
                   actor_label: str = "", now: dt.datetime | None = None) -> VerificationAttempt:
    """Record one try (in the caller's transaction if there is one: a success commits with its visit)."""
    now = now or timezone.now()
    user = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        attempt = VerificationAttempt.objects.create(
            at=now, unit=unit, citizen=citizen, staff=user, actor_label=actor_label, method=method, outcome=outcome,
            code=code[:40], face_distance=face_distance, visit=visit)
        audit_record(actor=actor, actor_label=actor_label, action=f"verification.{method}", obj=attempt, at=now,
                     after={"unit": unit.hcode, "citizen": citizen.pk if citizen else None, "outcome": outcome,
                            "code": code, "face_distance": face_distance,
                            "visit": visit.authen_code if visit else None})
    return attempt


def failed_face_tries(*, citizen_id: int, unit_id: int, now: dt.datetime | None = None) -> int:
    """Failed face tries for this person at this unit since the start of today (Bangkok)."""
    now = now or timezone.now()
    since = dt.datetime.combine(service_day(now), dt.time(0), tzinfo=BANGKOK)
    return VerificationAttempt.objects.filter(citizen_id=citizen_id, unit_id=unit_id, method=VerifyMethod.FACE,
                                              outcome__in=FAILED_FACE_OUTCOMES, at__gte=since).count()


def age_on(birth_date: dt.date, day: dt.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def line_fallback_at_once(citizen: Citizen, day: dt.date) -> bool:
    """Children under 15 and people aged 60 and over may skip the face scan (the national FVS rule exempts
    them; "60 and over" is the Thai legal meaning of elderly, ผู้สูงอายุ)."""
    age = age_on(citizen.birth_date, day)
    return age < settings.RAKSA_FACE_EXEMPT_UNDER or age >= settings.RAKSA_FACE_EXEMPT_FROM
