"""Property tests (hypothesis): claims generated through claim_submit and claim_correct, with valid and invalid
input, never break the invariants (one current claim per authen code, amounts never negative, every claim
decided, a rejected claim never paid, refused input changes nothing), and deciding claims one at a time gives
the same decisions as deciding them in one batch."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Count
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from raksa.booking.tests.helpers import NOW
from raksa.claims.adjudicate import claims_adjudicate
from raksa.claims.models import Claim, ClaimStatus
from raksa.claims.submit import claim_correct, claim_submit
from raksa.claims.tests.helpers import another_visit, stored_claim
from raksa.core.errors import DomainError
from raksa.testing.claims import make_claim_case, make_item
from raksa.units.models import Unit

AMOUNTS = st.one_of(st.none(), st.sampled_from(["0", "180", "180.00", "179.99", "180.01", "500", "-1", "10.005",
                                                "abc", "1e3", "100001"]),
                    st.decimals(min_value=-10, max_value=1000, places=2).map(str))
QUANTITIES = st.one_of(st.integers(min_value=-3, max_value=40), st.sampled_from(["2", "x", "", True]))
ITEMS = st.one_of(st.none(), st.lists(st.fixed_dictionaries({
    "code": st.sampled_from(["DRUG-PARA500", "NOPE"]), "quantity": QUANTITIES}), max_size=2))
OPERATION = st.one_of(
    st.tuples(st.just("submit"), AMOUNTS, ITEMS, st.integers(min_value=0, max_value=2)),  # day offset: late
    st.tuples(st.just("correct"), AMOUNTS, ITEMS, st.integers(min_value=0, max_value=5)),  # which claim
)
FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_invariants() -> None:
    assert not Claim.objects.filter(current=True).exclude(authen_code="").values("authen_code").annotate(
        n=Count("id")).filter(n__gt=1).exists(), "two current claims for one authen code"
    assert not Claim.objects.filter(amount__lt=0).exists() and not Claim.objects.filter(service_amount__lt=0).exists()
    assert not Claim.objects.filter(status=ClaimStatus.SUBMITTED).exists(), "a claim left undecided"
    assert not Claim.objects.filter(current=False).exclude(status=ClaimStatus.REJECTED).exists()
    for claim in Claim.objects.filter(status=ClaimStatus.REJECTED):
        try:  # the database refuses to mark a rejected claim paid (it is on no statement)
            with transaction.atomic():
                Claim.objects.filter(pk=claim.pk).update(status=ClaimStatus.PAID, paid_at=NOW)
        except IntegrityError:
            continue
        raise AssertionError(f"rejected claim {claim.pk} could be marked paid")


def snapshot() -> list[tuple]:
    return list(Claim.objects.order_by("pk").values_list("pk", "status", "current", "amount", "version"))


class ClaimInvariants(TestCase):
    @FAST
    @given(st.lists(OPERATION, min_size=1, max_size=6))
    def test_generated_submissions_and_corrections_keep_the_invariants(self, operations):
        case = make_claim_case()
        make_item()
        visits = [case.visit]
        for i, (op, amount, items, n) in enumerate(operations):
            before = snapshot()
            try:
                if op == "submit":
                    when = NOW + dt.timedelta(days=n, hours=i)
                    visit = visits[-1] if visits[-1].status == "open" else another_visit(case, now=NOW + dt.timedelta(
                        hours=i))
                    visits.append(visit)
                    claim_submit(actor=None, unit=case.unit, authen_code=visit.authen_code, amount=amount,
                                 items=items, now=when)
                else:
                    claims = list(Claim.objects.order_by("pk"))
                    if not claims:
                        continue
                    claim_correct(actor=None, unit=case.unit, claim_id=claims[n % len(claims)].pk, amount=amount,
                                  items=items, now=NOW + dt.timedelta(hours=i))
            except DomainError as err:
                assert err.status in (404, 409, 422) and err.code and err.message_en and err.message
                assert snapshot() == before, "a refused submission changed something"
            for visit in visits:
                visit.refresh_from_db()
            assert_invariants()


FAULTS = st.sampled_from(["clean", "over", "second_visit", "second_visit_over", "late", "suspended", "unverified",
                          "foreign_code"])


class BatchEqualsOneAtATime(TestCase):
    @FAST
    @given(st.lists(FAULTS, min_size=1, max_size=6))
    def test_one_batch_decides_as_one_at_a_time(self, faults):
        shared = make_claim_case()  # a citizen several claims may share (duplicates, frequency)
        claims = []
        for i, fault in enumerate(faults):
            when = NOW + dt.timedelta(hours=i + 1)
            if fault.startswith("second_visit"):  # the shared citizen again, same unit, service and day
                if shared.visit.status != "open":
                    shared.visit = another_visit(shared, now=when)
                claims.append(stored_claim(shared, amount="999" if fault.endswith("over") else "180.00",
                                           submitted_at=when))
                continue
            case = make_claim_case(verified=fault != "unverified")
            if fault == "suspended":
                Unit.objects.filter(pk=case.unit.pk).update(status="suspended")
            claims.append(stored_claim(
                case, amount="999" if fault == "over" else "180.00",
                authen_code=make_claim_case().visit.authen_code if fault == "foreign_code" else None,
                submitted_at=when + dt.timedelta(days=1 if fault == "late" else 0)))
        ids = [c.pk for c in claims]
        sid = transaction.savepoint()
        single = {}
        for pk in ids:
            single.update(claims_adjudicate(claim_ids=[pk], now=NOW + dt.timedelta(days=2)))
        single_reasons = dict(Claim.objects.filter(pk__in=ids).values_list("pk", "reasons"))
        transaction.savepoint_rollback(sid)
        batch = claims_adjudicate(claim_ids=ids, now=NOW + dt.timedelta(days=2))
        assert batch == single
        assert dict(Claim.objects.filter(pk__in=ids).values_list("pk", "reasons")) == single_reasons
