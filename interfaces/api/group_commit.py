"""Group commit: concurrent requests' work done in one call, so a surge shares database round trips.

The first caller to arrive runs at once, alone: no timer, so a quiet service adds no delay. Callers
arriving while a run is under way queue up; when the run ends, the first of them runs everything
queued meanwhile (up to ``max_batch``) in one call and hands each caller its own result. Under load
the batch grows by itself to whatever arrived during one run.

When a run ends its callers are woken in a chain, each waking the next, rather than all at once: a
herd of woken threads contending for the GIL cost kernel time (in-process, 16 threads: 150 → 118 µs
of system CPU per booking).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class _Job(Generic[T, R]):
    __slots__ = ("item", "done", "lead", "result", "error", "next")

    def __init__(self, item: T) -> None:
        self.item = item
        # A lock taken now and released when the job is done: a waiter's acquire() returns then.
        # Cheaper than threading.Event (a Condition and notify_all) on a path taken per request.
        self.done = threading.Lock()
        self.done.acquire()
        self.lead = False
        self.result: R | None = None
        self.error: BaseException | None = None
        self.next: _Job[T, R] | None = None


class GroupCommit(Generic[T, R]):
    def __init__(self, run: Callable[[list[T]], list[R]], *, max_batch: int = 64) -> None:
        self._run = run
        self._max = max_batch
        self._lock = threading.Lock()
        self._queue: list[_Job[T, R]] = []
        self._running = False

    def submit(self, item: T) -> R:
        job: _Job[T, R] = _Job(item)
        with self._lock:
            self._queue.append(job)
            job.lead = not self._running
            self._running = True
        if not job.lead:
            job.done.acquire()
            if job.next is not None:  # wake the next caller of this batch
                job.next.done.release()
        if job.lead:  # first to arrive, or handed the lead: run what is queued (this job is first in line)
            self._run_queued()
        if job.error is not None:
            raise job.error
        return job.result  # type: ignore[return-value]

    def _run_queued(self) -> None:
        with self._lock:
            batch, self._queue = self._queue[:self._max], self._queue[self._max:]
        try:
            results = self._run([j.item for j in batch])
            if len(results) != len(batch):
                raise RuntimeError(f"run returned {len(results)} results for {len(batch)} items")
            for job, result in zip(batch, results, strict=True):
                job.result = result
        except BaseException as exc:  # every caller of the batch sees the failure
            for job in batch:
                job.error = exc
        finally:
            with self._lock:
                following = self._queue[0] if self._queue else None
                if following is None:
                    self._running = False
                else:
                    following.lead = True
            for job, after in zip(batch[1:], batch[2:], strict=False):
                job.next = after
            if len(batch) > 1:
                batch[1].done.release()
            if following is not None:
                following.done.release()
