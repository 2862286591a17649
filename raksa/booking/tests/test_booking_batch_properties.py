"""Property: bookings_create_many answers and writes as booking_create does one request at a time.

Hypothesis generates sequences of requests over a small world (parity.build_world: three UCS citizens,
the holder of a full slot, a citizen of another scheme and an unknown one; slots of one and two seats,
a full one, a withdrawn one, one on the next day and one at another unit; callers acting for either
unit), with the same citizen, unit and day asked for again and again. Each sequence is booked from
the same world by the batch and one at a time (each run in a savepoint rolled back afterwards), and
the answers and rows (bookings, seat counts, audit rows) compared.

What holds: the batch is booking one at a time with the requests it books alone (a citizen who holds
a booking at that unit that day, or asked before in the batch) moved after the others of their batch,
as raksa/booking/batch.py says ("in some order"). In the requests' own order it does not hold
(the second test, strict xfail, with the smallest cases found): such a request can lose a seat to a
later request, or get SLOT_FULL where its turn would have given ALREADY_BOOKED.
"""

import pytest
from django.db import connection
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from raksa.booking.tests.parity import (
    Ask,
    book_in_batches,
    book_one_at_a_time,
    build_world,
    outcome,
    rolled_back,
    snapshot,
)
from raksa.booking.tests.test_booking_parity import ORDER_SENSITIVE, ORDER_SENSITIVE_REASON

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(connection.vendor != "postgresql", reason="batches are a PostgreSQL path")]

# Mostly the few seats of "a" (two) and "one" (one), and callers who may book there (None: a
# caller acting for every unit), so that requests compete for seats; the rest give the refusals.
asks = st.lists(st.builds(Ask, citizen=st.sampled_from(["ucs0", "ucs1", "ucs2", "holder", "sss", "unknown"]),
                          slot=st.sampled_from(["one", "a", "one", "a", "full", "withdrawn", "next_day", "other"]),
                          unit=st.sampled_from([None, "home", None, "other"])),
                min_size=2, max_size=8)
# Bounded and repeatable: about 10 s on the 2-core machine. The world is built once per test and
# every example rolls its writes back, hence the function-scoped fixture is safe.
bounded = settings(max_examples=100, deadline=None, derandomize=True, database=None,
                   suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.fixture
def world():
    return build_world(citizens=3)


def one_at_a_time(world, sequence, order=None):
    with rolled_back():
        results = book_one_at_a_time(world, sequence, order)
        return [outcome(r) for r in results], snapshot(world, results)


def in_batches(world, sequence, size):
    with rolled_back():
        results, alone = book_in_batches(world, sequence, size)
        return [outcome(r) for r in results], snapshot(world, results), alone


@bounded
@given(sequence=asks, size=st.integers(min_value=2, max_value=8))
@example(sequence=ORDER_SENSITIVE["holder_then_another_for_the_last_seat"], size=8)
@example(sequence=ORDER_SENSITIVE["repeated_citizen_then_another_for_the_last_seat"], size=8)
def test_batches_book_as_one_at_a_time_with_the_requests_they_book_alone_last(world, sequence, size):
    got, (answers, rows), alone = in_batches(world, sequence, size)
    order = []
    for start in range(0, len(sequence), size):
        batch = range(start, min(start + size, len(sequence)))
        order += [i for i in batch if i not in alone] + [i for i in batch if i in alone]
    want, (want_answers, want_rows) = one_at_a_time(world, sequence, order)
    event(f"booked by the batch statement: {any(o == 'booked' for i, o in enumerate(got) if i not in alone)}")
    event(f"some booked alone: {bool(alone)}")  # (--hypothesis-show-statistics: how often each case came up)
    event(f"order changed: {order != sorted(order)}")
    assert got == want, sequence
    assert answers == want_answers, sequence
    assert rows == want_rows, sequence


@pytest.mark.xfail(strict=True, raises=AssertionError, reason=ORDER_SENSITIVE_REASON)
@bounded
@given(sequence=asks)
@example(sequence=ORDER_SENSITIVE["holder_then_another_for_the_last_seat"])
def test_a_batch_books_as_one_at_a_time_in_the_requests_order(world, sequence):
    got, (answers, rows), _ = in_batches(world, sequence, len(sequence))
    want, (want_answers, want_rows) = one_at_a_time(world, sequence)
    assert got == want, sequence
    assert (answers, rows) == (want_answers, want_rows), sequence
