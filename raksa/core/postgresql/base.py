"""Django's PostgreSQL backend, failing fast while the database is down (raksa.core.db_outage).

``ENGINE = "raksa.core.postgresql"`` (config/settings/base.py sets it for every ``postgres://`` URL). Three
changes to Django's backend, nothing else:

- While the breaker says the database is down, a new connection is refused at once
  (:class:`~raksa.core.db_outage.DatabaseUnavailable`) instead of waiting for the pool.
- The pool (:class:`OutageAwarePool`) waits for a free connection in slices of
  ``POOL_WAIT_SLICE_SECONDS`` and gives up as soon as the breaker trips, so requests that were already
  waiting when PostgreSQL went away fail within a slice, not after the pool's full timeout. Every
  connection attempt the pool makes in the background reports a failure to the breaker
  (:class:`_ReportingConnection`), which is how a stopped server is noticed when no request is running.
- :meth:`DatabaseWrapper.outage_probe`: the breaker's probe (a fresh connection, then the pool's check).
"""

from __future__ import annotations

import time
from typing import Any

import psycopg
from django.core.exceptions import ImproperlyConfigured
from django.db.backends.postgresql import base as postgresql
from psycopg_pool import ConnectionPool, PoolTimeout

from raksa.core import db_outage


class _ReportingConnection(psycopg.Connection):
    """The pool's connections: a failed attempt to connect tells the breaker."""

    @classmethod
    def connect(cls, conninfo: str = "", **kwargs: Any) -> _ReportingConnection:
        try:
            return super().connect(conninfo, **kwargs)
        except psycopg.OperationalError as exc:
            db_outage.note(exc)
            raise


class OutageAwarePool(ConnectionPool):
    def getconn(self, timeout: float | None = None) -> Any:
        wait = self.timeout if timeout is None else timeout
        limit = db_outage.wait_limit()
        if limit is not None:
            wait = min(wait, limit)
        deadline = time.monotonic() + wait
        while True:
            db_outage.raise_if_down()
            left = deadline - time.monotonic()
            try:
                return super().getconn(timeout=max(min(left, db_outage.POOL_WAIT_SLICE_SECONDS), 0.0))
            except PoolTimeout:
                if time.monotonic() >= deadline:
                    raise PoolTimeout(f"couldn't get a connection after {wait:.2f} sec") from None


class DatabaseWrapper(postgresql.DatabaseWrapper):
    @property
    def pool(self) -> OutageAwarePool | None:
        """As Django's own property (5.2), with :class:`OutageAwarePool`."""
        pool_options = self.settings_dict["OPTIONS"].get("pool")
        if self.alias == postgresql.NO_DB_ALIAS or not pool_options:
            return None
        if self.alias not in self._connection_pools:
            if self.settings_dict.get("CONN_MAX_AGE", 0) != 0:
                raise ImproperlyConfigured("Pooling doesn't support persistent connections.")
            pool_options = {} if pool_options is True else pool_options
            connect_kwargs = self.get_connection_params()
            connect_kwargs["autocommit"] = True  # Django sets it properly later on
            pool = OutageAwarePool(
                kwargs=connect_kwargs,
                open=False,  # not during startup
                configure=self._configure_connection,
                check=ConnectionPool.check_connection if self.settings_dict["CONN_HEALTH_CHECKS"] else None,
                connection_class=_ReportingConnection,
                **pool_options,
            )
            self._connection_pools.setdefault(self.alias, pool)  # the first thread to set it wins
        return self._connection_pools[self.alias]

    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        db_outage.raise_if_down()
        try:
            return super().get_new_connection(conn_params)
        except psycopg.Error as exc:  # without the pool, the attempt is made here
            db_outage.note(exc)
            raise

    def outage_probe(self) -> None:
        """Raise unless a fresh connection answers ``SELECT 1``, or else one of the pool's idle connections
        does; then replace the pool's broken idle connections (they broke with the server), so that the
        first requests after it do not trip the breaker again.

        The pooled try is for a server that answers but refuses new connections (found by review: "too many
        clients" trips the breaker as any refused attempt does, while the connections the pool holds still
        work; probing with fresh connections only would keep this process answering 503 as long as the
        server is full)."""
        pool = self._connection_pools.get(self.alias)
        params = self.get_connection_params()
        try:
            with psycopg.connect(**params, autocommit=True) as connection:
                connection.execute("SELECT 1")
        except psycopg.OperationalError:
            if pool is None or pool.closed or not _an_idle_connection_answers(pool):
                raise
        if pool is not None and not pool.closed:
            pool.check()


def _an_idle_connection_answers(pool: OutageAwarePool) -> bool:
    """Whether a connection the pool holds idle answers ``SELECT 1`` (ConnectionPool.getconn: the breaker's
    own refusal in OutageAwarePool.getconn is what the probe is trying to lift)."""
    try:
        connection = ConnectionPool.getconn(pool, timeout=0.1)
    except PoolTimeout:
        return False
    try:
        connection.execute("SELECT 1")
        return True
    except psycopg.Error:
        return False
    finally:
        pool.putconn(connection)  # a broken one is discarded by the pool
