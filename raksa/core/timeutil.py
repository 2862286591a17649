"""Service days are Asia/Bangkok dates; instants are stored in UTC.

Local midnight is 17:00 UTC the day before, so ``instant.date()`` on a UTC datetime is wrong for
seven hours of every day. Always go through :func:`service_day`.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

from raksa.core.errors import InvalidInput
from raksa.core.thai_input import SWITCH_LAYOUT_EN, SWITCH_LAYOUT_TH, ascii_digits, typed_with_thai_layout

BANGKOK = ZoneInfo("Asia/Bangkok")


def service_day(instant: dt.datetime | None = None) -> dt.date:
    """The Bangkok calendar date of ``instant`` (now if omitted). Naive datetimes are refused."""
    instant = instant or timezone.now()
    if timezone.is_naive(instant):
        raise ValueError("service_day needs an aware datetime")
    return instant.astimezone(BANGKOK).date()


EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2199, 12, 31)


def parse_date(value: str, *, field: str = "date") -> dt.date:
    """Parse an ISO date (YYYY-MM-DD, Thai digits too) between 1900 and 2199 (a date arithmetic on 9999-12-31
    would overflow, and a Buddhist-year typo such as 2569-11-26 is caught and explained) or raise a clear
    InvalidInput."""
    text = ascii_digits(value).strip() if isinstance(value, str) else value
    try:
        day = dt.date.fromisoformat(text)
    except (ValueError, AttributeError, TypeError):
        day = None
    if day is not None and EARLIEST <= day <= LATEST:
        return day
    if day is not None and 2400 <= day.year <= 2800:
        ce = day.year - 543
        raise InvalidInput(f"{day.year} is a Buddhist year (B.E.): write the Christian year {ce}, e.g. "
                           f"{ce}-{day:%m-%d}.",
                           f"ปี {day.year} เป็นปี พ.ศ. กรุณาใช้ปี ค.ศ. {ce} เช่น {ce}-{day:%m-%d}",
                           code="INVALID_DATE", field=field)
    if isinstance(value, str) and typed_with_thai_layout(value):
        raise InvalidInput(f"'{value}' is not a date. {SWITCH_LAYOUT_EN}", f"'{value}' ไม่ใช่วันที่ {SWITCH_LAYOUT_TH}",
                           code="INVALID_DATE", field=field)
    raise InvalidInput(f"'{value}' is not a date: use YYYY-MM-DD (Christian year), e.g. 2026-11-26.",
                       f"'{value}' ไม่ใช่วันที่: ใช้รูปแบบ ปปปป-ดด-วว (ปี ค.ศ.) เช่น 2026-11-26",
                       code="INVALID_DATE", field=field)
