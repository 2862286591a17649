"""Face verification (FVS) over the API: a unit's software sends the webcam frames of a head turn, the same domain
function as the portal's counter decides (:func:`raksa.verification.face.visit_open_by_face`).

multipart/form-data: ``national_id``, ``service`` (code), optional ``booking`` (reference: this person's booking at
this unit), optional ``hcode`` (sessions), and 1-8 ``frame`` files (JPEG, PNG or WebP). Verified: 201 with the
visit. Not verified (no face, several faces, too small, too dark, blurred, no match, not live, no reference): 422
with the Thai hint, the try count and whether to offer the LINE confirmation now; the try is recorded.
"""

from __future__ import annotations

from typing import Annotated

from ninja import Field, File, Form, Router, Status, UploadedFile

from interfaces.api.auth import actor_of, unit_or_staff
from interfaces.api.docs import doc
from interfaces.api.schemas import (
    ERRORS,
    HCODE_FORMAT,
    NATIONAL_ID_FORMAT,
    NATIONAL_ID_TEXT,
    SERVICE_FORMAT,
    SERVICE_TEXT,
    ErrorOut,
)
from interfaces.api.visits import HCODE_FOR_SESSION, VisitOut, actor_label, counter_unit, visit_out
from raksa.booking.models import Booking
from raksa.core.errors import DomainError, NotFound
from raksa.people.models import Citizen
from raksa.people.selectors import citizen_get_by_national_id
from raksa.units.models import Unit
from raksa.units.selectors import service_get_by_code
from raksa.verification.face import visit_open_by_face

router = Router()

BOOKING_TEXT = ("หมายเลขการจองของบุคคลนี้ที่หน่วยนี้ (ถ้ามี) · This person's booking at this unit, by its reference "
                "(if any).")
FRAME_TEXT = ("ภาพจากกล้อง 1-8 ภาพ (JPEG, PNG หรือ WebP) ถ่ายระหว่างหันศีรษะเล็กน้อยแล้วกลับ ประมาณ 2 วินาที · "
              "1-8 camera frames (JPEG, PNG or WebP) taken over about 2 s while the person turns their head "
              "slightly and back.")


def _form(description: str, schema: dict, default=...):
    form = Form(default, description=description)
    form.json_schema_extra = {**(form.json_schema_extra or {}), **schema}
    return form


def _files(description: str, schema: dict):
    files = File(None, description=description)
    files.json_schema_extra = {**(files.json_schema_extra or {}), **schema}
    return files


class FaceRefusalOut(ErrorOut):
    outcome: str | None = Field(None, description="no_match, not_live, poor_image, no_reference · ผลการสแกน · the "
                                                  "scan's outcome")
    failed_tries: int | None = Field(None, description="ครั้งที่สแกนไม่ผ่านวันนี้ที่หน่วยนี้ · failed face tries "
                                                       "today at this unit")
    line_fallback: bool | None = Field(None, description="เสนอการยืนยันผ่าน LINE ได้แล้ว · offer the LINE "
                                                         "confirmation now")
    distance: float | None = Field(None, description="ระยะห่างจากใบหน้าอ้างอิง (น้อยคือเหมือน) · distance from the "
                                                     "reference face (smaller: more alike)")


def _booking_of(unit: Unit, citizen: Citizen, reference: str) -> Booking:
    booking = (Booking.objects.filter(reference=reference.strip().upper(), unit=unit, citizen=citizen)
               .select_related("slot").first())
    if booking is None:
        raise NotFound("This person has no booking with this reference at this unit.",
                       "ไม่พบการจองหมายเลขนี้ของบุคคลนี้ที่หน่วยบริการนี้", code="BOOKING_NOT_FOUND", field="booking")
    return booking


@router.post("/visits/face", response={**ERRORS, 201: VisitOut, 422: FaceRefusalOut}, auth=unit_or_staff,
             **doc("visit_face"))
def visit_by_face(
    request,
    national_id: Annotated[str, _form(NATIONAL_ID_TEXT, NATIONAL_ID_FORMAT)],
    service: Annotated[str, _form(SERVICE_TEXT, SERVICE_FORMAT)],
    booking: Annotated[str | None, _form(BOOKING_TEXT, {"examples": ["ABCD2345"]}, None)] = None,
    hcode: Annotated[str | None, _form(HCODE_FOR_SESSION, HCODE_FORMAT, None)] = None,
    frame: Annotated[list[UploadedFile], _files(FRAME_TEXT, {"minItems": 1, "maxItems": 8})] = None,  # none: NO_FRAMES
):
    unit = counter_unit(request, hcode)
    citizen = citizen_get_by_national_id(national_id)
    svc = service_get_by_code(service)
    booked = _booking_of(unit, citizen, booking) if booking else None
    try:
        verdict = visit_open_by_face(actor=actor_of(request), unit=unit, citizen=citizen, service=svc,
                                     frames=[f.read() for f in frame or []], booking=booked,
                                     actor_label=actor_label(request))
    except DomainError as refusal:
        if refusal.field == "frames":  # the API's name for the files
            refusal.field = "frame"
        raise
    if verdict.visit is None:
        return Status(422, {"code": verdict.code, "message": verdict.message, "message_en": verdict.message_en,
                            "field": "frame", "outcome": verdict.outcome, "failed_tries": verdict.failed_tries,
                            "line_fallback": verdict.line_fallback, "distance": verdict.distance})
    verdict.visit.service = svc
    return Status(201, visit_out(verdict.visit, unit=unit))
