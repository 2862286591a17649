"""What the payer's back office reads about claims: the review queue, the whole picture of one claim, and the
dashboards' figures. Read-only; a handful of queries per page (never one per claim in a list)."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from raksa.claims.models import Claim, ClaimStatus
from raksa.claims.rules.base import explain
from raksa.claims.rules.facts import USUAL_VOLUME_DAYS
from raksa.core.timeutil import BANGKOK, service_day
from raksa.core.weekly_hours import DAYS
from raksa.verification.models import VerificationAttempt, Visit


def review_queue():
    """Claims waiting for an officer, oldest first."""
    return (Claim.objects.filter(status=ClaimStatus.IN_REVIEW, current=True)
            .select_related("unit", "service").order_by("submitted_at", "pk"))


def reported_after_payment():
    """Claims a citizen reported as not received after they were put on a payment statement (paid, or accepted
    on a statement not yet paid): they cannot go back to review, so the officer follows up with the unit."""
    return (Claim.objects.filter(statement__isnull=False, citizen_reported_at__isnull=False)
            .select_related("unit", "service").order_by("citizen_reported_at", "pk"))


@dataclass
class Reason:
    code: str
    klass: str
    title: str
    todo: str
    detail: str


def reasons_of(claim: Claim) -> list[Reason]:
    """Every stored reason with its Thai title and what to do (an unknown code shows as itself)."""
    found = []
    for r in claim.reasons or []:
        rule = explain(r.get("code", ""))
        found.append(Reason(r.get("code", ""), r.get("class", ""), rule.title_th if rule else r.get("code", ""),
                            rule.todo_th if rule else "", r.get("detail", "")))
    return found


@dataclass
class Picture:
    """Everything an officer needs to decide one claim."""

    claim: Claim
    reasons: list[Reason]
    schedule_total: Decimal  # what the fee schedule gives for the service and items
    visit: Visit | None
    attempts: list[VerificationAttempt]
    hours_that_day: list[list[str]]
    opened_within_hours: bool | None  # None: the unit has no opening hours on record
    same_day_visits: list[Visit]
    same_day_claims: list[Claim]
    unit_day_claims: int
    unit_usual_claims: float
    history: list[Claim] = field(default_factory=list)  # the claim's other versions


def claim_picture(claim_id: int) -> Picture | None:
    claim = (Claim.objects.select_related("unit", "unit__province", "service", "citizen", "visit", "decided_by",
                                          "statement").filter(pk=claim_id).first())
    if claim is None:
        return None
    items_total = sum((Decimal(str(i.get("amount", "0"))) for i in claim.items or []), Decimal("0.00"))
    visit = claim.visit
    attempts, hours, within = [], [], None
    same_visits: list[Visit] = []
    same_claims: list[Claim] = []
    if visit is not None:
        attempts = list(VerificationAttempt.objects.filter(visit=visit).order_by("at"))
        local = visit.opened_at.astimezone(BANGKOK)
        hours = (claim.unit.opening_hours or {}).get(DAYS[local.weekday()], [])
        if claim.unit.opening_hours:
            within = any(start <= f"{local:%H:%M}" < end for start, end in hours)
    if claim.citizen_id:
        same_visits = list(Visit.objects.filter(citizen_id=claim.citizen_id, day=claim.service_date)
                           .exclude(pk=claim.visit_id).select_related("unit", "service").order_by("opened_at"))
        same_claims = list(Claim.objects.filter(citizen_id=claim.citizen_id, service_date=claim.service_date,
                                                current=True).exclude(pk=claim.pk).select_related("unit", "service"))
    day_claims, usual = unit_volume(claim.unit_id, claim.service_date)
    history = list(Claim.objects.filter(authen_code=claim.authen_code).exclude(pk=claim.pk).order_by("version")
                   ) if claim.authen_code else []
    return Picture(claim, reasons_of(claim), claim.service_amount + items_total, visit, attempts, hours, within,
                   same_visits, same_claims, day_claims, usual, history)


def unit_volume(unit_id: int, day: dt.date) -> tuple[int, float]:
    """The unit's claims on ``day`` and its usual day (the median of its days with claims over the four weeks
    before), as the volume rule counts them."""
    since = day - dt.timedelta(days=USUAL_VOLUME_DAYS)
    counts = dict(Claim.objects.filter(unit_id=unit_id, version=1, service_date__gte=since, service_date__lte=day)
                  .values_list("service_date").annotate(n=Count("id")).values_list("service_date", "n"))
    before = [n for d, n in counts.items() if d != day]
    return counts.get(day, 0), float(statistics.median(before)) if before else 0.0


# Dashboards ------------------------------------------------------------------------------------------------


def claims_per_day(*, days: int = 30, today: dt.date | None = None) -> tuple[list[dt.date], dict[str, list[int]]]:
    """Claims sent per Bangkok day over the last ``days`` days, by current status: (days, {status: counts})."""
    today = today or service_day()
    first = today - dt.timedelta(days=days - 1)
    start = dt.datetime.combine(first, dt.time(), tzinfo=BANGKOK)
    rows = (Claim.objects.filter(submitted_at__gte=start).annotate(d=TruncDate("submitted_at", tzinfo=BANGKOK))
            .values("d", "status").annotate(n=Count("id")))
    span = [first + dt.timedelta(days=i) for i in range(days)]
    by_status = {s: [0] * days for s in ClaimStatus.values}
    for row in rows:
        index = (row["d"] - first).days
        if 0 <= index < days and row["status"] in by_status:
            by_status[row["status"]][index] += row["n"]
    return span, by_status


def top_rejection_reasons(*, since: dt.datetime | None = None, limit: int = 10) -> list[tuple[str, str, int]]:
    """The reasons rejected claims most often carry: (code, Thai title, claims)."""
    since = since or timezone.now() - dt.timedelta(days=30)
    table = Claim._meta.db_table
    if connection.vendor == "postgresql":
        sql = (f"SELECT r->>'code', count(*) FROM {table}, jsonb_array_elements({table}.reasons) r "
               f"WHERE {table}.status = %s AND {table}.submitted_at >= %s GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT %s")
    else:  # SQLite (the demo's embedded database)
        sql = (f"SELECT json_extract(r.value, '$.code'), count(*) FROM {table}, json_each({table}.reasons) r "
               f"WHERE {table}.status = %s AND {table}.submitted_at >= %s GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT %s")
    with connection.cursor() as cursor:
        cursor.execute(sql, [ClaimStatus.REJECTED, since, limit])
        rows = cursor.fetchall()
    return [(code, (explain(code).title_th if explain(code) else code), n) for code, n in rows]


def volume_by(group: str, *, since: dt.date | None = None) -> list[tuple[str, int, Decimal]]:
    """Current claims since ``since`` (30 days by default) per ``unit_type`` or ``province``: (key, claims,
    baht). Rejected claims count as sent, not as money."""
    since = since or service_day() - dt.timedelta(days=29)
    key = {"unit_type": "unit__unit_type", "province": "unit__province__name_th"}[group]
    rows = (Claim.objects.filter(current=True, service_date__gte=since).values(key)
            .annotate(n=Count("id"), baht=Sum("amount", filter=~Q(status=ClaimStatus.REJECTED)))
            .order_by("-n", key))
    return [(row[key], row["n"], row["baht"] or Decimal("0.00")) for row in rows]


HOUR_BUCKETS = [(0, 24), (24, 48), (48, 72), (72, 96), (96, 168), (168, None)]


def hours_to_payment(*, since: dt.datetime | None = None) -> tuple[list[tuple[tuple[int, int | None], int]],
                                                                     float | None]:
    """Hours from the visit's opening (the service) to payment, for claims paid since ``since`` (30 days by
    default): claims per bucket of HOUR_BUCKETS, and the median in hours (None when nothing was paid)."""
    since = since or timezone.now() - dt.timedelta(days=30)
    hours = [(paid - opened).total_seconds() / 3600 for paid, opened in
             Claim.objects.filter(status=ClaimStatus.PAID, paid_at__gte=since, visit__isnull=False)
             .values_list("paid_at", "visit__opened_at")]
    counts: dict[tuple[int, int | None], int] = defaultdict(int)
    for h in hours:
        for low, high in HOUR_BUCKETS:
            if h >= low and (high is None or h < high):
                counts[(low, high)] += 1
                break
    return [(b, counts[b]) for b in HOUR_BUCKETS], (statistics.median(hours) if hours else None)
