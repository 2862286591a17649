"""Service days are Asia/Bangkok dates; instants are stored in UTC.

Local midnight is 17:00 UTC the day before, so ``instant.date()`` on a UTC datetime is wrong for
seven hours of every day. Always go through :func:`service_day`.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

from raksa.core.errors import InvalidInput

BANGKOK = ZoneInfo("Asia/Bangkok")


def service_day(instant: dt.datetime | None = None) -> dt.date:
    """The Bangkok calendar date of ``instant`` (now if omitted). Naive datetimes are refused."""
    instant = instant or timezone.now()
    if timezone.is_naive(instant):
        raise ValueError("service_day needs an aware datetime")
    return instant.astimezone(BANGKOK).date()


def parse_date(value: str, *, field: str = "date") -> dt.date:
    """Parse an ISO date (YYYY-MM-DD) or raise an InvalidInput that says what is expected."""
    try:
        return dt.date.fromisoformat(value.strip())
    except (ValueError, AttributeError, TypeError):
        raise InvalidInput(
            f"'{value}' is not a date: use YYYY-MM-DD (Christian year), e.g. 2026-11-26.",
            f"'{value}' ไม่ใช่วันที่: ใช้รูปแบบ ปปปป-ดด-วว (ปี ค.ศ.) เช่น 2026-11-26",
            code="INVALID_DATE",
            field=field,
        ) from None
