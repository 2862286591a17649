"""Races against real PostgreSQL: threads with their own connections, released together by a barrier.

Each lock in raksa/booking/locks.py has a test here that makes transactions compete for it.
"""

import datetime as dt
import threading
from collections import Counter

import pytest
from django.db import connection, connections, transaction

from raksa.booking.locks import lock_bookings
from raksa.booking.models import Booking, QueueCounter, QueueTicket, Slot, TicketStatus
from raksa.booking.queue import booking_check_in, ticket_call_next, ticket_issue_walk_in
from raksa.booking.selectors import booking_active_count
from raksa.booking.services import booking_cancel, booking_create, booking_reschedule
from raksa.booking.tests.helpers import NOW, make_schedule, slot_at, ucs_citizens
from raksa.core.errors import DomainError
from raksa.core.timeutil import BANGKOK
from raksa.testing.races import codes, race

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif("connection.vendor != 'postgresql'", reason="races need PostgreSQL")]
T10 = dt.datetime(2026, 11, 26, 10, 0, tzinfo=BANGKOK)
T11 = dt.datetime(2026, 11, 26, 11, 0, tzinfo=BANGKOK)


def test_last_seats_of_a_slot_go_to_exactly_capacity_bookers(write_path):
    schedule, _ = make_schedule(seats=5)
    slot = slot_at(schedule, T10)
    citizens = ucs_citizens(24)
    results = race([lambda c=c: booking_create(actor=None, citizen=c, slot_id=slot.pk, now=NOW) for c in citizens])
    assert codes(results) == Counter({"ok": 5, "SLOT_FULL": 19})
    slot.refresh_from_db()
    assert slot.booked == 5 == Booking.objects.filter(slot=slot).count()


def test_two_windows_of_one_citizen_get_one_booking(write_path):
    schedule, citizen = make_schedule(seats=5)
    slots = [slot_at(schedule, T10), slot_at(schedule, T11)] * 4
    results = race([lambda s=s: booking_create(actor=None, citizen=citizen, slot_id=s.pk, now=NOW) for s in slots])
    assert codes(results) == Counter({"ok": 1, "ALREADY_BOOKED": 7})
    assert sum(Slot.objects.filter(unit=schedule.unit).values_list("booked", flat=True)) == 1


def test_walk_in_tickets_are_unique_and_gapless_even_with_rollbacks():
    schedule, _ = make_schedule()
    unit = schedule.unit

    def issue():
        return ticket_issue_walk_in(actor=None, unit=unit, now=NOW).number

    def issue_then_fail():
        with transaction.atomic():
            ticket_issue_walk_in(actor=None, unit=unit, now=NOW)
            raise RuntimeError("printer jammed: the whole transaction rolls back")

    results = race([issue] * 16 + [issue_then_fail] * 4)
    numbers = sorted(r for r in results if isinstance(r, int))
    assert numbers == list(range(1, 17))  # no duplicates, and no gaps from the 4 rolled-back tickets
    assert QueueCounter.objects.get(unit=unit).last_number == 16
    assert sorted(QueueTicket.objects.filter(unit=unit).values_list("number", flat=True)) == numbers


def test_one_person_is_put_in_the_queue_once_by_counters_pressing_at_once():
    """Both counters find no open ticket for the person, then insert: the constraint
    ``ticket_one_open_per_citizen`` lets one through and the others are told which ticket the person holds."""
    schedule, _ = make_schedule()
    unit = schedule.unit
    person, booked = ucs_citizens(2)
    results = race([lambda: ticket_issue_walk_in(actor=None, unit=unit, citizen=person, now=NOW)] * 4)
    assert codes(results) == Counter({"ok": 1, "ALREADY_IN_QUEUE": 3})
    winner = next(r for r in results if isinstance(r, QueueTicket))
    assert all(winner.label in r.message_en for r in results if isinstance(r, DomainError))
    assert QueueTicket.objects.filter(citizen=person).count() == 1

    # Someone with a booking today is checked in, never given a walk-in ticket as well, whichever is first.
    booking = booking_create(actor=None, citizen=booked, slot_id=slot_at(schedule, T10).pk, now=NOW)
    walk_in, check_in = race([lambda: ticket_issue_walk_in(actor=None, unit=unit, citizen=booked, now=T10),
                              lambda: booking_check_in(actor=None, booking_id=booking.pk, now=T10)])
    assert isinstance(check_in, QueueTicket) and check_in.booking_id == booking.pk
    assert walk_in.code in ("HAS_BOOKING_TODAY", "ALREADY_IN_QUEUE")
    assert QueueTicket.objects.filter(citizen=booked).count() == 1


def test_two_staff_calling_next_call_two_different_people():
    schedule, _ = make_schedule()
    unit = schedule.unit
    for _ in range(3):
        ticket_issue_walk_in(actor=None, unit=unit, now=NOW)
    results = race([lambda: ticket_call_next(actor=None, unit=unit, now=NOW)] * 2)
    labels = sorted(t.label for t in results)
    assert labels == ["A-001", "A-002"]
    assert QueueTicket.objects.filter(unit=unit, status=TicketStatus.WAITING).count() == 1


@pytest.mark.parametrize("repeat", range(3))
def test_reschedule_racing_cancel_leaves_consistent_seats(repeat):
    schedule, citizen = make_schedule(seats=1)
    a, b = slot_at(schedule, T10), slot_at(schedule, T11)
    booking = booking_create(actor=None, citizen=citizen, slot_id=a.pk, now=NOW)
    results = race([lambda: booking_reschedule(actor=None, booking_id=booking.pk, new_slot_id=b.pk, now=NOW),
                    lambda: booking_cancel(actor=None, booking_id=booking.pk, now=NOW)])
    booking.refresh_from_db()
    assert booking.status == "cancelled", results  # cancel always wins, first or second
    assert codes(results)["ok"] >= 1
    for slot in (a, b):
        slot.refresh_from_db()
        assert slot.booked == booking_active_count(slot.pk) == 0


def test_crossed_reschedules_do_not_deadlock():
    """Two bookings swap slots at once: slot locks are taken in pk order, so both finish (or one gets
    SLOT_FULL), never a deadlock."""
    schedule, first = make_schedule(seats=2)
    second, = ucs_citizens(1)
    a, b = slot_at(schedule, T10), slot_at(schedule, T11)
    x = booking_create(actor=None, citizen=first, slot_id=a.pk, now=NOW)
    y = booking_create(actor=None, citizen=second, slot_id=b.pk, now=NOW)
    results = race([lambda: booking_reschedule(actor=None, booking_id=x.pk, new_slot_id=b.pk, now=NOW),
                    lambda: booking_reschedule(actor=None, booking_id=y.pk, new_slot_id=a.pk, now=NOW)])
    assert codes(results) == Counter({"ok": 2})
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.booked, b.booked) == (1, 1)


def test_booking_lock_makes_a_competing_cancel_wait_for_the_holder():
    """Inject a competing write: hold the booking row lock, start a cancel, check it waits, commit."""
    schedule, citizen = make_schedule()
    booking = booking_create(actor=None, citizen=citizen, slot_id=slot_at(schedule, T10).pk, now=NOW)
    locked, release = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def holder():
        try:
            with transaction.atomic():
                lock_bookings([booking.pk])
                locked.set()
                release.wait(10)
                Booking.objects.filter(pk=booking.pk).update(status="checked_in")
        finally:
            connections.close_all()

    def canceller():
        locked.wait(10)
        try:
            booking_cancel(actor=None, booking_id=booking.pk, now=NOW)
            outcome["result"] = "cancelled"
        except DomainError as exc:
            outcome["result"] = exc.code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=holder), threading.Thread(target=canceller)]
    for t in threads:
        t.start()
    locked.wait(10)
    threads[1].join(0.5)
    assert threads[1].is_alive(), "cancel must wait for the lock holder"
    release.set()
    for t in threads:
        t.join(10)
    assert outcome["result"] == "BOOKING_NOT_ACTIVE"  # it saw the holder's committed change
    assert connection.vendor == "postgresql"


def test_two_seats_freed_at_once_go_to_two_different_waiting_citizens():
    """The waiting-list lock (SKIP LOCKED, oldest first): two cancellations at the same moment offer
    their seats to the first two waiting citizens, one each; nobody is offered twice, no seat is lost."""
    from raksa.booking.models import WaitlistEntry
    from raksa.booking.services import waitlist_join

    schedule, first = make_schedule(seats=2)
    second, waiting_a, waiting_b, waiting_c = ucs_citizens(4)
    slot = slot_at(schedule, T10)
    a = booking_create(actor=None, citizen=first, slot_id=slot.pk, now=NOW)
    b = booking_create(actor=None, citizen=second, slot_id=slot.pk, now=NOW)
    for citizen in (waiting_a, waiting_b, waiting_c):
        waitlist_join(actor=None, citizen=citizen, slot_id=slot.pk)
    results = race([lambda: booking_cancel(actor=None, booking_id=a.pk, now=NOW),
                    lambda: booking_cancel(actor=None, booking_id=b.pk, now=NOW)])
    assert codes(results) == Counter({"ok": 2})
    offered = set(Booking.objects.filter(slot=slot, status="awaiting_citizen").values_list("citizen_id", flat=True))
    assert offered == {waiting_a.pk, waiting_b.pk}
    assert WaitlistEntry.objects.get(citizen=waiting_c).status == "waiting"
    slot.refresh_from_db()
    assert slot.booked == 2 == booking_active_count(slot.pk)
