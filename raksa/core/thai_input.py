"""What people really type: Thai digits (๐–๙), and digits typed with the Thai keyboard layout by mistake.

Thai digits are ordinary digits written in Thai script: they are converted. Text from the number row of
the Thai Kedmanee layout (ๅ / - ภ ถ ุ ึ ค ต จ ข for 1 2 3 4 5 6 7 8 9 0 -) cannot be converted reliably
(``-`` is both a separator and the 3 key), so it gets a hint to switch the layout instead.
"""

from __future__ import annotations

THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
# 1 4 5 6 7 8 9 0 and the - key; "/" (2) and "-" (3) are also typed on purpose, so they alone prove nothing.
_THAI_LAYOUT_NUMBER_ROW = frozenset("ๅภถุึคตจข")

SWITCH_LAYOUT_EN = ("It looks like the keyboard is set to Thai: switch it to English (the ~ key or Alt+Shift) "
                    "or use the number pad, then type the number again.")
SWITCH_LAYOUT_TH = ("ดูเหมือนแป้นพิมพ์เป็นภาษาไทยอยู่ กรุณาเปลี่ยนเป็นภาษาอังกฤษ (ปุ่ม ~ หรือ Alt+Shift) "
                    "หรือใช้แป้นตัวเลข แล้วพิมพ์ตัวเลขอีกครั้ง")


def ascii_digits(value: str) -> str:
    """``๑-๒๓๔๕`` -> ``1-2345``; everything else unchanged."""
    return (value or "").translate(THAI_DIGITS)


def typed_with_thai_layout(value: str) -> bool:
    """True when a number was typed on the Thai layout's number row (e.g. ``ๅ/-ภถ`` for ``12345``)."""
    return any(ch in _THAI_LAYOUT_NUMBER_ROW for ch in value or "")
