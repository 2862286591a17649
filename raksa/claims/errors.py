"""Why a claim is refused at the door (422/409/404): input that cannot be a claim. Rules about a claim that
*is* well formed (eligibility, fees, frequency, late...) are not errors: they are reasons stored with the
claim's decision (raksa/claims/rules/)."""

from __future__ import annotations

from raksa.core.errors import Conflict, InvalidInput, NotFound


def invalid(field: str, en: str, th: str, code: str = "INVALID_INPUT") -> InvalidInput:
    return InvalidInput(en, th, code=code, field=field)


def authen_unknown() -> InvalidInput:
    return invalid("authen_code", "No visit of this unit has this authen code. Check the code (PP and 10 digits) "
                   "on the visit's page.",
                   "ไม่พบการเข้ารับบริการของหน่วยนี้ที่มีรหัสยืนยันนี้ กรุณาตรวจรหัส (PP ตามด้วยตัวเลข 10 หลัก) "
                   "ในหน้าการเข้ารับบริการ", "AUTHEN_UNKNOWN")


def visit_other_unit() -> InvalidInput:
    return invalid("authen_code", "This authen code belongs to a visit at another unit: a unit claims only its own "
                   "visits.", "รหัสยืนยันนี้เป็นของการเข้ารับบริการที่หน่วยบริการอื่น หน่วยบริการเบิกได้เฉพาะการเข้ารับบริการของตนเอง",
                   "VISIT_OTHER_UNIT")


def visit_not_claimable(status_en: str, status_th: str) -> Conflict:
    return Conflict(f"This visit was closed without a claim ({status_en}); it cannot be claimed. Verify the "
                    "person again to open a new visit.",
                    f"การเข้ารับบริการนี้ปิดไปแล้วโดยไม่มีการเบิก ({status_th}) จึงเบิกไม่ได้ "
                    "กรุณายืนยันตัวตนใหม่เพื่อเปิดการเข้ารับบริการใหม่", code="VISIT_NOT_CLAIMABLE", field="authen_code")


class ClaimWrittenAround(Exception):  # noqa: N818 (a signal to the caller, not a refusal)
    """A claim for the authen code was committed meanwhile by a path that did not take the visit's lock: the unique
    index ``claim_one_current_per_authen_code`` refused ours and the transaction is spoiled. Raised out of that
    transaction; the caller answers again in a new one, which then finds the claim and refuses it as a duplicate."""


def duplicate(reference: str, claim_id: int) -> Conflict:
    error = Conflict(f"A claim for this authen code was already sent ({reference}). Follow that claim; to change "
                     "it after a rejection, send a correction of it.",
                     f"ส่งเคลมของรหัสยืนยันนี้ไปแล้ว ({reference}) กรุณาติดตามเคลมนั้น หากถูกปฏิเสธให้ส่งฉบับแก้ไข",
                     code="CLAIM_DUPLICATE", field="authen_code")
    error.reference, error.claim_id = reference, claim_id
    return error


def claim_not_found() -> NotFound:
    return NotFound("No such claim at this unit.", "ไม่พบเคลมนี้ของหน่วยบริการนี้", code="CLAIM_NOT_FOUND")


def not_correctable(status_en: str, status_th: str) -> Conflict:
    return Conflict(f"Only a rejected claim can be corrected; this one is {status_en}.",
                    f"แก้ไขได้เฉพาะเคลมที่ไม่ผ่าน เคลมนี้มีสถานะ {status_th}", code="CLAIM_NOT_CORRECTABLE")


def idempotency_key_reused() -> InvalidInput:
    return invalid("Idempotency-Key", "This Idempotency-Key was already used with a different request body. Use a "
                   "new key for a new claim; a retry must send exactly the same body.",
                   "Idempotency-Key นี้ถูกใช้กับข้อมูลอื่นไปแล้ว เคลมใหม่ต้องใช้คีย์ใหม่ การส่งซ้ำต้องส่งข้อมูลเดิมทุกประการ",
                   "IDEMPOTENCY_KEY_REUSED")
