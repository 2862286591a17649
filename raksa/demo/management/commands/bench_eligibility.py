"""``manage.py bench_eligibility``: p50/p99 of the in-process rights check, as JSON lines on stdout."""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from raksa.demo.bench import run_eligibility_bench


class Command(BaseCommand):
    help = "Time eligibility_check_by_ids for random seeded citizens; one JSON line per figure on stdout."

    def add_arguments(self, parser):
        parser.add_argument("--samples", type=int, default=20_000)
        parser.add_argument("--warmup", type=int, default=500)
        parser.add_argument("--max-seconds", type=float, default=None,
                            help="stop timing after this long even if fewer than --samples checks ran")
        parser.add_argument("--seed", type=int, default=None, help="seed of the load (default: from its audit row)")
        parser.add_argument("--citizens", type=int, default=None,
                            help="generated citizens of the load (default: from its audit row)")

    def handle(self, *args, samples, warmup, seed, citizens, max_seconds, **options):
        if samples < 1:
            raise CommandError("--samples must be at least 1")
        try:
            result = run_eligibility_bench(samples=samples, warmup=warmup, seed=seed, count=citizens,
                                           max_seconds=max_seconds)
        except LookupError as exc:
            raise CommandError(str(exc)) from None
        if result.samples < samples:
            sys.stderr.write(f"bench_eligibility: time limit of {max_seconds} s reached after {result.samples:,} "
                             f"of {samples:,} checks\n")
        sys.stderr.write(f"eligibility_check_by_ids: {result.samples:,} checks in {result.seconds:.1f} s, "
                         f"mean {result.mean_ms:.3f} ms, p50 {result.p50_ms:.3f} ms, p99 {result.p99_ms:.3f} ms; "
                         f"{result.eligible:,} eligible ({result.eligible / result.samples:.0%})\n")
        for name, value, unit in (("eligibility.citizens", result.citizens_in_db, "citizens"),
                                  ("eligibility.check.p50_ms", round(result.p50_ms, 3), "ms"),
                                  ("eligibility.check.p99_ms", round(result.p99_ms, 3), "ms")):
            self.stdout.write(json.dumps({"name": name, "value": value, "unit": unit}))
