"""``manage.py claims_adjudicate``: decide every submitted claim, in batches (each its own transaction), with
progress on stderr and a JSON summary on stdout. Claims sent through the portal or the API are decided the
moment they are sent (claim_submit); this is for claims that arrive in bulk (a batch import) and for the
benchmark (scripts/bench-claims.sh)."""

from __future__ import annotations

import datetime as dt
import json
import time
from collections import Counter

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Max, Min
from django.utils import timezone

from raksa.claims.adjudicate import claims_adjudicate
from raksa.claims.models import Claim, ClaimStatus
from raksa.claims.rules.facts import USUAL_VOLUME_DAYS
from raksa.claims.submit import rate_book


class Command(BaseCommand):
    help = "Decide every submitted claim with the rules (batches); progress on stderr, a JSON summary on stdout."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=10_000)
        parser.add_argument("--limit", type=int, default=None, help="decide at most this many claims")

    def handle(self, *args, batch_size: int, limit: int | None, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        started = time.perf_counter()
        pending = Claim.objects.filter(status=ClaimStatus.SUBMITTED).order_by("pk")
        ids = list(pending.values_list("pk", flat=True)[:limit] if limit else pending.values_list("pk", flat=True))
        timings: dict[str, float] = {"list_s": time.perf_counter() - started}
        day_claims = None
        if ids and connection.vendor == "postgresql":
            # The volume check's history for every batch at once (one pass over the period instead of one per
            # batch): the units' first-version claims per day from four weeks before the earliest service day.
            from raksa.claims.sql import day_claims_load

            t0 = time.perf_counter()
            days = pending.filter(pk__gte=ids[0], pk__lte=ids[-1]).aggregate(lo=Min("service_date"),
                                                                              hi=Max("service_date"))
            day_claims = day_claims_load(since=days["lo"] - dt.timedelta(days=USUAL_VOLUME_DAYS), until=days["hi"])
            timings["history_s"] = time.perf_counter() - t0
        book = rate_book()
        statuses: Counter[str] = Counter()
        done = 0
        for start in range(0, len(ids), batch_size):
            chunk = ids[start:start + batch_size]
            decided = claims_adjudicate(claim_ids=chunk, now=timezone.now(), book=book, day_claims=day_claims,
                                        timings=timings)
            statuses.update(decided.values())
            done += len(chunk)
            elapsed = time.perf_counter() - started
            self.stderr.write(f"claims_adjudicate: {done:,}/{len(ids):,} claims, {elapsed:.1f} s, "
                              f"{done / elapsed:,.0f} claims/s")
        seconds = time.perf_counter() - started
        summary = {"claims": len(ids), "decided": sum(statuses.values()), "seconds": round(seconds, 3),
                   "rate": round(len(ids) / seconds, 1) if seconds > 0 else 0.0,
                   "statuses": dict(sorted(statuses.items())),
                   **{name: round(value, 3) for name, value in sorted(timings.items())}}
        self.stdout.write(json.dumps(summary))

