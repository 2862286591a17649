"""Property: bookings_create_many answers and writes as booking_create does one request at a time.

Hypothesis generates sequences of requests over a small world (parity.build_world: three UCS citizens,
the holder of a full slot, a citizen of another scheme and an unknown one; slots of one and two seats,
a full one, a withdrawn one, one on the next day and one at another unit; callers acting for either
unit), with the same citizen, unit and day asked for again and again. Each sequence is booked from
the same world by the batch and one at a time (each run in a savepoint rolled back afterwards), and
the answers and rows (bookings, seat counts, audit rows) compared.

It holds in the requests' own order (raksa/booking/batch.py: ALREADY_BOOKED from the facts, a repeated
citizen starts a new run). Before that, it held only with the requests the batch booked alone moved
after the others: the explicit examples are the smallest cases this test found then.
"""

import pytest
from django.db import connection
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from raksa.booking import batch as batch_module
from raksa.booking.tests.parity import (
    Ask,
    book_in_batches,
    book_one_at_a_time,
    build_world,
    outcome,
    rolled_back,
    snapshot,
)
from raksa.booking.tests.test_booking_parity import ORDER_SENSITIVE

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
def test_batches_book_as_one_at_a_time_in_the_requests_order(world, sequence, size):
    fallbacks_before = sum(batch_module.FALLBACKS.values())
    got, (answers, rows), alone = in_batches(world, sequence, size)
    assert sum(batch_module.FALLBACKS.values()) == fallbacks_before, sequence  # no run fell back one by one
    want, (want_answers, want_rows) = one_at_a_time(world, sequence)
    event(f"booked by the batch statement: {any(o == 'booked' for i, o in enumerate(got) if i not in alone)}")
    event(f"some booked alone: {bool(alone)}")  # (--hypothesis-show-statistics: how often each case came up)
    assert got == want, sequence
    assert answers == want_answers, sequence
    assert rows == want_rows, sequence
