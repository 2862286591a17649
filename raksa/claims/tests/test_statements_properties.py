"""Property: whatever claims a unit sends and however officers decide them, a statement's total is the sum of
its claims, and a rejected claim is never put on a statement or paid."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from raksa.booking.tests.helpers import NOW
from raksa.claims.models import Claim
from raksa.claims.review import claim_review_accept, claim_review_reject
from raksa.claims.statements import statement_issue, statement_mark_paid, statement_sum
from raksa.core.errors import DomainError
from raksa.testing.claims import make_claim_case
from raksa.testing.statements import claim_at

pytestmark = pytest.mark.django_db

# Each claim: verified or not (in review), the officer's decision for one in review, and the amount claimed
# (over the 180-baht schedule: rejected by the rules).
claim_spec = st.tuples(st.booleans(), st.sampled_from(["accept", "reject", "leave"]),
                       st.decimals(min_value=0, max_value=250, places=2))


class Rollback(Exception):
    pass


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(claims=st.lists(claim_spec, min_size=1, max_size=5), days=st.integers(0, 2), pay=st.booleans())
def test_a_statement_total_is_its_claims_sum_and_rejected_claims_are_never_paid(claims, days, pay):
    try:
        with transaction.atomic():
            case = make_claim_case()
            for i, (verified, decision, amount) in enumerate(claims):
                claim = claim_at(case, verified=verified, amount=amount, now=NOW - dt.timedelta(days=i % 3))
                if claim.status == "in_review" and decision == "accept":
                    claim_review_accept(actor=None, claim_id=claim.pk)
                elif claim.status == "in_review" and decision == "reject":
                    claim_review_reject(actor=None, claim_id=claim.pk, reason="ไม่มีหลักฐาน")
            day = NOW.date()
            expected = list(Claim.objects.filter(status="accepted", service_date__gte=day - dt.timedelta(days=days),
                                                 service_date__lte=day))
            try:
                statement = statement_issue(actor=None, unit=case.unit, period_from=day - dt.timedelta(days=days),
                                            period_to=day)
            except DomainError as exc:
                assert exc.code == "NOTHING_TO_PAY" and not expected
            else:
                assert statement.total == statement_sum(statement) == sum((c.amount for c in expected), Decimal(0))
                assert statement.claim_count == len(expected) == statement.claims.count()
                if pay:
                    statement_mark_paid(actor=None, statement_id=statement.pk)
            assert not Claim.objects.filter(status__in=["rejected", "in_review"], statement__isnull=False).exists()
            assert not Claim.objects.filter(status="paid", statement__isnull=True).exists()
            assert all(c.amount <= Decimal("180.00") for c in Claim.objects.filter(statement__isnull=False))
            raise Rollback
    except Rollback:
        pass
