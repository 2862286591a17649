"""``manage.py claims_adjudicate``: decide every submitted claim, in batches (each its own transaction), with
progress on stderr and a JSON summary on stdout. Claims sent through the portal or the API are decided the
moment they are sent (claim_submit); this is for claims that arrive in bulk (a batch import) and for the
benchmark (scripts/bench-claims.sh).

``--workers 2`` decides in two processes (PostgreSQL then works on two batches at once, and one process
evaluates rules while the other waits for the database). The claims are split by citizen, so that each person's
claims are decided by one process in id order, and the rules that read a person's earlier claims (duplicate,
frequency) see them decided exactly as with one process.
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import time
from collections import Counter

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections
from django.db.models import Max, Min
from django.utils import timezone

from raksa.claims.adjudicate import claims_adjudicate
from raksa.claims.models import Claim, ClaimStatus
from raksa.claims.rules.facts import USUAL_VOLUME_DAYS
from raksa.claims.submit import rate_book


def _decide(ids: list[int], *, batch_size: int, day_claims, worker: int, stderr, results=None) -> dict:
    """Decide ``ids`` batch by batch; returns (or puts on ``results``) the statuses and timings."""
    book = rate_book()
    statuses: Counter[str] = Counter()
    timings: dict[str, float] = {}
    started = time.perf_counter()
    done = 0
    for start in range(0, len(ids), batch_size):
        chunk = ids[start:start + batch_size]
        decided = claims_adjudicate(claim_ids=chunk, now=timezone.now(), book=book, day_claims=day_claims,
                                    timings=timings)
        statuses.update(decided.values())
        done += len(chunk)
        elapsed = time.perf_counter() - started
        stderr.write(f"claims_adjudicate[{worker}]: {done:,}/{len(ids):,} claims, {elapsed:.1f} s, "
                     f"{done / elapsed:,.0f} claims/s")
    outcome = {"statuses": dict(statuses), "timings": timings}
    if results is not None:
        connection.close()
        results.put(outcome)
    return outcome


class Command(BaseCommand):
    help = "Decide every submitted claim with the rules (batches); progress on stderr, a JSON summary on stdout."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=10_000)
        parser.add_argument("--limit", type=int, default=None, help="decide at most this many claims")
        parser.add_argument("--workers", type=int, default=1, help="processes (PostgreSQL only)")

    def handle(self, *args, batch_size: int, limit: int | None, workers: int, **options):
        if batch_size < 1 or workers < 1:
            raise CommandError("--batch-size and --workers must be at least 1")
        if connection.vendor != "postgresql":
            workers = 1
        started = time.perf_counter()
        pending = Claim.objects.filter(status=ClaimStatus.SUBMITTED).order_by("pk")
        rows = list(pending.values_list("pk", "citizen_id")[:limit] if limit else
                    pending.values_list("pk", "citizen_id"))
        timings: dict[str, float] = {"list_s": time.perf_counter() - started}
        day_claims = None
        if rows and connection.vendor == "postgresql":
            # The volume check's history for every batch at once (one pass over the period instead of one per
            # batch): the units' first-version claims per day from four weeks before the earliest service day.
            from raksa.claims.sql import day_claims_load

            t0 = time.perf_counter()
            days = pending.filter(pk__gte=rows[0][0], pk__lte=rows[-1][0]).aggregate(lo=Min("service_date"),
                                                                                      hi=Max("service_date"))
            day_claims = day_claims_load(since=days["lo"] - dt.timedelta(days=USUAL_VOLUME_DAYS), until=days["hi"])
            timings["history_s"] = time.perf_counter() - t0
        parts = [[pk for pk, citizen_id in rows if (citizen_id or 0) % workers == w] for w in range(workers)]
        if workers == 1:
            outcomes = [_decide(parts[0], batch_size=batch_size, day_claims=day_claims, worker=0,
                                stderr=self.stderr)]
        else:
            # Each process opens its own connection; a connection pool's threads do not survive a fork (a child
            # would wait for them forever), so the pool is closed here and each child starts its own.
            for conn in connections.all():
                conn.close()
                if getattr(conn, "close_pool", None) and conn.settings_dict.get("OPTIONS", {}).get("pool"):
                    conn.close_pool()
            context = multiprocessing.get_context("fork")
            results = context.Queue()
            processes = [context.Process(target=_decide, args=(part,), kwargs={
                "batch_size": batch_size, "day_claims": day_claims, "worker": w, "stderr": self.stderr,
                "results": results}) for w, part in enumerate(parts)]
            for process in processes:
                process.start()
            outcomes = [results.get() for _ in processes]
            for process in processes:
                process.join()
            if any(process.exitcode for process in processes):
                raise CommandError("a worker failed (see above)")
        statuses: Counter[str] = Counter()
        for outcome in outcomes:
            statuses.update(outcome["statuses"])
            for name, value in outcome["timings"].items():
                timings[name] = timings.get(name, 0.0) + value
        seconds = time.perf_counter() - started
        summary = {"claims": len(rows), "decided": sum(statuses.values()), "seconds": round(seconds, 3),
                   "rate": round(len(rows) / seconds, 1) if seconds > 0 else 0.0, "workers": workers,
                   "statuses": dict(sorted(statuses.items())),
                   **{name: round(value, 3) for name, value in sorted(timings.items())}}
        self.stdout.write(json.dumps(summary))
