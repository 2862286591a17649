"""A fixed hour of the Bangkok day for tests that need "a time later today", and a way to run any tests at
an hour of your choosing.

Without it such tests depend on when the suite runs: CI once ran at 23:01 in Bangkok (16:01 UTC), when
today's last slot (23:00) had already started, and two tests failed. ``bangkok_morning`` moves the clock
(time-machine: Python's clocks only; the database's clock is not read by Raksa's code) to 10:00 today in
Bangkok and lets it tick from there. The LINE stand-in subprocess follows the test's clock
(raksa/testing/line_standin.py), so its ID tokens are fresh on Raksa's clock too. Chromium keeps the real time.

``pytest --bangkok-time 23:50 …`` moves the whole run's clock to that hour today in Bangkok (ticking), to see
which tests still depend on the hour they run at: they pass, or they skip (say why) — never fail.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from raksa.core.timeutil import BANGKOK, service_day


@pytest.fixture
def bangkok_morning():
    """10:00 today in Bangkok, ticking. List it before the fixtures that create slots or bookings (and before
    ``line_standin``, which starts on the test's clock)."""
    with time_machine.travel(dt.datetime.combine(service_day(), dt.time(10), tzinfo=BANGKOK), tick=True):
        yield


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--bangkok-time", metavar="HH:MM", default=None,
                     help="run the tests with the clock moved to HH:MM today in Bangkok, ticking (raksa/testing/"
                          "clock.py): to check that no test depends on the hour the suite runs at")


def pytest_configure(config: pytest.Config) -> None:
    hhmm = config.getoption("--bangkok-time", default=None)
    if not hhmm:
        return
    try:
        at = dt.time.fromisoformat(hhmm)
    except ValueError:
        raise pytest.UsageError(f"--bangkok-time wants HH:MM, e.g. 23:50 (got {hhmm!r})") from None
    today = dt.datetime.now(BANGKOK).date()
    traveller = time_machine.travel(dt.datetime.combine(today, at, tzinfo=BANGKOK), tick=True)
    traveller.start()
    config.add_cleanup(traveller.stop)


def pytest_report_header(config: pytest.Config) -> str | None:
    hhmm = config.getoption("--bangkok-time", default=None)
    return f"clock: moved to {hhmm} today in Bangkok (--bangkok-time), ticking" if hhmm else None
