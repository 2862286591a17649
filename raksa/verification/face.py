"""Face verification at the counter (FVS, flow 1.1): a few webcam frames -> quality, liveness, match against
the citizen's reference encoding -> the visit opens with its authen code, or a hint of what to do.

The engine (raksa/integrations/face) works on plain arrays; this module holds the rules: which failures
count as a try, when the LINE fallback is offered, what is recorded (no image, unless
RAKSA_FACE_KEEP_IMAGES_DIR says so). The slow part (finding and encoding faces, ~0.1-0.3 s a frame) runs
before any transaction, so no lock is held while the CPU works.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from raksa.booking.models import Booking
from raksa.booking.queue import unit_may_serve
from raksa.core.errors import DomainError, InvalidInput
from raksa.core.timeutil import service_day
from raksa.integrations.face import engine as face_engine
from raksa.integrations.face.image import ImageRejected, decode_image
from raksa.integrations.face.liveness import liveness_check
from raksa.integrations.face.matching import match_threshold
from raksa.people.errors import FaceEngineDown
from raksa.people.faces import face_template_of
from raksa.people.models import Citizen
from raksa.units.models import Service, Unit
from raksa.verification.attempts import attempt_record, failed_face_tries, line_fallback_at_once
from raksa.verification.models import AttemptOutcome, VerifyMethod, Visit
from raksa.verification.visits import booking_arrived, check_not_open_elsewhere, rights_decision, visit_open

# What to tell the person at the counter (Thai first), by the engine's quality code or the verdict.
HINTS: dict[str, tuple[str, str]] = {
    "no_face": ("No face was found. Face the camera, about an arm's length away.",
                "ไม่พบใบหน้า กรุณาหันหน้าเข้าหากล้อง ห่างประมาณหนึ่งช่วงแขน"),
    "several_faces": ("More than one face is in the picture. Only the person being served should be in front of "
                      "the camera.", "พบหลายใบหน้าในภาพ ให้เฉพาะผู้รับบริการอยู่หน้ากล้อง"),
    "too_small": ("The face is too small. Come closer to the camera.", "ใบหน้าเล็กเกินไป กรุณาขยับเข้าใกล้กล้อง"),
    "too_dark": ("The picture is too dark. Turn on a light or face the window.",
                 "ภาพมืดเกินไป กรุณาเปิดไฟหรือหันหน้าเข้าหาแสง"),
    "blurred": ("The picture is blurred. Hold still for a moment and wipe the camera lens.",
                "ภาพไม่ชัด กรุณาอยู่นิ่ง ๆ สักครู่ และเช็ดเลนส์กล้อง"),
    "not_live": ("The head did not turn. Ask the person to turn their head slightly to one side and back while "
                 "the camera records.", "ไม่พบการหันศีรษะ กรุณาให้ผู้รับบริการหันศีรษะไปด้านข้างเล็กน้อยแล้วกลับมา"
                 "ระหว่างที่กล้องถ่าย"),
    "no_match": ("The face does not match this person's reference photo. Check that this is the right person, "
                 "then try again or use the LINE confirmation.",
                 "ใบหน้าไม่ตรงกับภาพอ้างอิงของบุคคลนี้ กรุณาตรวจสอบว่าเป็นบุคคลที่ถูกต้อง แล้วลองใหม่ "
                 "หรือใช้การยืนยันผ่าน LINE"),
    "no_reference": ("This person has no reference face in the registry. Use the LINE confirmation.",
                     "บุคคลนี้ยังไม่มีภาพใบหน้าอ้างอิงในทะเบียน กรุณาใช้การยืนยันผ่าน LINE"),
    "verified": ("Identity verified by face.", "ยืนยันตัวตนด้วยใบหน้าสำเร็จ"),
}


@dataclass(frozen=True)
class FaceVerdict:
    outcome: str  # AttemptOutcome
    code: str  # VERIFIED, NO_MATCH, NOT_LIVE, NO_FACE, SEVERAL_FACES, TOO_SMALL, TOO_DARK, BLURRED, NO_REFERENCE
    message: str  # Thai
    message_en: str
    distance: float | None
    visit: Visit | None
    failed_tries: int
    line_fallback: bool  # offer the LINE confirmation now

    @property
    def verified(self) -> bool:
        return self.visit is not None


def _decode(frames: list[bytes]) -> list:
    if not frames:
        raise InvalidInput("Send at least one camera frame.", "กรุณาส่งภาพจากกล้องอย่างน้อยหนึ่งภาพ",
                           code="NO_FRAMES", field="frames")
    if len(frames) > settings.RAKSA_FACE_MAX_FRAMES:
        raise InvalidInput(f"Send at most {settings.RAKSA_FACE_MAX_FRAMES} frames.",
                           f"ส่งภาพได้ไม่เกิน {settings.RAKSA_FACE_MAX_FRAMES} ภาพ", code="TOO_MANY_FRAMES",
                           field="frames")
    images = []
    for data in frames:
        try:
            images.append(decode_image(data, max_bytes=settings.RAKSA_FACE_MAX_FRAME_BYTES,
                                       max_pixels=settings.RAKSA_FACE_MAX_FRAME_PIXELS))
        except ImageRejected as exc:
            raise InvalidInput(exc.message_en, exc.message_th, code=exc.code, field="frames") from exc
    return images


def _keep(frames: list[bytes], citizen: Citizen, now: dt.datetime) -> None:
    folder = settings.RAKSA_FACE_KEEP_IMAGES_DIR
    if folder:
        path = Path(folder) / f"{now:%Y%m%dT%H%M%S}-{citizen.pk}-{secrets.token_hex(4)}"  # two tries a second apart
        path.mkdir(parents=True, exist_ok=True)
        for i, data in enumerate(frames):
            (path / f"{i}.img").write_bytes(data)


def visit_open_by_face(*, actor: Any | None, unit: Unit, citizen: Citizen, service: Service, frames: list[bytes],
                       booking: Booking | None = None, actor_label: str = "",
                       now: dt.datetime | None = None) -> FaceVerdict:
    """Check ``frames`` (JPEG/PNG bytes taken over ~2 s while the person turns their head) against
    ``citizen``'s reference face. Refuses before any face work (nothing recorded) when the unit may not
    serve, the person is not eligible or has an open visit elsewhere, or an image is bad (4xx)."""
    now = now or timezone.now()
    unit_may_serve(unit.status)
    images = _decode(frames)  # a bad image changes nothing: refused before anything is recorded
    try:
        check_not_open_elsewhere(citizen_id=citizen.pk, unit_id=unit.pk, now=now)
        rights_decision(citizen=citizen, unit=unit, service=service, day=service_day(now))
    except DomainError as refusal:  # recorded like the rights QR's refusals: who tried, where, why
        attempt_record(actor=actor, actor_label=actor_label, unit=unit, citizen=citizen, method=VerifyMethod.FACE,
                       outcome=AttemptOutcome.REFUSED, code=refusal.code, now=now)
        raise
    _keep(frames, citizen, now)

    def record(outcome: str, code: str, distance: float | None = None) -> FaceVerdict:
        attempt_record(actor=actor, actor_label=actor_label, unit=unit, citizen=citizen, method=VerifyMethod.FACE,
                       outcome=outcome, code=code, face_distance=distance, now=now)
        return _verdict(outcome, code, distance, None, citizen=citizen, unit=unit, now=now)

    reference = face_template_of(citizen.pk)
    if reference is None:
        return record(AttemptOutcome.NO_REFERENCE, "NO_REFERENCE")
    try:
        engine = face_engine.get_engine()
        results = [engine.analyse(image) for image in images]
    except face_engine.FaceEngineUnavailable as exc:
        attempt_record(actor=actor, actor_label=actor_label, unit=unit, citizen=citizen, method=VerifyMethod.FACE,
                       outcome=AttemptOutcome.ENGINE_DOWN, code="FACE_ENGINE_UNAVAILABLE", now=now)
        raise FaceEngineDown("Face verification is not available right now. Use the LINE confirmation instead.",
                             "ระบบสแกนใบหน้าใช้งานไม่ได้ในขณะนี้ กรุณาใช้การยืนยันผ่าน LINE แทน") from exc
    usable = [r for r in results if r.quality == face_engine.FaceQuality.OK]
    if not usable:
        qualities = [r.quality.value for r in results]
        return record(AttemptOutcome.POOR_IMAGE, max(set(qualities), key=qualities.count).upper())
    distance = max(engine.distance(r.encoding, reference) for r in usable)  # every usable frame must match
    if not liveness_check(results).passed:  # one picture alone cannot show a head turning: it fails here too
        return record(AttemptOutcome.NOT_LIVE, "NOT_LIVE", distance)
    if distance > match_threshold():
        return record(AttemptOutcome.NO_MATCH, "NO_MATCH", distance)
    with transaction.atomic():
        ticket = booking_arrived(actor=actor, unit=unit, booking=booking, now=now)
        opened = visit_open(actor=actor, unit=unit, citizen=citizen, service=service, method=VerifyMethod.FACE,
                            booking=booking, ticket=ticket, face_distance=round(distance, 4), actor_label=actor_label,
                            now=now)
        attempt_record(actor=actor, actor_label=actor_label, unit=unit, citizen=citizen, method=VerifyMethod.FACE,
                       outcome=AttemptOutcome.VERIFIED, code="VERIFIED", face_distance=distance, visit=opened.visit,
                       now=now)
    return _verdict(AttemptOutcome.VERIFIED, "VERIFIED", distance, opened.visit, citizen=citizen, unit=unit, now=now)


def _verdict(outcome: str, code: str, distance: float | None, visit: Visit | None, *, citizen: Citizen, unit: Unit,
             now: dt.datetime) -> FaceVerdict:
    failed = failed_face_tries(citizen_id=citizen.pk, unit_id=unit.pk, now=now)
    en, th = HINTS.get(code.lower(), HINTS["no_face"])
    fallback = visit is None and (failed >= settings.RAKSA_FACE_MAX_TRIES or code == "NO_REFERENCE"
                                  or line_fallback_at_once(citizen, service_day(now)))
    return FaceVerdict(outcome=outcome, code=code, message=th, message_en=en, distance=distance, visit=visit,
                       failed_tries=failed, line_fallback=fallback)


def line_fallback_offered(*, citizen: Citizen, unit: Unit, now: dt.datetime | None = None) -> bool:
    """Whether the portal offers the LINE confirmation before (or instead of) another face try."""
    now = now or timezone.now()
    return (line_fallback_at_once(citizen, service_day(now))
            or failed_face_tries(citizen_id=citizen.pk, unit_id=unit.pk, now=now) >= settings.RAKSA_FACE_MAX_TRIES
            or face_template_of(citizen.pk) is None)
