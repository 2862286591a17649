"""A batch of rights-QR redemptions (rights_qr_batch.visits_open_by_booked_rights_qr) answers and writes what the
one-at-a-time path does: the same cases are built twice, sent once one at a time through visit_open_by_rights_qr
and once as one batch (its None answers then the ordinary way, in order, as the lane does), and every answer and
every row of the two worlds is compared, with the ids and random codes named by the role they play."""

import datetime as dt
import secrets

import pytest
import time_machine
from django.conf import settings
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext

from raksa.audit.models import AuditEntry
from raksa.booking.models import Booking, BookingChannel, QueueCounter, QueueTicket
from raksa.booking.services import booking_create
from raksa.booking.tests.helpers import NOW, make_schedule, slot_at
from raksa.core.errors import DomainError
from raksa.core.request_context import reset_request_id, set_request_id
from raksa.testing.factories import CitizenFactory, CoverageFactory
from raksa.verification import rights_qr_batch, sql
from raksa.verification.models import RightsQrToken, VerificationAttempt, Visit
from raksa.verification.rights_qr_batch import RedeemRequest, visits_open_by_booked_rights_qr
from raksa.verification.rights_qr_redeem import visit_open_by_rights_qr
from raksa.verification.services import TOKEN_PREFIX, rights_qr_issue, token_digest

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif("connection.vendor != 'postgresql'", reason="batches are a PostgreSQL path")]
AT_UNIT = NOW + dt.timedelta(hours=1, minutes=50)
T10 = dt.datetime(2026, 11, 26, 10, 0, tzinfo=NOW.tzinfo)
LABEL = "api:rk_test"


class World:
    """Units, people, bookings and codes for one way of redeeming, each id and code named by its role."""

    def __init__(self) -> None:
        self.units: dict[str, object] = {}
        self.schedules: dict[str, object] = {}
        self.roles: dict[tuple[str, object], str] = {}  # (kind, id or code) -> role
        self.requests: list[tuple[str, str, str]] = []  # (request id, unit role, token)

    def unit(self, role: str):
        if role not in self.units:
            schedule, _ = make_schedule(seats=50)
            self.schedules[role], self.units[role] = schedule, schedule.unit
            self.roles["unit", schedule.unit.pk] = self.roles["hcode", schedule.unit.hcode] = role
        return self.units[role]

    def person(self, role: str):
        citizen = CitizenFactory()
        CoverageFactory(citizen=citizen)
        self.roles["citizen", citizen.pk] = role
        return citizen

    def book(self, citizen, unit_role: str, *, channel: str = BookingChannel.LINE) -> Booking:
        self.unit(unit_role)
        booking = booking_create(actor=None, citizen=citizen, slot_id=slot_at(self.schedules[unit_role], T10).pk,
                                 channel=channel, now=NOW, for_unit_id=self.units[unit_role].pk)
        role = f"{self.roles['citizen', citizen.pk]}@{unit_role}"
        self.roles["booking", booking.pk] = self.roles["reference", booking.reference] = role
        return booking

    def code(self, citizen, *, at: dt.datetime = AT_UNIT - dt.timedelta(minutes=1)) -> str:
        """A code issued as the citizen's LINE app asks for it (older codes stop working)."""
        token = rights_qr_issue(citizen=citizen, now=at).token
        self._name_token(token)
        return token

    def live_code(self, citizen, booking: Booking) -> str:
        """A code written as bench/verify_setup.py writes them: a person may then hold two live codes."""
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        RightsQrToken.objects.create(digest=token_digest(token), citizen=citizen, booking=booking,
                                     issued_at=AT_UNIT - dt.timedelta(minutes=1),
                                     expires_at=AT_UNIT + dt.timedelta(minutes=1))
        self._name_token(token)
        return token

    def _name_token(self, token: str) -> None:
        row = RightsQrToken.objects.get(digest=token_digest(token))
        self.roles["token", row.pk] = f"code{len([k for k in self.roles if k[0] == 'token'])}"

    def scan(self, unit_role: str, token: str) -> None:
        self.unit(unit_role)
        self.requests.append((f"r{len(self.requests)}", unit_role, token))


def build(case: str) -> World:
    w = World()
    w.unit("U1"), w.unit("U2")
    if case in ("one", "two", "many"):
        for k in range({"one": 1, "two": 2, "many": 7}[case]):
            unit = "U1" if k % 3 else "U2"
            p = w.person(f"P{k}")
            w.book(p, unit)
            w.scan(unit, w.code(p))
        return w
    # mixed outcomes, in one batch
    fresh = w.person("fresh")
    w.book(fresh, "U1")
    w.scan("U1", w.code(fresh))                                  # opened, B-002 (B-001 went to "used" below)
    used = w.person("used")
    w.book(used, "U1")
    used_code = w.code(used, at=AT_UNIT - dt.timedelta(minutes=5))
    with_request_id("setup", visit_open_by_rights_qr, actor=None, unit=w.unit("U1"), token=used_code,
                    actor_label=LABEL, now=AT_UNIT - dt.timedelta(minutes=4))
    w.scan("U1", used_code)                                      # QR_USED
    expired = w.person("expired")
    w.book(expired, "U1")
    w.scan("U1", w.code(expired, at=AT_UNIT - dt.timedelta(seconds=settings.RAKSA_RIGHTS_QR_SECONDS + 5)))
    elsewhere = w.person("elsewhere")                            # QR_EXPIRED ^; booked at U2, scanned at U1 v
    w.book(elsewhere, "U2")
    w.scan("U1", w.code(elsewhere))                              # QR_OTHER_UNIT
    tampered = w.person("tampered")
    w.book(tampered, "U1")
    token = w.code(tampered)
    w.scan("U1", token[:-1] + ("Q" if token[-1] in "ABCD" else "A"))  # QR_UNKNOWN
    twice = w.person("twice")
    w.book(twice, "U2")
    token = w.code(twice)
    w.scan("U2", token)                                          # opened at U2, B-001
    w.scan("U2", token)                                          # the same code again: QR_USED
    second = w.person("second")
    w.book(second, "U1")
    w.scan("U1", w.code(second))                                 # opened, B-003
    two_codes = w.person("two_codes")                            # two live codes, one per unit's booking
    code_u1 = w.live_code(two_codes, w.book(two_codes, "U1"))
    code_u2 = w.live_code(two_codes, w.book(two_codes, "U2"))
    w.scan("U2", code_u2)                                        # opened at U2, B-002
    w.scan("U1", code_u1)                                        # VISIT_OPEN_ELSEWHERE
    replaced = w.person("replaced")                              # a newer code replaced the one scanned
    w.book(replaced, "U2")
    old = w.code(replaced, at=AT_UNIT - dt.timedelta(minutes=2))
    w.code(replaced)
    w.scan("U2", old)                                            # QR_EXPIRED
    awaiting = w.person("awaiting")                              # booked by the unit, not yet confirmed: the
    w.book(awaiting, "U2", channel=BookingChannel.API)           # ordinary way confirms in person
    w.scan("U2", w.code(awaiting))                               # opened (ordinary way), B-00n
    walk_in = w.person("walk_in")
    w.scan("U1", w.code(walk_in))                                # SERVICE_REQUIRED
    late = w.person("late")
    w.book(late, "U1")
    w.scan("U1", w.code(late))                                   # opened
    return w


def with_request_id(request_id: str, call, **kwargs):
    context = set_request_id(request_id)
    try:
        return call(**kwargs)
    finally:
        reset_request_id(context)


def one_at_a_time(w: World, request_id: str, unit_role: str, token: str):
    try:
        opened = with_request_id(request_id, visit_open_by_rights_qr, actor=None, unit=w.units[unit_role],
                                 token=token, actor_label=LABEL, now=AT_UNIT)
    except DomainError as refusal:
        return refusal.code
    return answer(w, opened)


def answer(w: World, opened) -> tuple:
    visit = opened.visit
    return ("opened", opened.created, w.roles["citizen", visit.citizen_id], w.roles["unit", visit.unit_id],
            visit.ticket.label, w.roles["reference", visit.booking.reference],
            visit.service.code == w.schedules[w.roles["unit", visit.unit_id]].service.code, visit.day,
            visit.opened_at, visit.status)


def redeem(way: str, w: World) -> list:
    if way == "one at a time":
        return [one_at_a_time(w, rid, unit, token) for rid, unit, token in w.requests]
    results = visits_open_by_booked_rights_qr(requests=[
        RedeemRequest(unit_id=w.units[unit].pk, token=token, actor_label=LABEL, now=AT_UNIT, request_id=rid)
        for rid, unit, token in w.requests])
    return [one_at_a_time(w, rid, unit, token) if result is None else
            answer(w, result) if not isinstance(result, Exception) else repr(result)
            for (rid, unit, token), result in zip(w.requests, results, strict=True)]


def rows(w: World) -> dict:
    """Every row the redemptions of this world wrote, ids and random codes replaced by roles."""
    role = w.roles.get
    units = [u.pk for u in w.units.values()]
    visits = Visit.objects.filter(unit_id__in=units)
    codes = {v.authen_code: f"visit of {role(('citizen', v.citizen_id))}" for v in visits}
    visit_roles = {v.pk: codes[v.authen_code] for v in visits}
    tickets = QueueTicket.objects.filter(unit_id__in=units)
    attempts = VerificationAttempt.objects.filter(unit_id__in=units).order_by("pk")
    attempt_roles, seen = {}, {}
    for a in attempts:  # a person's attempts in the order they were made
        who = role(("citizen", a.citizen_id))
        seen[who] = seen.get(who, 0) + 1
        attempt_roles[a.pk] = f"attempt {seen[who]} of {who}"

    def plain(after):
        if not isinstance(after, dict):
            return after
        out = dict(after)
        for key, kind in (("citizen", "citizen"), ("booking", "reference"), ("unit", "hcode")):
            if key in out and out[key] is not None:
                out[key] = role((kind, out[key]), out[key])
        for key in ("authen_code", "visit"):
            if out.get(key):
                out[key] = codes.get(out[key], out[key])
        return out

    objects = {"verification.rightsqrtoken": lambda pk: role(("token", pk)),
               "booking.booking": lambda pk: role(("booking", pk)),
               "verification.visit": visit_roles.get, "verification.verificationattempt": attempt_roles.get}
    audit = {}
    for a in AuditEntry.objects.filter(object_type__in=list(objects)).exclude(
            action__in=["rights_qr.issue", "booking.create"]).order_by("pk"):
        name = objects[a.object_type](int(a.object_id))
        if name is None:
            continue  # another world's row
        audit.setdefault(a.request_id, []).append(
            (a.action, name, a.actor_id, a.actor_label, plain(a.after), a.before, a.at))
    rights = {v.pk: dict(v.rights, main_unit_id=None) for v in visits}
    return {
        "visits": sorted((codes[v.authen_code], role(("unit", v.unit_id)), v.service_id == v.booking.service_id
                          if v.booking_id else None, v.day, v.booking_id and role(("booking", v.booking_id)),
                          v.ticket_id and tickets.get(pk=v.ticket_id).label, v.method, v.verified_by_id,
                          v.verified_by_label, str(rights[v.pk]), v.face_distance, v.status, v.opened_at,
                          v.closed_at, v.close_reason, v.service_confirmed_at) for v in visits),
        "tickets": sorted((role(("unit", t.unit_id)), t.day, t.label, role(("booking", t.booking_id)),
                           role(("citizen", t.citizen_id)), t.status, t.priority_at, t.created_at, t.called_at,
                           t.finished_at) for t in tickets),
        "counters": sorted((role(("unit", c.unit_id)), c.day, c.kind, c.last_number)
                           for c in QueueCounter.objects.filter(unit_id__in=units)),
        "bookings": sorted((role(("booking", b.pk)), b.status, b.status_changed_at)
                           for b in Booking.objects.filter(unit_id__in=units)),
        "codes": sorted((role(("token", t.pk)), t.used_at, t.voided_at, t.expires_at)
                        for t in RightsQrToken.objects.filter(citizen_id__in=[k[1] for k in w.roles
                                                                            if k[0] == "citizen"])),
        "attempts": sorted((attempt_roles[a.pk], role(("unit", a.unit_id)), a.staff_id, a.actor_label, a.method,
                            a.outcome, a.code, a.face_distance, a.visit_id and visit_roles[a.visit_id], a.at)
                           for a in attempts),
        "audit": audit,
    }


@pytest.mark.parametrize("case", ["one", "two", "many", "mixed"])
def test_a_batch_answers_and_writes_what_one_at_a_time_does(case):
    ways = {}
    for way in ("one at a time", "batch"):
        w = build(case)
        # the clock stopped at the scan: rows the ordinary way stamps with the clock (a ticket's created_at) match
        with CaptureQueriesContext(connection) as queries, time_machine.travel(AT_UNIT, tick=False):
            answers = redeem(way, w)
        ways[way] = (answers, rows(w))
        if way == "batch" and case != "one":  # the batch's own work: one facts query, one write
            batch_sql = [q["sql"] for q in queries.captured_queries
                         if q["sql"] in (sql.REDEEM_FACTS_MANY_SQL, sql.REDEEM_BOOKED_MANY_SQL)]
            assert batch_sql == [sql.REDEEM_FACTS_MANY_SQL, sql.REDEEM_BOOKED_MANY_SQL]
    assert ways["batch"][0] == ways["one at a time"][0]
    for table in ways["batch"][1]:
        assert ways["batch"][1][table] == ways["one at a time"][1][table], table
    answers = ways["batch"][0]
    if case == "mixed":
        assert [a if isinstance(a, str) else a[:5] for a in answers] == [
            ("opened", True, "fresh", "U1", "B-002"), "QR_USED", "QR_EXPIRED", "QR_OTHER_UNIT", "QR_UNKNOWN",
            ("opened", True, "twice", "U2", "B-001"), "QR_USED", ("opened", True, "second", "U1", "B-003"),
            ("opened", True, "two_codes", "U2", "B-002"), "VISIT_OPEN_ELSEWHERE", "QR_EXPIRED",
            ("opened", True, "awaiting", "U2", "B-003"), "SERVICE_REQUIRED", ("opened", True, "late", "U1", "B-004")]
        audit = ways["batch"][1]["audit"]
        assert [a[0] for a in audit["r0"]] == ["rights_qr.resolve", "booking.check_in", "visit.open",
                                               "verification.rights_qr"]
        assert [a[0] for a in audit["r1"]] == ["verification.rights_qr"]  # the refused attempt
    else:
        assert all(a[0] == "opened" for a in answers), answers


def test_a_batch_whose_statement_fails_sends_each_request_one_at_a_time(monkeypatch, caplog):
    w = build("many")
    before = rights_qr_batch.FALLBACKS["batch_failed:DatabaseError"]
    real = rights_qr_batch.prepared_cursor

    def failing(statement, params):
        if statement == sql.REDEEM_BOOKED_MANY_SQL:
            raise DatabaseError("deadlock detected")
        return real(statement, params)

    monkeypatch.setattr(rights_qr_batch, "prepared_cursor", failing)
    results = visits_open_by_booked_rights_qr(requests=[
        RedeemRequest(unit_id=w.units[unit].pk, token=token, actor_label=LABEL, now=AT_UNIT, request_id=rid)
        for rid, unit, token in w.requests])
    assert results == [None] * len(w.requests) and not Visit.objects.exists()
    assert rights_qr_batch.FALLBACKS["batch_failed:DatabaseError"] == before + len(w.requests)
    [record] = [r for r in caplog.records if r.getMessage() == "rights_qr.batch.fallback"]
    assert (record.levelname, record.reason, record.requests) == ("WARNING", "batch_failed:DatabaseError", 7)
    monkeypatch.undo()  # one at a time, as the lane then sends them: every one opens
    assert all(one_at_a_time(w, rid, unit, token)[0] == "opened" for rid, unit, token in w.requests)


@pytest.mark.django_db(transaction=True)  # the batch's statements commit on their own, as in the lane
def test_a_visit_opened_between_the_two_statements_fails_the_batch_by_the_constraint_s_name(monkeypatch):
    w = build("two")
    (_, first_unit, first), (_, second_unit, second) = w.requests
    holder = RightsQrToken.objects.get(digest=token_digest(first)).citizen
    other_unit = "U1" if first_unit == "U2" else "U2"
    elsewhere = w.live_code(holder, w.book(holder, other_unit))
    real = rights_qr_batch.Redemption.of
    opened_meanwhile = []

    def of_while_another_counter_opens_the_visit(*args, **kwargs):
        if not opened_meanwhile:  # the first request's person is verified elsewhere between the facts and the write
            opened_meanwhile.append(True)
            visit_open_by_rights_qr(actor=None, unit=w.units[other_unit], token=elsewhere, now=AT_UNIT)
        return real(*args, **kwargs)

    monkeypatch.setattr(rights_qr_batch.Redemption, "of", of_while_another_counter_opens_the_visit)
    before = rights_qr_batch.FALLBACKS["batch_failed:UniqueViolation:visit_one_open_per_citizen"]
    results = visits_open_by_booked_rights_qr(requests=[
        RedeemRequest(unit_id=w.units[unit].pk, token=token, actor_label=LABEL, now=AT_UNIT, request_id=rid)
        for rid, unit, token in w.requests])
    assert results == [None, None]  # the batch wrote nothing; one at a time, each gets its own answer:
    assert rights_qr_batch.FALLBACKS["batch_failed:UniqueViolation:visit_one_open_per_citizen"] == before + 2
    assert one_at_a_time(w, "r0", first_unit, first) == "VISIT_OPEN_ELSEWHERE"
    assert one_at_a_time(w, "r1", second_unit, second)[0] == "opened"


def test_a_drawn_authen_code_a_visit_already_has_sends_only_that_request_one_at_a_time(monkeypatch, caplog):
    w = build("many")
    taken = "PP0000000042"
    existing = Visit.objects.create  # a visit of someone else's, long ago, holds the code
    other = CitizenFactory()
    first_unit = w.units[w.requests[0][1]]
    existing(authen_code=taken, citizen=other, unit=first_unit, service=w.schedules[w.requests[0][1]].service,
             day=AT_UNIT.date() - dt.timedelta(days=400), method="face", status="lapsed", opened_at=AT_UNIT
             - dt.timedelta(days=400), closed_at=AT_UNIT - dt.timedelta(days=399), verified_by_label="test")
    draws = iter([taken])  # the batch's first draw repeats it; every later draw is fresh
    real_draw = rights_qr_batch.Redemption.of.__func__.__globals__["new_authen_code"]
    monkeypatch.setitem(rights_qr_batch.Redemption.of.__func__.__globals__, "new_authen_code",
                        lambda: next(draws, None) or real_draw())
    before = rights_qr_batch.FALLBACKS["authen_code_taken"]
    results = visits_open_by_booked_rights_qr(requests=[
        RedeemRequest(unit_id=w.units[unit].pk, token=token, actor_label=LABEL, now=AT_UNIT, request_id=rid)
        for rid, unit, token in w.requests])
    assert results[0] is None  # that one goes one at a time; the rest of the batch is written
    assert all(r is not None and not isinstance(r, Exception) for r in results[1:]), results
    assert rights_qr_batch.FALLBACKS["authen_code_taken"] == before + 1
    assert one_at_a_time(w, *w.requests[0])[0] == "opened"
    assert Visit.objects.filter(authen_code=taken).count() == 1
