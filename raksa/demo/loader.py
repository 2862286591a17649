"""Bulk load of generated citizens and their rights.

PostgreSQL: ``COPY ... FROM STDIN`` (binary) through the raw psycopg 3 connection, with citizen ids
reserved from the table's sequence under a table lock. Other databases (the embedded SQLite demo):
``bulk_create`` in batches with ids assigned here.

Rows are made block by block (``generator.BLOCK`` citizens). For large loads, forked worker processes make
the blocks (generation and encryption are the costly part) while this process streams them to the
database; blocks are deterministic, so the data does not depend on the number of workers.

Per-row services are bypassed for speed; national IDs still go through ``citizen_fields_for_id`` (HMAC,
AES-GCM, mask: never stored in clear) and the caller writes one audit row for the whole load.
Must run inside a transaction.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import islice

from django.db import connection, transaction
from django.utils import timezone

from raksa.demo.generator import blocks, people_block
from raksa.people.models import Citizen, Coverage
from raksa.people.services import citizen_fields_for_id

BULK_BATCH = 1_000
PARALLEL_FROM = 100_000  # below this, one process: forking costs more than it saves

CITIZEN_COLUMNS = ("id", "cid_hash", "cid_encrypted", "cid_masked", "title_th", "first_name_th", "last_name_th",
                   "birth_date", "sex", "phone", "line_user_id", "created_at")
CITIZEN_TYPES = ("int8", "bytea", "bytea", "text", "text", "text", "text", "date", "text", "text", "text",
                 "timestamptz")
COVERAGE_COLUMNS = ("citizen_id", "scheme", "subtype", "main_unit_id", "valid_from", "valid_to", "created_at")
COVERAGE_TYPES = ("int8", "text", "text", "int8", "date", "date", "timestamptz")

Rows = tuple[list[tuple], list[tuple]]
Progress = Callable[[int, float], None]


@dataclass
class LoadReport:
    citizens: int
    coverages: int
    seconds: float
    method: str  # "copy" (PostgreSQL) or "bulk_create"
    first_id: int | None
    workers: int

    @property
    def citizens_per_s(self) -> float:
        return self.citizens / self.seconds if self.seconds > 0 else 0.0


def default_workers(count: int) -> int:
    """Leave one CPU to the database server and this process."""
    return max(1, (os.cpu_count() or 1) - 1) if count >= PARALLEL_FROM else 0


def load_citizens(*, seed: int, count: int, main_units: dict[str, int] | None = None, workers: int | None = None,
                  progress: Progress | None = None) -> LoadReport:
    """Generate ``count`` citizens for ``seed`` and store them with their coverage rows."""
    if not connection.in_atomic_block:
        raise RuntimeError("load_citizens must run inside a transaction")
    workers = default_workers(count) if workers is None else workers
    started = time.perf_counter()
    now = timezone.now()
    main_units = main_units or {}
    if connection.vendor == "postgresql":
        first_id = _reserve_ids_postgresql(count)
        write, method = _copy_block, "copy"
    else:
        first_id = (Citizen.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        write, method = _bulk_create_block, "bulk_create"
    n_cov = done = 0
    with transaction.atomic():
        for citizen_rows, coverage_rows in _row_blocks(seed, count, main_units, first_id, now, workers):
            write(citizen_rows, coverage_rows)
            n_cov += len(coverage_rows)
            done += len(citizen_rows)
            if progress:
                progress(done, time.perf_counter() - started)
    return LoadReport(count, n_cov, time.perf_counter() - started, method, first_id if count else None, workers)


def make_rows(seed: int, block: int, count: int, main_units: dict[str, int], first_id: int, now: dt.datetime
              ) -> Rows:
    """Citizen and coverage rows of one block, in COPY column order (runs in worker processes too)."""
    citizens, coverages = [], []
    add_citizen, add_coverage = citizens.append, coverages.append
    for person in people_block(seed, block, count, main_units=main_units):
        pk = first_id + person.index
        f = citizen_fields_for_id(person.national_id)
        add_citizen((pk, f["cid_hash"], f["cid_encrypted"], f["cid_masked"], person.title_th, person.first_name_th,
                     person.last_name_th, person.birth_date, person.sex, person.phone, None, now))
        for c in person.coverages:
            add_coverage((pk, c.scheme, c.subtype, c.main_unit_id, c.valid_from, c.valid_to, now))
    return citizens, coverages


def _row_blocks(seed: int, count: int, main_units: dict[str, int], first_id: int, now: dt.datetime, workers: int
                ) -> Iterator[Rows]:
    tasks = [(seed, block, count, main_units, first_id, now) for block in range(blocks(count))]
    if workers < 1 or len(tasks) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        for task in tasks:
            yield make_rows(*task)
        return
    # fork: the workers inherit the configured settings (PII keys) and never touch the database connection.
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        queued = iter(tasks)
        pending = deque(pool.apply_async(make_rows, task) for task in islice(queued, 2 * workers))
        while pending:
            rows = pending.popleft().get()
            task = next(queued, None)
            if task is not None:
                pending.append(pool.apply_async(make_rows, task))
            yield rows


def _reserve_ids_postgresql(count: int) -> int:
    """Reserve ``count`` ids from the citizen sequence; the table lock keeps other writers out meanwhile."""
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {_table(Citizen)} IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [Citizen._meta.db_table])
        (sequence,) = cursor.fetchone()
        cursor.execute("SELECT nextval(%s)", [sequence])
        (first_id,) = cursor.fetchone()
        if count > 1:
            cursor.execute("SELECT setval(%s, %s)", [sequence, first_id + count - 1])
    return first_id


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _copy_block(citizen_rows: list[tuple], coverage_rows: list[tuple]) -> None:
    # Coverage rows may go first or second: Django's foreign keys are checked at commit (DEFERRABLE).
    with connection.cursor() as cursor, cursor.connection.cursor() as pg:  # the raw psycopg 3 cursor
        for table, columns, types, rows in ((_table(Citizen), CITIZEN_COLUMNS, CITIZEN_TYPES, citizen_rows),
                                            (_table(Coverage), COVERAGE_COLUMNS, COVERAGE_TYPES, coverage_rows)):
            with pg.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN (FORMAT BINARY)") as copy:
                copy.set_types(types)
                write = copy.write_row
                for row in rows:
                    write(row)


def _bulk_create_block(citizen_rows: list[tuple], coverage_rows: list[tuple]) -> None:
    Citizen.objects.bulk_create([Citizen(**dict(zip(CITIZEN_COLUMNS, row, strict=True))) for row in citizen_rows],
                                batch_size=BULK_BATCH)
    Coverage.objects.bulk_create(
        [Coverage(**dict(zip(COVERAGE_COLUMNS, row, strict=True))) for row in coverage_rows], batch_size=BULK_BATCH)
