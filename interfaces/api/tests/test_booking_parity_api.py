"""Concurrent bookings: the fast lane (group commit, so real batches) and the documented endpoint
(django-ninja alone) answer the same requests alike, answer by answer and row by row.

Two worlds are built alike (raksa/booking/tests/parity.py: every answer booking gives has a request
that gets it, each unit with its API key). The same requests, all at once from threads, go to one
world through ``config.wsgi.application`` (the lane in front of Django) and to the other through
Django alone; the lane's first batch is held until every other request queues behind it, so that
they are booked in one batch. The requests arrive in no set order, so each answer is one that does
not depend on it, except within a group (three citizens for one seat; one citizen twice for the
same slot), whose answers and rows compare as a whole.
"""

import re
import threading

import pytest
from django.db import connection, connections

from interfaces.api.tests.helpers import lane_batches
from interfaces.api.tests.test_fast_booking import LANGUAGE_HEADERS, call
from raksa.booking.tests.parity import Ask, build_world, rows

pytestmark = [pytest.mark.django_db(transaction=True),  # the lane commits, and threads see only what is committed
              pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")]

# (request, its answer); a key acts for one unit, so every caller acts for the unit named.
CONCURRENT: list[tuple[Ask, str]] = [
    (Ask("ucs0", "a"), "booked"),
    (Ask("ucs1", "a"), "booked"),                                       # a's two seats
    (Ask("ucs2", "b"), "booked"),
    (Ask("ucs3", "one"), "one seat"),                                   # three for one seat: one is booked,
    (Ask("ucs4", "one"), "one seat"),                                   # two get SLOT_FULL
    (Ask("ucs5", "one"), "one seat"),
    (Ask("ucs6", "full"), "SLOT_FULL"),
    (Ask("holder", "c"), "ALREADY_BOOKED"),                             # holds "full" that day
    (Ask("ucs7", "d"), "twice"),                                        # the same citizen twice at once:
    (Ask("ucs7", "d"), "twice"),                                        # booked, ALREADY_BOOKED
    (Ask("ucs8", "missing"), "SLOT_NOT_FOUND"),
    (Ask("unknown", "c"), "CITIZEN_NOT_FOUND"),
    (Ask("invalid", "c"), "INVALID_NATIONAL_ID"),
    (Ask("ucs8", "other"), "FORBIDDEN"),
    (Ask("ucs8", "withdrawn"), "SLOT_NOT_BOOKABLE"),
    (Ask("ucs8", "notice"), "SLOT_NOT_BOOKABLE"),
    (Ask("ucs8", "window"), "SLOT_NOT_BOOKABLE"),
    (Ask("ucs8", "closed_schedule"), "SLOT_NOT_BOOKABLE"),
    (Ask("no_coverage", "c"), "NOT_ELIGIBLE"),
    (Ask("not_started", "c"), "NOT_ELIGIBLE"),
    (Ask("expired", "c"), "NOT_ELIGIBLE"),
    (Ask("sss", "c"), "NOT_ELIGIBLE"),
    (Ask("ucs8", "pending", "pending"), "NOT_ELIGIBLE"),
    (Ask("ucs8", "suspended", "suspended"), "NOT_ELIGIBLE"),
    (Ask("ucs8", "inactive_service"), "NOT_ELIGIBLE"),
    (Ask("ucs8", "clinic_service"), "NOT_ELIGIBLE"),
    (Ask("ucs8", "uncontracted"), "NOT_ELIGIBLE"),
    (Ask("ucs8", "contract_ended"), "NOT_ELIGIBLE"),
    (Ask("sss", "suspended", "suspended"), "NOT_ELIGIBLE"),
    (Ask("ucs9", "other", "other"), "booked"),
    (Ask("ucs10", "next_day"), "booked"),
]
ASKS = [ask for ask, _ in CONCURRENT]
GROUPS = {group: [f"r{i}" for i, (_, want) in enumerate(CONCURRENT) if want == group]
          for group in ("one seat", "twice")}
IN_GROUP = {request: group for group, requests in GROUPS.items() for request in requests}
IGNORED_HEADERS = {"X-Request-ID", "Content-Length", *LANGUAGE_HEADERS}


def send_all_at_once(world, app: str) -> list[tuple]:
    """Every request of :data:`ASKS`, each from its own thread, released together; (status, body,
    headers) of each, in the asks' order."""
    answers: list = [None] * len(ASKS)
    start = threading.Barrier(len(ASKS))

    def send(i: int, ask: Ask) -> None:
        national_id, slot_id, _ = world.request(ask)
        try:
            start.wait(10)
            answers[i] = call(app, {"national_id": national_id, "slot_id": slot_id}, world.keys[ask.unit],
                              HTTP_X_REQUEST_ID=request_id(i))
        except BaseException as exc:  # the test reads it below
            answers[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(i, ask)) for i, ask in enumerate(ASKS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    for answer in answers:
        if not isinstance(answer, tuple):
            raise AssertionError(f"a request did not get an answer: {answer!r}")
    return answers


def request_id(i: int) -> str:
    return f"parity-{i:04d}"  # (an X-Request-ID has 8 to 64 characters)


def by_name(world, answer: tuple) -> tuple:
    """(status, body, headers) with the world's codes as names, the reference checked and left out
    (``expires_at``: whether there is one; the rows compare how long the hold lasts)."""
    status, body, headers = answer
    body = dict(body)
    if status == 201:
        assert re.fullmatch(r"[A-Z2-9]{8}", body.pop("reference"))
        names = world.name_of()
        body["hcode"], body["service"] = names["hcode"][body["hcode"]], names["code"][body["service"]]
        body["expires_at"] = body["expires_at"] is not None
    return status, body, {k: v for k, v in headers.items() if k not in IGNORED_HEADERS}


def code(answer: tuple) -> str:
    return "booked" if answer[0] == 201 else answer[1]["code"]


def compared(world, answers: list[tuple]) -> tuple[list, dict, dict]:
    """(answers outside the groups, each group's answers as a sorted list, the rows), by name; in the
    rows a group's bookings are its own (``one seat#0``) and the winning citizen is left out."""
    labels = {a[1]["reference"]: f"r{i}" for i, a in enumerate(answers) if a[0] == 201}
    single = [by_name(world, a) if f"r{i}" not in IN_GROUP else "group" for i, a in enumerate(answers)]
    groups = {group: sorted((by_name(world, answers[int(r[1:])]) for r in requests), key=repr)
              for group, requests in GROUPS.items()}
    found = rows(world, labels, exact_times=False)
    relabel, seen = {}, {}
    for label in found["bookings"]:
        if label in IN_GROUP:
            group = IN_GROUP[label]
            relabel[label] = f"{group}#{seen.setdefault(group, 0)}"
            seen[group] += 1
    for label, new in relabel.items():
        booking = found["bookings"].pop(label)
        if new.startswith("one seat"):
            booking.pop("citizen")
        found["bookings"][new] = booking
        found["audit"][new] = [{**entry, "request_id": new, "after": {**entry["after"], "reference": new}}
                               for entry in found["audit"].pop(label)]
    return single, groups, found


def test_concurrent_requests_get_the_same_answers_and_rows_on_the_lane_and_the_documented_endpoint(monkeypatch):
    lane_world, django_world = build_world(api_keys=True), build_world(api_keys=True)
    batches = lane_batches(monkeypatch, hold_first_until_queued=len(ASKS) - 1)
    on_lane = send_all_at_once(lane_world, "lane")
    assert sum(batches) == len(ASKS) and max(batches) >= 2, batches  # all on the lane, booked together
    batches.clear()
    on_django = send_all_at_once(django_world, "django")
    assert batches == []  # none on the lane

    codes = [code(a) for a in on_lane]
    for i, (ask, want) in enumerate(CONCURRENT):
        if want not in GROUPS:
            assert codes[i] == want, (i, ask, on_lane[i])
    for group, want in (("one seat", ["SLOT_FULL", "SLOT_FULL", "booked"]), ("twice", ["ALREADY_BOOKED", "booked"])):
        assert sorted(codes[int(r[1:])] for r in GROUPS[group]) == want, group

    lane_single, lane_groups, lane_rows = compared(lane_world, on_lane)
    django_single, django_groups, django_rows = compared(django_world, on_django)
    for i, (ask, lane, django) in enumerate(zip(ASKS, lane_single, django_single, strict=True)):
        assert lane == django, (i, ask)
    assert lane_groups == django_groups
    for kind in ("bookings", "audit", "seats"):
        assert sorted(lane_rows[kind]) == sorted(django_rows[kind]), kind
        for label, lane in lane_rows[kind].items():
            assert lane == django_rows[kind][label], (kind, label)
    for label, audit in lane_rows["audit"].items():  # one row each, with the caller's X-Request-ID
        if label.startswith("r"):
            assert [(a["action"], a["request_id"]) for a in audit] == [("booking.create", request_id(int(label[1:])))]
    assert lane_rows["seats"]["one"] == 1 and lane_rows["seats"]["a"] == 2 and lane_rows["seats"]["d"] == 1
