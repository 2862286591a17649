"""Race tests' tools: calls released at the same moment, one thread (and database connection) each."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable

from django.db import connections

from raksa.core.errors import DomainError


def race(calls: list[Callable[[], object]]) -> list[object]:
    """Run the calls at the same moment, one thread (and DB connection) each; return results or errors."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = calls[i]()
        except Exception as exc:  # collected and asserted by the test
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def codes(results: list[object]) -> Counter:
    """How many calls ended how: "ok", a refusal's code, or the repr of any other error."""
    return Counter(r.code if isinstance(r, DomainError) else ("ok" if not isinstance(r, Exception) else repr(r))
                   for r in results)
