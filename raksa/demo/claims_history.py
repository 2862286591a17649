"""The demo's claims history: the last 30 days of visits and claims at the documented pharmacies, made through
the real services (``visit_open`` + ``attempt_record`` + ``claim_submit`` with ``now`` in the past, as
raksa/testing/claims.py does), so that the portal's claims list, the back office's review queue and its
dashboards have something to show; plus today's open visits without a claim at 41001 (the portal's to-do).

Most claims are accepted. Some are rejected (an amount above the schedule, a symptom group 41002 is not
contracted for: most of the older ones are corrected into an accepted new version, the recent ones wait for
the unit), a few go to review (sent the day after: LATE; no identity verification recorded), and a few are
denied as duplicates. Who comes, when, for what and what goes wrong are drawn from the seed (deterministic);
authen and close codes are random by design (unguessable). Only the documented units get a history, so the
cost is the same for 2,000 or 1,000,000 generated citizens.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from raksa.claims.models import Claim
from raksa.claims.statements import statement_mark_paid, statements_issue_all
from raksa.claims.submit import claim_correct, claim_submit, rate_book
from raksa.core.errors import DomainError
from raksa.core.timeutil import BANGKOK, service_day
from raksa.core.weekly_hours import DAYS
from raksa.demo import accounts
from raksa.people.models import Citizen, Scheme
from raksa.people.selectors import citizen_get_by_national_id
from raksa.units.models import Service, Unit, UnitService, UnitStatus
from raksa.verification.attempts import attempt_record
from raksa.verification.models import AttemptOutcome, VerifyMethod, Visit
from raksa.verification.visits import visit_confirm_service, visit_open

HISTORY_DAYS = 30
# Visits per open day at each documented unit that gets a history (min, max), and who records them.
VISITS_PER_DAY = {"41001": (2, 5), "41002": (1, 2)}
RECORDED_BY = {"41001": "pharmacist", "41002": "multi"}
TODAY_UNIT, TODAY_OPEN_VISITS = "41001", 3  # today's verified visits not yet claimed: the portal's to-do
FIX_AFTER_DAYS = 3  # a rejected claim older than this was corrected by the unit; newer ones wait
POOL = 400  # generated UCS citizens who come to the demo pharmacies
# What goes wrong, by weight (the rest are plain accepted claims).
OUTCOMES = (("ok", 80), ("late", 5), ("unverified", 4), ("over", 5), ("uncontracted", 3), ("duplicate", 3))
# Outcomes every history holds whatever the draws (so every list and the review queue have an example): due at
# this unit from this many days ago, given to its next visit. Those older than FIX_AFTER_DAYS get corrected.
DUE = (("41002", 20, "uncontracted"), ("41002", 2, "uncontracted"), ("41001", 16, "over"), ("41001", 2, "over"),
       ("41001", 8, "late"), ("41001", 6, "unverified"), ("41001", 12, "duplicate"))
CONFIRMED_SHARE = 0.35  # visits the citizen confirmed in LINE (3.4) before the claim
# The documented citizens who are eligible come back a few times (their LINE history shows the claims).
DOCUMENTED_VISITS = {"3109900000335": 3, "1109900000665": 2, "1109900000444": 1, "1109900000550": 1}
# Symptom groups people come with most (others equally, at weight 1).
COMMON = {"PH-FEVER": 8, "PH-COUGH": 10, "PH-COLD": 8, "PH-HEADACHE": 5, "PH-MUSCLE": 5, "PH-DIARRHOEA": 4,
          "PH-ABDO": 4, "PH-RASH": 3, "PH-HEARTBURN": 3, "PH-BACK": 3}
# What the pharmacist dispenses for a group: (item code, least, most).
DISPENSE: dict[str, tuple[tuple[str, int, int], ...]] = {
    "PH-FEVER": (("DRUG-PARA500", 10, 20),),
    "PH-COUGH": (("DRUG-DEXTROMETH", 10, 20), ("DRUG-BROMHEXINE", 10, 20)),
    "PH-COLD": (("DRUG-CPM", 10, 20), ("DRUG-PARA500", 10, 10)),
    "PH-HEADACHE": (("DRUG-PARA500", 10, 20),),
    "PH-MUSCLE": (("DRUG-IBUPROFEN", 10, 20), ("DRUG-ANALGESIC-BALM", 1, 1)),
    "PH-ABDO": (("DRUG-SIMETHICONE", 10, 20), ("DRUG-ANTACID", 10, 20)),
    "PH-DIARRHOEA": (("DRUG-ORS", 5, 10),),
    "PH-DYSURIA": (("DRUG-PARA500", 10, 10),),
    "PH-DISCHARGE": (("DRUG-CLOTRIMAZOLE", 1, 1),),
    "PH-DYSMEN": (("DRUG-MEFENAMIC", 6, 15),),
    "PH-WOUND": (("DRUG-NSS", 1, 1), ("DRUG-POVIDONE", 1, 1), ("SUP-GAUZE", 5, 10)),
    "PH-RASH": (("DRUG-CALAMINE", 1, 1), ("DRUG-CETIRIZINE", 7, 14)),
    "PH-EYE": (("DRUG-ARTTEARS", 1, 1),),
    "PH-EAR": (("DRUG-PARA500", 10, 10),),
    "PH-MOUTH": (("DRUG-TA-PASTE", 1, 1),),
    "PH-TOOTH": (("DRUG-IBUPROFEN", 10, 10),),
    "PH-NAUSEA": (("DRUG-DOMPERIDONE", 6, 15), ("DRUG-ORS", 3, 5)),
    "PH-HEARTBURN": (("DRUG-OMEPRAZOLE", 7, 14), ("DRUG-ANTACID", 10, 20)),
    "PH-HAEMORRHOID": (("DRUG-HAEMORRHOID", 6, 10), ("DRUG-BISACODYL", 5, 10)),
    "PH-MOTION": (("DRUG-DIMENHYD", 4, 10),),
    "PH-BACK": (("DRUG-IBUPROFEN", 10, 20), ("DRUG-ANALGESIC-BALM", 1, 1)),
    "PH-SPRAIN": (("DRUG-ANALGESIC-BALM", 1, 1), ("DRUG-PARA500", 10, 20)),
    "PH-BURN": (("DRUG-NSS", 1, 1), ("SUP-GAUZE", 5, 10)),
    "PH-BITE": (("DRUG-CALAMINE", 1, 1), ("DRUG-CPM", 10, 10)),
    "PH-URTICARIA": (("DRUG-CETIRIZINE", 7, 14),),
    "PH-FUNGAL": (("DRUG-CLOTRIMAZOLE", 1, 1),),
    "PH-ACNE": (("DRUG-HYDROCORT", 1, 1),),
    "PH-COLDSORE": (("DRUG-ACYCLOVIR", 1, 1),),
    "PH-STYE": (("DRUG-PARA500", 10, 10),),
    "PH-LICE": (("DRUG-PERMETHRIN", 1, 1),),
    "PH-SCABIES": (("DRUG-PERMETHRIN", 1, 1),),
    "PH-WORMS": (("DRUG-MEBENDAZOLE", 1, 6),),
}


@dataclass
class HistoryReport:
    visits: int = 0
    claims: int = 0  # claim rows (first versions and corrections)
    corrections: int = 0
    open_today: int = 0
    skipped: int = 0  # visits the services refused (e.g. a contract that started later)
    statements: int = 0  # payment statements issued (those of weeks ended 5 days ago or more are paid)
    status: Counter = field(default_factory=Counter)  # current claims by status
    seconds: float = 0.0


def _local(day: dt.date, minutes: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60), tzinfo=BANGKOK)


def _minutes(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def _times(rng: random.Random, hours: dict, day: dt.date, count: int, *, until: int = 24 * 60) -> list[int]:
    """``count`` sorted minutes of the day inside the unit's opening hours (before ``until``), at least 35
    minutes before an interval ends (the claim goes 10-25 minutes after the visit, before closing)."""
    spans = [(_minutes(a), min(_minutes(b), until) - 35) for a, b in hours.get(DAYS[day.weekday()], ())]
    spans = [(a, b) for a, b in spans if b > a]
    if not spans:
        return []
    total = sum(b - a for a, b in spans)
    picks = []
    for _ in range(count):
        x = rng.randrange(total)
        for a, b in spans:
            if x < b - a:
                picks.append(a + x)
                break
            x -= b - a
    return sorted(picks)


def _method(citizen: Citizen, day: dt.date) -> str:
    age = (day - citizen.birth_date).days // 365
    return VerifyMethod.LINE if age < 15 or age >= 60 else VerifyMethod.FACE


def _items(rng: random.Random, code: str) -> list[dict]:
    return [{"code": item, "quantity": rng.randint(least, most)} for item, least, most in DISPENSE.get(code, ())]


class _History:
    def __init__(self, *, seed: int, now: dt.datetime) -> None:
        self.rng = random.Random(f"raksa-demo-claims:{seed}")
        self.now = now
        self.today = service_day(now)
        self.report = HistoryReport()
        self.users = {u.username: u for u in get_user_model().objects.filter(username__in=RECORDED_BY.values())}
        self.busy: set[tuple[int, dt.date]] = set()  # (citizen, day): one unit a day per person

    def pick(self, services: list[Service]) -> Service:
        return self.rng.choices(services, weights=[COMMON.get(s.code, 1) for s in services])[0]

    def services_of(self, unit: Unit, day: dt.date) -> list[Service]:
        return [c.service for c in UnitService.objects.filter(unit=unit, valid_from__lte=day).select_related(
            "service").order_by("service__code") if c.valid_to is None or c.valid_to >= day]

    def visit(self, *, unit: Unit, citizen: Citizen, service: Service, at: dt.datetime, verified: bool = True
              ) -> Visit | None:
        actor = self.actor(unit)
        method = _method(citizen, service_day(at))
        try:
            visit = visit_open(actor=actor, unit=unit, citizen=citizen, service=service, method=method, now=at).visit
        except DomainError:
            self.report.skipped += 1
            return None
        if verified:
            attempt_record(actor=actor, unit=unit, citizen=citizen, method=method, outcome=AttemptOutcome.VERIFIED,
                           visit=visit, now=at)
        self.report.visits += 1
        return visit

    def claim(self, *, unit: Unit, visit: Visit, at: dt.datetime, **content) -> Claim:
        claim = claim_submit(actor=self.actor(unit), unit=unit, authen_code=visit.authen_code, now=at, **content)
        self.report.claims += 1
        return claim

    def actor(self, unit: Unit):
        return self.users.get(RECORDED_BY.get(unit.hcode, ""))

    def day_at(self, unit: Unit, day: dt.date, services: list[Service], citizens: list[Citizen],
               gaps: list[Service], due: list[str], people: list[Citizen]) -> None:
        """The day's visits at ``unit``: first the documented ``people`` due (they come back the next open day
        if the unit is closed), then generated citizens; each takes the next ``due`` outcome, if any."""
        low, high = VISITS_PER_DAY[unit.hcode]
        times = _times(self.rng, unit.opening_hours, day, self.rng.randint(low, high) + len(people))
        for minutes in times:
            if people:
                citizen, outcome = people.pop(0), "ok"
            else:
                free = [c for c in citizens if (c.pk, day) not in self.busy]
                if not free:
                    return
                citizen = self.rng.choice(free)
                drawn = self.rng.choices([o for o, _ in OUTCOMES], weights=[w for _, w in OUTCOMES])[0]
                outcome = due.pop(0) if due else drawn
            if (citizen.pk, day) in self.busy:
                continue
            self.busy.add((citizen.pk, day))
            if outcome == "uncontracted" and not gaps:
                outcome = "over"
            self.one(unit=unit, day=day, minutes=minutes, citizen=citizen, service=self.pick(services),
                     outcome=outcome, gaps=gaps)

    def one(self, *, unit: Unit, day: dt.date, minutes: int, citizen: Citizen, service: Service, outcome: str,
            gaps: list[Service]) -> None:
        rng = self.rng
        opened = _local(day, minutes)
        visit = self.visit(unit=unit, citizen=citizen, service=service, at=opened, verified=outcome != "unverified")
        if visit is None:
            return
        if rng.random() < CONFIRMED_SHARE:
            visit_confirm_service(visit_id=visit.pk, unit=unit, now=opened + dt.timedelta(minutes=5),
                                  actor_label="line")
        sent = opened + dt.timedelta(minutes=rng.randint(10, 25))
        if outcome == "late":  # sent the next morning
            sent = _local(day + dt.timedelta(days=1), rng.randint(9 * 60, 11 * 60))
        items = _items(rng, service.code)
        content: dict = {"items": items}
        if outcome == "over":
            book = rate_book()
            expected = book.schedule_total(service_id=service.pk, items=items, day=day) or Decimal("0")
            content["amount"] = str(expected + rng.choice((20, 50, 100)))
        elif outcome == "uncontracted":
            content["service_code"] = rng.choice(gaps).code
            content["items"] = _items(rng, content["service_code"])
        claim = self.claim(unit=unit, visit=visit, at=sent, **content)
        if claim.status == "rejected" and outcome in ("over", "uncontracted") \
                and (self.today - day).days > FIX_AFTER_DAYS:
            claim_correct(actor=self.actor(unit), unit=unit, claim_id=claim.pk, items=items,
                          now=sent + dt.timedelta(minutes=rng.randint(3, 30)))
            self.report.claims += 1
            self.report.corrections += 1
        if outcome == "duplicate":  # the same person sent again for the same group the same day: denied
            again = opened + dt.timedelta(minutes=rng.randint(30, 60))
            second = self.visit(unit=unit, citizen=citizen, service=service, at=again)
            if second is not None:
                self.claim(unit=unit, visit=second, at=again + dt.timedelta(minutes=5), items=items)

    def today_open(self, unit: Unit, services: list[Service], citizens: list[Citizen]) -> None:
        """Verified visits earlier today with no claim yet (inside opening hours when some have passed)."""
        now_local = self.now.astimezone(BANGKOK)
        until = now_local.hour * 60 + now_local.minute + 30  # _times keeps 35 minutes before the bound
        times = _times(self.rng, unit.opening_hours, self.today, TODAY_OPEN_VISITS, until=until)
        if len(times) < TODAY_OPEN_VISITS:  # before opening (or closed today): the last few minutes instead
            start = max(now_local.hour * 60 + now_local.minute - 5 * TODAY_OPEN_VISITS, 0)
            times = list(range(start, start + 5 * TODAY_OPEN_VISITS, 5))
        for minutes in times:
            free = [c for c in citizens if (c.pk, self.today) not in self.busy]
            citizen = self.rng.choice(free)
            self.busy.add((citizen.pk, self.today))
            at = min(_local(self.today, minutes), self.now)
            if self.visit(unit=unit, citizen=citizen, service=self.pick(services), at=at):
                self.report.open_today += 1


def claims_history_create(*, seed: int, first_generated_id: int | None, now: dt.datetime | None = None
                          ) -> HistoryReport:
    """The history (see the module's docstring), in the caller's transaction."""
    started = time.perf_counter()
    history = _History(seed=seed, now=now or timezone.now())
    first_day = history.today - dt.timedelta(days=HISTORY_DAYS)
    generated: list[Citizen] = []
    if first_generated_id is not None:
        # By the national ID's keyed hash, not by id: with worker processes the generated citizens' ids depend on
        # which worker wrote first, their hashes do not (the same seed gives the same pool). The unique index on
        # cid_hash walks them in order and stops after POOL.
        generated = list(Citizen.objects.filter(
            pk__gte=first_generated_id, coverages__scheme=Scheme.UCS, coverages__valid_to__isnull=True,
            coverages__valid_from__lte=first_day).order_by("cid_hash")[:POOL])
    documented = {p.national_id: citizen_get_by_national_id(p.national_id) for p in accounts.DEMO_CITIZENS
                  if p.national_id in DOCUMENTED_VISITS}
    units = {u.hcode: u for u in Unit.objects.filter(hcode__in=VISITS_PER_DAY, status=UnitStatus.VERIFIED)}
    gaps_of = {d.hcode: list(Service.objects.filter(code__in=d.not_contracted).order_by("code"))
               for d in accounts.DEMO_UNITS}
    # The documented citizens' visits: at 41001, due on fixed past days (the next open day if it is closed).
    documented_days: dict[dt.date, list[Citizen]] = {}
    for i, (national_id, count) in enumerate(DOCUMENTED_VISITS.items()):
        for k in range(count):
            if documented[national_id] is not None:
                documented_days.setdefault(history.today - dt.timedelta(days=2 + 9 * k + i), []).append(
                    documented[national_id])
    due: dict[str, list[str]] = {hcode: [] for hcode in units}
    people: list[Citizen] = []
    for day_offset in range(HISTORY_DAYS, 0, -1):
        day = history.today - dt.timedelta(days=day_offset)
        people.extend(documented_days.get(day, ()))
        for hcode, unit in units.items():
            due[hcode].extend(outcome for at, offset, outcome in DUE if at == hcode and offset == day_offset)
            services = history.services_of(unit, day)
            if services:
                history.day_at(unit, day, services, generated, gaps_of.get(hcode, []), due[hcode],
                               people if hcode == TODAY_UNIT else [])
    if TODAY_UNIT in units and generated:
        services = history.services_of(units[TODAY_UNIT], history.today)
        if services:
            history.today_open(units[TODAY_UNIT], services, generated)
    history.report.statements = _weekly_statements(history.today, first_day)
    history.report.status = Counter(Claim.objects.filter(current=True, unit__in=units.values())
                                    .values_list("status", flat=True))
    history.report.seconds = time.perf_counter() - started
    return history.report


def _weekly_statements(today: dt.date, first_day: dt.date) -> int:
    """The payer's weekly run over the history: each Monday-to-Sunday week that has ended is put on statements
    the next Monday morning, paid on the Wednesday when that is past (about 72 hours, as NHSO pays), so the
    dashboards' "service to payment" and the units' statements pages have something to show."""
    issued = 0
    monday = first_day - dt.timedelta(days=first_day.weekday())
    while monday + dt.timedelta(days=7) <= today:
        sunday = monday + dt.timedelta(days=6)
        issue_at = _local(sunday + dt.timedelta(days=1), 9 * 60)
        for statement in statements_issue_all(actor=None, period_from=monday, period_to=sunday, now=issue_at):
            issued += 1
            paid_at = issue_at + dt.timedelta(days=2)
            if paid_at.date() < today:
                statement_mark_paid(actor=None, statement_id=statement.pk, now=paid_at)
        monday += dt.timedelta(days=7)
    return issued
