"""The parity matrix: one scenario with every answer booking gives, through every way of booking.

The same requests (:data:`SCENARIO`) go, each time from the same world (a savepoint rolled back
after each run), through booking_create one at a time on its one-statement write path (the
reference) and on its transaction path, and through bookings_create_many in consecutive batches of
2, of 3 and all at once. Every answer (code, messages, field, reasons; for a booking every field)
and every row (bookings, seat counts, audit rows) must be the same, references aside.

A batch answers exactly as one at a time in the requests' order: a citizen who holds a booking that
day is told so from the batch's facts, and a citizen's second request starts a new run of the batch
(:func:`test_a_request_is_answered_in_its_place_in_line` keeps the two cases that once differed). No
run may fall back to one-by-one booking here: that would hide a broken batch statement behind
booking_create's right answers.
"""

import pytest
from django.db import connection  # noqa: F401 (the skipif condition reads it)

from raksa.booking import batch as batch_module
from raksa.booking.tests.parity import (
    Ask,
    book_in_batches,
    book_one_at_a_time,
    build_world,
    outcome,
    rolled_back,
    snapshot,
    write_path,
)
from raksa.eligibility.services import Reason

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif("connection.vendor != 'postgresql'", reason="batches and one-statement writes are "
                                                                            "PostgreSQL's")]

# (request, the answer it gets) in order; slots and citizens are parity.build_world's.
SCENARIO: list[tuple[Ask, str]] = [
    (Ask("ucs0", "a"), "booked"),
    (Ask("ucs1", "a"), "booked"),                                       # a's second and last seat
    (Ask("ucs2", "a"), "SLOT_FULL"),                                    # taken by the two before
    (Ask("ucs3", "full"), "SLOT_FULL"),                                 # taken before (by the holder)
    (Ask("holder", "b"), "ALREADY_BOOKED"),                             # holds "full", same unit and day
    (Ask("ucs4", "c"), "booked"),
    (Ask("ucs0", "c"), "ALREADY_BOOKED"),                               # booked "a" above
    (Ask("ucs5", "missing"), "SLOT_NOT_FOUND"),
    (Ask("unknown", "b"), "CITIZEN_NOT_FOUND"),
    (Ask("invalid", "b"), "INVALID_NATIONAL_ID"),
    (Ask("ucs5", "other"), "FORBIDDEN"),                                # another unit's slot
    (Ask("ucs5", "withdrawn"), "SLOT_NOT_BOOKABLE"),
    (Ask("ucs5", "notice"), "SLOT_NOT_BOOKABLE"),                       # too little notice
    (Ask("ucs5", "window"), "SLOT_NOT_BOOKABLE"),                       # beyond the booking window
    (Ask("ucs5", "closed_schedule"), "SLOT_NOT_BOOKABLE"),              # schedule no longer active
    (Ask("no_coverage", "b"), "NOT_ELIGIBLE:NO_COVERAGE"),
    (Ask("not_started", "b"), "NOT_ELIGIBLE:COVERAGE_NOT_STARTED"),
    (Ask("expired", "b"), "NOT_ELIGIBLE:COVERAGE_EXPIRED"),
    (Ask("sss", "b"), "NOT_ELIGIBLE:NOT_UCS"),
    (Ask("ucs5", "pending", "pending"), "NOT_ELIGIBLE:UNIT_NOT_VERIFIED"),
    (Ask("ucs5", "suspended", "suspended"), "NOT_ELIGIBLE:UNIT_SUSPENDED"),
    (Ask("ucs5", "inactive_service"), "NOT_ELIGIBLE:SERVICE_INACTIVE"),
    (Ask("ucs5", "clinic_service"), "NOT_ELIGIBLE:SERVICE_NOT_FOR_UNIT_TYPE"),
    (Ask("ucs5", "uncontracted"), "NOT_ELIGIBLE:SERVICE_NOT_CONTRACTED"),
    (Ask("ucs5", "contract_ended"), "NOT_ELIGIBLE:SERVICE_NOT_CONTRACTED"),
    (Ask("sss", "suspended", "suspended"), "NOT_ELIGIBLE:NOT_UCS+UNIT_SUSPENDED"),
    (Ask("ucs6", "other", "other"), "booked"),                          # the other unit, for itself
    (Ask("ucs7", "d", None), "booked"),                                 # a caller acting for every unit
    (Ask("ucs2", "d"), "booked"),                                       # refused above: may book that day
    (Ask("ucs1", "a"), "ALREADY_BOOKED"),                               # again, for a full slot: told before seats
    (Ask("ucs0", "next_day"), "booked"),                                # one booking a day, not one a unit
    (Ask("ucs8", "one"), "booked"),
    (Ask("ucs9", "one"), "SLOT_FULL"),
    (Ask("ucs10", "d"), "booked"),                                      # d's third and last seat
]
ASKS = [ask for ask, _ in SCENARIO]
PATHS = {"transaction": None, "batches_of_2": 2, "batches_of_3": 3, "one_batch": len(ASKS)}


@pytest.fixture
def world():
    return build_world()


def run(world, path: str, asks: list[Ask] = ASKS):
    """(answers, rows, the indexes booked by booking_create, outcomes) of ``asks`` through ``path``,
    leaving the world as it was."""
    with rolled_back():
        if path in ("one_statement", "transaction"):
            with write_path(path):
                results = book_one_at_a_time(world, asks)
            alone = set(range(len(asks)))
        else:
            results, alone = book_in_batches(world, asks, PATHS.get(path) or len(asks))
        return (*snapshot(world, results), alone, [outcome(r) for r in results])


def test_the_scenario_gives_every_answer_booking_has(world):
    _, rows, _, outcomes = run(world, "one_statement")
    assert outcomes == [want for _, want in SCENARIO]
    reasons = {reason for o in outcomes if o.startswith("NOT_ELIGIBLE:") for reason in o.split(":")[1].split("+")}
    assert reasons == {r.value for r in Reason}  # every reason decide() can give
    booked = [f"r{i}" for i, o in enumerate(outcomes) if o == "booked"]
    assert sorted(rows["bookings"]) == sorted([*booked, "pre:holder"])
    for label in booked:
        assert [(a["action"], a["request_id"], a["after"]["reference"]) for a in rows["audit"][label]] == \
            [("booking.create", label, label)]
        assert rows["bookings"][label]["status"] == "awaiting_citizen"
    assert rows["seats"] == {**{name: 0 for name in rows["seats"]}, "a": 2, "c": 1, "d": 3, "full": 1, "one": 1,
                             "next_day": 1, "other": 1}


@pytest.mark.parametrize("path", PATHS)
def test_every_way_of_booking_answers_and_writes_as_booking_create_one_at_a_time(world, path):
    want_answers, want_rows, _, want = run(world, "one_statement")
    fallbacks_before = sum(batch_module.FALLBACKS.values())
    answers, rows, alone, got = run(world, path)
    fallbacks_after = sum(batch_module.FALLBACKS.values())
    assert got == want
    for i, (ask, expected, actual) in enumerate(zip(ASKS, want_answers, answers, strict=True)):
        assert actual == expected, (i, ask)
    assert rows["bookings"] == want_rows["bookings"]
    assert rows["audit"] == want_rows["audit"]
    assert rows["seats"] == want_rows["seats"]
    if path != "transaction":  # the batch statement itself booked some of them, and no run fell back
        assert {i for i, o in enumerate(got) if o == "booked"} - alone
        assert fallbacks_after == fallbacks_before


# Found by this matrix (and the property test) before raksa/booking/batch.py answered in request
# order: a request booked alone after its batch (a holder's, a repeated citizen's) lost its place in line.
ORDER_SENSITIVE = {
    # one at a time: ALREADY_BOOKED, booked (the batch used to say SLOT_FULL: the other took the seat first)
    "holder_then_another_for_the_last_seat": [Ask("holder", "one"), Ask("ucs0", "one")],
    # one at a time: SLOT_FULL, ucs0 booked, ucs1 SLOT_FULL (the batch used to give ucs1 the seat)
    "repeated_citizen_then_another_for_the_last_seat": [Ask("ucs0", "full"), Ask("ucs0", "one"), Ask("ucs1", "one")],
}


@pytest.mark.parametrize("case", ORDER_SENSITIVE)
def test_a_request_is_answered_in_its_place_in_line(world, case):
    asks = ORDER_SENSITIVE[case]
    want_answers, want_rows, _, want = run(world, "one_statement", asks)
    answers, rows, _, got = run(world, "one_batch", asks)
    assert got == want
    assert (answers, rows) == (want_answers, want_rows)
