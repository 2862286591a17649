"""Booking test data: a verified pharmacy with a schedule and materialised slots, and citizens."""

from __future__ import annotations

import datetime as dt

from raksa.booking.models import Schedule, Slot
from raksa.booking.slots import slots_materialise
from raksa.core.timeutil import BANGKOK
from raksa.testing.factories import CitizenFactory, CoverageFactory, make_eligible_case

ALL_DAY = {d: [["00:00", "24:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
NOW = dt.datetime(2026, 11, 26, 8, 0, tzinfo=BANGKOK)  # Thursday 08:00 in Bangkok
T10 = dt.datetime(2026, 11, 26, 10, 0, tzinfo=BANGKOK)


def make_schedule(*, seats: int = 2, slot_minutes: int = 60, hours: dict | None = None, min_notice: int = 0,
                  ahead: int = 7, start_day: dt.date | None = None):
    _, citizen, unit, service = make_eligible_case()
    schedule = Schedule.objects.create(unit=unit, service=service, weekly_hours=hours or ALL_DAY,
                                       slot_minutes=slot_minutes, seats_per_slot=seats, book_ahead_days=ahead,
                                       min_notice_minutes=min_notice)
    slots_materialise(schedule=schedule, start_day=start_day or NOW.date(), days=max(ahead + 1, 8))
    return schedule, citizen


def slot_at(schedule: Schedule, local: dt.datetime) -> Slot:
    return Slot.objects.get(unit=schedule.unit, service=schedule.service, starts_at=local)


def ucs_citizens(n: int) -> list:
    citizens = CitizenFactory.create_batch(n)
    for citizen in citizens:
        CoverageFactory(citizen=citizen)
    return citizens
