"""A service is priced from the fee rate in force on its service day, not from the newest rate nor from the day the
claim is sent: the schedule here is 150 baht until the day before NOW's day, 180 on NOW's day (26 November 2026),
220 from the next day (all set with ``fee_rate_set``, as an officer sets them)."""

import datetime as dt
from decimal import Decimal

import pytest

from raksa.booking.tests.helpers import NOW
from raksa.claims.submit import claim_submit
from raksa.claims.tests.helpers import another_visit, codes, decide, stored_claim
from raksa.testing.claims import ClaimCase, make_claim_case
from raksa.units.models import FeeRate
from raksa.units.services import fee_rate_set
from raksa.verification.visits import visits_lapse

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


def priced_case(*, visit_at: dt.datetime) -> ClaimCase:
    """A visit at ``visit_at`` of a service whose rate was 150, is 180 on NOW's day and 220 from the day after."""
    case = make_claim_case(now=visit_at, fee="150.00")
    fee_rate_set(actor=None, service=case.service, amount_baht="180.00", effective_from=NOW.date())
    fee_rate_set(actor=None, service=case.service, amount_baht="220.00", effective_from=NOW.date() + DAY)
    assert list(FeeRate.objects.filter(service=case.service).order_by("effective_from")
                .values_list("amount_baht", "effective_to")) == [
        (Decimal("150.00"), NOW.date() - DAY), (Decimal("180.00"), NOW.date()), (Decimal("220.00"), None)]
    return case


def sent(case: ClaimCase, *, at: dt.datetime, **kwargs):
    if case.visit.day < at.date():
        visits_lapse(now=at)  # the visit's day ended unclaimed: it is claimed late
    return claim_submit(actor=None, unit=case.unit, authen_code=case.visit.authen_code, now=at, **kwargs)


@pytest.mark.parametrize(("visit_at", "sent_at", "rate"), [
    (NOW, NOW, "180.00"),  # an older and a newer rate exist: the day's
    (NOW, NOW + DAY, "180.00"),  # sent the day the newer rate started: still the service day's
    (NOW - DAY, NOW, "150.00"),  # the older rate, though a newer one is in force when it is sent
    (NOW + DAY, NOW + DAY, "220.00"),
], ids=["on-the-day", "sent-after-a-newer-rate-started", "older-rate", "newest-rate"])
def test_a_service_is_priced_from_the_rate_in_force_on_its_service_day(visit_at, sent_at, rate):
    claim = sent(priced_case(visit_at=visit_at), at=sent_at)
    assert (claim.service_date, claim.service_amount, claim.amount) == (visit_at.date(), Decimal(rate), Decimal(rate))
    late = ["LATE"] if sent_at.date() > visit_at.date() else []
    assert codes(claim) == late and claim.status == ("in_review" if late else "accepted")


def test_claiming_the_newer_rate_for_an_older_day_is_over_the_schedule():
    claim = sent(priced_case(visit_at=NOW - DAY), at=NOW, amount="180.00")
    assert claim.status == "rejected" and codes(claim) == ["AMOUNT_OVER_SCHEDULE", "LATE"]
    assert claim.reasons[0]["detail"] == "เบิก 180.00 บาท อัตรา 150.00 บาท"


def test_the_bulk_engine_checks_an_amount_against_the_service_days_rate():
    case = priced_case(visit_at=NOW - DAY)
    a_day_before = stored_claim(case, amount="180.00", submitted_at=NOW - DAY)
    on_the_day = stored_claim(case, visit=another_visit(case, now=NOW), amount="180.00")
    decide(on_the_day, a_day_before, now=NOW)
    assert (on_the_day.status, codes(on_the_day)) == ("accepted", [])
    assert (a_day_before.status, codes(a_day_before)) == ("rejected", ["AMOUNT_OVER_SCHEDULE"])
    assert a_day_before.reasons[0]["detail"] == "เบิก 180.00 บาท อัตรา 150.00 บาท"
