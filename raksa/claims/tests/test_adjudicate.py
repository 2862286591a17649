"""The engine: a crashing rule sends the claim to review, decisions are stored with an audit row each, only
submitted claims are decided, a batch decides as one-at-a-time would, both fact loaders agree, and sending
one claim stays cheap in queries."""

import contextlib
import dataclasses
import datetime as dt

import pytest
from django.db import connection, transaction

from raksa.audit.models import AuditEntry
from raksa.booking.tests.helpers import NOW
from raksa.claims.adjudicate import claims_adjudicate, rules_version
from raksa.claims.models import Claim
from raksa.claims.rules import RULES
from raksa.claims.rules.facts import batch_load_orm
from raksa.claims.sql import batch_load_sql
from raksa.claims.tests.helpers import another_visit, codes, decide, stored_claim
from raksa.testing.claims import make_claim_case, make_item
from raksa.testing.factories import UnitFactory, UnitServiceFactory
from raksa.units.models import Unit

pytestmark = pytest.mark.django_db


def _boom(claim, batch):
    raise KeyError("no such fact")


@contextlib.contextmanager
def broken(code: str):
    """The rule ``code`` crashes while inside."""
    i = next(i for i, r in enumerate(RULES) if r.code == code)
    rule = RULES[i]
    RULES[i] = dataclasses.replace(rule, check=_boom)
    try:
        yield
    finally:
        RULES[i] = rule


def test_a_crashing_rule_sends_the_claim_to_review_with_the_error_never_accepted():
    claim = stored_claim(make_claim_case())
    with broken("AMOUNT_OVER_SCHEDULE"):
        decide(claim)
    assert claim.status == "in_review" and codes(claim) == ["RULE_ERROR"]
    assert claim.reasons[0]["class"] == "V" and claim.reasons[0]["detail"].startswith("AMOUNT_OVER_SCHEDULE: KeyError")


def test_a_crashing_rule_does_not_stop_the_others_rejecting():
    claim = stored_claim(make_claim_case(), amount="999")
    with broken("LATE"):
        decide(claim)
    assert claim.status == "rejected" and set(codes(claim)) == {"AMOUNT_OVER_SCHEDULE", "RULE_ERROR"}


def test_the_decision_reasons_and_rules_version_are_stored_with_one_audit_row_each():
    good, bad = stored_claim(make_claim_case()), stored_claim(make_claim_case(), amount="500")
    result = claims_adjudicate(claim_ids=[good.pk, bad.pk], now=NOW)
    assert result == {good.pk: "accepted", bad.pk: "rejected"}
    good.refresh_from_db()
    bad.refresh_from_db()
    assert (good.rules_version, good.decided_at) == (rules_version(), NOW)
    assert bad.reasons == [{"code": "AMOUNT_OVER_SCHEDULE", "class": "C", "version": 1,
                            "detail": "เบิก 500.00 บาท อัตรา 180.00 บาท"}]
    audit = {int(a.object_id): a for a in AuditEntry.objects.filter(action="claim.adjudicate")}
    assert set(audit) == {good.pk, bad.pk}
    assert audit[bad.pk].after == {"status": "rejected", "reasons": ["AMOUNT_OVER_SCHEDULE"],
                                   "rules_version": rules_version()}
    assert audit[good.pk].actor_label == "rules" and audit[good.pk].at == NOW


def test_only_submitted_claims_are_decided_and_a_second_run_changes_nothing():
    claim = stored_claim(make_claim_case(), amount="500")
    decide(claim)
    assert claims_adjudicate(claim_ids=[claim.pk], now=NOW + dt.timedelta(hours=1)) == {}
    claim.refresh_from_db()
    assert claim.status == "rejected" and claim.decided_at == NOW
    assert AuditEntry.objects.filter(action="claim.adjudicate").count() == 1


def _mixed_claims() -> list[Claim]:
    """Claims of several kinds: clean, over the schedule, duplicates after a rejected and an accepted one,
    a late one, one at a suspended unit, one at a second unit the same day, an item line."""
    make_item()
    a = make_claim_case()
    claims = [stored_claim(a, amount="999")]  # rejected: the next one is then no duplicate
    v2 = another_visit(a, now=NOW + dt.timedelta(hours=1))
    claims.append(stored_claim(a, visit=v2, submitted_at=NOW + dt.timedelta(hours=1)))
    v3 = another_visit(a, now=NOW + dt.timedelta(hours=2))
    claims.append(stored_claim(a, visit=v3, submitted_at=NOW + dt.timedelta(hours=2)))  # duplicate of v2's
    other = UnitFactory(opening_hours=a.unit.opening_hours)
    UnitServiceFactory(unit=other, service=a.service)
    v4 = another_visit(a, now=NOW + dt.timedelta(hours=3), unit=other)
    claims.append(stored_claim(a, visit=v4, unit=other, submitted_at=NOW + dt.timedelta(hours=3)))
    b = make_claim_case()
    claims.append(stored_claim(b, submitted_at=NOW + dt.timedelta(days=1)))  # late
    c = make_claim_case(verified=False)
    Unit.objects.filter(pk=c.unit.pk).update(status="suspended")
    claims.append(stored_claim(c))
    d = make_claim_case()
    claims.append(stored_claim(d, items=[{"code": "DRUG-PARA500", "kind": "item", "quantity": 10,
                                          "unit_price": "1.50", "amount": "15.00"}], amount="195.00"))
    return claims


def test_one_batch_decides_as_one_claim_at_a_time_would():
    claims = _mixed_claims()
    ids = [c.pk for c in claims]
    sid = transaction.savepoint()
    one_by_one = {}
    for pk in ids:
        one_by_one.update(claims_adjudicate(claim_ids=[pk], now=NOW + dt.timedelta(days=2)))
    reasons_one = {c.pk: c.reasons for c in Claim.objects.filter(pk__in=ids)}
    transaction.savepoint_rollback(sid)
    batch = claims_adjudicate(claim_ids=ids, now=NOW + dt.timedelta(days=2))
    reasons_batch = {c.pk: c.reasons for c in Claim.objects.filter(pk__in=ids)}
    assert batch == one_by_one and reasons_batch == reasons_one
    assert [(batch[pk], sorted(codes(Claim.objects.get(pk=pk)))) for pk in ids] == [
        ("rejected", ["AMOUNT_OVER_SCHEDULE", "SEVERAL_UNITS_SAME_DAY"]),
        ("in_review", ["SEVERAL_UNITS_SAME_DAY"]),  # not a duplicate: the first claim was rejected
        ("rejected", ["DUPLICATE", "SEVERAL_UNITS_SAME_DAY"]),
        ("in_review", ["SEVERAL_UNITS_SAME_DAY"]),
        ("in_review", ["LATE"]),
        ("rejected", ["NO_IDENTITY_VERIFICATION", "UNIT_SUSPENDED"]),
        ("accepted", []),
    ]


POSTGRESQL_ONLY = pytest.mark.skipif(connection.vendor != "postgresql", reason="the raw SQL path is PostgreSQL's")


@POSTGRESQL_ONLY
def test_the_sql_and_orm_fact_loaders_give_the_same_facts():
    claims = _mixed_claims()
    ids = [c.pk for c in claims]
    sql, orm = batch_load_sql(claim_ids=ids, now=NOW), batch_load_orm(claim_ids=ids, now=NOW)
    assert sql.claims == orm.claims
    assert sql.visits == orm.visits and sql.units == orm.units and sql.contracts == orm.contracts
    assert sql.other_claims == orm.other_claims and sql.day_claims == orm.day_claims
    assert any(c.other_units for c in sql.claims) and any(c.items for c in sql.claims)


@POSTGRESQL_ONLY
def test_claim_submit_stays_within_its_query_budget(django_assert_max_num_queries, settings):
    """4 statements with the fee schedule in memory (as in production, reloaded every 30 s): the transaction's
    savepoint and its release, the visit lock with every fact the checks and the rules read, and one write (the
    visit closed, the claim decided, its audit rows and the LINE job row): raksa/claims/sql_submit.py."""
    from raksa.claims import submit
    from raksa.claims.submit import claim_submit, rate_book

    case = make_claim_case()
    make_item()
    settings.RAKSA_RATE_BOOK_SECONDS = 3600
    submit._book = None  # a book cached by an earlier test does not know this test's service
    rate_book()
    with django_assert_max_num_queries(4):
        claim = claim_submit(actor=None, unit=case.unit, authen_code=case.visit.authen_code, now=NOW,
                             items=[{"code": "DRUG-PARA500", "quantity": 2}])
    assert claim.status == "accepted" and claim.rules_version == rules_version()
    stored = Claim.objects.get(pk=claim.pk)
    assert (stored.status, stored.reasons, stored.decided_at) == (claim.status, claim.reasons, claim.decided_at)
