"""Claims test helpers: a verified visit ready to be claimed (visit, attempt, fee rate, opening hours)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from raksa.booking.tests.helpers import NOW
from raksa.claims.models import Item, ItemPrice
from raksa.core.weekly_hours import DAYS
from raksa.people.models import Citizen
from raksa.testing.factories import FeeRateFactory, make_eligible_case
from raksa.units.models import Service, Unit, UnitType
from raksa.verification.attempts import attempt_record
from raksa.verification.line_confirm import line_confirmation_answer, line_confirmation_issue
from raksa.verification.models import AttemptOutcome, VerifyMethod, Visit
from raksa.verification.visits import visit_open

ALL_DAY = {day: [["00:00", "24:00"]] for day in DAYS}


@dataclass
class ClaimCase:
    national_id: str
    citizen: Citizen
    unit: Unit
    service: Service
    visit: Visit


def make_item(*, code: str = "DRUG-PARA500", unit_types=(UnitType.PHARMACY,), baht: str = "1.50",
              max_quantity: int = 30) -> Item:
    item = Item.objects.create(code=code, name_th=f"รายการ {code}", name_en=f"Item {code}",
                               unit_types=list(unit_types), max_quantity=max_quantity)
    ItemPrice.objects.create(item=item, baht_per_unit=baht, effective_from=dt.date(2020, 1, 1))
    return item


def make_visit(*, unit: Unit, citizen: Citizen, service: Service, now: dt.datetime = NOW,
               method: str = VerifyMethod.FACE, verified: bool = True) -> Visit:
    """An open visit as the counter makes it: the visit and its successful verification attempt."""
    visit = visit_open(actor=None, unit=unit, citizen=citizen, service=service, method=method, now=now).visit
    if verified:
        attempt_record(actor=None, unit=unit, citizen=citizen, method=method, outcome=AttemptOutcome.VERIFIED,
                       visit=visit, now=now)
    return visit


def make_claim_case(*, now: dt.datetime = NOW, unit_type: str = UnitType.PHARMACY, fee: str = "180.00",
                    verified: bool = True, service_code: str | None = None) -> ClaimCase:
    """A verified unit open all week, contracted for one service with a fee rate, a UCS citizen, and their open
    visit (verified at ``now``). ``service_code``: the service's code, for rules and records that read it (a
    dental ``DT-FILL`` needs a tooth, physiotherapy is ``PT-…``)."""
    national_id, citizen, unit, service = make_eligible_case()
    if unit_type != unit.unit_type:
        Unit.objects.filter(pk=unit.pk).update(unit_type=unit_type)
        Service.objects.filter(pk=service.pk).update(unit_type=unit_type)
    if service_code:
        Service.objects.filter(pk=service.pk).update(code=service_code)
    unit.refresh_from_db()
    service.refresh_from_db()
    Unit.objects.filter(pk=unit.pk).update(opening_hours=ALL_DAY)
    unit.refresh_from_db()
    FeeRateFactory(service=service, amount_baht=fee)
    visit = make_visit(unit=unit, citizen=citizen, service=service, now=now, verified=verified)
    return ClaimCase(national_id, citizen, unit, service, visit)


def line_answer_service(case: ClaimCase, *, at: dt.datetime, confirm: bool = True) -> None:
    """The citizen answers in LINE whether they received the service of ``case.visit`` (flow 3.4): the unit shows
    the QR at ``at``, the citizen (linked to LINE here) confirms or declines it at once."""
    line_user = f"U{case.citizen.pk:032x}"
    Citizen.objects.filter(pk=case.citizen.pk).update(line_user_id=line_user)
    case.citizen.refresh_from_db()
    issued = line_confirmation_issue(actor=None, unit=case.unit, citizen=case.citizen, purpose="service",
                                     visit=case.visit, now=at)
    line_confirmation_answer(token=issued.token, line_user_id=line_user, confirm=confirm, now=at)
