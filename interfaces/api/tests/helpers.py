"""API test data: a unit open all day (one seat an hour) with an API key."""

from __future__ import annotations

import datetime as dt

from raksa.booking.models import Schedule, Slot
from raksa.booking.slots import slots_materialise
from raksa.booking.tests.helpers import ALL_DAY
from raksa.core.timeutil import service_day
from raksa.testing.factories import make_eligible_case
from raksa.units.services import unit_api_key_issue


def open_all_day(unit, service) -> None:
    schedule = Schedule.objects.create(unit=unit, service=service, weekly_hours=ALL_DAY, slot_minutes=60,
                                       seats_per_slot=1, min_notice_minutes=0)
    slots_materialise(schedule=schedule, days=3)


def make_api_unit() -> dict:
    """An eligible citizen's national ID, a unit open all day for a service, its API key, and tomorrow's slots."""
    national_id, _, unit, service = make_eligible_case()
    open_all_day(unit, service)
    key, api_key = unit_api_key_issue(actor=None, unit=unit, label="ระบบร้านยา")
    tomorrow = service_day() + dt.timedelta(days=1)
    slots = list(Slot.objects.filter(unit=unit, day=tomorrow).order_by("starts_at"))
    return {"national_id": national_id, "unit": unit, "service": service, "key": key, "api_key": api_key,
            "slots": slots, "tomorrow": tomorrow}


def lane_batches(monkeypatch, *, hold_first_until_queued: int = 0) -> list[int]:
    """Record the size of each batch the fast lane's group commit books (the list returned fills up).
    ``hold_first_until_queued``: the first batch waits (up to 10 s) until that many requests queue
    behind it, so that they are booked together in the next one. The lane's private names that the
    tests need are here only."""
    import time

    from interfaces.api import fast_booking

    sizes: list[int] = []
    real = fast_booking.bookings_create_many

    def recorded(*, requests):
        sizes.append(len(requests))
        if len(sizes) == 1:
            give_up = time.monotonic() + 10
            while len(fast_booking._group_commit._queue) < hold_first_until_queued and time.monotonic() < give_up:
                time.sleep(0.005)
        return real(requests=requests)

    monkeypatch.setattr(fast_booking, "bookings_create_many", recorded)
    return sizes
