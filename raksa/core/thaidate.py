"""Dates for people: Thai with the Buddhist year (พ.ศ. = ค.ศ. + 543), English with the Christian year."""

from __future__ import annotations

import datetime as dt

from raksa.core.timeutil import BANGKOK

THAI_MONTHS = ["มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม",
               "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"]
THAI_MONTHS_SHORT = ["ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.",
                     "พ.ย.", "ธ.ค."]
EN_MONTHS_SHORT = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def buddhist_year(year: int) -> int:
    return year + 543


def format_date(value: dt.date | dt.datetime | None, *, language: str = "th", short: bool = False) -> str:
    """``26 พฤศจิกายน 2569`` (th), ``26 พ.ย. 2569`` (th, short), ``26 Nov 2026`` (en).

    A datetime is first moved to Bangkok time, so an instant shows its local service day.
    """
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.astimezone(BANGKOK) if value.tzinfo else value
        value = value.date()
    if language.startswith("en"):
        return f"{value.day} {EN_MONTHS_SHORT[value.month - 1]} {value.year}"
    months = THAI_MONTHS_SHORT if short else THAI_MONTHS
    return f"{value.day} {months[value.month - 1]} {buddhist_year(value.year)}"


def format_datetime(value: dt.datetime | None, *, language: str = "th") -> str:
    if value is None:
        return ""
    local = value.astimezone(BANGKOK)
    suffix = "" if language.startswith("en") else " น."
    return f"{format_date(local.date(), language=language, short=True)} {local:%H:%M}{suffix}"
