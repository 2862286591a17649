"""A known set of claims for the back office's dashboard figures (raksa/claims/selectors_backoffice.py), made
through the real services (claim_submit, claim_correct, statement_issue, statement_mark_paid) at fixed Bangkok
times, so that each figure can be worked out by hand (raksa/claims/tests/test_dashboard_figures.py works them out;
interfaces/backoffice/tests/test_claims_dashboard_figures.py reads them on the page)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from raksa.claims.models import Claim
from raksa.claims.statements import statement_issue, statement_mark_paid
from raksa.claims.submit import claim_correct, claim_submit
from raksa.core.timeutil import BANGKOK
from raksa.testing.claims import ClaimCase, make_claim_case, make_visit
from raksa.testing.factories import CitizenFactory, CoverageFactory, FeeRateFactory, ServiceFactory
from raksa.units.models import Province, Unit, UnitType

TODAY = dt.date(2026, 11, 26)  # a Thursday; the dashboard is read that afternoon
READ_AT = dt.datetime(2026, 11, 26, 15, 0, tzinfo=BANGKOK)


def bangkok(day: int, hour: int, minute: int = 0, month: int = 11) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=BANGKOK)


@dataclass
class Dashboard:
    pharmacy: ClaimCase  # Bangkok
    dental: ClaimCase  # Chiang Mai
    chiang_mai_pharmacy: ClaimCase
    claims: list[Claim]


def _in_chiang_mai(case: ClaimCase) -> None:
    province, _ = Province.objects.get_or_create(code="50", defaults={"name_th": "เชียงใหม่", "name_en": "Chiang Mai"})
    Unit.objects.filter(pk=case.unit.pk).update(province=province)
    case.unit.refresh_from_db()


def claim_at(case: ClaimCase, *, now: dt.datetime, verified: bool = True, **kwargs) -> Claim:
    """Another citizen's visit at ``case.unit`` at ``now``, claimed at once through ``claim_submit`` (``kwargs``:
    its amount, service code...)."""
    citizen = CitizenFactory()
    CoverageFactory(citizen=citizen)
    visit = make_visit(unit=case.unit, citizen=citizen, service=case.service, now=now, verified=verified)
    return claim_submit(actor=None, unit=case.unit, authen_code=visit.authen_code, now=now, **kwargs)


def make_dashboard_claims() -> Dashboard:
    """Ten claims (eleven versions) at three units:

    * a Bangkok pharmacy (180 baht): 17 Oct, one accepted (paid on 20 Oct) and one rejected (over the schedule)
      -- before every window; 24 Nov 10:00 and 23:30 (16:30 UTC), accepted, paid on 26 Nov 14:00 (52 and 38.5 hours);
      25 Nov 00:30 (24 Nov 17:30 UTC) rejected, over the schedule, corrected at 09:00 (accepted; unpaid);
      26 Nov 09:30, unverified and over the schedule: rejected for both;
    * a Chiang Mai dental clinic (scaling 600 baht): 25 Nov 09:00 accepted, paid on 26 Nov 09:00 (exactly 24 hours);
      25 Nov 11:00 unverified: in review; 26 Nov 10:00 fluoride varnish (250 baht), not in its contract: rejected;
    * a Chiang Mai pharmacy (180 baht): 26 Nov 11:00 accepted.
    """
    claims: list[Claim] = []
    pharmacy = make_claim_case(now=bangkok(17, 10, month=10))
    claims.append(claim_submit(actor=None, unit=pharmacy.unit, authen_code=pharmacy.visit.authen_code,
                               now=bangkok(17, 10, month=10)))
    claims.append(claim_at(pharmacy, now=bangkok(17, 11, month=10), amount="500"))
    statement_mark_paid(actor=None, statement_id=statement_issue(
        actor=None, unit=pharmacy.unit, period_from="2026-10-17", period_to="2026-10-17", now=bangkok(20, 9, month=10)
    ).pk, now=bangkok(20, 10, month=10))

    claims.append(claim_at(pharmacy, now=bangkok(24, 10)))
    claims.append(claim_at(pharmacy, now=bangkok(24, 23, 30)))
    rejected = claim_at(pharmacy, now=bangkok(25, 0, 30), amount="500")
    claims.append(rejected)
    claims.append(claim_correct(actor=None, unit=pharmacy.unit, claim_id=rejected.pk, now=bangkok(25, 9)))
    claims.append(claim_at(pharmacy, now=bangkok(26, 9, 30), verified=False, amount="999"))
    statement_mark_paid(actor=None, statement_id=statement_issue(
        actor=None, unit=pharmacy.unit, period_from="2026-11-24", period_to="2026-11-24", now=bangkok(26, 13)
    ).pk, now=bangkok(26, 14))

    dental = make_claim_case(unit_type=UnitType.DENTAL, service_code="DT-SCALE", fee="600.00", now=bangkok(25, 9))
    _in_chiang_mai(dental)
    claims.append(claim_submit(actor=None, unit=dental.unit, authen_code=dental.visit.authen_code, now=bangkok(25, 9)))
    claims.append(claim_at(dental, now=bangkok(25, 11), verified=False))
    FeeRateFactory(service=ServiceFactory(code="DT-FLUORIDE", unit_type=UnitType.DENTAL), amount_baht="250.00")
    claims.append(claim_at(dental, now=bangkok(26, 10), service_code="DT-FLUORIDE"))
    statement_mark_paid(actor=None, statement_id=statement_issue(
        actor=None, unit=dental.unit, period_from="2026-11-25", period_to="2026-11-25", now=bangkok(26, 8)
    ).pk, now=bangkok(26, 9))

    chiang_mai_pharmacy = make_claim_case(now=bangkok(26, 11))
    _in_chiang_mai(chiang_mai_pharmacy)
    claims.append(claim_submit(actor=None, unit=chiang_mai_pharmacy.unit,
                               authen_code=chiang_mai_pharmacy.visit.authen_code, now=bangkok(26, 11)))
    return Dashboard(pharmacy, dental, chiang_mai_pharmacy, claims)
