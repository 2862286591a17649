"""A fixed hour of the Bangkok day for tests that need "a time later today".

Without it such tests depend on when the suite runs: CI once ran at 23:01 in Bangkok (16:01 UTC), when
today's last slot (23:00) had already started, and two tests failed. ``bangkok_morning`` moves the clock
(time-machine: Python's clocks only; the database's clock is not read by Raksa's code) to 10:00 today in
Bangkok and lets it tick from there.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from raksa.core.timeutil import BANGKOK, service_day


@pytest.fixture
def bangkok_morning():
    """10:00 today in Bangkok, ticking. List it before the fixtures that create slots or bookings."""
    with time_machine.travel(dt.datetime.combine(service_day(), dt.time(10), tzinfo=BANGKOK), tick=True):
        yield
