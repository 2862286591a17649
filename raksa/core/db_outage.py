"""When PostgreSQL goes away: answer 503 at once, and come back by ourselves.

A process-wide breaker. The first sign that the database cannot be reached (a connection attempt refused
or timed out, a connection lost in the middle of a query) marks it *down*. While it is down nothing in this
process waits for a connection: ``raksa.core.postgresql`` refuses to connect at once
(:class:`DatabaseUnavailable`), the web layer answers 503 ``DATABASE_UNAVAILABLE`` with a ``Retry-After``
(JSON under ``/api/`` and in the booking fast lane, a Thai/English page elsewhere), and ``/healthz`` says
503 without touching the database. One background thread probes: a fresh connection (not from the pool)
and ``SELECT 1``, at once and then every :data:`PROBE_INTERVAL_SECONDS`; the first probe that succeeds
checks the pool's idle connections (broken ones are replaced) and closes the breaker.

The timeouts, and why (docs/architecture.md, "When PostgreSQL goes away", says the same):

- ``PROBE_INTERVAL_SECONDS`` = 0.5: the service is back at most half a second after PostgreSQL is
  (measured: README, "When PostgreSQL goes away"); a refused probe costs a millisecond, so probing more
  often buys little and a shorter interval only adds log lines.
- ``RETRY_AFTER_SECONDS`` = 2: what the 503s tell clients. Recovery takes ≤ 0.5 s after PostgreSQL is back,
  but an outage worth the name lasts seconds (a restart: 1–3 s; a failover: tens); retrying every 2 s
  halves a waiting crowd's retries against 1 s and adds at most 2 s to the wait.
- ``POOL_WAIT_SLICE_SECONDS`` = 0.25: a request waiting for a pooled connection looks at the breaker this
  often, so requests already waiting when the database goes away fail within 0.25 s instead of after the
  pool's full timeout (10 s, for a busy pool under a surge: config/settings/base.py says why).
- ``HEALTHZ_WAIT_SECONDS`` = 0.8: the health check waits at most this long for a connection, so it answers
  within 1 s while the database is down or the pool busy (load balancers typically give up after 1–2 s).
  A connection to a server that vanished is bounded by libpq's ``tcp_user_timeout`` (settings: 10 s).

A lost connection trips the breaker too: when PostgreSQL stops, the pool's idle connections break without
anyone noticing until they are used. A single connection killed on its own (``pg_terminate_backend``)
trips it as well; the first probe runs at once, so that costs a few milliseconds of 503s, not seconds.
A pool that is merely busy (``PoolTimeout``) is answered 503 too but does not trip the breaker: the
database is there, the process is overloaded.
"""

from __future__ import annotations

import contextvars
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import psycopg
from django.db import OperationalError
from psycopg_pool import PoolTimeout

PROBE_INTERVAL_SECONDS = 0.5
RETRY_AFTER_SECONDS = 2
POOL_WAIT_SLICE_SECONDS = 0.25
HEALTHZ_WAIT_SECONDS = 0.8

CODE = "DATABASE_UNAVAILABLE"
# The answer under /api/ and in the booking fast lane (errors are {"code", "message" (Thai), "message_en", "field"}).
ANSWER = {"code": CODE, "message": "ฐานข้อมูลขัดข้องชั่วคราว กรุณาลองใหม่อีกครั้งในอีกสักครู่",
          "message_en": "The database is unavailable for a moment. Please try again shortly.", "field": None}

# SQLSTATEs of a server that is going away or not yet there: admin_shutdown, crash_shutdown, cannot_connect_now.
_SERVER_GOING_AWAY = {"57P01", "57P02", "57P03"}

logger = logging.getLogger("raksa.db_outage")


class DatabaseUnavailable(OperationalError):
    """Raised instead of connecting while the database is known to be down (a Django OperationalError,
    so code that handles database errors handles this one)."""


def is_outage(exc: BaseException) -> bool:
    """Whether ``exc`` (or the driver error it wraps) means the database could not be reached or a
    connection to it was lost, rather than a rule it enforced (a constraint, a deadlock, a timeout)."""
    for error in (exc, exc.__cause__):
        if isinstance(error, DatabaseUnavailable | PoolTimeout):
            return True
        if isinstance(error, psycopg.OperationalError):
            state = error.sqlstate  # None: no answer from the server (refused, lost, timed out)
            return state is None or state.startswith("08") or state in _SERVER_GOING_AWAY
    return False


def _trips(exc: BaseException) -> bool:
    """An outage error that says something new: not our own refusal, not a merely busy pool."""
    return is_outage(exc) and not any(isinstance(e, DatabaseUnavailable | PoolTimeout) for e in (exc, exc.__cause__))


class Breaker:
    """Down or up, for one process. ``probe`` raises unless the database answers (and readies the pool)."""

    def __init__(self, probe: Callable[[], None], *, interval: float = PROBE_INTERVAL_SECONDS) -> None:
        self._probe = probe
        self._interval = interval
        self._lock = threading.Lock()
        self._down_since: float | None = None  # read without the lock: one attribute, set under it
        self._generation = 0  # a reset() stops an older probe thread

    def is_down(self) -> bool:
        return self._down_since is not None

    def down_for(self) -> float:
        since = self._down_since
        return 0.0 if since is None else time.monotonic() - since

    def trip(self, reason: BaseException | str) -> None:
        with self._lock:
            if self._down_since is not None:
                return
            self._down_since = time.monotonic()
            generation = self._generation
        logger.warning("database unavailable: answering 503 until a probe succeeds",
                       extra={"reason": reason if isinstance(reason, str) else f"{type(reason).__name__}: {reason}"})
        threading.Thread(target=self._probe_until_up, args=(generation,), name="raksa-db-probe", daemon=True).start()

    def note(self, exc: BaseException) -> None:
        """Trip if ``exc`` says the database went away."""
        if _trips(exc):
            self.trip(exc)

    def reset(self) -> None:
        """Up, without probing (tests; a forked child starts fresh)."""
        with self._lock:
            self._down_since = None
            self._generation += 1

    def _probe_until_up(self, generation: int) -> None:
        delay = 0.0
        while True:
            time.sleep(delay)
            delay = self._interval
            if self._generation != generation or self._down_since is None:
                return
            try:
                self._probe()
            except Exception as exc:
                logger.debug("database probe failed: %s", exc)
                continue
            with self._lock:
                if self._generation != generation:
                    return
                down_for = time.monotonic() - (self._down_since or time.monotonic())
                self._down_since = None
            logger.warning("database available again", extra={"down_seconds": round(down_for, 3)})
            return


def _probe_default_database() -> None:
    from django.db import DEFAULT_DB_ALIAS, connections

    probe = getattr(connections[DEFAULT_DB_ALIAS], "outage_probe", None)  # raksa.core.postgresql.DatabaseWrapper
    if probe is not None:
        probe()
        return
    other = connections.create_connection(DEFAULT_DB_ALIAS)  # another backend: a connection of the probe's own
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT 1")
    finally:
        other.close()


breaker = Breaker(_probe_default_database)
os.register_at_fork(after_in_child=breaker.reset)  # a probe thread does not survive a fork


def is_down() -> bool:
    return breaker.is_down()


def raise_if_down() -> None:
    if breaker.is_down():
        raise DatabaseUnavailable(f"the database is unavailable (down for {breaker.down_for():.1f} s); "
                                  f"a probe runs every {PROBE_INTERVAL_SECONDS} s")


def note(exc: BaseException) -> None:
    breaker.note(exc)


_wait_limit: contextvars.ContextVar[float | None] = contextvars.ContextVar("raksa_db_wait_limit", default=None)


@contextmanager
def waiting_at_most(seconds: float) -> Iterator[None]:
    """Connections obtained inside wait at most ``seconds`` for the pool (the health check's own timeout)."""
    token = _wait_limit.set(seconds)
    try:
        yield
    finally:
        _wait_limit.reset(token)


def wait_limit() -> float | None:
    return _wait_limit.get()
