"""The facts the rules read, gathered for a whole batch of claims in a fixed number of queries (never one per
claim or per rule): the claims with their visits and the right in force, the units and their contracts, the
citizens' other claims, and the units' daily volumes. Rules read only these (base.py).

Two loaders fill the same ``Batch``: raksa/claims/sql.py (PostgreSQL: a handful of raw statements over arrays
of ids, what ``claims_adjudicate`` uses in production and in the benchmark) and :func:`batch_load_orm` here
(the ORM, for the embedded SQLite demo). raksa/claims/tests/test_adjudicate_facts.py checks that both give the
same facts.

Deciding claims one at a time or in one batch gives the same decisions: a rule that looks at a citizen's
other claims sees only the earlier ones (smaller id) that are still live (not rejected), counting what the
engine decided earlier in the same batch (``Batch.decided``); the volume check counts a unit's claims of the
day up to this one (its rank), not those sent after it.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings

from raksa.claims.models import Claim, ClaimStatus
from raksa.claims.pricing import RateBook
from raksa.core.timeutil import BANGKOK
from raksa.eligibility.services import CoverageFacts
from raksa.people.models import Coverage
from raksa.units.models import Unit, UnitService
from raksa.verification.models import AttemptOutcome, VerificationAttempt, Visit

# The volume check learns a unit's usual day from the days it sent claims in the USUAL_VOLUME_DAYS before the
# day checked (never the day itself, never later days): the median claims of those days. Days without claims
# are days the unit was closed, not days of zero: they are left out of the median. With fewer than
# USUAL_MIN_DAYS such days the unit has no usual yet (a new unit) and is not judged.
USUAL_VOLUME_DAYS = 28
USUAL_MIN_DAYS = 7


@dataclass(slots=True)
class VisitFacts:
    id: int
    authen_code: str
    unit_id: int
    citizen_id: int
    status: str
    day: dt.date
    method: str
    close_code: str | None
    local_time: str  # "HH:MM" in Bangkok when the visit was opened (verified)
    weekday: int  # 0 = Monday, in Bangkok
    identity_verified: bool  # a successful verification attempt is recorded for this visit


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
    current: bool
    status: str
    unit_id: int
    citizen_id: int | None
    service_id: int
    service_date: dt.date
    amount: Decimal
    items: list
    tooth: str | None
    submitted_day: dt.date  # the Bangkok day it was sent (instants are not read: parsing them cost more than a rule)
    visit_id: int | None
    citizen_reported: bool = False
    coverage: CoverageFacts | None = None  # the citizen's right in force on the service day
    other_units: tuple[int, ...] = ()  # other units where the citizen had a visit that day (not this claim's)


@dataclass(slots=True)
class OtherClaim:
    """A citizen's live claim (current, not rejected) as the duplicate and frequency rules see it."""

    id: int
    authen_code: str
    unit_id: int
    service_id: int
    service_date: dt.date
    tooth: str | None
    status: str


@dataclass
class Batch:
    claims: list[ClaimFacts]
    now: dt.datetime
    book: RateBook
    late_policy: str = "flag"  # settings.RAKSA_CLAIMS_LATE_POLICY: "flag" (review) or "reject"
    visits: dict[str, VisitFacts] = field(default_factory=dict)  # by authen code
    units: dict[int, UnitFacts] = field(default_factory=dict)
    contracts: dict[tuple[int, int], list[tuple[dt.date, dt.date | None]]] = field(default_factory=dict)
    other_claims: dict[int, list[OtherClaim]] = field(default_factory=dict)  # citizen -> live claims, by id
    day_claims: dict[tuple[int, dt.date], list[int]] = field(default_factory=dict)  # first versions, ids ascending
    decided: dict[int, str] = field(default_factory=dict)  # statuses the engine gave in this batch so far
    _usual: dict[tuple[int, dt.date], float | None] = field(default_factory=dict)

    def contracted(self, unit_id: int, service_id: int, day: dt.date) -> bool:
        return any(start <= day and (end is None or day <= end)
                   for start, end in self.contracts.get((unit_id, service_id), ()))

    def earlier_claims(self, claim: ClaimFacts) -> list[OtherClaim]:
        """The citizen's live claims sent before this one (smaller id), as the engine sees them now."""
        if claim.citizen_id is None:
            return []
        decided = self.decided
        return [o for o in self.other_claims.get(claim.citizen_id, ())
                if o.id < claim.id and decided.get(o.id, o.status) != ClaimStatus.REJECTED]

    def day_rank(self, claim: ClaimFacts) -> int:
        """How many first-version claims the unit had sent for the service day up to and including this one."""
        return bisect.bisect_right(self.day_claims.get((claim.unit_id, claim.service_date), ()), claim.id)

    def usual_volume(self, unit_id: int, day: dt.date) -> float | None:
        """The unit's usual claims per open day before ``day`` (median), or None without enough history."""
        key = (unit_id, day)
        if key not in self._usual:
            counts = sorted(len(ids) for d in range(1, USUAL_VOLUME_DAYS + 1)
                            if (ids := self.day_claims.get((unit_id, day - dt.timedelta(days=d)))))
            if len(counts) < USUAL_MIN_DAYS:
                self._usual[key] = None
            else:
                mid = len(counts) // 2
                self._usual[key] = float(counts[mid]) if len(counts) % 2 else (counts[mid - 1] + counts[mid]) / 2
        return self._usual[key]


def new_batch(claims: list[ClaimFacts], *, now: dt.datetime, book: RateBook | None) -> Batch:
    return Batch(claims=claims, now=now, book=book or RateBook(),
                 late_policy=getattr(settings, "RAKSA_CLAIMS_LATE_POLICY", "flag"))


def add_other_claims(batch: Batch, others: list[tuple[int, OtherClaim]]) -> None:
    """The citizens' live claims: ``others`` (citizen id, claim) loaded from the database, and the batch's own
    current ones that are not rejected; each citizen's sorted by id."""
    by_citizen: dict[int, list[OtherClaim]] = defaultdict(list)
    for c in batch.claims:
        if c.citizen_id is not None and c.current and c.status != ClaimStatus.REJECTED:
            by_citizen[c.citizen_id].append(OtherClaim(c.id, c.authen_code, c.unit_id, c.service_id, c.service_date,
                                                       c.tooth, c.status))
    for citizen_id, o in others:
        by_citizen[citizen_id].append(o)
    for rows in by_citizen.values():
        rows.sort(key=lambda o: o.id)
    batch.other_claims = dict(by_citizen)


def volume_window(claims: list[ClaimFacts]) -> tuple[dt.date, dt.date]:
    """The service days whose claims the volume check reads for these claims."""
    days = [c.service_date for c in claims]
    return min(days) - dt.timedelta(days=USUAL_VOLUME_DAYS), max(days)


def batch_load(*, claim_ids: list[int], now: dt.datetime, book: RateBook | None = None,
               day_claims: dict | None = None) -> Batch:
    """Gather every fact the rules need for these claims (raw SQL on PostgreSQL, the ORM elsewhere).
    ``day_claims``: the units' first-version claims per day, if the caller loaded them for many batches."""
    from django.db import connection

    if connection.vendor == "postgresql":
        from raksa.claims import sql

        return sql.batch_load_sql(claim_ids=claim_ids, now=now, book=book, day_claims=day_claims)
    return batch_load_orm(claim_ids=claim_ids, now=now, book=book)


def _local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(BANGKOK)


def batch_load_orm(*, claim_ids: list[int], now: dt.datetime, book: RateBook | None = None) -> Batch:
    """The same facts through the ORM (any database; one query per kind of fact)."""
    rows = list(Claim.objects.filter(pk__in=claim_ids).order_by("pk"))
    claims = [ClaimFacts(id=c.pk, authen_code=c.authen_code, version=c.version, current=c.current, status=c.status,
                         unit_id=c.unit_id, citizen_id=c.citizen_id, service_id=c.service_id,
                         service_date=c.service_date, amount=c.amount, items=c.items or [],
                         tooth=(c.details or {}).get("tooth"), submitted_day=_local(c.submitted_at).date(),
                         visit_id=c.visit_id, citizen_reported=c.citizen_reported_at is not None) for c in rows]
    batch = new_batch(claims, now=now, book=book)
    if not claims:
        return batch
    codes = {c.authen_code for c in claims if c.authen_code}
    citizen_ids = {c.citizen_id for c in claims if c.citizen_id}
    unit_ids = {c.unit_id for c in claims}

    visits = list(Visit.objects.filter(authen_code__in=codes))
    verified = set(VerificationAttempt.objects.filter(visit__in=visits, outcome=AttemptOutcome.VERIFIED)
                   .values_list("visit_id", flat=True))
    for v in visits:
        local = _local(v.opened_at)
        batch.visits[v.authen_code] = VisitFacts(
            id=v.pk, authen_code=v.authen_code, unit_id=v.unit_id, citizen_id=v.citizen_id, status=v.status,
            day=v.day, method=v.method, close_code=v.close_code,
            local_time=local.strftime("%H:%M"), weekday=local.weekday(), identity_verified=v.pk in verified)

    for u in Unit.objects.filter(pk__in=unit_ids).values("id", "unit_type", "status", "opening_hours"):
        batch.units[u["id"]] = UnitFacts(**u)
    for us in UnitService.objects.filter(unit_id__in=unit_ids).values("unit_id", "service_id", "valid_from",
                                                                       "valid_to"):
        batch.contracts.setdefault((us["unit_id"], us["service_id"]), []).append((us["valid_from"], us["valid_to"]))

    coverages: dict[int, list[CoverageFacts]] = defaultdict(list)
    for cv in Coverage.objects.filter(citizen_id__in=citizen_ids).order_by("citizen_id", "valid_from"):
        coverages[cv.citizen_id].append(CoverageFacts(
            id=cv.pk, citizen_id=cv.citizen_id, scheme=cv.scheme, subtype=cv.subtype, main_unit_id=cv.main_unit_id,
            valid_from=cv.valid_from, valid_to=cv.valid_to))
    days = {c.service_date for c in claims}
    units_on_day: dict[tuple[int, dt.date], set[tuple[int, str]]] = defaultdict(set)
    for citizen_id, day, unit_id, code in Visit.objects.filter(citizen_id__in=citizen_ids, day__in=days).values_list(
            "citizen_id", "day", "unit_id", "authen_code"):
        units_on_day[(citizen_id, day)].add((unit_id, code))
    for c in claims:
        if c.citizen_id is None:
            continue
        # The right in force: the latest that started on or before the day (as the rights check reads it).
        c.coverage = next((cv for cv in reversed(coverages[c.citizen_id]) if cv.valid_from <= c.service_date), None)
        c.other_units = tuple(sorted({unit_id for unit_id, code in units_on_day[(c.citizen_id, c.service_date)]
                                      if unit_id != c.unit_id and code != c.authen_code}))

    batch_ids = {c.id for c in claims}
    add_other_claims(batch, [
        (citizen_id, OtherClaim(pk, code, unit_id, service_id, day, (details or {}).get("tooth"), status))
        for pk, citizen_id, code, unit_id, service_id, day, details, status in
        Claim.objects.filter(citizen_id__in=citizen_ids, current=True).exclude(status=ClaimStatus.REJECTED)
        .exclude(pk__in=batch_ids).values_list("id", "citizen_id", "authen_code", "unit_id", "service_id",
                                               "service_date", "details", "status")])

    since, until = volume_window(claims)
    for unit_id, day, pk in (Claim.objects.filter(unit_id__in=unit_ids, version=1, service_date__gte=since,
                                                  service_date__lte=until)
                             .order_by("pk").values_list("unit_id", "service_date", "id")):
        batch.day_claims.setdefault((unit_id, day), []).append(pk)
    return batch
