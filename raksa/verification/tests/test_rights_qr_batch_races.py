"""Batches of rights-QR redemptions racing each other and single redemptions (PostgreSQL, one thread and
connection each): every code opens one visit, once; queue numbers stay gapless; nothing deadlocks."""

import random
from collections import Counter

import pytest
from django.db import connection
from django.db.models import Count

from raksa.audit.models import AuditEntry
from raksa.booking.models import Booking, BookingStatus, QueueCounter, QueueTicket
from raksa.core.errors import DomainError
from raksa.testing.races import race
from raksa.verification.models import Visit
from raksa.verification.rights_qr_batch import RedeemRequest, visits_open_by_booked_rights_qr
from raksa.verification.rights_qr_redeem import visit_open_by_rights_qr
from raksa.verification.tests.test_rights_qr_batch import AT_UNIT, LABEL, World

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif("connection.vendor != 'postgresql'", reason="batches are a PostgreSQL path")]


def outcome(call, **kwargs) -> str:
    try:
        call(**kwargs)
    except DomainError as refusal:
        return refusal.code
    return "ok"


def as_a_batch(w: World, requests: list[tuple[str, str, str]]) -> list[tuple[str, str]]:
    """(token, outcome) of each request, redeemed as one batch, its None answers then the ordinary way."""
    results = visits_open_by_booked_rights_qr(requests=[
        RedeemRequest(unit_id=w.units[unit].pk, token=token, actor_label=LABEL, now=AT_UNIT, request_id=rid)
        for rid, unit, token in requests])
    return [(token, "ok" if result is not None and not isinstance(result, Exception) else repr(result)
             if result is not None else outcome(visit_open_by_rights_qr, actor=None, unit=w.units[unit], token=token,
                                                 actor_label=LABEL, now=AT_UNIT))
            for (_, unit, token), result in zip(requests, results, strict=True)]


def one_by_one(w: World, requests: list[tuple[str, str, str]]) -> list[tuple[str, str]]:
    return [(token, outcome(visit_open_by_rights_qr, actor=None, unit=w.units[unit], token=token, actor_label=LABEL,
                            now=AT_UNIT)) for _, unit, token in requests]


def test_batches_racing_single_redemptions_open_each_visit_once():
    w = World()
    for k in range(24):
        unit = f"U{k % 2}"
        person = w.person(f"P{k}")
        w.book(person, unit)
        w.scan(unit, w.code(person))
    two_codes = w.person("two_codes")  # two live codes of one person, one per unit: one visit in all
    code_u0 = w.live_code(two_codes, w.book(two_codes, "U0"))
    code_u1 = w.live_code(two_codes, w.book(two_codes, "U1"))
    w.scan("U0", code_u0), w.scan("U1", code_u1)
    rng = random.Random(7)
    orders = [rng.sample(w.requests, len(w.requests)) for _ in range(8)]
    calls = ([lambda o=o: as_a_batch(w, o) for o in orders[:4]]     # four batches of all 26 requests
             + [lambda o=o: one_by_one(w, o) for o in orders[4:]])  # four scanners one code at a time
    results = race(calls)
    assert not [r for r in results if isinstance(r, Exception)], results
    per_code: dict[str, Counter] = {}
    for token, answer in (pair for r in results for pair in r):
        per_code.setdefault(token, Counter())[answer] += 1
    pair = {code_u0, code_u1}
    for token, answers in per_code.items():
        if token not in pair:  # each code opens one visit; the seven other tries are told it is used
            assert answers == {"ok": 1, "QR_USED": 7}, answers
    both = per_code[code_u0] + per_code[code_u1]  # the person's visit opens once, at one unit
    assert both["ok"] == 1 and set(both) <= {"ok", "QR_USED", "VISIT_OPEN_ELSEWHERE"}, both
    assert Visit.objects.count() == 25 and Visit.objects.filter(citizen=two_codes).count() == 1
    for unit in w.units.values():  # gapless numbers, each booking checked in once with one ticket
        numbers = sorted(QueueTicket.objects.filter(unit=unit).values_list("number", flat=True))
        assert numbers == list(range(1, len(numbers) + 1))
        assert QueueCounter.objects.get(unit=unit).last_number == len(numbers)
        assert Booking.objects.filter(unit=unit, status=BookingStatus.CHECKED_IN).count() == len(numbers)
    per_visit = AuditEntry.objects.filter(action="visit.open").values("object_id").annotate(n=Count("id"))
    assert len(per_visit) == 25 and {row["n"] for row in per_visit} == {1}
    assert AuditEntry.objects.filter(action="rights_qr.resolve").count() == 25
    assert connection.vendor == "postgresql"
