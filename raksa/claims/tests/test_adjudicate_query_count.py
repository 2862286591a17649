"""The bulk engine's cost in queries does not grow with the batch: ``claims_adjudicate`` (and ``manage.py
claims_adjudicate``) over 2 claims and over 20 claims of the same kinds run the same number of statements. Each
pair of claims carries every fact the rules read (a citizen with another claim the same day at another unit, item
lines, an amount over the schedule), so that a fact loaded claim by claim would show. PostgreSQL only: there the
facts come in a fixed number of statements and the decisions go back in one (raksa/claims/sql.py); the ORM path
(the embedded SQLite demo) writes one audit row per claim."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from raksa.booking.tests.helpers import NOW
from raksa.claims.adjudicate import claims_adjudicate
from raksa.claims.models import Claim
from raksa.claims.pricing import RateBook
from raksa.claims.tests.helpers import another_visit, stored_claim
from raksa.testing.claims import make_claim_case, make_item
from raksa.testing.factories import UnitFactory, UnitServiceFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the bulk path's fixed statements are PostgreSQL's"),
]
ITEMS = [{"code": "DRUG-PARA500", "kind": "item", "quantity": 10, "unit_price": "1.50", "amount": "15.00"}]
LATER = NOW + dt.timedelta(hours=1)


def claim_pairs(pairs: int) -> list[Claim]:
    """``pairs`` citizens, each with a claim at their unit (items; every other one over the schedule) and a claim
    an hour later at a second unit (SEVERAL_UNITS_SAME_DAY)."""
    claims = []
    for i in range(pairs):
        case = make_claim_case()
        claims.append(stored_claim(case, items=ITEMS, amount="195.00" if i % 2 else "999.00"))
        other = UnitFactory(opening_hours=case.unit.opening_hours)
        UnitServiceFactory(unit=other, service=case.service)
        claims.append(stored_claim(case, visit=another_visit(case, now=LATER, unit=other), unit=other,
                                   submitted_at=LATER))
    return claims


def statements_of(run) -> int:
    """The statements ``run()`` sends, in a savepoint rolled back after (the claims stay undecided)."""
    sid = transaction.savepoint()
    with CaptureQueriesContext(connection) as queries:
        run()
    transaction.savepoint_rollback(sid)
    return len(queries)


@pytest.mark.parametrize(("book", "budget"), [(False, 9), (True, 5)], ids=["schedule-loaded", "schedule-given"])
def test_the_engine_runs_as_many_statements_for_20_claims_as_for_2(book, budget):
    """Four statements of facts (the claims with their visits, the units with their contracts, the citizens' other
    claims, the units' claims per day) and one that writes every decision with its audit row; four more load the
    fee schedule when the caller does not give it (as the command does)."""
    make_item()
    few, many = claim_pairs(1), claim_pairs(10)
    assert (len(few), len(many)) == (2, 20)

    given = RateBook() if book else None

    def decide(claims):
        decided = claims_adjudicate(claim_ids=[c.pk for c in claims], now=LATER, book=given)
        assert len(decided) == len(claims) and "rejected" in decided.values()

    assert statements_of(lambda: decide(few)) == statements_of(lambda: decide(many)) == budget


def test_the_command_runs_as_many_statements_for_20_claims_as_for_2():
    make_item()
    few = claim_pairs(1)

    def command():
        out = io.StringIO()
        call_command("claims_adjudicate", stdout=out, stderr=io.StringIO())
        return json.loads(out.getvalue())

    def decide_all():
        assert command()["decided"] == Claim.objects.count()

    for_two = statements_of(decide_all)
    Claim.objects.filter(pk__in=[c.pk for c in few]).delete()
    claim_pairs(10)
    assert Claim.objects.filter(status="submitted").count() == 20
    assert statements_of(decide_all) == for_two
