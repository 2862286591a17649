"""bookings_create_many books as booking_create does, a batch at a time (PostgreSQL)."""

import datetime as dt
import threading
from collections import Counter

import pytest
from django.db import DatabaseError, connection, connections
from django.test.utils import CaptureQueriesContext

from raksa.audit.models import AuditEntry
from raksa.booking import batch as batch_module
from raksa.booking import sql as booking_sql
from raksa.booking.batch import BookingRequest, bookings_create_many
from raksa.booking.models import Booking, BookingStatus, Slot
from raksa.booking.services import booking_create
from raksa.booking.tests.helpers import NOW, make_schedule, slot_at
from raksa.core.errors import DomainError
from raksa.core.timeutil import BANGKOK
from raksa.people.models import Scheme
from raksa.testing.factories import CitizenFactory, CoverageFactory, make_national_id

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif("connection.vendor != 'postgresql'", reason="batches are a PostgreSQL path")]


def person(scheme: str = Scheme.UCS) -> str:
    national_id = make_national_id()
    CoverageFactory(citizen=CitizenFactory(national_id=national_id), scheme=scheme)
    return national_id


def outcome(result) -> str:
    return result.code if isinstance(result, DomainError) else result.status


def test_a_batch_gives_every_request_the_answer_booking_create_would():
    schedule, _ = make_schedule(seats=2)
    t10, t11, t12, t13 = (slot_at(schedule, dt.datetime(2026, 11, 26, h, 0, tzinfo=BANGKOK)) for h in (10, 11, 12, 13))
    other_unit_slot = slot_at(make_schedule()[0], t10.starts_at)
    holder, twice = person(), person()
    booking_create(actor=None, national_id=holder, slot_id=t11.pk, now=NOW)  # holds one of the two seats at 11:00
    unit = schedule.unit_id
    requests = [
        BookingRequest(person(), t10.pk, unit, NOW, "r0"),              # booked in the batch
        BookingRequest(twice, t11.pk, unit, NOW, "r1"),                 # 11:00 has 1 seat for 2: the first gets it
        BookingRequest(person(), t11.pk, unit, NOW, "r2"),              # SLOT_FULL
        BookingRequest(twice, t12.pk, unit, NOW, "r3"),                 # twice: starts a second run, ALREADY_BOOKED
        BookingRequest(holder, t12.pk, unit, NOW, "r4"),                # booked before: ALREADY_BOOKED (facts)
        BookingRequest(person(Scheme.SSS), t10.pk, unit, NOW, "r5"),    # NOT_ELIGIBLE
        BookingRequest("1234", t10.pk, unit, NOW, "r6"),                # INVALID_NATIONAL_ID
        BookingRequest(make_national_id(), t10.pk, unit, NOW, "r7"),    # CITIZEN_NOT_FOUND
        BookingRequest(person(), 10**9, unit, NOW, "r8"),               # SLOT_NOT_FOUND
        BookingRequest(person(), other_unit_slot.pk, unit, NOW, "r9"),  # FORBIDDEN
        BookingRequest(person(), t10.pk, unit, NOW, "r10"),             # booked in the batch: 10:00's 2nd seat
        BookingRequest(person(), t13.pk, unit, NOW, "r11"),             # booked in the batch
        BookingRequest(person(), t13.pk, unit, NOW, "r12"),             # booked in the batch
    ]
    with CaptureQueriesContext(connection) as queries:
        results = bookings_create_many(requests=requests)
    assert [outcome(r) for r in results] == [
        BookingStatus.AWAITING_CITIZEN, BookingStatus.AWAITING_CITIZEN, "SLOT_FULL", "ALREADY_BOOKED",
        "ALREADY_BOOKED", "NOT_ELIGIBLE", "INVALID_NATIONAL_ID", "CITIZEN_NOT_FOUND", "SLOT_NOT_FOUND", "FORBIDDEN",
        BookingStatus.AWAITING_CITIZEN, BookingStatus.AWAITING_CITIZEN, BookingStatus.AWAITING_CITIZEN]
    batch_writes = [q["sql"] for q in queries.captured_queries if q["sql"] == booking_sql.WRITE_MANY_SQL]
    assert len(batch_writes) == 2  # r0, r1, r2 in one statement; r10, r11, r12 in the second run's
    for slot, seats in ((t10, 2), (t11, 2), (t12, 0), (t13, 2)):
        assert Slot.objects.get(pk=slot.pk).booked == seats == Booking.objects.filter(slot=slot).count()
    for i in (0, 1, 10, 11, 12):
        stored = Booking.objects.get(pk=results[i].pk)
        assert stored.reference == results[i].reference and stored.expires_at == results[i].expires_at
        entry = AuditEntry.objects.get(action="booking.create", object_id=str(stored.pk))
        assert entry.request_id == f"r{i}" and entry.after["reference"] == stored.reference
        assert entry.actor_label == "system" and entry.after["status"] == "awaiting_citizen"


def test_if_the_batch_transaction_fails_each_request_is_booked_alone(monkeypatch):
    schedule, _ = make_schedule(seats=1)
    slot = Slot.objects.filter(unit=schedule.unit).order_by("starts_at").last()

    def broken(*args, **kwargs):
        raise DatabaseError("deadlock detected")

    monkeypatch.setattr(batch_module, "_write", broken)  # as a deadlock or a constraint would
    results = bookings_create_many(requests=[BookingRequest(person(), slot.pk, schedule.unit_id, NOW, f"r{i}")
                                             for i in range(3)])
    assert Counter(outcome(r) for r in results) == {BookingStatus.AWAITING_CITIZEN: 1, "SLOT_FULL": 2}
    assert Slot.objects.get(pk=slot.pk).booked == 1


def test_racing_batches_and_single_bookings_never_overbook():
    schedule, _ = make_schedule(seats=5)
    slot = Slot.objects.filter(unit=schedule.unit).order_by("starts_at").last()
    unit = schedule.unit_id
    people = [person() for _ in range(30)]
    barrier = threading.Barrier(6)
    outcomes: Counter = Counter()

    def run(group: list[str], alone: bool) -> None:
        try:
            barrier.wait()
            if alone:
                for national_id in group:
                    try:
                        booking_create(actor=None, national_id=national_id, slot_id=slot.pk, channel="portal",
                                       now=NOW, for_unit_id=unit)
                        outcomes["ok"] += 1
                    except DomainError as exc:
                        outcomes[exc.code] += 1
            else:
                for r in bookings_create_many(requests=[BookingRequest(n, slot.pk, unit, NOW) for n in group]):
                    outcomes[r.code if isinstance(r, DomainError) else "ok"] += 1
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(people[i * 5:(i + 1) * 5], i % 2 == 0)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert outcomes == {"ok": 5, "SLOT_FULL": 25}
    assert Slot.objects.get(pk=slot.pk).booked == 5 == Booking.objects.filter(slot=slot).count()
    assert connection.vendor == "postgresql"


def test_a_booking_made_after_the_facts_query_is_caught_by_the_index_and_its_seat_given_back(monkeypatch, caplog):
    schedule, _ = make_schedule(seats=2)
    counted_before = batch_module.FALLBACKS["batch_failed:UniqueViolation"]
    first, second = Slot.objects.filter(unit=schedule.unit, day=NOW.date()).order_by("starts_at")[20:22]
    late, other = person(), person()
    real_write = batch_module._write

    def write_after_a_competing_booking(*args):
        booking_create(actor=None, national_id=late, slot_id=second.pk, now=NOW)  # in between
        return real_write(*args)

    monkeypatch.setattr(batch_module, "_write", write_after_a_competing_booking)
    results = bookings_create_many(requests=[BookingRequest(late, first.pk, schedule.unit_id, NOW, "a"),
                                             BookingRequest(other, first.pk, schedule.unit_id, NOW, "b")])
    assert [outcome(r) for r in results] == ["ALREADY_BOOKED", BookingStatus.AWAITING_CITIZEN]
    assert Slot.objects.get(pk=first.pk).booked == 1 == Booking.objects.filter(slot=first).count()
    # The batch fell back to one-by-one booking: never silently (make bench reports the count).
    assert batch_module.FALLBACKS["batch_failed:UniqueViolation"] == counted_before + 2
    [record] = [r for r in caplog.records if r.getMessage() == "booking.batch.fallback"]
    assert (record.levelname, record.reason, record.requests) == ("WARNING", "batch_failed:UniqueViolation", 2)


def test_one_request_failing_unexpectedly_is_its_own_answer_only(monkeypatch):
    from django.db import OperationalError

    schedule, _ = make_schedule(seats=3)
    slot = Slot.objects.filter(unit=schedule.unit, day=NOW.date()).order_by("starts_at")[20]
    twice = person()
    real = batch_module.booking_create

    def flaky(**kwargs):  # the one-by-one retry of the repeated citizen loses its connection
        if kwargs["national_id"] == twice:
            raise OperationalError("server closed the connection unexpectedly")
        return real(**kwargs)

    monkeypatch.setattr(batch_module, "booking_create", flaky)
    results = bookings_create_many(requests=[BookingRequest(twice, slot.pk, schedule.unit_id, NOW, "a"),
                                             BookingRequest(person(), slot.pk, schedule.unit_id, NOW, "b"),
                                             BookingRequest(twice, slot.pk, schedule.unit_id, NOW, "c")])
    assert [outcome(r) for r in results[:2]] == [BookingStatus.AWAITING_CITIZEN] * 2
    assert isinstance(results[2], OperationalError)
    assert Slot.objects.get(pk=slot.pk).booked == 2 == Booking.objects.filter(slot=slot).count()
    assert "national_id" not in repr(BookingRequest(twice, slot.pk, schedule.unit_id, NOW, "a"))


def test_a_database_outage_in_a_batch_is_every_answer_not_a_fallback(monkeypatch, caplog):
    """Booking the requests one by one would only wait on a database that is away: each gets the outage
    (the lane answers 503), and neither the fallback count nor the log gets one line per request."""
    import psycopg
    from django.db import OperationalError

    schedule, _ = make_schedule(seats=3)
    slot = Slot.objects.filter(unit=schedule.unit, day=NOW.date()).order_by("starts_at")[20]
    lost = OperationalError("server closed the connection unexpectedly")
    lost.__cause__ = psycopg.OperationalError("server closed the connection unexpectedly")  # no SQLSTATE: no answer

    def write_while_the_database_goes_away(*args):
        raise lost

    alone = []
    monkeypatch.setattr(batch_module, "_write", write_while_the_database_goes_away)
    monkeypatch.setattr(batch_module, "_one", lambda r: alone.append(r))
    counted_before = sum(batch_module.FALLBACKS.values())
    results = bookings_create_many(requests=[BookingRequest(person(), slot.pk, schedule.unit_id, NOW, "a"),
                                             BookingRequest("1234", slot.pk, schedule.unit_id, NOW, "b"),
                                             BookingRequest(person(), slot.pk, schedule.unit_id, NOW, "c")])
    assert results[0] is lost and results[2] is lost and outcome(results[1]) == "INVALID_NATIONAL_ID"
    assert alone == [] and sum(batch_module.FALLBACKS.values()) == counted_before
    assert not [r for r in caplog.records if r.levelname in ("WARNING", "ERROR")]
    assert Booking.objects.filter(slot=slot).count() == 0
