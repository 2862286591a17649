"""The back office dashboard's figures (raksa/claims/selectors_backoffice.py) over a known set of claims
(raksa/testing/dashboard.py: what was sent, where, when, and what became of it), worked out by hand:

* claims per Bangkok day by current status, each version counted on the day it was sent;
* the reasons rejected claims carry most (a claim with two reasons counts for both; claims in review do not);
* current claims and their baht per unit type and per province (rejected ones count as sent, not as money);
* hours from the service (the visit's opening) to payment, in buckets, and their median.
"""

import datetime as dt
from decimal import Decimal

import pytest

from raksa.claims.rules.base import explain
from raksa.claims.selectors_backoffice import claims_per_day, hours_to_payment, top_rejection_reasons, volume_by
from raksa.testing.dashboard import TODAY, bangkok, make_dashboard_claims

pytestmark = pytest.mark.django_db
WINDOW_FROM = dt.date(2026, 10, 28)  # 30 days ending on TODAY: after the October claims
EVERYTHING_FROM = dt.date(2026, 10, 1)


@pytest.fixture
def dashboard():
    return make_dashboard_claims()


def titled(*counts: tuple[str, int]) -> list[tuple[str, str, int]]:
    return [(code, explain(code).title_th, n) for code, n in counts]


def test_claims_per_day_by_status_count_each_version_on_its_bangkok_day(dashboard):
    days, by_status = claims_per_day(days=3, today=TODAY)
    assert days == [dt.date(2026, 11, 24), dt.date(2026, 11, 25), dt.date(2026, 11, 26)]
    assert by_status == {
        "submitted": [0, 0, 0],
        # 25 Nov: the correction (version 2); 26 Nov: the Chiang Mai pharmacy
        "accepted": [0, 1, 1],
        # 25 Nov 00:30 Bangkok (still 24 Nov in UTC); 26 Nov: over the schedule and unverified, and uncontracted
        "rejected": [0, 1, 2],
        "in_review": [0, 1, 0],
        # 24 Nov 10:00 and 23:30 Bangkok (16:30 UTC), paid since; 25 Nov the dental scaling
        "paid": [2, 1, 0],
    }


def test_claims_per_day_over_thirty_days_leave_out_older_claims(dashboard):
    days, by_status = claims_per_day(days=30, today=TODAY)
    assert (days[0], days[-1], len(days)) == (WINDOW_FROM, TODAY, 30)
    assert sum(sum(counts) for counts in by_status.values()) == 9  # 11 versions sent, 2 of them in October
    assert {status: counts[-3:] for status, counts in by_status.items()} == claims_per_day(days=3, today=TODAY)[1]


def test_top_rejection_reasons_count_every_reason_of_rejected_claims_since_the_day_given(dashboard):
    since = bangkok(28, 0, month=10)
    assert top_rejection_reasons(since=since) == titled(
        ("AMOUNT_OVER_SCHEDULE", 2), ("NO_IDENTITY_VERIFICATION", 1), ("SERVICE_NOT_CONTRACTED", 1))
    assert top_rejection_reasons(since=since, limit=1) == titled(("AMOUNT_OVER_SCHEDULE", 2))
    assert top_rejection_reasons(since=bangkok(1, 0, month=10)) == titled(
        ("AMOUNT_OVER_SCHEDULE", 3), ("NO_IDENTITY_VERIFICATION", 1), ("SERVICE_NOT_CONTRACTED", 1))
    assert top_rejection_reasons(since=bangkok(26, 10, 30)) == []  # the last rejection was sent at 10:00


def test_volume_by_unit_type_counts_current_claims_and_the_baht_of_those_not_rejected(dashboard):
    assert volume_by("unit_type", since=WINDOW_FROM) == [
        ("pharmacy", 5, Decimal("720.00")),  # 2 paid, the correction, the Chiang Mai claim (180 each); 1 rejected
        ("dental", 3, Decimal("1200.00")),  # paid and in review (600 each); the rejected fluoride varnish
    ]
    assert volume_by("unit_type", since=EVERYTHING_FROM)[0] == ("pharmacy", 7, Decimal("900.00"))


def test_volume_by_province_counts_current_claims_and_the_baht_of_those_not_rejected(dashboard):
    assert volume_by("province", since=WINDOW_FROM) == [
        ("กรุงเทพมหานคร", 4, Decimal("540.00")),  # equal counts: by name
        ("เชียงใหม่", 4, Decimal("1380.00")),
    ]
    assert volume_by("province", since=TODAY) == [
        ("เชียงใหม่", 2, Decimal("180.00")),
        ("กรุงเทพมหานคร", 1, Decimal("0.00")),  # only a rejected claim: sent, no money
    ]


def test_hours_to_payment_fall_in_their_buckets_with_their_median(dashboard):
    buckets, median = hours_to_payment(since=bangkok(27, 0, month=10))
    # 24 Nov 10:00 and 23:30 paid 26 Nov 14:00: 52 and 38.5 hours; 25 Nov 09:00 paid 26 Nov 09:00: exactly 24
    assert buckets == [((0, 24), 0), ((24, 48), 2), ((48, 72), 1), ((72, 96), 0), ((96, 168), 0), ((168, None), 0)]
    assert median == 38.5
    buckets, median = hours_to_payment(since=bangkok(1, 0, month=10))
    # and 17 Oct 10:00 paid 20 Oct 10:00: exactly 72 hours
    assert buckets == [((0, 24), 0), ((24, 48), 2), ((48, 72), 1), ((72, 96), 1), ((96, 168), 0), ((168, None), 0)]
    assert median == 45.25


def test_with_nothing_paid_there_is_no_median():
    assert hours_to_payment(since=bangkok(1, 0, month=10)) == (
        [((0, 24), 0), ((24, 48), 0), ((48, 72), 0), ((72, 96), 0), ((96, 168), 0), ((168, None), 0)], None)
