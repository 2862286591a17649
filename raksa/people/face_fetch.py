"""A citizen's reference face from the civil registry: the registry's photo is fetched, checked (exactly one clear
face), encoded, and only the encoding is kept (encrypted, raksa.people.faces). The photo lives in memory for
the call and is never written anywhere.

The network call and the face work (~0.2 s) run before any transaction; only the encoding's write is one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings

from raksa.core.errors import DomainError, NotFound
from raksa.integrations.civil_registry import client as civil_registry
from raksa.integrations.face import engine as face_engine
from raksa.integrations.face.image import ImageRejected, decode_image
from raksa.people.errors import FaceEngineDown
from raksa.people.faces import face_template_set
from raksa.people.models import Citizen, FaceTemplate
from raksa.people.services import citizen_reveal_national_id

SOURCE = "civil_registry"
PURPOSE = "reference face from the civil registry"  # the audit row of reading the national ID says why


class RegistryUnavailable(DomainError):
    status = 503
    code = "REGISTRY_UNAVAILABLE"


class RegistryRefused(DomainError):
    status = 502
    code = "REGISTRY_REFUSED"


class ReferencePhotoUnusable(DomainError):
    status = 422
    code = "REFERENCE_PHOTO_UNUSABLE"



LINE_INSTEAD_EN, LINE_INSTEAD_TH = "Use the LINE confirmation.", "กรุณาใช้การยืนยันผ่าน LINE"

# The photo's quality (the face engine's code) -> the error's code and its messages (English, Thai).
_UNUSABLE: dict[str, tuple[str, str, str]] = {
    "no_face": ("REFERENCE_PHOTO_NO_FACE", "The civil registry's photo shows no face, so it cannot be the reference.",
                "ไม่พบใบหน้าในภาพจากทะเบียนราษฎร์ จึงใช้เป็นภาพอ้างอิงไม่ได้"),
    "several_faces": ("REFERENCE_PHOTO_SEVERAL_FACES",
                      "The civil registry's photo shows more than one face, so it cannot be the reference.",
                      "ภาพจากทะเบียนราษฎร์มีมากกว่าหนึ่งใบหน้า จึงใช้เป็นภาพอ้างอิงไม่ได้"),
    "unclear": ("REFERENCE_PHOTO_UNCLEAR",
                "The civil registry's photo is not clear enough (too small, too dark or blurred) to be the reference.",
                "ภาพจากทะเบียนราษฎร์ไม่ชัดพอ (ใบหน้าเล็ก มืด หรือเบลอ) จึงใช้เป็นภาพอ้างอิงไม่ได้"),
    "unreadable": ("REFERENCE_PHOTO_UNREADABLE", "The civil registry's answer is not a picture Raksa can read.",
                   "ข้อมูลที่ได้จากทะเบียนราษฎร์ไม่ใช่ภาพที่ระบบอ่านได้"),
}


def _unusable(kind: str) -> ReferencePhotoUnusable:
    code, en, th = _UNUSABLE[kind]
    return ReferencePhotoUnusable(f"{en} {LINE_INSTEAD_EN}", f"{th} {LINE_INSTEAD_TH}", code=code)


def _photo(national_id: str) -> bytes:
    try:
        return civil_registry.photo_fetch(national_id)
    except civil_registry.PersonUnknown:
        raise NotFound(f"The civil registry has no photo of this person. {LINE_INSTEAD_EN}",
                       f"ทะเบียนราษฎร์ไม่มีภาพใบหน้าของบุคคลนี้ {LINE_INSTEAD_TH}",
                       code="REGISTRY_NO_PHOTO") from None
    except civil_registry.RegistryUnavailable:
        raise RegistryUnavailable("The civil registry cannot be reached right now. Try again in a moment, or use "
                                  "the LINE confirmation.",
                                  "ติดต่อทะเบียนราษฎร์ไม่ได้ในขณะนี้ กรุณาลองใหม่อีกครั้งสักครู่ "
                                  "หรือใช้การยืนยันผ่าน LINE") from None
    except civil_registry.RegistryRefused:
        raise RegistryRefused("The civil registry refused Raksa's request (its settings need checking). Tell the "
                              f"system administrator. {LINE_INSTEAD_EN}",
                              "ทะเบียนราษฎร์ปฏิเสธคำขอของระบบ (ต้องตรวจสอบการตั้งค่า) กรุณาแจ้งผู้ดูแลระบบ "
                              f"{LINE_INSTEAD_TH}") from None


def face_template_fetch(*, actor: Any | None, citizen: Citizen, now: dt.datetime | None = None) -> FaceTemplate:
    """Ask the civil registry for ``citizen``'s photo and enrol its face as their reference (replacing one
    enrolled before). Audited twice: reading the national ID to ask (``citizen.national_id.read``) and the
    enrolment (``face_template.enrol`` / ``.replace``, source ``civil_registry``). Raises NotFound
    (REGISTRY_NO_PHOTO), RegistryUnavailable (503), RegistryRefused (502), ReferencePhotoUnusable (422: no face,
    several faces, unclear, unreadable) or FaceEngineDown (503); then nothing is stored."""
    national_id = citizen_reveal_national_id(actor=actor, citizen=citizen, purpose=PURPOSE)
    photo = _photo(national_id)
    try:
        image = decode_image(photo, max_bytes=civil_registry.MAX_ANSWER_BYTES,
                             max_pixels=settings.RAKSA_FACE_MAX_FRAME_PIXELS)
    except ImageRejected:
        raise _unusable("unreadable") from None
    del photo
    try:
        found = face_engine.get_engine().analyse(image)
    except face_engine.FaceEngineUnavailable as exc:
        raise FaceEngineDown("Face verification is not available right now, so the reference cannot be made. "
                             f"{LINE_INSTEAD_EN}",
                             f"ระบบสแกนใบหน้าใช้งานไม่ได้ในขณะนี้ จึงสร้างภาพอ้างอิงไม่ได้ {LINE_INSTEAD_TH}") from exc
    del image
    if found.quality == face_engine.FaceQuality.NO_FACE:
        raise _unusable("no_face")
    if found.quality == face_engine.FaceQuality.SEVERAL_FACES or found.faces > 1:  # a reference: exactly one face
        raise _unusable("several_faces")
    if found.quality != face_engine.FaceQuality.OK or found.encoding is None:
        raise _unusable("unclear")
    return face_template_set(actor=actor, citizen=citizen, encoding=found.encoding, source=SOURCE, now=now)
