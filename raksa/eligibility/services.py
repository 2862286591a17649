"""Rights check: may this citizen receive this service at this unit on this (Bangkok) day?

The decision lists every reason that applies, each with a stable code, so a pharmacist sees all that
is wrong at once and other systems can switch on the codes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from django.db.models import Q

from raksa.core.timeutil import service_day
from raksa.people.models import Citizen, Coverage, Scheme
from raksa.units.models import Service, Unit, UnitService, UnitStatus


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
    coverage: Coverage | None = field(default=None, compare=False)

    def messages(self, language: str = "th") -> list[dict[str, str]]:
        en = (language or "th").startswith("en")
        return [{"code": r.value, "message": MESSAGES[r][0] if en else MESSAGES[r][1]} for r in self.reasons]


def eligibility_check(*, citizen: Citizen, unit: Unit, service: Service, on: dt.date | dt.datetime | None = None
                      ) -> Decision:
    """Decide with every applicable reason. ``on`` is a Bangkok date; a datetime is converted to its
    Bangkok service day (00:30 local on the 26th is 17:30 UTC on the 25th, and counts as the 26th)."""
    if on is None or isinstance(on, dt.datetime):
        day = service_day(on)
    else:
        day = on
    reasons: list[Reason] = []

    coverage = (Coverage.objects.filter(citizen_id=citizen.pk, valid_from__lte=day)
                .order_by("-valid_from").first())
    if coverage is None:
        later = Coverage.objects.filter(citizen_id=citizen.pk, valid_from__gt=day).exists()
        reasons.append(Reason.COVERAGE_NOT_STARTED if later else Reason.NO_COVERAGE)
    elif not coverage.covers(day):
        reasons.append(Reason.COVERAGE_EXPIRED)
    elif coverage.scheme != Scheme.UCS:
        reasons.append(Reason.NOT_UCS)

    if unit.status == UnitStatus.SUSPENDED:
        reasons.append(Reason.UNIT_SUSPENDED)
    elif unit.status != UnitStatus.VERIFIED:
        reasons.append(Reason.UNIT_NOT_VERIFIED)

    if not service.active:
        reasons.append(Reason.SERVICE_INACTIVE)
    if service.unit_type != unit.unit_type:
        reasons.append(Reason.SERVICE_NOT_FOR_UNIT_TYPE)
    elif not (UnitService.objects.filter(unit_id=unit.pk, service_id=service.pk, valid_from__lte=day)
              .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day)).exists()):
        reasons.append(Reason.SERVICE_NOT_CONTRACTED)

    return Decision(eligible=not reasons, day=day, reasons=tuple(reasons), coverage=coverage)
