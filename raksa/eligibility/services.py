"""Rights check: may this citizen receive this service at this unit on this (Bangkok) day?

The decision lists every reason that applies, each with a stable code, so a pharmacist sees all that
is wrong at once and other systems can switch on the codes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from django.db import connection

from raksa.core.thaidate import format_date
from raksa.core.timeutil import service_day
from raksa.eligibility import sql
from raksa.people.models import Citizen, Scheme
from raksa.units.models import Service, Unit, UnitStatus


class Reason(StrEnum):
    NO_COVERAGE = "NO_COVERAGE"
    COVERAGE_NOT_STARTED = "COVERAGE_NOT_STARTED"
    COVERAGE_EXPIRED = "COVERAGE_EXPIRED"
    NOT_UCS = "NOT_UCS"
    UNIT_NOT_VERIFIED = "UNIT_NOT_VERIFIED"
    UNIT_SUSPENDED = "UNIT_SUSPENDED"
    SERVICE_INACTIVE = "SERVICE_INACTIVE"
    SERVICE_NOT_FOR_UNIT_TYPE = "SERVICE_NOT_FOR_UNIT_TYPE"
    SERVICE_NOT_CONTRACTED = "SERVICE_NOT_CONTRACTED"


MESSAGES: dict[Reason, tuple[str, str]] = {
    Reason.NO_COVERAGE: ("No health-insurance right is recorded for this person.",
                         "ไม่พบข้อมูลสิทธิการรักษาของบุคคลนี้"),
    Reason.COVERAGE_NOT_STARTED: ("The person's right has not started yet on this date.",
                                  "สิทธิของบุคคลนี้ยังไม่เริ่มในวันที่เลือก"),
    Reason.COVERAGE_EXPIRED: ("The person's right ended before this date.",
                              "สิทธิของบุคคลนี้สิ้นสุดก่อนวันที่เลือก"),
    Reason.NOT_UCS: ("Innovative units serve Universal Coverage (UCS, gold card) members only; "
                     "this person has another right.",
                     "หน่วยบริการนวัตกรรมให้บริการเฉพาะผู้มีสิทธิหลักประกันสุขภาพแห่งชาติ (บัตรทอง) "
                     "บุคคลนี้ใช้สิทธิอื่น"),
    Reason.UNIT_NOT_VERIFIED: ("This unit's registration is not yet verified (OSS); it cannot serve "
                               "or claim yet.",
                               "หน่วยบริการยังไม่ได้รับการยืนยันข้อมูลใน OSS จึงยังให้บริการและเบิกไม่ได้"),
    Reason.UNIT_SUSPENDED: ("This unit is suspended; it cannot serve or claim.",
                            "หน่วยบริการถูกระงับ ไม่สามารถให้บริการหรือเบิกได้"),
    Reason.SERVICE_INACTIVE: ("This service is no longer in the catalogue.", "บริการนี้ยกเลิกแล้ว"),
    Reason.SERVICE_NOT_FOR_UNIT_TYPE: ("This service is not given by this type of unit.",
                                       "หน่วยบริการประเภทนี้ให้บริการนี้ไม่ได้"),
    Reason.SERVICE_NOT_CONTRACTED: ("This unit has no contract for this service on this date.",
                                    "หน่วยบริการนี้ไม่มีสัญญาให้บริการนี้ในวันที่เลือก"),
}


@dataclass(frozen=True)
class Decision:
    eligible: bool
    day: dt.date
    reasons: tuple[Reason, ...] = ()
    coverage: CoverageFacts | None = field(default=None, compare=False)

    def messages(self, language: str = "th") -> list[dict[str, str]]:
        """Each reason in the language asked for; an expired right says when it ended (Buddhist year in Thai)."""
        en = (language or "th").startswith("en")
        out = []
        for reason in self.reasons:
            text = MESSAGES[reason][0] if en else MESSAGES[reason][1]
            if reason == Reason.COVERAGE_EXPIRED and self.coverage is not None and self.coverage.valid_to:
                ended = format_date(self.coverage.valid_to, language="en" if en else "th")
                text = (f"The person's right ended on {ended}, before this date." if en
                        else f"สิทธิของบุคคลนี้สิ้นสุดเมื่อ {ended} ก่อนวันที่เลือก")
            out.append({"code": reason.value, "message": text})
        return out


def as_date(value) -> dt.date | None:
    """Raw SQL gives dates as ``date`` on PostgreSQL and as ISO text on SQLite."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


@dataclass(frozen=True)
class Facts:
    """Everything a rights decision depends on, gathered by one query."""

    day: dt.date
    coverage: CoverageFacts | None
    later_coverage: bool
    unit_status: str
    unit_type: str
    service_active: bool
    service_unit_type: str
    contracted: bool


def unit_status_reason(status: str) -> Reason | None:
    """Why a unit with this registration status may not serve, or None (verified). The queue applies it too."""
    if status == UnitStatus.VERIFIED:
        return None
    return Reason.UNIT_SUSPENDED if status == UnitStatus.SUSPENDED else Reason.UNIT_NOT_VERIFIED


def decide(facts: Facts) -> Decision:
    """The rules, with every applicable reason. Pure: no database."""
    reasons: list[Reason] = []
    coverage, day = facts.coverage, facts.day
    if coverage is None:
        reasons.append(Reason.COVERAGE_NOT_STARTED if facts.later_coverage else Reason.NO_COVERAGE)
    elif not coverage.covers(day):
        reasons.append(Reason.COVERAGE_EXPIRED)
    elif coverage.scheme != Scheme.UCS:
        reasons.append(Reason.NOT_UCS)

    unit_reason = unit_status_reason(facts.unit_status)
    if unit_reason is not None:
        reasons.append(unit_reason)

    if not facts.service_active:
        reasons.append(Reason.SERVICE_INACTIVE)
    if facts.service_unit_type != facts.unit_type:
        reasons.append(Reason.SERVICE_NOT_FOR_UNIT_TYPE)
    elif not facts.contracted:
        reasons.append(Reason.SERVICE_NOT_CONTRACTED)
    return Decision(eligible=not reasons, day=day, reasons=tuple(reasons), coverage=coverage)


@dataclass(frozen=True, slots=True)
class CoverageFacts:
    """The right in force, as read by the facts queries: plain values (the booking surge builds one per
    booking, and a model instance cost several times more), with :class:`Coverage`'s names."""

    id: int
    citizen_id: int
    scheme: str
    subtype: str
    main_unit_id: int | None
    valid_from: dt.date
    valid_to: dt.date | None

    def covers(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


def coverage_from_row(citizen_id: int, row: tuple, at: dict[str, int]) -> CoverageFacts | None:
    """The right in force from a row with the ``coverage_*`` columns of ``sql.fact_columns`` (positions
    ``at``), or None when there is none."""
    if row[at["coverage_id"]] is None:
        return None
    return CoverageFacts(id=row[at["coverage_id"]], citizen_id=citizen_id, scheme=row[at["coverage_scheme"]],
                         subtype=row[at["coverage_subtype"]], main_unit_id=row[at["coverage_main_unit_id"]],
                         valid_from=as_date(row[at["coverage_valid_from"]]),
                         valid_to=as_date(row[at["coverage_valid_to"]]))


def eligibility_check(*, citizen: Citizen, unit: Unit, service: Service, on: dt.date | dt.datetime | None = None
                      ) -> Decision:
    """Decide with every applicable reason. ``on`` is a Bangkok date; a datetime is converted to its
    Bangkok service day (00:30 local on the 26th is 17:30 UTC on the 25th, and counts as the 26th).

    One query gathers the facts (right in force, a later right, the contract); :func:`decide` rules."""
    day = service_day(on) if on is None or isinstance(on, dt.datetime) else on
    d = connection.ops.adapt_datefield_value(day)
    with connection.cursor() as cursor:
        cursor.execute(sql.CHECK_SQL, [citizen.pk, d, unit.pk, service.pk, d, d, citizen.pk, d])
        row = cursor.fetchone()
    at = sql.CHECK_COLUMNS.at
    return decide(Facts(day=day, coverage=coverage_from_row(citizen.pk, row, at),
                        later_coverage=bool(row[at["later_coverage"]]), unit_status=unit.status,
                        unit_type=unit.unit_type, service_active=service.active, service_unit_type=service.unit_type,
                        contracted=bool(row[at["contracted"]])))
