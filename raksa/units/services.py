"""Every change to units, their contracts, fees and staff goes through here, with its audit row."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import IntegrityError, transaction
from django.utils import timezone

from raksa.audit.services import audit_record
from raksa.core import weekly_hours
from raksa.core.choices import choice_labels
from raksa.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from raksa.units.models import (
    FeeRate,
    Province,
    Service,
    StaffMembership,
    StaffRole,
    Unit,
    UnitApiKey,
    UnitService,
    UnitStatus,
    UnitType,
)
from raksa.units.roles import is_officer, is_unit_admin, officers_group_ensure
from raksa.units.selectors import api_key_digest, unit_api_key_forget


def _check_hcode(hcode: str) -> str:
    hcode = (hcode or "").strip()
    if not (len(hcode) == 5 and hcode.isascii() and hcode.isdigit()):
        raise InvalidInput(f"'{hcode}' is not a unit code: an hcode has 5 digits.",
                           f"'{hcode}' ไม่ใช่รหัสหน่วยบริการ: รหัสหน่วย (hcode) มี 5 หลัก",
                           code="INVALID_HCODE", field="hcode")
    return hcode


@transaction.atomic
def unit_register(
    *,
    actor: Any,
    hcode: str,
    name: str,
    unit_type: str,
    province: Province,
    address: str = "",
    district: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    opening_hours: dict | None = None,
    phone: str = "",
) -> Unit:
    hcode = _check_hcode(hcode)
    if unit_type not in UnitType.values:
        raise InvalidInput(f"Unknown unit type '{unit_type}'.", f"ไม่รู้จักประเภทหน่วย '{unit_type}'",
                           code="INVALID_UNIT_TYPE", field="unit_type")
    hours = weekly_hours.week_check(opening_hours or {}, field="opening_hours")
    unit = Unit(hcode=hcode, name=name.strip(), unit_type=unit_type, province=province, address=address,
                district=district, latitude=latitude, longitude=longitude, opening_hours=hours, phone=phone)
    try:
        with transaction.atomic():
            unit.save()
    except IntegrityError:
        raise Conflict(f"Unit code {hcode} is already registered.", f"รหัสหน่วย {hcode} ลงทะเบียนแล้ว",
                       code="UNIT_EXISTS", field="hcode") from None
    audit_record(actor=actor, action="unit.register", obj=unit,
                 after={"hcode": hcode, "name": unit.name, "unit_type": unit_type, "status": unit.status})
    return unit


def _unit_set_status(*, actor: Any, unit: Unit, status: str, reason: str, action: str) -> Unit:
    locked = Unit.objects.select_for_update().get(pk=unit.pk)
    before = {"status": locked.status, "reason": locked.status_reason}
    locked.status = status
    locked.status_reason = reason.strip()
    locked.status_changed_at = timezone.now()
    locked.save(update_fields=["status", "status_reason", "status_changed_at"])
    audit_record(actor=actor, action=action, obj=locked, before=before,
                 after={"status": status, "reason": locked.status_reason})
    return locked


@transaction.atomic
def unit_verify(*, actor: Any, unit: Unit, reason: str = "") -> Unit:
    """The registration (OSS) is confirmed: the unit may serve and claim."""
    return _unit_set_status(actor=actor, unit=unit, status=UnitStatus.VERIFIED, reason=reason,
                            action="unit.verify")


@transaction.atomic
def unit_suspend(*, actor: Any, unit: Unit, reason: str) -> Unit:
    if not reason.strip():
        raise InvalidInput("Give the reason for the suspension; the unit's staff will see it.",
                           "ระบุเหตุผลการระงับ เจ้าหน้าที่หน่วยจะเห็นเหตุผลนี้", code="REASON_REQUIRED",
                           field="reason")
    return _unit_set_status(actor=actor, unit=unit, status=UnitStatus.SUSPENDED, reason=reason,
                            action="unit.suspend")


@transaction.atomic
def unit_service_contract(*, actor: Any, unit: Unit, service: Service, valid_from: dt.date) -> UnitService:
    """Contract ``unit`` to give ``service`` from ``valid_from`` (the service must fit the unit's type)."""
    if service.unit_type != unit.unit_type:
        kind = choice_labels(UnitType, service.unit_type)
        raise InvalidInput(
            f"Service {service.code} is for {kind.en} units, not this unit's type.",
            f"บริการ {service.code} สำหรับหน่วยประเภท{kind.th}เท่านั้น",
            code="SERVICE_NOT_FOR_UNIT_TYPE", field="service")
    try:
        with transaction.atomic():
            contract = UnitService.objects.create(unit=unit, service=service, valid_from=valid_from)
    except IntegrityError:
        raise Conflict("This unit already has an open contract for this service.",
                       "หน่วยนี้มีสัญญาบริการนี้อยู่แล้ว", code="CONTRACT_EXISTS", field="service") from None
    audit_record(actor=actor, action="unit.contract", obj=unit,
                 after={"service": service.code, "valid_from": valid_from.isoformat()})
    return contract


def baht_amount(value: Decimal | str, *, field: str, example_en: str, example_th: str) -> Decimal:
    """An amount in baht a person typed for a schedule (a fee rate, an item's price): not negative, in satang."""
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        amount = Decimal("-1")
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise InvalidInput(f"'{value}' is not an amount in baht (e.g. {example_en}).",
                           f"'{value}' ไม่ใช่จำนวนเงินบาท (เช่น {example_th})", code="INVALID_AMOUNT", field=field)
    return amount


def open_row_end(current: Any, *, effective_from: dt.date, noun_en: str, noun_th: str) -> None:
    """A new row of a dated schedule starts at ``effective_from``: the open row ``current`` ends the day before
    (refused unless the new one starts after it). The caller holds the schedule owner's row lock."""
    if effective_from <= current.effective_from:
        raise InvalidInput(
            f"A new {noun_en} must start after the current one ({current.effective_from.isoformat()}).",
            f"{noun_th}ใหม่ต้องมีผลหลัง{noun_th}ปัจจุบัน ({current.effective_from.isoformat()})",
            code="INVALID_DATE_RANGE", field="effective_from")
    current.effective_to = effective_from - dt.timedelta(days=1)
    current.save(update_fields=["effective_to"])


@transaction.atomic
def fee_rate_set(
    *, actor: Any, service: Service, amount_baht: Decimal | str, effective_from: dt.date,
    note: str = "", illustrative: bool = False,
) -> FeeRate:
    """A new rate for ``service`` from ``effective_from``; the open rate ends the day before."""
    amount = baht_amount(amount_baht, field="amount_baht", example_en="180 or 180.50", example_th="180 หรือ 180.50")
    Service.objects.select_for_update().filter(pk=service.pk).first()
    current = FeeRate.objects.filter(service=service, effective_to__isnull=True).first()
    before = None
    if current is not None:
        before = {"amount_baht": str(current.amount_baht), "effective_from": current.effective_from.isoformat()}
        open_row_end(current, effective_from=effective_from, noun_en="rate", noun_th="อัตรา")
    rate = FeeRate.objects.create(service=service, amount_baht=amount, effective_from=effective_from,
                                  note=note, illustrative=illustrative)
    audit_record(actor=actor, action="fee.set", obj=service, before=before,
                 after={"amount_baht": str(amount), "effective_from": effective_from.isoformat()})
    return rate


@transaction.atomic
def staff_add(*, actor: Any, user: Any, unit: Unit, role: str) -> StaffMembership:
    if role not in StaffRole.values:
        raise InvalidInput(f"Unknown staff role '{role}'.", f"ไม่รู้จักบทบาท '{role}'", code="INVALID_ROLE",
                           field="role")
    membership, created = StaffMembership.objects.update_or_create(
        user=user, unit=unit, defaults={"role": role, "active": True})
    audit_record(actor=actor, action="staff.add" if created else "staff.update", obj=unit,
                 after={"user": user.get_username(), "role": role})
    return membership


@transaction.atomic
def officer_create(*, actor: Any, username: str, password: str, first_name: str = "",
                   last_name: str = "") -> Any:
    """A payer officer: may use the back office (Django admin) with the officers' permissions."""
    user = get_user_model().objects.create_user(username=username, password=password, first_name=first_name,
                                                last_name=last_name, is_staff=True)
    user.groups.add(officers_group_ensure(Group, Permission))
    audit_record(actor=actor, action="officer.create", obj=user, after={"username": username})
    return user


UNIT_EDITABLE_FIELDS = ("name", "address", "district", "province", "latitude", "longitude", "phone")


@transaction.atomic
def unit_update(*, actor: Any, unit: Unit, **changes: Any) -> Unit:
    """Edit a unit's directory data (not its status: that is unit_verify/unit_suspend; not its opening
    hours: that is unit_set_opening_hours, which checks them)."""
    unknown = set(changes) - set(UNIT_EDITABLE_FIELDS)
    if unknown:
        raise InvalidInput(f"These fields cannot be edited here: {', '.join(sorted(unknown))}.",
                           f"แก้ไขช่องเหล่านี้ที่นี่ไม่ได้: {', '.join(sorted(unknown))}", code="FIELD_NOT_EDITABLE")
    locked = Unit.objects.select_for_update().get(pk=unit.pk)
    before, after = {}, {}
    for name, value in changes.items():
        old = getattr(locked, name)
        if old != value:
            before[name], after[name] = str(old), str(value)
            setattr(locked, name, value)
    if after:
        locked.save(update_fields=list(after))
        audit_record(actor=actor, action="unit.update", obj=locked, before=before, after=after)
    return locked


@transaction.atomic
def unit_set_opening_hours(*, actor: Any, unit: Unit, opening_hours: dict) -> Unit:
    """Set the unit's weekly opening hours (what citizens see). The week is checked by
    raksa.core.weekly_hours (HH:MM times, each interval ending after it starts, no overlaps within a day;
    a day without intervals is closed) and stored with all seven days, sorted."""
    hours = weekly_hours.week_check(opening_hours, field="opening_hours")
    locked = Unit.objects.select_for_update().get(pk=unit.pk)
    before = locked.opening_hours
    if before != hours:
        locked.opening_hours = hours
        locked.save(update_fields=["opening_hours"])
        audit_record(actor=actor, action="unit.opening_hours.set", obj=locked, before={"opening_hours": before},
                     after={"opening_hours": hours})
    return locked


SERVICE_FIELDS = ("code", "name_th", "name_en", "unit_type", "active", "illustrative")


@transaction.atomic
def service_save(*, actor: Any, service: Service) -> Service:
    """Add a catalogue entry or save an edited one (officers edit the catalogue as data)."""
    if service.unit_type not in UnitType.values:
        raise InvalidInput(f"Unknown unit type '{service.unit_type}'.", f"ไม่รู้จักประเภทหน่วย '{service.unit_type}'",
                           code="INVALID_UNIT_TYPE", field="unit_type")
    before = None
    if service.pk:
        old = Service.objects.select_for_update().get(pk=service.pk)
        before = {f: str(getattr(old, f)) for f in SERVICE_FIELDS}
    try:
        with transaction.atomic():
            service.save()
    except IntegrityError:
        raise Conflict(f"Service code {service.code} already exists.", f"มีรหัสบริการ {service.code} แล้ว",
                       code="SERVICE_EXISTS", field="code") from None
    audit_record(actor=actor, action="service.update" if before else "service.add", obj=service, before=before,
                 after={f: str(getattr(service, f)) for f in SERVICE_FIELDS})
    return service


API_KEY_LABEL_MAX = 100


def _api_key_manager_check(actor: Any, unit_id: int, *, officers: bool) -> None:
    """Unit administrators manage their unit's keys; officers may also revoke any key. ``actor=None``
    is the system itself (management commands, benchmarks), which every entry point for people
    replaces with the logged-in user."""
    if actor is None or is_unit_admin(actor, unit_id) or (officers and is_officer(actor)):
        return
    if officers:
        raise Forbidden("Only the unit's administrators or payer officers may revoke its API keys.",
                        "เฉพาะผู้ดูแลหน่วยบริการหรือเจ้าหน้าที่ สปสช. เท่านั้นที่เพิกถอนกุญแจ API ของหน่วยได้")
    raise Forbidden("Only the unit's administrators may issue its API keys.",
                    "เฉพาะผู้ดูแลหน่วยบริการเท่านั้นที่ออกกุญแจ API ของหน่วยได้")


def _api_key_label(label: str) -> str:
    label = (label or "").strip()
    if not label:
        raise InvalidInput("Name the key after the system that will use it (e.g. the pharmacy's stock system).",
                           "ตั้งชื่อกุญแจตามระบบที่จะใช้ (เช่น ระบบคลังยาของร้าน)", code="LABEL_REQUIRED",
                           field="label")
    if len(label) > API_KEY_LABEL_MAX:
        raise InvalidInput(f"A key's name has at most {API_KEY_LABEL_MAX} characters.",
                           f"ชื่อกุญแจยาวได้ไม่เกิน {API_KEY_LABEL_MAX} ตัวอักษร", code="LABEL_TOO_LONG",
                           field="label")
    return label


@transaction.atomic
def unit_api_key_issue(*, actor: Any, unit: Unit, label: str) -> tuple[str, UnitApiKey]:
    """A new API key for ``unit``, named ``label``. The key is returned once and never stored in clear
    (only its SHA-256 digest: it is 32 random bytes, so there is no dictionary to try)."""
    _api_key_manager_check(actor, unit.pk, officers=False)
    label = _api_key_label(label)
    key = "rk_" + secrets.token_urlsafe(32)
    api_key = UnitApiKey.objects.create(unit=unit, label=label, prefix=key[:10], digest=api_key_digest(key))
    audit_record(actor=actor, action="unit.api_key.issue", obj=unit,
                 after={"key_id": api_key.pk, "prefix": api_key.prefix, "label": api_key.label})
    return key, api_key


@transaction.atomic
def unit_api_key_revoke(*, actor: Any, api_key: UnitApiKey) -> UnitApiKey:
    """The key stops working: at once in this process, and within ``RAKSA_API_KEY_CACHE_SECONDS``
    (5 s) in the others, which remember live keys that long (raksa.units.selectors)."""
    locked = UnitApiKey.objects.select_for_update().filter(pk=api_key.pk).first()
    if locked is None:
        raise NotFound("No such API key.", "ไม่พบกุญแจ API นี้", code="API_KEY_NOT_FOUND")
    _api_key_manager_check(actor, locked.unit_id, officers=True)
    if locked.revoked_at is not None:
        raise Conflict("This API key is already revoked.", "กุญแจ API นี้ถูกเพิกถอนไปแล้ว", code="API_KEY_REVOKED")
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["revoked_at"])
    digest = bytes(locked.digest)
    unit_api_key_forget(digest)  # now, and again once committed (another request may re-learn it before)
    transaction.on_commit(lambda: unit_api_key_forget(digest))
    audit_record(actor=actor, action="unit.api_key.revoke", obj=locked.unit,
                 after={"key_id": locked.pk, "prefix": locked.prefix, "label": locked.label})
    return locked
