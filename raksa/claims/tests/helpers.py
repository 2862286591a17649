"""Helpers of the rules tests: a claim as a batch import stores it (no checks at the door), decided by the
engine, and the codes of its reasons."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from raksa.booking.tests.helpers import NOW
from raksa.claims.adjudicate import claims_adjudicate
from raksa.claims.models import Claim, ClaimSource
from raksa.claims.submit import claim_submit
from raksa.core.timeutil import service_day
from raksa.testing.claims import ClaimCase, make_claim_case, make_visit
from raksa.units.models import Service, Unit
from raksa.verification.models import Visit
from raksa.verification.visits import visit_close_for_claim

TODAY = service_day(NOW)


def stored_claim(case: ClaimCase, *, visit: Visit | None = None, authen_code: str | None = None,
                 unit: Unit | None = None, service: Service | None = None, service_date: dt.date | None = None,
                 amount: str = "180.00", items: list | None = None, details: dict | None = None,
                 submitted_at: dt.datetime = NOW, close: bool = True) -> Claim:
    """A submitted claim stored as a unit's batch import would (no checks at the door); ``close``: its visit is
    closed with an EP code as claim_submit does."""
    visit = visit or case.visit
    if close and visit.status in ("open", "lapsed"):
        visit_close_for_claim(visit=visit, now=submitted_at)
    return Claim.objects.create(
        authen_code=visit.authen_code if authen_code is None else authen_code, visit=visit,
        unit=unit or case.unit, citizen_id=visit.citizen_id, service=service or case.service,
        service_date=service_date or visit.day, details=details or {}, items=items or [],
        service_amount=Decimal("180.00"), amount=Decimal(amount), source=ClaimSource.BATCH,
        submitted_at=submitted_at)


def decide(*claims: Claim, now: dt.datetime = NOW) -> list[Claim]:
    claims_adjudicate(claim_ids=[c.pk for c in claims], now=now)
    for claim in claims:
        claim.refresh_from_db()
    return list(claims)


def codes(claim: Claim) -> list[str]:
    return [r["code"] for r in claim.reasons]


def submitted(case: ClaimCase | None = None, **kwargs) -> Claim:
    """A claim sent through claim_submit for the case's visit (a new case if none)."""
    case = case or make_claim_case()
    return claim_submit(actor=None, unit=case.unit, authen_code=case.visit.authen_code, now=kwargs.pop("now", NOW),
                        **kwargs)


def another_visit(case: ClaimCase, *, now: dt.datetime, unit: Unit | None = None, service: Service | None = None,
                  verified: bool = True) -> Visit:
    """A new visit of the case's citizen (at ``now``), at the case's unit unless given."""
    return make_visit(unit=unit or case.unit, citizen=case.citizen, service=service or case.service, now=now,
                      verified=verified)
