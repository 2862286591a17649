"""Job rows written with one plain INSERT, in the caller's transaction.

``Task.enqueue`` on django-tasks-db's DatabaseBackend does ``DBTaskResult.objects.create`` on the default
connection: the row joins whatever transaction is open, so a job asked for by a service commits or rolls
back with the service's change (read in django_tasks_db/backend.py, 0.13). Here the same row is written
without the ORM (the booking hot path and the webhook write it on every call): same columns, same values
as the backend writes (status READY, run_after "never" = 9999-01-01 meaning "as soon as possible"). The
``task_enqueued`` signal is not sent; nothing in Raksa listens to it.

Under another backend (a test's ImmediateBackend, Django 6's built-in tasks) this falls back to
``task.enqueue`` one job at a time.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import connection
from django.utils import timezone

JOB_TABLE = "django_tasks_database_dbtaskresult"
JOB_COLUMNS = ("id, status, enqueued_at, started_at, finished_at, args_kwargs, priority, task_path, worker_ids,"
               " queue_name, backend_name, run_after, return_value, exception_class_path, traceback")
NEVER = dt.datetime(9999, 1, 1, tzinfo=dt.UTC)  # django_tasks_db.models.get_date_max(): "no delay"


def uses_job_table(task: Any) -> bool:
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(task.get_backend(), DatabaseBackend)


def job_values(task: Any, kwargs: dict[str, Any], *, run_after: dt.datetime | None = None) -> list[Any]:
    """One job row's values in ``JOB_COLUMNS`` order, adapted for this database."""
    from django_tasks_db.models import DBTaskResult

    ops = connection.ops
    return [DBTaskResult._meta.pk.get_db_prep_value(uuid.uuid4(), connection), "READY",
            ops.adapt_datetimefield_value(timezone.now()), None, None,
            ops.adapt_json_value({"args": [], "kwargs": kwargs}, None), task.priority, task.module_path,
            ops.adapt_json_value([], None), task.queue_name, task.backend,
            ops.adapt_datetimefield_value(run_after or NEVER), None, "", ""]


def jobs_enqueue(task: Any, kwargs_list: list[dict[str, Any]], *, run_after: dt.datetime | None = None) -> int:
    """Queue ``task`` once per kwargs dict (JSON-able values) in one INSERT; returns how many."""
    if not kwargs_list:
        return 0
    if not uses_job_table(task):
        for kwargs in kwargs_list:
            (task.using(run_after=run_after) if run_after else task).enqueue(**kwargs)
        return len(kwargs_list)
    row = "(" + ", ".join(["%s"] * 15) + ")"
    params: list[Any] = []
    for kwargs in kwargs_list:
        params += job_values(task, kwargs, run_after=run_after)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {JOB_TABLE} ({JOB_COLUMNS}) VALUES {', '.join([row] * len(kwargs_list))}",
                       params)
    return len(kwargs_list)
