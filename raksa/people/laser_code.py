"""The laser code (เลขหลังบัตร) printed on the back of the Thai ID card: 2 Latin letters and 10 digits,
usually written ``ME1-2345678-90``. Linking a LINE account asks for it as proof of holding the card.

It is stored like the national ID's lookup column: an HMAC only (``Citizen.laser_hash``), never in clear.
The HMAC input is prefixed (``laser:``) so a laser code's digest can never equal a national ID's (13 digits,
no prefix) even though both use the same key.
"""

from __future__ import annotations

import re

from raksa.core import pii
from raksa.core.errors import InvalidInput
from raksa.core.thai_input import SWITCH_LAYOUT_EN, SWITCH_LAYOUT_TH, ascii_digits

_SEPARATORS = re.compile(r"[\s\-–—.]")
_SHAPE = re.compile(r"[A-Z]{2}[0-9]{10}")
_DOMAIN = "laser:"


def normalize(value: str) -> str:
    """``me1-2345678-90``, ``ME1 2345678 90``, ``ME๑-๒๓๔๕๖๗๘-๙๐`` -> ``ME1234567890``; raise InvalidInput
    (field ``laser_code``) for anything else."""
    text = _SEPARATORS.sub("", ascii_digits(value if isinstance(value, str) else ""))
    if not text.isascii():
        raise InvalidInput(f"The laser code is 2 Latin letters and 10 digits, e.g. ME1-2345678-90. {SWITCH_LAYOUT_EN}",
                           f"เลขหลังบัตรคือตัวอักษรภาษาอังกฤษ 2 ตัวและตัวเลข 10 หลัก เช่น ME1-2345678-90 "
                           f"{SWITCH_LAYOUT_TH}", field="laser_code")
    text = text.upper()
    if not _SHAPE.fullmatch(text):
        raise InvalidInput("The laser code is 2 Latin letters and 10 digits, e.g. ME1-2345678-90 (on the back of "
                           "the ID card).",
                           "เลขหลังบัตรคือตัวอักษรภาษาอังกฤษ 2 ตัวและตัวเลข 10 หลัก เช่น ME1-2345678-90 "
                           "(ด้านหลังบัตรประชาชน)", field="laser_code")
    return text


def digest(normalized: str) -> bytes:
    """The stored form of a normalised laser code (HMAC-SHA256, domain-separated from the national ID's)."""
    return pii.lookup_hash(_DOMAIN + normalized)


def format_code(normalized: str) -> str:
    """``ME1234567890`` -> ``ME1-2345678-90``, as printed on the card."""
    return f"{normalized[:3]}-{normalized[3:10]}-{normalized[10:]}"
