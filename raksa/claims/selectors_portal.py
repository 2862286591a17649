"""Read-only questions the unit-staff portal asks about claims (no changes, no audit rows).

Every function takes the unit: a unit sees only its own claims and visits.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef
from django.utils import timezone

from raksa.claims.models import Claim
from raksa.core.timeutil import service_day
from raksa.units.models import Unit
from raksa.verification.models import Visit, VisitStatus

CLAIMS_PAGE = 200  # the list shows the newest claims; older ones are found by date


def claims_of_unit(*, unit: Unit, status: str | None = None, day: dt.date | None = None,
                   limit: int = CLAIMS_PAGE) -> list[Claim]:
    """The unit's current claims (the newest version of each authen code), newest first."""
    rows = Claim.objects.filter(unit=unit, current=True).select_related("service", "citizen", "visit")
    if status:
        rows = rows.filter(status=status)
    if day is not None:
        rows = rows.filter(service_date=day)
    return list(rows.order_by("-submitted_at", "-pk")[:limit])


def claim_of_unit(*, unit: Unit, claim_id: int) -> Claim | None:
    """One claim version of the unit; another unit's claim is None (not found)."""
    return (Claim.objects.filter(unit=unit, pk=claim_id)
            .select_related("service", "citizen", "visit", "statement", "unit").first())


def claim_versions(claim: Claim) -> list[Claim]:
    """Every version of the claim's authen code at its unit, oldest first (the claim's history)."""
    if not claim.authen_code:
        return [claim]
    return list(Claim.objects.filter(unit_id=claim.unit_id, authen_code=claim.authen_code)
                .select_related("service").order_by("version"))


def current_claim_of_visit(visit: Visit) -> Claim | None:
    return Claim.objects.filter(visit=visit, current=True).select_related("service").first()


def unsent_visits(*, unit: Unit, now: dt.datetime | None = None) -> dict[str, list[Visit]]:
    """The unit's to-do before the day ends: ``today`` = open visits of today (Bangkok) with no claim (they
    lapse at midnight); ``late`` = visits of yesterday left without a claim (lapsed, or still open if the sweep
    has not run), which may still be claimed late: the rules flag or reject a late claim by policy."""
    today = service_day(now or timezone.now())
    no_claim = ~Exists(Claim.objects.filter(visit=OuterRef("pk")))
    rows = (Visit.objects.filter(unit=unit).filter(no_claim).select_related("citizen", "service")
            .order_by("opened_at"))
    return {
        "today": list(rows.filter(day=today, status=VisitStatus.OPEN)),
        "late": list(rows.filter(day=today - dt.timedelta(days=1),
                                 status__in=(VisitStatus.OPEN, VisitStatus.LAPSED))),
    }
