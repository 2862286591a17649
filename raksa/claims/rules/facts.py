"""The facts the rules read, gathered for a whole batch of claims in a fixed number of queries (never one per
claim or per rule): the claims, their visits, units, contracts, rights, the citizens' other claims and visits,
and the units' daily volumes. Rules read only these (base.py)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count

from raksa.claims.models import Claim, ClaimStatus
from raksa.claims.pricing import RateBook
from raksa.eligibility.services import CoverageFacts
from raksa.people.models import Coverage
from raksa.units.models import Unit, UnitService
from raksa.verification.models import AttemptOutcome, VerificationAttempt, Visit

# How many days before a claim's service day the volume check looks at to learn the unit's usual day.
USUAL_VOLUME_DAYS = 28


@dataclass(slots=True)
class VisitFacts:
    id: int
    authen_code: str
    unit_id: int
    citizen_id: int
    status: str
    day: dt.date
    method: str
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    service_confirmed_at: dt.datetime | None
    identity_verified: bool = False  # a successful verification attempt is recorded for this visit


@dataclass(slots=True)
class UnitFacts:
    id: int
    unit_type: str
    status: str
    opening_hours: dict


@dataclass(slots=True)
class ClaimFacts:
    id: int
    authen_code: str
    version: int
    unit_id: int
    citizen_id: int | None
    service_id: int
    service_date: dt.date
    amount: Decimal
    items: list
    details: dict
    submitted_at: dt.datetime
    visit_id: int | None
    citizen_reported: bool = False


@dataclass(slots=True)
class OtherClaim:
    """A citizen's claim as the duplicate and frequency rules see it."""

    id: int
    authen_code: str
    unit_id: int
    service_id: int
    service_date: dt.date
    tooth: str | None


@dataclass
class Batch:
    claims: list[ClaimFacts]
    now: dt.datetime
    book: RateBook
    late_policy: str = "flag"  # settings.RAKSA_CLAIMS_LATE_POLICY: "flag" (review) or "reject"
    visits: dict[str, VisitFacts] = field(default_factory=dict)  # by authen code
    units: dict[int, UnitFacts] = field(default_factory=dict)
    contracts: dict[tuple[int, int], list[tuple[dt.date, dt.date | None]]] = field(default_factory=dict)
    coverages: dict[int, list[CoverageFacts]] = field(default_factory=dict)  # citizen -> rights, oldest first
    other_claims: dict[int, list[OtherClaim]] = field(default_factory=dict)  # citizen -> live claims (not rejected)
    units_on_day: dict[tuple[int, dt.date], set[int]] = field(default_factory=dict)  # (citizen, day) -> units
    unit_day_volume: dict[tuple[int, dt.date], int] = field(default_factory=dict)  # claims of a unit on a day
    unit_usual_volume: dict[int, float] = field(default_factory=dict)  # a unit's usual claims per working day

    def coverage_on(self, citizen_id: int, day: dt.date) -> CoverageFacts | None:
        """The right in force on ``day``: the latest that started on or before it (as the rights check)."""
        found = None
        for coverage in self.coverages.get(citizen_id, ()):
            if coverage.valid_from <= day:
                found = coverage
        return found

    def contracted(self, unit_id: int, service_id: int, day: dt.date) -> bool:
        return any(start <= day and (end is None or day <= end)
                   for start, end in self.contracts.get((unit_id, service_id), ()))


def claim_facts_of(claims) -> list[ClaimFacts]:
    return [ClaimFacts(id=c.pk, authen_code=c.authen_code, version=c.version, unit_id=c.unit_id,
                       citizen_id=c.citizen_id, service_id=c.service_id, service_date=c.service_date,
                       amount=c.amount, items=c.items, details=c.details, submitted_at=c.submitted_at,
                       visit_id=c.visit_id, citizen_reported=c.citizen_reported_at is not None) for c in claims]


def batch_load(*, claim_ids: list[int], now: dt.datetime, book: RateBook | None = None) -> Batch:
    """Gather every fact the rules need for these claims."""
    claims = claim_facts_of(Claim.objects.filter(pk__in=claim_ids).order_by("pk"))
    batch = Batch(claims=claims, now=now, book=book or RateBook(),
                  late_policy=getattr(settings, "RAKSA_CLAIMS_LATE_POLICY", "flag"))
    codes = {c.authen_code for c in claims if c.authen_code}
    citizen_ids = {c.citizen_id for c in claims if c.citizen_id}
    unit_ids = {c.unit_id for c in claims}
    days = {c.service_date for c in claims}

    for v in Visit.objects.filter(authen_code__in=codes).values(
            "id", "authen_code", "unit_id", "citizen_id", "status", "day", "method", "opened_at", "closed_at",
            "service_confirmed_at"):
        batch.visits[v["authen_code"]] = VisitFacts(**v)
        citizen_ids.add(v["citizen_id"])
    visit_ids = [v.id for v in batch.visits.values()]
    verified = set(VerificationAttempt.objects.filter(visit_id__in=visit_ids, outcome=AttemptOutcome.VERIFIED)
                   .values_list("visit_id", flat=True))
    for v in batch.visits.values():
        v.identity_verified = v.id in verified

    for u in Unit.objects.filter(pk__in=unit_ids).values("id", "unit_type", "status", "opening_hours"):
        batch.units[u["id"]] = UnitFacts(**u)
    for us in UnitService.objects.filter(unit_id__in=unit_ids).values("unit_id", "service_id", "valid_from",
                                                                       "valid_to"):
        batch.contracts.setdefault((us["unit_id"], us["service_id"]), []).append((us["valid_from"], us["valid_to"]))
    for cv in Coverage.objects.filter(citizen_id__in=citizen_ids).order_by("citizen_id", "valid_from"):
        batch.coverages.setdefault(cv.citizen_id, []).append(CoverageFacts(
            id=cv.pk, citizen_id=cv.citizen_id, scheme=cv.scheme, subtype=cv.subtype, main_unit_id=cv.main_unit_id,
            valid_from=cv.valid_from, valid_to=cv.valid_to))

    for o in (Claim.objects.filter(citizen_id__in=citizen_ids, current=True).exclude(status=ClaimStatus.REJECTED)
              .values_list("id", "citizen_id", "authen_code", "unit_id", "service_id", "service_date", "details")):
        pk, citizen_id, code, unit_id, service_id, day, details = o
        batch.other_claims.setdefault(citizen_id, []).append(
            OtherClaim(pk, code, unit_id, service_id, day, (details or {}).get("tooth")))

    for citizen_id, day, unit_id in Visit.objects.filter(citizen_id__in=citizen_ids, day__in=days).values_list(
            "citizen_id", "day", "unit_id"):
        batch.units_on_day.setdefault((citizen_id, day), set()).add(unit_id)

    since = min(days, default=now.date()) - dt.timedelta(days=USUAL_VOLUME_DAYS)
    per_day: dict[int, list[int]] = defaultdict(list)
    for row in (Claim.objects.filter(unit_id__in=unit_ids, version=1, service_date__gte=since,
                                     service_date__lte=max(days, default=now.date()))
                .values("unit_id", "service_date").annotate(n=Count("id"))):
        batch.unit_day_volume[(row["unit_id"], row["service_date"])] = row["n"]
        per_day[row["unit_id"]].append(row["n"])
    for unit_id, counts in per_day.items():
        counts.sort()
        batch.unit_usual_volume[unit_id] = float(counts[len(counts) // 2])
    return batch
