"""Read-only questions about visits (no changes, no audit rows)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from raksa.core.timeutil import service_day
from raksa.people.models import Citizen
from raksa.units.models import Unit
from raksa.verification.models import Visit, VisitStatus


@dataclass(frozen=True)
class VisitLine:
    unit_hcode: str
    unit_name: str
    authen_code: str | None  # only for the asking unit's own visits
    opened_at: dt.datetime
    method: str
    status: str


@dataclass(frozen=True)
class AuthenStatus:
    day: dt.date
    has_open_visit: bool
    open_at_unit: str | None  # the unit name holding the open visit
    visits: list[VisitLine]


def authen_status(*, citizen: Citizen, asking_unit: Unit, on: dt.date | None = None,
                  now: dt.datetime | None = None) -> AuthenStatus:
    """Like NHSO's authen-status service: whether the person has an open visit now, and their visits of
    ``on`` (default today, Bangkok). Another unit's authen codes are not shown (a code is what a claim
    hangs on); the unit's name, time and channel are."""
    now = now or timezone.now()
    day = on or service_day(now)
    visits = list(Visit.objects.filter(citizen=citizen, day=day).select_related("unit").order_by("opened_at"))
    if day == service_day(now):  # today's open visit is among today's visits: no second query
        open_visit = next((v for v in visits if v.status == VisitStatus.OPEN), None)
    else:
        open_visit = open_visit_of(citizen.pk, now=now)
    return AuthenStatus(
        day=day, has_open_visit=open_visit is not None,
        open_at_unit=open_visit.unit.name if open_visit else None,
        visits=[VisitLine(unit_hcode=v.unit.hcode, unit_name=v.unit.name,
                          authen_code=v.authen_code if v.unit_id == asking_unit.pk else None,
                          opened_at=v.opened_at, method=v.method, status=v.status) for v in visits])


def open_visit_of(citizen_id: int, *, now: dt.datetime | None = None) -> Visit | None:
    """The person's open visit of today (Bangkok). One left open from an earlier day does not count: it has
    lapsed, whether or not the minute sweep has marked it yet (``visit_open`` marks it before inserting)."""
    day = service_day(now or timezone.now())
    return (Visit.objects.select_related("unit").filter(citizen_id=citizen_id, status=VisitStatus.OPEN, day=day)
            .first())


def visits_of_unit_today(*, unit: Unit, now: dt.datetime | None = None) -> list[Visit]:
    day = service_day(now or timezone.now())
    return list(Visit.objects.filter(unit=unit, day=day).select_related("citizen", "service").order_by("-opened_at"))


def visit_of_unit(*, unit: Unit, visit_id: int | None = None, authen_code: str | None = None) -> Visit | None:
    rows = Visit.objects.filter(unit=unit).select_related("citizen", "service", "booking")
    if visit_id is not None:
        return rows.filter(pk=visit_id).first()
    return rows.filter(authen_code=(authen_code or "").strip().upper()).first()
