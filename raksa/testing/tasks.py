"""Tests run the background jobs (django-tasks, database backend) in-process: :func:`run_tasks`.

It runs each due job with the database worker's own runner (``db_worker``'s ``Worker.run_task``: claim,
call, record success or failure), in the test's transaction. ``manage.py db_worker --batch`` is not used
here because its loop closes the connection between jobs, which would end a test's transaction.
"""

from __future__ import annotations

from django.utils import timezone


class TaskFailed(AssertionError):
    """A job raised: the test sees the job's traceback rather than a silent FAILED row."""


def run_tasks(*, include_later: bool = False, max_jobs: int = 10_000, raise_failures: bool = True) -> int:
    """Run every due job until none is left, the jobs they queue included; returns how many ran.
    ``include_later``: also run jobs queued for later (a push's retry after its backoff) as if their
    time had come."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    from raksa.messaging.jobs import NEVER

    worker = Worker(queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False,
                    max_tasks=None, worker_id="tests", excluded_queue_names=[])
    ran = 0
    while ran < max_jobs:
        if include_later:
            DBTaskResult.objects.filter(status="READY").exclude(run_after=NEVER).update(run_after=timezone.now())
        job = DBTaskResult.objects.ready().first()
        if job is None:
            return ran
        job.claim(worker.worker_id)
        worker.run_task(job)
        ran += 1
        job.refresh_from_db()
        if raise_failures and job.status == "FAILED":
            raise TaskFailed(f"job {job.task_path} failed:\n{job.traceback}")
    raise AssertionError(f"more than {max_jobs} jobs: a job that queues itself forever?")


def queued_jobs(task_name: str | None = None) -> list:
    """The jobs waiting to run (their task path ends with ``task_name`` when given)."""
    from django_tasks_db.models import DBTaskResult

    jobs = DBTaskResult.objects.filter(status="READY")
    if task_name:
        jobs = jobs.filter(task_path__endswith=f".{task_name}")
    return list(jobs.order_by("enqueued_at"))
