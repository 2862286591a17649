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
