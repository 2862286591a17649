"""Why a rights QR is refused (codes are the contract with the scanning side)."""

from __future__ import annotations

from raksa.core.errors import Conflict, NotFound


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
