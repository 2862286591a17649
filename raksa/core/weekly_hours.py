"""Weekly hours (a unit's opening hours, a schedule's hours): the one statement of what is valid.

A week is ``{"mon": [["08:00", "12:00"], ["13:00", "17:00"]], ..., "sun": []}``: each day has zero or
more intervals of local time; a day without intervals is closed. A time is ``HH:MM`` on the 24-hour
clock; ``24:00`` may end an interval (open until midnight). Within a day every interval ends after it
starts and no two overlap (one may start when the previous ends). Forms (the portal's schedule, the
back office's opening-hours editor) and services (``unit_set_opening_hours``, ``schedule_set``) all
check through :func:`week_check`/:func:`day_check`, so the rule and its messages are stated here once.
"""

from __future__ import annotations

import re
from typing import Any

from raksa.core.errors import InvalidInput

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES_TH = {"mon": "วันจันทร์", "tue": "วันอังคาร", "wed": "วันพุธ", "thu": "วันพฤหัสบดี", "fri": "วันศุกร์",
                "sat": "วันเสาร์", "sun": "วันอาทิตย์"}
DAY_NAMES_EN = {"mon": "Monday", "tue": "Tuesday", "wed": "Wednesday", "thu": "Thursday", "fri": "Friday",
                "sat": "Saturday", "sun": "Sunday"}

_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")

FORMAT_EN = "Write the hours like 08:00-12:00, 13:00-17:00 (24-hour clock; leave empty when closed)."
FORMAT_TH = "เขียนเวลาแบบ 08:00-12:00, 13:00-17:00 (นาฬิกา 24 ชั่วโมง เว้นว่างถ้าปิด)"
ORDER_EN = "Each opening must end after it starts (e.g. 13:00-17:00)."
ORDER_TH = "เวลาปิดต้องอยู่หลังเวลาเปิด (เช่น 13:00-17:00)"
OVERLAP_EN = "The opening hours of one day overlap; list each time once."
OVERLAP_TH = "เวลาทำการของวันเดียวกันซ้อนกัน กรุณาระบุแต่ละช่วงเวลาเพียงครั้งเดียว"
WEEK_EN = "Opening hours must give each day (mon … sun) a list of from–to times."
WEEK_TH = "เวลาทำการต้องระบุแต่ละวัน (จันทร์ถึงอาทิตย์) เป็นรายการช่วงเวลา เริ่ม–สิ้นสุด"

# Every refusal has this one code (clients already switch on it); the message says which rule.
CODE = "INVALID_HOURS"


def _refuse(message_en: str, message_th: str, *, day: str | None, field: str | None) -> InvalidInput:
    if day in DAY_NAMES_EN:
        message_en, message_th = f"{DAY_NAMES_EN[day]}: {message_en}", f"{DAY_NAMES_TH[day]}: {message_th}"
    if field and day:
        field = f"{field}.{day}"
    return InvalidInput(message_en, message_th, code=CODE, field=field or day)


def _minutes(value: Any, *, end: bool) -> int:
    """Minutes after midnight of ``HH:MM`` (``24:00`` only as an end); ValueError otherwise."""
    match = _TIME.match(value.strip()) if isinstance(value, str) else None
    if not match:
        raise ValueError(value)
    hours, minutes = int(match.group(1)), int(match.group(2))
    if minutes > 59 or hours > 24 or (hours == 24 and (minutes or not end)):
        raise ValueError(value)
    return hours * 60 + minutes


def _text(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def day_check(intervals: Any, *, day: str | None = None, field: str | None = None) -> list[list[str]]:
    """The day's intervals, checked, as ``[["08:00", "12:00"], ...]`` sorted by start (``"8:00"`` becomes
    ``"08:00"``); ``[]`` is a closed day. Raises InvalidInput (code INVALID_HOURS) naming the day if given."""
    if not isinstance(intervals, list | tuple):
        raise _refuse(FORMAT_EN, FORMAT_TH, day=day, field=field)
    parsed = []
    for pair in intervals:
        try:
            start_text, end_text = pair
            start, end = _minutes(start_text, end=False), _minutes(end_text, end=True)
        except (ValueError, TypeError):
            raise _refuse(FORMAT_EN, FORMAT_TH, day=day, field=field) from None
        if end <= start:
            raise _refuse(ORDER_EN, ORDER_TH, day=day, field=field)
        parsed.append((start, end))
    parsed.sort()
    for (_start, end), (next_start, _end) in zip(parsed, parsed[1:], strict=False):
        if next_start < end:
            raise _refuse(OVERLAP_EN, OVERLAP_TH, day=day, field=field)
    return [[_text(start), _text(end)] for start, end in parsed]


def week_check(week: Any, *, field: str | None = None) -> dict[str, list[list[str]]]:
    """The whole week, checked: all seven days, each as :func:`day_check` returns it (missing days are
    closed). Unknown day keys, a day that is not a list, or a week that is not a mapping are refused."""
    if not isinstance(week, dict) or set(week) - set(DAYS):
        raise InvalidInput(WEEK_EN, WEEK_TH, code=CODE, field=field)
    return {day: day_check(week.get(day, []), day=day, field=field) for day in DAYS}


def day_format(intervals: Any) -> str:
    """``[["08:00", "12:00"], ["13:00", "17:00"]]`` -> ``"08:00-12:00, 13:00-17:00"`` (``""``: closed)."""
    return ", ".join(f"{start}-{end}" for start, end in intervals or [])
