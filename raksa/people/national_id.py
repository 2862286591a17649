"""Thai national ID (เลขประจำตัวประชาชน): 13 digits, the last a check digit.

check = (11 - sum(d_i * (14 - i) for i = 1..12) mod 11) mod 10
"""

from __future__ import annotations

import operator
import re

from raksa.core.errors import InvalidInput
from raksa.core.thai_input import SWITCH_LAYOUT_EN, SWITCH_LAYOUT_TH, ascii_digits, typed_with_thai_layout

_SEPARATORS = re.compile(r"[\s-]")


_WEIGHTS = range(13, 1, -1)


def check_digit(first12: str) -> int:
    total = sum(map(operator.mul, map(int, first12), _WEIGHTS))
    return (11 - total % 11) % 10


def is_valid(value: str) -> bool:
    return len(value) == 13 and value.isascii() and value.isdigit() and int(value[12]) == check_digit(value[:12])


def normalize(value: str) -> str:
    """Strip spaces and dashes (``1-2345-67890-12-3``), read Thai digits (``๑-๒๓๔๕-…``) and validate;
    raise InvalidInput if wrong (with a hint to switch the keyboard when it was typed on the Thai layout)."""
    digits = _SEPARATORS.sub("", ascii_digits(value))
    if typed_with_thai_layout(digits):
        raise InvalidInput(f"A national ID has 13 digits. {SWITCH_LAYOUT_EN}",
                           f"เลขประจำตัวประชาชนต้องเป็นตัวเลข 13 หลัก {SWITCH_LAYOUT_TH}",
                           code="INVALID_NATIONAL_ID", field="national_id")
    if not (len(digits) == 13 and digits.isascii() and digits.isdigit()):
        raise InvalidInput(
            "A national ID has 13 digits.",
            "เลขประจำตัวประชาชนต้องมี 13 หลัก",
            code="INVALID_NATIONAL_ID",
            field="national_id",
        )
    if int(digits[12]) != check_digit(digits[:12]):
        raise InvalidInput(
            "This national ID is not valid (check digit does not match). Please check each digit.",
            "เลขประจำตัวประชาชนไม่ถูกต้อง (เลขตรวจสอบไม่ตรง) กรุณาตรวจสอบอีกครั้ง",
            code="INVALID_NATIONAL_ID",
            field="national_id",
        )
    return digits


def mask(value: str) -> str:
    """``1234567890123`` -> ``1-2345-xxxxx-xx-3``: enough to tell people apart, not enough to misuse."""
    return f"{value[0]}-{value[1:5]}-xxxxx-xx-{value[12]}"


def format_full(value: str) -> str:
    return f"{value[0]}-{value[1:5]}-{value[5:10]}-{value[10:12]}-{value[12]}"
