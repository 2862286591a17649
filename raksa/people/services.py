"""Every change to citizens and their rights goes through here, with its audit row."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction

from raksa.audit.services import audit_record
from raksa.core import pii
from raksa.core.errors import Conflict, InvalidInput
from raksa.people import laser_code as laser
from raksa.people import national_id as nid
from raksa.people.linking import citizen_line_link, citizen_line_unlink
from raksa.people.models import Citizen, Coverage, Scheme, Sex
from raksa.units.models import Unit

__all__ = ["citizen_fields_for_id", "citizen_laser_code_set", "citizen_line_link", "citizen_line_unlink",
           "citizen_register", "citizen_reveal_national_id", "coverage_change"]


def citizen_fields_for_id(national_id: str) -> dict[str, Any]:
    """The three stored forms of a (validated) national ID; also used by the bulk demo loader."""
    return {
        "cid_hash": pii.lookup_hash(national_id),
        "cid_encrypted": pii.encrypt(national_id, context=b"citizen.cid"),
        "cid_masked": nid.mask(national_id),
    }


def _coverage_snapshot(coverage: Coverage) -> dict[str, Any]:
    return {
        "scheme": coverage.scheme,
        "subtype": coverage.subtype,
        "main_unit": coverage.main_unit.hcode if coverage.main_unit else None,
        "valid_from": coverage.valid_from.isoformat(),
        "valid_to": coverage.valid_to.isoformat() if coverage.valid_to else None,
    }


def _check_scheme(scheme: str) -> None:
    if scheme not in Scheme.values:
        raise InvalidInput(
            f"Unknown scheme '{scheme}'. Use one of: {', '.join(Scheme.values)}.",
            f"ไม่รู้จักสิทธิ '{scheme}' ใช้ได้: {', '.join(Scheme.values)}",
            code="INVALID_SCHEME",
            field="scheme",
        )


@transaction.atomic
def citizen_register(
    *,
    actor: Any,
    national_id: str,
    first_name_th: str,
    last_name_th: str,
    birth_date: dt.date,
    title_th: str = "",
    sex: str = Sex.UNKNOWN,
    phone: str = "",
    laser_code: str | None = None,
) -> Citizen:
    national_id = nid.normalize(national_id)
    laser_hash = laser.digest(laser.normalize(laser_code)) if laser_code else None
    if not first_name_th.strip() or not last_name_th.strip():
        raise InvalidInput("First and last name are required.", "ต้องระบุชื่อและนามสกุล",
                           code="NAME_REQUIRED", field="first_name_th")
    if sex not in Sex.values:
        raise InvalidInput(f"Unknown sex '{sex}'.", f"ไม่รู้จักเพศ '{sex}'", code="INVALID_SEX", field="sex")
    citizen = Citizen(
        first_name_th=first_name_th.strip(),
        last_name_th=last_name_th.strip(),
        title_th=title_th.strip(),
        birth_date=birth_date,
        sex=sex,
        phone=phone.strip(),
        laser_hash=laser_hash,
        **citizen_fields_for_id(national_id),
    )
    try:
        with transaction.atomic():
            citizen.save()
    except IntegrityError:
        raise Conflict("A citizen with this national ID is already registered.",
                       "มีผู้ลงทะเบียนด้วยเลขประจำตัวประชาชนนี้แล้ว",
                       code="CITIZEN_EXISTS", field="national_id") from None
    audit_record(actor=actor, action="citizen.register", obj=citizen,
                 after={"cid": citizen.cid_masked, "name": citizen.full_name,
                        "birth_date": birth_date.isoformat(), "sex": sex, "laser_code": laser_hash is not None})
    return citizen


@transaction.atomic
def citizen_laser_code_set(*, actor: Any, citizen: Citizen, laser_code: str) -> None:
    """Record the laser code of the citizen's current ID card (a new card has a new one). Stored as HMAC only;
    the audit row says that it changed, not what it is."""
    laser_hash = laser.digest(laser.normalize(laser_code))
    had = Citizen.objects.filter(pk=citizen.pk).values_list("laser_hash", flat=True).first() is not None
    Citizen.objects.filter(pk=citizen.pk).update(laser_hash=laser_hash)
    citizen.laser_hash = laser_hash
    audit_record(actor=actor, action="citizen.laser_code.set", obj=citizen, before={"laser_code": had},
                 after={"laser_code": True})


@transaction.atomic
def coverage_change(
    *,
    actor: Any,
    citizen: Citizen,
    scheme: str,
    valid_from: dt.date,
    subtype: str = "",
    main_unit: Unit | None = None,
    valid_to: dt.date | None = None,
) -> Coverage:
    """Start a new right on ``valid_from``; the open one (if any) ends the day before.

    The citizen row is locked first, so two concurrent changes queue instead of both closing the
    same row (the partial unique index would refuse the second anyway).
    """
    _check_scheme(scheme)
    if valid_to is not None and valid_to < valid_from:
        raise InvalidInput("The end date is before the start date.", "วันสิ้นสุดอยู่ก่อนวันเริ่ม",
                           code="INVALID_DATE_RANGE", field="valid_to")
    Citizen.objects.select_for_update().filter(pk=citizen.pk).first()
    current = Coverage.objects.filter(citizen=citizen, valid_to__isnull=True).select_related("main_unit").first()
    before = None
    if current is not None:
        if valid_from <= current.valid_from:
            raise InvalidInput(
                "A new right must start after the current one started "
                f"({current.valid_from.isoformat()}).",
                f"สิทธิใหม่ต้องเริ่มหลังวันเริ่มสิทธิปัจจุบัน ({current.valid_from.isoformat()})",
                code="INVALID_DATE_RANGE", field="valid_from")
        before = _coverage_snapshot(current)
        current.valid_to = valid_from - dt.timedelta(days=1)
        current.save(update_fields=["valid_to"])
    coverage = Coverage.objects.create(citizen=citizen, scheme=scheme, subtype=subtype, main_unit=main_unit,
                                       valid_from=valid_from, valid_to=valid_to)
    audit_record(actor=actor, action="coverage.change", obj=citizen, before=before,
                 after=_coverage_snapshot(coverage))
    return coverage


@transaction.atomic
def citizen_reveal_national_id(*, actor: Any, citizen: Citizen, purpose: str) -> str:
    """Decrypt the full national ID for someone whose role needs it; the reading is audited."""
    if not purpose.strip():
        raise InvalidInput("Say why the full national ID is needed.", "ระบุเหตุผลที่ต้องดูเลขประจำตัวเต็ม",
                           code="PURPOSE_REQUIRED", field="purpose")
    value = pii.decrypt(citizen.cid_encrypted, context=b"citizen.cid")
    audit_record(actor=actor, action="citizen.national_id.read", obj=citizen, after={"purpose": purpose})
    return value
