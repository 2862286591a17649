"""Why verification is refused (codes are the contract with the portal, the API and the LIFF pages)."""

from __future__ import annotations

from raksa.booking.models import BookingStatus
from raksa.core.choices import choice_labels
from raksa.core.errors import Conflict, Forbidden, InvalidInput, NotFound


def qr_unknown() -> NotFound:
    return NotFound("This QR code is not a Raksa rights code. Ask the person to open it again in LINE.",
                    "QR นี้ไม่ใช่ QR ยืนยันสิทธิของระบบ กรุณาให้ผู้รับบริการเปิด QR ใหม่จาก LINE",
                    code="QR_UNKNOWN", field="token")


def qr_expired() -> Conflict:
    return Conflict("This QR code has expired or was replaced by a newer one. Ask the person to show the QR "
                    "on their screen now.",
                    "QR นี้หมดอายุแล้วหรือมีการออก QR ใหม่แทน กรุณาให้ผู้รับบริการแสดง QR ที่อยู่บนหน้าจอตอนนี้",
                    code="QR_EXPIRED", field="token")


def qr_used() -> Conflict:
    return Conflict("This QR code has already been used. Each code works once: ask for a new one.",
                    "QR นี้ถูกใช้ไปแล้ว QR แต่ละรหัสใช้ได้ครั้งเดียว กรุณาขอ QR ใหม่", code="QR_USED", field="token")


def qr_other_unit(unit_name: str) -> Conflict:
    return Conflict(f"This QR code is for a booking at another unit ({unit_name}). No visit was opened and the code "
                    "still works there; or verify the person here as a walk-in.",
                    f"QR นี้เป็นของการจองที่หน่วยบริการอื่น ({unit_name}) ยังไม่ได้เปิดการเข้ารับบริการ ผู้รับบริการยังใช้ QR นี้"
                    "ที่หน่วยนั้นได้ หรือยืนยันตัวตนที่นี่แบบไม่ได้จอง", code="QR_OTHER_UNIT", field="token")


def visit_open_elsewhere(unit_name: str) -> Conflict:
    return Conflict(f"This person has an open visit at {unit_name} today. That unit must send its claim or close "
                    "the visit without service before another unit can verify them.",
                    f"บุคคลนี้มีการเข้ารับบริการที่ยังเปิดอยู่ที่ {unit_name} หน่วยนั้นต้องส่งเคลมหรือปิดการเข้ารับบริการ"
                    "ก่อน หน่วยอื่นจึงจะยืนยันตัวตนได้", code="VISIT_OPEN_ELSEWHERE")


def visit_not_found() -> NotFound:
    return NotFound("No such visit at this unit.", "ไม่พบการเข้ารับบริการนี้ที่หน่วยบริการนี้", code="VISIT_NOT_FOUND")


def visit_not_open(status_label_en: str, status_label_th: str) -> Conflict:
    return Conflict(f"This visit is no longer open ({status_label_en}).",
                    f"การเข้ารับบริการนี้ปิดไปแล้ว ({status_label_th})", code="VISIT_NOT_OPEN")


def not_eligible(reasons: list[dict[str, str]]) -> Conflict:
    en = " ".join(r["message_en"] for r in reasons) or "The person has no right to this service here today."
    th = " ".join(r["message"] for r in reasons) or "บุคคลนี้ไม่มีสิทธิรับบริการนี้ที่หน่วยนี้ในวันนี้"
    return Conflict(en, th, code="NOT_ELIGIBLE")


def booking_not_usable(status: str) -> Conflict:
    label = choice_labels(BookingStatus, status)
    return Conflict(f"This booking is no longer active ({label.en}). No visit was opened: verify the person as a "
                    "walk-in.",
                    f"การจองนี้ไม่อยู่ในสถานะที่ใช้ได้แล้ว ({label.th}) ยังไม่ได้เปิดการเข้ารับบริการ "
                    "กรุณายืนยันตัวตนแบบไม่ได้จอง",
                    code="BOOKING_NOT_ACTIVE", field="token")


def booking_other_day() -> Conflict:
    return Conflict("The booking this QR code was made for is on another day. No visit was opened.",
                    "การจองของ QR นี้เป็นของวันอื่น ยังไม่ได้เปิดการเข้ารับบริการ", code="NOT_TODAY", field="token")


def booking_not_here() -> Conflict:
    return Conflict("This booking is not for this unit today. No visit was opened: verify the person as a walk-in.",
                    "การจองนี้ไม่ใช่ของหน่วยบริการนี้ในวันนี้ ยังไม่ได้เปิดการเข้ารับบริการ กรุณายืนยันตัวตนแบบไม่ได้จอง",
                    code="BOOKING_NOT_HERE", field="booking")


def service_needed() -> InvalidInput:
    return InvalidInput("Choose the service the person came for.", "กรุณาเลือกบริการที่ผู้รับบริการมารับ",
                        code="SERVICE_REQUIRED", field="service")


def confirm_unknown() -> NotFound:
    return NotFound("This QR code is not a Raksa confirmation code, or it was changed. Ask the unit to show a new one.",
                    "QR นี้ไม่ใช่ QR ยืนยันของระบบ หรือถูกแก้ไข กรุณาขอให้หน่วยบริการแสดง QR ใหม่",
                    code="CONFIRM_UNKNOWN", field="token")


def confirm_expired() -> Conflict:
    return Conflict("This confirmation QR code has expired or was replaced. Ask the unit to show a new one.",
                    "QR ยืนยันนี้หมดอายุหรือถูกแทนที่แล้ว กรุณาขอให้หน่วยบริการแสดง QR ใหม่",
                    code="CONFIRM_EXPIRED", field="token")


def confirm_used() -> Conflict:
    return Conflict("This confirmation QR code has already been answered. Each code works once.",
                    "QR ยืนยันนี้ถูกใช้ไปแล้ว แต่ละรหัสใช้ได้ครั้งเดียว", code="CONFIRM_USED", field="token")


def confirm_wrong_person() -> Forbidden:
    return Forbidden("This QR code is for another person, so nothing was confirmed. Only the person being served "
                     "confirms it, in their own LINE.",
                     "QR นี้เป็นของบุคคลอื่น จึงยังไม่มีการยืนยันใด ๆ ผู้รับบริการต้องยืนยันด้วย LINE ของตนเองเท่านั้น",
                     code="CONFIRM_WRONG_PERSON", field="token")


def line_not_linked() -> Conflict:
    return Conflict("This person has not linked a LINE account to Raksa, so they cannot confirm in LINE. Verify by "
                    "face, or help them link their LINE account first (in LINE, on Raksa's page for linking the ID "
                    "card).",
                    "บุคคลนี้ยังไม่ได้เชื่อมบัญชี LINE กับระบบ จึงยืนยันผ่าน LINE ไม่ได้ กรุณาสแกนใบหน้า "
                    "หรือช่วยให้เชื่อมบัญชี LINE ก่อน (ในไลน์ หน้าเชื่อมบัญชีกับบัตรประชาชน)", code="LINE_NOT_LINKED")
