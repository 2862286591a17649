"""Errors of linking a LINE account to a citizen (codes are the contract with the LIFF pages), and the face
engine being unavailable (a citizen's reference face cannot be made or matched)."""

from __future__ import annotations

import datetime as dt

from raksa.core.errors import Conflict, DomainError, Forbidden, NotFound
from raksa.core.thaidate import format_datetime


class FaceEngineDown(DomainError):
    """The face engine cannot run (its models are missing or broken): 503; the LINE confirmation still works."""

    status = 503
    code = "FACE_ENGINE_UNAVAILABLE"


class LinkLocked(DomainError):
    """Too many failed attempts for this LINE account or this national ID: try again after ``locked_until``."""

    status = 429
    code = "LINK_LOCKED"

    def __init__(self, locked_until: dt.datetime, *, just_now: bool = False) -> None:
        when_th, when_en = format_datetime(locked_until), format_datetime(locked_until, language="en")
        if just_now:
            en = (f"The details do not match the registry, and there have been too many attempts: linking is locked "
                  f"until {when_en} (Thai time).")
            th = (f"ข้อมูลไม่ตรงกับทะเบียน และลองผิดหลายครั้งเกินไป จึงระงับการเชื่อมบัญชีไว้จนถึง "
                  f"{when_th} (เวลาประเทศไทย)")
        else:
            en = f"Too many wrong attempts: linking is locked until {when_en} (Thai time). Please try again then."
            th = f"ลองผิดหลายครั้งเกินไป ระงับการเชื่อมบัญชีไว้จนถึง {when_th} (เวลาประเทศไทย) กรุณาลองใหม่หลังเวลานั้น"
        super().__init__(en, th)
        self.locked_until = locked_until


def link_refused() -> Forbidden:
    """One message whatever was wrong (unknown ID, birth date or laser code): no hint for a guesser."""
    return Forbidden("These details do not match the registry. Check the national ID, the date of birth and the "
                     "laser code on the back of the ID card, then try again.",
                     "ข้อมูลไม่ตรงกับทะเบียน กรุณาตรวจสอบเลขประจำตัวประชาชน วันเกิด และเลขหลังบัตรประชาชน "
                     "แล้วลองอีกครั้ง", code="LINK_REFUSED")


def line_already_linked() -> Conflict:
    return Conflict("This LINE account is already linked to a person. Unlink it first to link another.",
                    "บัญชี LINE นี้เชื่อมกับบุคคลหนึ่งอยู่แล้ว หากต้องการเชื่อมกับบุคคลอื่น กรุณายกเลิกการเชื่อมก่อน",
                    code="LINE_ALREADY_LINKED")


def citizen_already_linked() -> Conflict:
    return Conflict("This national ID is already linked to another LINE account. Unlink it from that account "
                    "first, or contact the helpline.",
                    "เลขประจำตัวประชาชนนี้เชื่อมกับบัญชี LINE อื่นอยู่แล้ว กรุณายกเลิกการเชื่อมจากบัญชีนั้นก่อน "
                    "หรือติดต่อสายด่วน", code="CITIZEN_ALREADY_LINKED", field="national_id")


def line_not_linked() -> NotFound:
    return NotFound("This LINE account is not linked to anyone.", "บัญชี LINE นี้ยังไม่ได้เชื่อมกับบุคคลใด",
                    code="LINE_NOT_LINKED")
