"""``jobs_enqueue`` writes django-tasks-db's job row itself (one INSERT, for the hot paths): the row must be
the one the library's own ``Task.enqueue`` writes, field for field, or the worker would read it otherwise."""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from raksa.messaging.jobs import jobs_enqueue
from raksa.messaging.tasks import notify_send

pytestmark = pytest.mark.django_db

SAME = ("status", "args_kwargs", "priority", "task_path", "worker_ids", "queue_name", "backend_name", "run_after",
        "return_value", "exception_class_path", "traceback", "started_at", "finished_at")


def fields(row: DBTaskResult) -> dict:
    return {name: getattr(row, name) for name in SAME}


@pytest.mark.parametrize("later", [False, True])
def test_our_insert_writes_the_row_the_library_writes(later):
    run_after = timezone.now() + dt.timedelta(minutes=5) if later else None
    kwargs = {"kind": "booking_confirmed", "ids": [1, 2]}
    library = (notify_send.using(run_after=run_after) if later else notify_send).enqueue(**kwargs)
    assert jobs_enqueue(notify_send, [kwargs, kwargs], run_after=run_after) == 2
    ours = DBTaskResult.objects.exclude(pk=library.id)
    theirs = DBTaskResult.objects.get(pk=library.id)
    assert [fields(row) for row in ours] == [fields(theirs)] * 2
    assert all(abs(row.enqueued_at - theirs.enqueued_at) < dt.timedelta(seconds=5) for row in ours)


def test_job_rows_roll_back_with_the_change_that_asked_for_them():
    with pytest.raises(RuntimeError), transaction.atomic():
        jobs_enqueue(notify_send, [{"kind": "booking_confirmed", "ids": [1]}])
        raise RuntimeError("the change failed")
    assert not DBTaskResult.objects.exists()
