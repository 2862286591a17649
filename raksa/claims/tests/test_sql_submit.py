"""claim_submit's single-claim facts (raksa/claims/sql_submit.py) are the facts ``batch_load`` reads for the same
claim once it is stored: the rules see one claim sent alone as the engine sees it in a batch."""

import dataclasses
import datetime as dt

import pytest
from django.db import connection

from raksa.booking.tests.helpers import NOW
from raksa.claims import sql_submit
from raksa.claims.models import Claim, ClaimSource, ClaimStatus
from raksa.claims.rules.facts import USUAL_MIN_DAYS, batch_load
from raksa.claims.submit import rate_book
from raksa.claims.tests.helpers import TODAY, another_visit, submitted
from raksa.people.models import Coverage, Scheme
from raksa.testing.claims import ClaimCase, make_claim_case, make_item, make_visit
from raksa.testing.factories import UnitFactory, UnitServiceFactory
from raksa.units.models import Service, Unit, UnitService, UnitStatus, UnitType
from raksa.verification.models import Visit, VisitStatus

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL's path")]
LATER = NOW + dt.timedelta(hours=2)


def _plain(case):
    return case, {}


def _items(case):
    make_item()
    return case, {"items": [{"code": "DRUG-PARA500", "quantity": 4}], "amount": "999.00"}


def _lapsed(case):
    Visit.objects.filter(pk=case.visit.pk).update(status=VisitStatus.LAPSED, closed_at=NOW + dt.timedelta(hours=16))
    return case, {"now": NOW + dt.timedelta(days=2)}


def _no_attempt(case):
    return make_claim_case(verified=False), {}


def _not_eligible(case):
    Coverage.objects.filter(citizen=case.citizen).update(scheme=Scheme.SSS)
    return case, {}


def _expired_right(case):
    Coverage.objects.filter(citizen=case.citizen).update(valid_to=TODAY - dt.timedelta(days=1))
    return case, {}


def _uncontracted(case):
    UnitService.objects.filter(unit=case.unit).delete()
    return case, {}


def _unit_pending(case):
    Unit.objects.filter(pk=case.unit.pk).update(status=UnitStatus.PENDING, opening_hours={"mon": [["09:00", "10:00"]]})
    return case, {}


def _several_units(case):
    submitted(case)
    other = UnitFactory(opening_hours=case.unit.opening_hours)
    UnitServiceFactory(unit=other, service=case.service)
    visit = make_visit(unit=other, citizen=case.citizen, service=case.service, now=LATER)
    return ClaimCase(case.national_id, case.citizen, other, case.service, visit), {"now": LATER}


def _earlier_claims(case):
    submitted(case)  # the citizen's earlier live claim, same unit and day (another authen code)
    visit = another_visit(case, now=LATER)
    return ClaimCase(case.national_id, case.citizen, case.unit, case.service, visit), {"now": LATER}


def _dental_frequency(case):
    start = NOW - dt.timedelta(days=30)
    dental = make_claim_case(unit_type=UnitType.DENTAL, now=start)
    Service.objects.filter(pk=dental.service.pk).update(code="DT-SCALE")
    dental.service.refresh_from_db()
    submitted(dental, now=start)
    for days in (20, 0):
        when = NOW - dt.timedelta(days=days)
        visit = another_visit(dental, now=when)
        dental = ClaimCase(dental.national_id, dental.citizen, dental.unit, dental.service, visit)
        if days:
            submitted(dental, now=when)
    return dental, {}


def _volume_spike(case):
    for back in range(1, USUAL_MIN_DAYS + 1):
        Claim.objects.bulk_create(Claim(authen_code="", unit=case.unit, service=case.service,
                                        service_date=TODAY - dt.timedelta(days=back), service_amount=0, amount=0,
                                        source=ClaimSource.BATCH, submitted_at=NOW) for _ in range(2))
    Claim.objects.bulk_create(Claim(authen_code="", unit=case.unit, service=case.service, service_date=TODAY,
                                    service_amount=0, amount=0, source=ClaimSource.BATCH, submitted_at=NOW)
                              for _ in range(40))
    return case, {}


CASES = [_plain, _items, _lapsed, _no_attempt, _not_eligible, _expired_right, _uncontracted, _unit_pending,
         _several_units, _earlier_claims, _dental_frequency, _volume_spike]


@pytest.mark.parametrize("arrange", CASES, ids=[f.__name__.strip("_") for f in CASES])
def test_single_claim_facts_equal_batch_loads(arrange, monkeypatch):
    case, kwargs = arrange(make_claim_case())
    built = []
    single_batch = sql_submit.single_batch

    def spy(*args, **kw):
        built.append(single_batch(*args, **kw))
        return built[-1]

    monkeypatch.setattr(sql_submit, "single_batch", spy)
    now = kwargs.pop("now", NOW)
    claim = submitted(case, now=now, **kwargs)
    # the engine's view of the same claim, stored and not yet decided
    Claim.objects.filter(pk=claim.pk).update(status=ClaimStatus.SUBMITTED)
    loaded = batch_load(claim_ids=[claim.pk], now=now, book=rate_book())
    (single,) = built
    assert [dataclasses.replace(c) for c in single.claims] == loaded.claims
    assert single.visits == loaded.visits and single.units == loaded.units
    assert single.contracts == loaded.contracts and single.other_claims == loaded.other_claims
    assert single.day_claims == loaded.day_claims and single.late_policy == loaded.late_policy
    assert connection.vendor == "postgresql"


def test_the_cases_cover_every_outcome_and_the_rules_that_read_other_rows():
    outcomes, reasons = set(), set()
    for arrange in CASES:
        case, kwargs = arrange(make_claim_case())
        claim = submitted(case, now=kwargs.pop("now", NOW), **kwargs)
        outcomes.add(claim.status)
        reasons |= {r["code"] for r in claim.reasons}
    assert outcomes == {"accepted", "rejected", "in_review"}
    assert {"AMOUNT_OVER_SCHEDULE", "LATE", "NO_IDENTITY_VERIFICATION", "NOT_ELIGIBLE", "SERVICE_NOT_CONTRACTED",
            "UNIT_NOT_VERIFIED", "OUTSIDE_OPENING_HOURS", "SEVERAL_UNITS_SAME_DAY", "DUPLICATE", "FREQUENCY_DENTAL",
            "UNIT_VOLUME_SPIKE"} <= reasons
