"""In-process benchmark of the rights check by national ID against the seeded registry.

National IDs come from the seed's deterministic generator (``IdentityGenerator``): nothing is
decrypted and the database is not scanned to find them.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from dataclasses import dataclass

from raksa.audit.models import AuditEntry
from raksa.demo.generator import IdentityGenerator
from raksa.eligibility.selectors import eligibility_check_by_ids
from raksa.people.models import Citizen
from raksa.units.models import UnitService


@dataclass
class BenchResult:
    citizens_in_db: int
    samples: int
    p50_ms: float
    p99_ms: float
    mean_ms: float
    eligible: int
    seconds: float


def seeded_population() -> tuple[int, int]:
    """(seed, count) of the last ``seed_demo`` load, from its audit row."""
    entry = AuditEntry.objects.filter(action="demo.seed").order_by("-id").first()
    if entry is None or not entry.after:
        raise LookupError("no demo.seed audit row: run `manage.py seed_demo` first")
    return int(entry.after["seed"]), int(entry.after["citizens"])


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    if not sorted_values:
        return 0.0
    rank = max(1, min(len(sorted_values), round(q / 100 * len(sorted_values) + 0.5)))
    return sorted_values[rank - 1]


def run_eligibility_bench(*, samples: int, warmup: int = 500, seed: int | None = None, count: int | None = None,
                          on: dt.date | None = None, rng_seed: int = 1, max_seconds: float | None = None
                          ) -> BenchResult:
    """Time ``samples`` checks (fewer if ``max_seconds`` runs out first: ``samples`` says how many ran)."""
    if seed is None or count is None:
        seeded_seed, seeded_count = seeded_population()
        seed = seeded_seed if seed is None else seed
        count = seeded_count if count is None else count
    if count <= 0:
        raise LookupError("the seeded population is empty")
    ids = IdentityGenerator(seed)
    targets = list(UnitService.objects.filter(valid_to__isnull=True)
                   .values_list("unit__hcode", "service__code").order_by("unit__hcode", "service__code"))
    if not targets:
        raise LookupError("no unit has a service contract")
    rng = random.Random(rng_seed)
    cases = [(ids.national_id(rng.randrange(count)), *rng.choice(targets)) for _ in range(warmup + samples)]

    for national_id, hcode, service_code in cases[:warmup]:
        eligibility_check_by_ids(national_id=national_id, hcode=hcode, service_code=service_code, on=on)
    timings = []
    eligible = 0
    clock = time.perf_counter
    started = clock()
    deadline = started + max_seconds if max_seconds else None
    for national_id, hcode, service_code in cases[warmup:]:
        t0 = clock()
        decision = eligibility_check_by_ids(national_id=national_id, hcode=hcode, service_code=service_code, on=on)
        t1 = clock()
        timings.append(t1 - t0)
        eligible += decision.eligible
        if deadline is not None and t1 > deadline:
            break
    seconds = clock() - started
    timings.sort()
    return BenchResult(
        citizens_in_db=Citizen.objects.count(), samples=len(timings), p50_ms=percentile(timings, 50) * 1000,
        p99_ms=percentile(timings, 99) * 1000, mean_ms=sum(timings) / len(timings) * 1000, eligible=eligible,
        seconds=seconds)
