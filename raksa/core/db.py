"""Prepared statements for the few hot SQL statements (PostgreSQL).

Django binds parameters on the client, so PostgreSQL parses and plans every statement anew. For the
booking surge's facts query that planning cost 0.65 ms against 0.09 ms of execution (EXPLAIN ANALYZE),
and it was most of PostgreSQL's CPU per booking. :func:`prepared_cursor` runs a statement through a
server-side-binding psycopg cursor with ``prepare=True``: each pooled connection plans it once.

Django disables psycopg's prepared statements (``prepare_threshold=None``, for poolers); the settings
set a threshold no ordinary query reaches, so only statements sent here are ever prepared.
On other databases this is Django's own cursor.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections


@contextmanager
def prepared_cursor(sql: str, params: Sequence[Any]) -> Iterator[Any]:
    """Execute ``sql`` (``%s`` placeholders) and yield the cursor to fetch from. Errors are Django's
    (``IntegrityError`` …), as from ``connection.cursor()``."""
    db = connections[DEFAULT_DB_ALIAS]  # once: each ``connection.x`` is a thread-local lookup (~2 µs)
    if db.vendor != "postgresql":
        with db.cursor() as cursor:
            cursor.execute(sql, params)
            yield cursor
        return
    import psycopg

    db.close_if_health_check_failed()  # as Django's own cursor() does (CONN_HEALTH_CHECKS)
    db.ensure_connection()
    db.validate_no_broken_transaction()
    with db.wrap_database_errors, psycopg.Cursor(db.connection) as cursor:
        def run(sql: str, params: Sequence[Any], many: bool, context: dict) -> None:
            cursor.execute(sql, params, prepare=True)

        executor = run  # Django's execute_wrapper hooks and query log see it like any other query
        for wrapper in reversed(db.execute_wrappers):
            executor = functools.partial(wrapper, executor)
        started = time.monotonic()
        executor(sql, params, False, {"connection": db, "cursor": cursor})
        if db.queries_logged:
            db.queries_log.append({"sql": sql, "time": f"{time.monotonic() - started:.3f}"})
        yield cursor


class Columns:
    """The columns a raw query selects, each ``expression AS name``, and where each name sits in a
    row: code reads ``row[cols.at["slot_id"]]``, by name, at the cost of a dict lookup (no per-row
    mapping on the hot paths). ``cols.sql`` is the SELECT list."""

    def __init__(self, *columns: tuple[str, str]) -> None:
        self.sql = ", ".join(f"{expression} AS {name}" for expression, name in columns)
        self.at = {name: i for i, (_, name) in enumerate(columns)}
        if len(self.at) != len(columns):
            raise ValueError("column names must be unique")


def violated_constraint(exc: IntegrityError) -> str | None:
    """The name of the constraint an IntegrityError broke, as PostgreSQL reports it (``diag``), or, on
    SQLite, which names no constraint, the text after "constraint failed:" (its columns)."""
    diag = getattr(exc.__cause__, "diag", None)
    if diag is not None and diag.constraint_name:
        return diag.constraint_name
    text = str(exc)
    return text.split("constraint failed:", 1)[1].strip() if "constraint failed:" in text else None


def is_violation_of(exc: IntegrityError, model: type, name: str) -> bool:
    """Whether ``exc`` broke ``model``'s constraint called ``name``: by the name PostgreSQL reports;
    on SQLite, which names no constraint, by the columns of that unique constraint."""
    broken = violated_constraint(exc)
    if broken is None:
        return False
    if broken == name:
        return True
    constraint = next((c for c in model._meta.constraints if c.name == name), None)
    fields = getattr(constraint, "fields", ())
    table = model._meta.db_table
    return bool(fields) and broken == ", ".join(f"{table}.{model._meta.get_field(f).column}" for f in fields)
