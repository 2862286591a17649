"""Verification at the counter over the API: redeem a rights QR, verify by face, read and close a visit,
and the authen status of a person (like NHSO's authen-status service).

The same domain functions and permissions as the portal's counter: a unit's key acts for its own unit;
staff logged in to the portal act for a unit they belong to (they name it, ``hcode``), officers for any.
Another unit's visit is not found (404 VISIT_NOT_FOUND), never forbidden: its code says nothing to you.
"""

from __future__ import annotations

import datetime as dt

from ninja import Field, Router, Schema, Status

from interfaces.api.auth import acting_unit, actor_of, unit_or_staff
from interfaces.api.docs import doc
from interfaces.api.errors import Forbidden
from interfaces.api.schemas import ERRORS, HCODE_FORMAT, national_id_field, optional_date_field
from raksa.core.errors import InvalidInput
from raksa.core.timeutil import parse_date
from raksa.people.selectors import citizen_get_by_national_id
from raksa.units.models import Unit, UnitApiKey
from raksa.units.selectors import service_get_by_code, unit_get_by_hcode
from raksa.verification.errors import visit_not_found
from raksa.verification.models import Visit, VisitStatus
from raksa.verification.rights_qr_redeem import visit_open_by_rights_qr
from raksa.verification.selectors import authen_status, visit_of_unit
from raksa.verification.visits import visit_close

router = Router()

HCODE_FOR_SESSION = ("รหัสหน่วยบริการ 5 หลักที่ทำรายการแทน: กุญแจ API ไม่ต้องระบุ (ทำแทนหน่วยของตน) "
                     "ผู้ที่เข้าสู่ระบบพอร์ทัลต้องระบุ · The unit acting, 5 digits: an API key need not say "
                     "(it acts for its own unit); a logged-in portal session must.")


def counter_hcode_field():
    return Field(None, description=HCODE_FOR_SESSION, json_schema_extra=HCODE_FORMAT)


class RightsQrIn(Schema):
    token: str = Field(description="ข้อความใน QR ยืนยันสิทธิของประชาชน (RQ1.…) · The citizen's rights QR as "
                                   "scanned (RQ1.…).", json_schema_extra={"examples": ["RQ1." + "A" * 43]})
    service: str | None = Field(None, description="รหัสบริการ ระบุเฉพาะ QR ที่ไม่มีการจอง (มาเอง) · A service's "
                                                  "code, for a walk-in's code only (no booking).",
                                json_schema_extra={"examples": ["PH-FEVER"]})
    hcode: str | None = counter_hcode_field()


class CloseIn(Schema):
    reason: str = Field(description="เหตุผลที่ปิดโดยไม่ได้ให้บริการ ไม่เกิน 200 ตัวอักษร · Why the visit closes "
                                    "without service, at most 200 characters.",
                        json_schema_extra={"minLength": 1, "maxLength": 200, "pattern": "\\S",
                                           "examples": ["ผู้รับบริการเปลี่ยนใจ"]})
    hcode: str | None = counter_hcode_field()


class AuthenStatusIn(Schema):
    national_id: str = national_id_field()
    on: str | None = optional_date_field()
    hcode: str | None = counter_hcode_field()


class VisitOut(Schema):
    authen_code: str
    status: str
    method: str
    hcode: str
    service: str
    day: dt.date
    booking: str | None
    ticket: str | None
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    close_reason: str


class VisitLineOut(Schema):
    unit_hcode: str
    unit_name: str
    authen_code: str | None
    opened_at: dt.datetime
    method: str
    status: str


class AuthenStatusOut(Schema):
    day: dt.date
    has_open_visit: bool
    open_at_unit: str | None
    visits: list[VisitLineOut]


def visit_out(visit: Visit, *, unit: Unit, service_code: str | None = None) -> dict:
    return {"authen_code": visit.authen_code, "status": visit.status, "method": visit.method,
            "hcode": unit.hcode, "service": service_code or visit.service.code, "day": visit.day,
            "booking": visit.booking.reference if visit.booking_id else None,
            "ticket": visit.ticket.label if visit.ticket_id else None, "opened_at": visit.opened_at,
            "closed_at": visit.closed_at, "close_reason": visit.close_reason}


def counter_unit(request, hcode: str | None) -> Unit:
    """The unit the caller acts for at the counter: an API key's own (``hcode`` may repeat it), or the one a
    session names."""
    caller = request.auth
    if hcode is None:
        if isinstance(caller, UnitApiKey):
            return Unit.objects.get(pk=caller.unit_id)
        raise InvalidInput("Name the unit you act for (hcode).", "กรุณาระบุรหัสหน่วยบริการที่ทำรายการแทน (hcode)",
                           code="HCODE_REQUIRED", field="hcode")
    unit = unit_get_by_hcode(hcode)
    acting_unit(request, unit)
    return unit


def actor_label(request) -> str:
    """Who verified, for the visit and the audit: a staff member's username, or the API key (its prefix)."""
    caller = request.auth
    return f"api:{caller.prefix}" if isinstance(caller, UnitApiKey) else ""


def _visit_for_caller(request, authen_code: str) -> Visit:
    """The caller's unit's visit with this code; another unit's is not found (not forbidden)."""
    code = (authen_code or "").strip().upper()
    caller = request.auth
    if isinstance(caller, UnitApiKey):
        unit = Unit.objects.get(pk=caller.unit_id)
    else:
        unit_id = Visit.objects.filter(authen_code=code).values_list("unit_id", flat=True).first()
        if unit_id is None:
            raise visit_not_found()
        try:
            acting_unit(request, unit_id)
        except Forbidden:
            raise visit_not_found() from None
        unit = Unit.objects.get(pk=unit_id)
    visit = visit_of_unit(unit=unit, authen_code=code)
    if visit is None:
        raise visit_not_found()
    visit.unit = unit
    return visit


@router.post("/visits/rights-qr", response={200: VisitOut, 201: VisitOut, **ERRORS}, auth=unit_or_staff,
             **doc("visit_rights_qr"))
def visit_by_rights_qr(request, payload: RightsQrIn):
    unit = counter_unit(request, payload.hcode)
    service = service_get_by_code(payload.service) if payload.service else None
    opened = visit_open_by_rights_qr(actor=actor_of(request), unit=unit, token=payload.token, service=service,
                                     actor_label=actor_label(request))
    return Status(201 if opened.created else 200, visit_out(opened.visit, unit=unit))


@router.get("/visits/{authen_code}", response={200: VisitOut, **ERRORS}, auth=unit_or_staff, **doc("visit_detail"))
def visit_detail(request, authen_code: str):
    visit = _visit_for_caller(request, authen_code)
    return visit_out(visit, unit=visit.unit)


@router.post("/visits/{authen_code}/close", response={200: VisitOut, **ERRORS}, auth=unit_or_staff,
             **doc("visit_close"))
def visit_close_view(request, authen_code: str, payload: CloseIn):
    reason = payload.reason.strip()
    if not reason or len(payload.reason) > 200:
        raise InvalidInput("Say why the visit closes without service (1 to 200 characters).",
                           "กรุณาระบุเหตุผลที่ปิดโดยไม่ได้ให้บริการ (1 ถึง 200 ตัวอักษร)", code="INVALID_INPUT",
                           field="reason")
    visit = _visit_for_caller(request, authen_code)
    if payload.hcode is not None and payload.hcode.strip() != visit.unit.hcode:
        raise visit_not_found()
    closed = visit_close(actor=actor_of(request), unit=visit.unit, visit_id=visit.pk, status=VisitStatus.NO_SERVICE,
                         reason=reason, actor_label=actor_label(request))
    closed.unit, closed.service, closed.booking, closed.ticket = visit.unit, visit.service, visit.booking, visit.ticket
    return visit_out(closed, unit=visit.unit)


@router.post("/authen-status", response={200: AuthenStatusOut, **ERRORS}, auth=unit_or_staff,
             **doc("authen_status"))
def authen_status_view(request, payload: AuthenStatusIn):
    """Asked by POST because query strings reach access logs and proxies: the national ID stays in the body."""
    day = parse_date(payload.on, field="on") if payload.on else None
    unit = counter_unit(request, payload.hcode)
    citizen = citizen_get_by_national_id(payload.national_id)
    status = authen_status(citizen=citizen, asking_unit=unit, on=day)
    return {"day": status.day, "has_open_visit": status.has_open_visit, "open_at_unit": status.open_at_unit,
            "visits": [vars(line) for line in status.visits]}
