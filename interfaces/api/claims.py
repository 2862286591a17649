"""Claims over the API: a unit's own software sends the service record of a visit and gets the decision.

``POST /claims`` and ``POST /claims/{reference}/corrections`` need an ``Idempotency-Key`` header: the first
request with a key is answered by the domain (``claim_submit`` / ``claim_correct``) and its answer stored
(raksa/claims/idempotency.py); a retry with the same key and body gets that answer again, byte for byte;
the same key with another body is 422 ``IDEMPOTENCY_KEY_REUSED``. A missing or malformed key is **400
``IDEMPOTENCY_KEY_REQUIRED``** (as the IETF Idempotency-Key draft says: the request is not one this operation
accepts at all, unlike a readable claim with a wrong field, which is 422 naming the field).

The same request is recognised by its canonical JSON (keys sorted, no spaces), the operation's path included:
a retry that re-serialises the same claim with other spacing or key order is still the same request.
Answers are JSON built here once (:func:`claim_json`) and sent as stored, so a retry's body is identical.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from typing import Annotated, Any, Literal

from django.conf import settings
from django.http import HttpResponse
from ninja import Field, Header, Query, Router, Schema

from interfaces.api.auth import actor_of, unit_or_staff
from interfaces.api.docs import doc
from interfaces.api.errors import IDEMPOTENCY_HEADER as KEY_HEADER
from interfaces.api.errors import IDEMPOTENCY_KEY_MAX as KEY_MAX
from interfaces.api.errors import idempotency_key_required
from interfaces.api.schemas import ERRORS, HCODE_FORMAT, OPTIONAL_DATE_FORMAT, DateQuery, ErrorOut, _documented
from interfaces.api.visits import HCODE_FOR_SESSION, actor_label, counter_hcode_field, counter_unit
from raksa.claims import errors as claim_errors
from raksa.claims.idempotency import claim_submission_once
from raksa.claims.models import Claim, ClaimSource
from raksa.claims.rules.base import explain
from raksa.claims.submit import claim_correct, claim_submit_answered, rate_book
from raksa.core.errors import DomainError
from raksa.core.timeutil import parse_date
from raksa.units.models import Unit, UnitApiKey

router = Router()

PAGE_SIZE = 50
PAGE_SIZE_MAX = 200
KEY_TEXT = ("คีย์ที่ระบบของหน่วยสร้างขึ้นใหม่สำหรับแต่ละเคลม (เช่น UUID) 1-100 ตัวอักษร ASCII ที่พิมพ์ได้ ส่งซ้ำด้วยคีย์เดิมและ"
            "ข้อมูลเดิมได้คำตอบแรกเสมอ ไม่มีคีย์ตอบ 400 IDEMPOTENCY_KEY_REQUIRED · A key your system makes anew for "
            "each claim (a UUID, say), 1-100 printable ASCII characters. A retry with the same key and body always "
            "gets the first answer; no key is 400 IDEMPOTENCY_KEY_REQUIRED.")
KeyHeader = Annotated[str, _documented(Header(alias=KEY_HEADER), KEY_TEXT,
                                      {"minLength": 1, "maxLength": KEY_MAX, "pattern": "^[!-~]+$",
                                       "examples": ["9b2f6c1e-4a57-4c1b-8d0e-2f5b7a9c3d11"]})]
HcodeQuery = Annotated[str | None, _documented(Query(None), HCODE_FOR_SESSION, HCODE_FORMAT)]
MONEY = {"pattern": "^[0-9]+\\.[0-9]{2}$", "examples": ["195.00"]}


class ClaimItemIn(Schema):
    code: str = Field(description="รหัสรายการ (ยา เวชภัณฑ์ การตรวจเพิ่ม) · An item's code (medicine, supply, "
                                  "further test).", json_schema_extra={"examples": ["DRUG-PARA500"]})
    quantity: int = Field(1, description="จำนวน จำนวนเต็มตั้งแต่ 1 ถึงเพดานของรายการ · A whole number from 1 to the "
                                         "item's limit.", json_schema_extra={"examples": [10]})


class ClaimIn(Schema):
    authen_code: str = Field(description="รหัส Authen ของการเข้ารับบริการ (PP + 10 หลัก) · The visit's authen code "
                                         "(PP + 10 digits).", json_schema_extra={"examples": ["PP0123456789"]})
    service_code: str | None = Field(None, description="รหัสบริการ ไม่ระบุคือบริการของการเข้ารับบริการ · The service's "
                                                       "code; omitted: the visit's service.",
                                     json_schema_extra={"examples": ["PH-FEVER"]})
    service_date: str | None = Field(None, description="วันที่รับบริการ ต้องตรงกับวันของการเข้ารับบริการ · The service "
                                                       "date; must be the visit's day.",
                                     json_schema_extra=OPTIONAL_DATE_FORMAT)
    icd10: list[str] | None = Field(None, description="รหัสโรค ICD-10 · ICD-10 codes.",
                                    json_schema_extra={"examples": [["J02.9"]]})
    details: dict[str, Any] | None = Field(None, description="บันทึกการให้บริการตามประเภทหน่วย (เช่น tooth, session) · "
                                                             "The service record's fields for the unit type.")
    items: list[ClaimItemIn] | None = Field(None, description="รายการที่เบิกเพิ่ม ไม่เกิน 30 รายการ · Items, at most 30.")
    amount: str | float | None = Field(None, description="ยอดเบิก (บาท ทศนิยมไม่เกิน 2 ตำแหน่ง) ไม่ระบุคือคิดตามตาราง"
                                                         "อัตรา · The amount claimed (baht, at most two decimals); "
                                                         "omitted: priced from the fee schedule.",
                                       json_schema_extra={"examples": ["195.00"]})
    hcode: str | None = counter_hcode_field()


class CorrectionIn(Schema):
    service_code: str | None = None
    icd10: list[str] | None = None
    details: dict[str, Any] | None = None
    items: list[ClaimItemIn] | None = None
    amount: str | float | None = None
    hcode: str | None = counter_hcode_field()


class ClaimItemOut(Schema):
    code: str
    kind: Literal["item", "service"]
    quantity: int
    unit_price: str = Field(json_schema_extra=MONEY)
    amount: str = Field(json_schema_extra=MONEY)


class ClaimReasonOut(Schema):
    code: str = Field(description="รหัสเหตุผลคงที่ · stable reason code")
    class_: Literal["C", "V", "Deny"] = Field(alias="class", description="C แก้ไขแล้วส่งใหม่ · V ส่งตรวจสอบ · Deny "
                                                                          "ปฏิเสธการจ่าย · C correct and resend, "
                                                                          "V sent to review, Deny refused")
    version: int
    detail: str
    title: str = Field(description="ภาษาไทย · Thai")
    title_en: str
    todo: str = Field(description="สิ่งที่ต้องทำ ภาษาไทย · what to do, Thai")
    todo_en: str


class ClaimOut(Schema):
    reference: str = Field(description="รหัส Authen และฉบับที่ · the authen code and version",
                           json_schema_extra={"examples": ["PP0123456789-1"]})
    authen_code: str
    version: int
    supersedes: str | None
    status: Literal["submitted", "accepted", "rejected", "in_review", "paid"]
    close_code: str | None = Field(description="รหัสปิดการเข้ารับบริการ (EP + 10 หลัก) · the visit's close code")
    hcode: str
    service: str
    service_date: dt.date
    submitted_at: dt.datetime
    source: str
    icd10: list[str]
    details: dict[str, Any]
    items: list[ClaimItemOut]
    service_amount: str = Field(json_schema_extra=MONEY)
    amount: str = Field(json_schema_extra=MONEY)
    reasons: list[ClaimReasonOut]
    rules_version: str


class ClaimPageOut(Schema):
    count: int
    page: int
    page_size: int
    items: list[ClaimOut]


class DuplicateOut(ErrorOut):
    reference: str | None = Field(None, description="CLAIM_DUPLICATE: เคลมแรกของรหัสนี้ · the first claim's reference")


CLAIM_ERRORS = {**ERRORS, 409: DuplicateOut}


# --- rendering ------------------------------------------------------------------------------------------

def reason_json(reason: dict) -> dict:
    rule = explain(reason.get("code", ""))
    texts = ({"title": rule.title_th, "title_en": rule.title_en, "todo": rule.todo_th, "todo_en": rule.todo_en}
             if rule else {"title": reason.get("code", ""), "title_en": reason.get("code", ""), "todo": "",
                           "todo_en": ""})
    return {"code": reason.get("code", ""), "class": reason.get("class", ""), "version": int(reason.get("version", 1)),
            "detail": reason.get("detail", "") or "", **texts}


def claim_json(claim: Claim, *, hcode: str, service_code: str, close_code: str | None,
               supersedes: str | None = None) -> dict:
    """The claim as the API shows it (JSON values only: it is stored as the idempotent answer)."""
    return {
        "reference": claim.reference, "authen_code": claim.authen_code, "version": claim.version,
        "supersedes": supersedes, "status": claim.status, "close_code": close_code or None, "hcode": hcode,
        "service": service_code, "service_date": claim.service_date.isoformat(),
        "submitted_at": claim.submitted_at.isoformat(), "source": claim.source, "icd10": list(claim.icd10),
        "details": dict(claim.details), "items": [{"code": i["code"], "kind": i["kind"], "quantity": int(i["quantity"]),
                                                    "unit_price": i["unit_price"], "amount": i["amount"]}
                                                   for i in claim.items],
        "service_amount": f"{claim.service_amount:.2f}", "amount": f"{claim.amount:.2f}",
        "reasons": [reason_json(r) for r in claim.reasons], "rules_version": claim.rules_version,
    }


def claims_json(claims: list[Claim]) -> list[dict]:
    """Several claims with their unit, service, close code and superseded reference (loaded with them)."""
    return [claim_json(c, hcode=c.unit.hcode, service_code=c.service.code,
                       close_code=c.visit.close_code if c.visit_id else None,
                       supersedes=f"{c.authen_code}-{c.version - 1}" if c.supersedes_id else None) for c in claims]


def refusal_json(exc: DomainError) -> dict:
    body = exc.as_dict()
    if getattr(exc, "reference", None):
        body["reference"] = exc.reference
    return body


def json_answer(status: int, body: dict) -> HttpResponse:
    """Keys sorted: the stored answer (PostgreSQL's jsonb keeps its own key order) reads back byte for byte."""
    return HttpResponse(answer_bytes(body), status=status, content_type="application/json; charset=utf-8")


# --- the key and the request ----------------------------------------------------------------------------

def clean_key(value: str | None) -> str:
    key = (value or "").strip()
    if not key or len(key) > KEY_MAX or not all(" " < ch < "\x7f" for ch in key):
        raise idempotency_key_required()
    return key


def request_identity(request, path: str) -> bytes:
    """The request as the key's digest sees it: the operation and the body's canonical JSON."""
    return body_identity(request.body, path)


def body_identity(raw: bytes, path: str) -> bytes:
    try:
        body = json.loads(raw)
    except ValueError:  # pragma: no cover - django-ninja refused it before the view
        body = raw.decode("utf-8", "replace")
    return f"POST {path}\n".encode() + json.dumps(body, sort_keys=True, separators=(",", ":"),
                                                    ensure_ascii=False).encode()


def items_of(items: list[ClaimItemIn] | None) -> list[dict] | None:
    return None if items is None else [{"code": i.code, "quantity": i.quantity} for i in items]


def once(request, *, unit: Unit, key: str, path: str, run) -> HttpResponse:
    """Answer through the unit's key store: ``run()`` sends the claim (or raises the domain's refusal)."""
    def answer() -> tuple[int, dict, Claim | None]:
        try:
            claim, body = run()
        except DomainError as exc:
            return exc.status, refusal_json(exc), None
        return 201, body, claim

    status, body = claim_submission_once(unit=unit, key=key, body=request_identity(request, path), answer=answer)
    return json_answer(status, body)


def answer_bytes(body: dict) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def claim_answer(*, unit: Unit, key: str, payload: dict, raw_body: bytes, actor, actor_label: str
                 ) -> tuple[int, bytes]:
    """``POST /claims`` answered: (status, the JSON's bytes). ``payload``: ClaimIn's fields (items as
    ``[{code, quantity}]``); ``raw_body``: the request's body, which with the path identifies the request for the
    key. The django-ninja endpoint and the WSGI fast lane (interfaces/api/fast_claims.py) both answer here."""
    def render(claim: Claim) -> tuple[int, dict]:
        service_code = rate_book().service_by_id[claim.service_id].code
        return 201, claim_json(claim, hcode=unit.hcode, service_code=service_code, close_code=claim.visit.close_code)

    def answer() -> tuple[int, dict, Claim | None]:  # pragma: no cover - answer_into answers
        raise AssertionError

    def answer_into(row_id: int) -> tuple[int, dict, bool]:
        try:
            status, body = claim_submit_answered(answer=render, submission_id=row_id, actor=actor, unit=unit,
                                                 source=ClaimSource.API, actor_label=actor_label, **payload)
        except DomainError as exc:
            return exc.status, refusal_json(exc), False
        return status, body, True

    status, body = claim_submission_once(unit=unit, key=key, body=body_identity(raw_body, "/claims"), answer=answer,
                                         answer_into=answer_into)
    return status, answer_bytes(body)


_units: dict[int, tuple[float, Unit]] = {}


def caller_unit(request, hcode: str | None) -> Unit:
    """:func:`counter_unit`, with an API key's unit remembered in this process as long as the key itself
    (``RAKSA_API_KEY_CACHE_SECONDS``): a claim reads only its id, type and hcode, which do not change in a day
    (its status is the rules' business: UNIT_NOT_VERIFIED, read with the claim's facts)."""
    caller = request.auth
    ttl = settings.RAKSA_API_KEY_CACHE_SECONDS
    if hcode is not None or not isinstance(caller, UnitApiKey) or ttl <= 0:
        return counter_unit(request, hcode)
    return unit_of_key(caller)


def unit_of_key(caller: UnitApiKey) -> Unit:
    """The API key's unit, remembered in this process as long as the key itself (``RAKSA_API_KEY_CACHE_SECONDS``;
    0: read every time)."""
    ttl = settings.RAKSA_API_KEY_CACHE_SECONDS
    if ttl <= 0:
        return Unit.objects.get(pk=caller.unit_id)
    hit = _units.get(caller.unit_id)
    if hit is None or hit[0] < time.monotonic():
        hit = _units[caller.unit_id] = (time.monotonic() + ttl, Unit.objects.get(pk=caller.unit_id))
    return hit[1]


# --- operations -----------------------------------------------------------------------------------------

@router.post("/claims", response={201: ClaimOut, **CLAIM_ERRORS}, auth=unit_or_staff, by_alias=True,
             **doc("claim_submit"))
def claim_submit_view(request, payload: ClaimIn,
                      idempotency_key: KeyHeader):
    key = clean_key(idempotency_key)
    unit = caller_unit(request, payload.hcode)

    fields = {"authen_code": payload.authen_code, "service_code": payload.service_code,
              "service_date": payload.service_date or None, "icd10": payload.icd10, "details": payload.details,
              "items": items_of(payload.items), "amount": payload.amount}
    status, data = claim_answer(unit=unit, key=key, payload=fields, raw_body=request.body, actor=actor_of(request),
                                actor_label=actor_label(request))
    return HttpResponse(data, status=status, content_type="application/json; charset=utf-8")


@router.post("/claims/{reference}/corrections", response={201: ClaimOut, **CLAIM_ERRORS}, auth=unit_or_staff,
             by_alias=True, **doc("claim_correct"))
def claim_correct_view(request, reference: str, payload: CorrectionIn,
                       idempotency_key: KeyHeader):
    key = clean_key(idempotency_key)
    unit = counter_unit(request, payload.hcode)
    old = claim_by_reference(unit=unit, reference=reference)

    def run():
        claim = claim_correct(actor=actor_of(request), unit=unit, claim_id=old.pk, service_code=payload.service_code,
                              details=payload.details, icd10=payload.icd10, items=items_of(payload.items),
                              amount=payload.amount, source=ClaimSource.API,
                              actor_label=actor_label(request))
        return claim, claim_json(claim, hcode=unit.hcode, service_code=claim.service.code,
                                 close_code=old.visit.close_code if old.visit_id else None, supersedes=old.reference)

    # the path as the client named it: a retry after the correction succeeded names the same old version
    return once(request, unit=unit, key=key, path=f"/claims/{reference.strip().upper()}/corrections", run=run)


def _reference_parts(reference: str) -> tuple[str, int | None]:
    code, _, version = (reference or "").strip().upper().partition("-")
    if version and not (version.isascii() and version.isdigit() and len(version) < 5):
        raise claim_errors.claim_not_found()
    return code, int(version) if version else None


def claim_by_reference(*, unit: Unit, reference: str) -> Claim:
    """The unit's claim ``PP…-<version>`` (``PP…`` alone: the current version); another unit's is not found."""
    code, version = _reference_parts(reference)
    claims = Claim.objects.filter(unit=unit, authen_code=code).select_related("visit", "unit", "service")
    claim = claims.filter(version=version).first() if version else claims.filter(current=True).first()
    if claim is None or not code:
        raise claim_errors.claim_not_found()
    return claim


@router.get("/claims/{reference}", response={200: ClaimOut, **ERRORS}, auth=unit_or_staff, by_alias=True,
            **doc("claim_detail"))
def claim_detail(request, reference: str, hcode: HcodeQuery = None):
    claim = claim_by_reference(unit=counter_unit(request, hcode), reference=reference)
    return json_answer(200, claims_json([claim])[0])


@router.get("/claims", response={200: ClaimPageOut, **ERRORS}, auth=unit_or_staff, by_alias=True, **doc("claim_list"))
def claim_list(request, status: Literal["submitted", "accepted", "rejected", "in_review", "paid"] | None = None,
               date_from: DateQuery = None, date_to: DateQuery = None,
               page: int = Query(1, ge=1, le=100000, description="หน้าที่ (เริ่ม 1) · page number, from 1"),
               page_size: int = Query(PAGE_SIZE, ge=1, le=PAGE_SIZE_MAX, description="ต่อหน้า · per page"),
               hcode: HcodeQuery = None):
    unit = counter_unit(request, hcode)
    claims = Claim.objects.filter(unit=unit, current=True)
    if status:
        claims = claims.filter(status=status)
    if date_from:
        claims = claims.filter(service_date__gte=parse_date(date_from, field="date_from"))
    if date_to:
        claims = claims.filter(service_date__lte=parse_date(date_to, field="date_to"))
    count = claims.count()
    start = (page - 1) * page_size
    rows = list(claims.select_related("visit", "unit", "service").order_by("-submitted_at", "-pk")
                [start:start + page_size])
    return json_answer(200, {"count": count, "page": page, "page_size": page_size, "items": claims_json(rows)})

