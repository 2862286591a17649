"""The breaker (raksa.core.db_outage) and the backend that obeys it (raksa.core.postgresql)."""

import socket
import threading
import time

import psycopg
import pytest
from django.db import IntegrityError, OperationalError, connection, connections
from psycopg import errors as pg_errors
from psycopg_pool import PoolTimeout

from raksa.core import db_outage
from raksa.core.db_outage import Breaker, DatabaseUnavailable, is_outage

postgres_only = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the backend is PostgreSQL's")


def wrapped(driver_error: Exception) -> Exception:
    """As Django raises it: its own class, the driver's error as the cause."""
    kind = IntegrityError if isinstance(driver_error, psycopg.IntegrityError) else OperationalError
    error = kind(str(driver_error))
    error.__cause__ = driver_error
    return error


@pytest.mark.parametrize("error, outage", [
    (psycopg.OperationalError("consuming input failed: server closed the connection unexpectedly"), True),
    (psycopg.OperationalError("connection failed: Connection refused"), True),
    (pg_errors.AdminShutdown("terminating connection due to administrator command"), True),
    (pg_errors.CrashShutdown("terminating connection because of crash of another server process"), True),
    (pg_errors.CannotConnectNow("the database system is starting up"), True),
    (pg_errors.ConnectionFailure("connection failure"), True),
    (PoolTimeout("couldn't get a connection after 10.00 sec"), True),
    (DatabaseUnavailable("down"), True),
    (pg_errors.DeadlockDetected("deadlock detected"), False),
    (pg_errors.QueryCanceled("canceling statement due to statement timeout"), False),
    (pg_errors.LockNotAvailable("could not obtain lock"), False),
    (pg_errors.UniqueViolation("duplicate key"), False),
    (ValueError("not a database error"), False),
])
def test_an_outage_is_an_unreachable_or_lost_server_not_a_rule_it_enforced(error, outage):
    assert is_outage(error) is outage
    if isinstance(error, psycopg.Error):
        assert is_outage(wrapped(error)) is outage


class Probe:
    """Fails until ``up`` is set; counts its calls."""

    def __init__(self) -> None:
        self.calls, self.up = 0, threading.Event()

    def __call__(self) -> None:
        self.calls += 1
        if not self.up.is_set():
            raise psycopg.OperationalError("connection refused")


def wait_for(condition, seconds: float = 2.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


def test_the_breaker_trips_on_an_outage_and_closes_when_a_probe_succeeds():
    probe = Probe()
    breaker = Breaker(probe, interval=0.02)
    breaker.note(wrapped(pg_errors.DeadlockDetected("deadlock detected")))
    assert not breaker.is_down()  # the database is there: it said no
    breaker.note(wrapped(psycopg.OperationalError("server closed the connection unexpectedly")))
    assert breaker.is_down()
    wait_for(lambda: probe.calls >= 3)  # at once, then every interval, while the database refuses
    assert breaker.is_down()
    probe.up.set()
    wait_for(lambda: not breaker.is_down())
    calls = probe.calls
    time.sleep(0.1)
    assert probe.calls == calls  # the probe stops once the database is back


def test_a_busy_pool_or_our_own_refusal_does_not_trip_the_breaker():
    breaker = Breaker(Probe(), interval=0.02)
    for error in (PoolTimeout("couldn't get a connection after 10.00 sec"), DatabaseUnavailable("down")):
        breaker.note(wrapped(error) if isinstance(error, psycopg.Error) else error)
    assert not breaker.is_down()


def test_reset_brings_the_breaker_up_and_stops_its_probe():
    probe = Probe()
    breaker = Breaker(probe, interval=0.02)
    breaker.trip("test")
    wait_for(lambda: probe.calls >= 1)
    breaker.reset()
    assert not breaker.is_down()
    time.sleep(0.05)
    calls = probe.calls
    time.sleep(0.1)
    assert probe.calls == calls


@pytest.fixture
def down(monkeypatch):
    """The process-wide breaker tripped, with a probe that keeps failing (the autouse fixture resets it)."""
    probe = Probe()
    monkeypatch.setattr(db_outage.breaker, "_probe", probe)
    db_outage.breaker.trip("test")
    return probe


@postgres_only
@pytest.mark.django_db
def test_while_down_a_new_connection_is_refused_at_once(down):
    other = connections.create_connection("default")
    started = time.monotonic()
    with pytest.raises(DatabaseUnavailable):
        other.ensure_connection()
    assert time.monotonic() - started < 0.1
    assert other.connection is None


@postgres_only
@pytest.mark.django_db
def test_a_request_waiting_for_the_pool_gives_up_when_the_breaker_trips(monkeypatch):
    """The pool's full timeout (10 s) is for a busy pool; once the database is known down, a waiting
    request fails within a slice (0.25 s)."""
    monkeypatch.setattr(db_outage.breaker, "_probe", Probe())
    from raksa.core.postgresql.base import OutageAwarePool

    params = connection.get_connection_params()
    pool = OutageAwarePool(kwargs={**params, "autocommit": True}, min_size=1, max_size=1, timeout=10, open=True)
    try:
        held = pool.getconn()  # the only connection: the next caller waits
        outcome = {}

        def wait() -> None:
            started = time.monotonic()
            try:
                pool.getconn()
            except Exception as exc:
                outcome["error"], outcome["seconds"] = exc, time.monotonic() - started

        waiter = threading.Thread(target=wait)
        waiter.start()
        time.sleep(0.3)
        db_outage.breaker.trip("test")
        waiter.join(5)
        assert isinstance(outcome["error"], DatabaseUnavailable)
        assert 0.3 <= outcome["seconds"] < 0.3 + db_outage.POOL_WAIT_SLICE_SECONDS + 0.2
        pool.putconn(held)
    finally:
        pool.close()


@postgres_only
@pytest.mark.django_db
def test_the_pool_still_waits_its_full_timeout_for_a_busy_pool_only_within_limits():
    """A wait limit (the health check's) caps the wait; without an outage the pool answers PoolTimeout."""
    from raksa.core.postgresql.base import OutageAwarePool

    pool = OutageAwarePool(kwargs={**connection.get_connection_params(), "autocommit": True}, min_size=1,
                           max_size=1, timeout=10, open=True)
    try:
        held = pool.getconn()
        started = time.monotonic()
        with db_outage.waiting_at_most(0.4), pytest.raises(PoolTimeout):
            pool.getconn()
        assert 0.4 <= time.monotonic() - started < 0.7
        assert not db_outage.is_down()
        pool.putconn(held)
    finally:
        pool.close()


@postgres_only
def test_a_refused_connection_attempt_of_the_pool_trips_the_breaker(monkeypatch):
    from raksa.core.postgresql.base import _ReportingConnection

    monkeypatch.setattr(db_outage.breaker, "_probe", Probe())
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(psycopg.OperationalError):
        _ReportingConnection.connect(f"host=127.0.0.1 port={port} dbname=x connect_timeout=2")
    assert db_outage.is_down()


@postgres_only
@pytest.mark.django_db
def test_the_probe_connects_afresh_and_answers_when_the_database_is_there():
    connection.outage_probe()  # raises unless SELECT 1 answers


@postgres_only
@pytest.mark.django_db
def test_a_server_refusing_new_connections_is_up_when_the_pools_connections_answer(monkeypatch):
    """"Too many clients" refuses the probe's fresh connection, but the connections the pool holds still
    work: the probe must not keep the process answering 503 as long as the server is full (found by review)."""
    from raksa.core.postgresql import base

    pool = base.OutageAwarePool(kwargs={**connection.get_connection_params(), "autocommit": True}, min_size=1,
                                max_size=1, timeout=10, open=True)
    try:
        pool.wait()
        held = pool.getconn()
        assert not base._an_idle_connection_answers(pool)  # none idle (the only one is in use)
        pool.putconn(held)
        assert base._an_idle_connection_answers(pool)

        def full(*args, **kwargs):
            raise psycopg.OperationalError("connection failed: FATAL:  sorry, too many clients already")

        monkeypatch.setattr(base.psycopg, "connect", full)
        monkeypatch.setitem(connection._connection_pools, connection.alias, pool)
        connection.outage_probe()  # up: the pooled connection answered
        pool.close()
        with pytest.raises(psycopg.OperationalError):
            connection.outage_probe()  # and no pool to ask: still down
    finally:
        pool.close()
