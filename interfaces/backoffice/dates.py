"""Dates in the back office's forms and filters: Thai with the Buddhist year (raksa.core.thaidate).

Date inputs stay ISO (what browsers send) and show the Buddhist-year reading beside them
(:class:`BuddhistDateInput`); the date hierarchy is drawn by :func:`date_hierarchy`; audit values show
their dates in Thai. Shown dates (columns, read-only fields) are interfaces.backoffice.display's.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext

from interfaces.backoffice.display import EMPTY, display_date, language
from raksa.core import thaidate


def check_year(value: dt.date | None) -> None:
    """Dates are entered with the Christian year (ISO); 2569-11-29 is a Buddhist year typed by mistake."""
    if value is not None and not 1900 <= value.year <= 2199:
        raise ValidationError(
            "ปีต้องเป็นปี ค.ศ. (เช่น %(ce)s ไม่ใช่ %(year)s) ช่องนี้ใช้ปี ค.ศ. ส่วนปี พ.ศ. แสดงอยู่ข้างช่อง",
            code="invalid_year", params={"ce": value.year - 543, "year": value.year})


class BuddhistDateInput(forms.DateInput):
    """``<input type="date">`` (ISO, what the browser sends) with the Thai reading beside it,
    e.g. ``29 พ.ย. 2569``, kept up to date by backoffice.js as the officer types."""

    input_type = "date"
    template_name = "backoffice/widgets/buddhist_date.html"

    class Media:
        js = ["backoffice/backoffice.js"]
        css = {"all": ["backoffice/backoffice.css"]}

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        reading = ""
        if isinstance(value, dt.date):
            reading = thaidate.format_date(value, language=language())
        elif isinstance(value, str):
            try:
                reading = thaidate.format_date(dt.date.fromisoformat(value), language=language())
            except ValueError:
                reading = ""
        context["widget"].update(reading=reading, english=language().startswith("en"),
                                 months=json.dumps(thaidate.THAI_MONTHS, ensure_ascii=False))
        return context


def _year_title(year: int) -> str:
    return str(year) if language().startswith("en") else f"พ.ศ. {thaidate.buddhist_year(year)}"


def _month_title(year: int, month: int) -> str:
    if language().startswith("en"):
        return f"{thaidate.EN_MONTHS_SHORT[month - 1]} {year}"
    return f"{thaidate.THAI_MONTHS[month - 1]} {thaidate.buddhist_year(year)}"


def _day_title(day: dt.date) -> str:
    return thaidate.format_date(day, language=language(), short=True)


def date_hierarchy(cl) -> dict[str, Any]:
    """The changelist's drill-down by year, month and day, titled in Thai with Buddhist years.

    Unlike Django's, it asks the database only for the first and last date (an index's two ends) and
    offers every year, month or day between them, instead of listing the distinct dates (a scan of the
    whole audit log on every visit)."""
    name = cl.date_hierarchy
    year, month, day = (cl.params.get(f"{name}__{part}") for part in ("year", "month", "day"))

    def link(filters: dict[str, Any]) -> str:
        return cl.get_query_string(filters, [f"{name}__"])

    span = cl.queryset.aggregate(first=Min(name), last=Max(name))
    if span["first"] is None:
        return {"show": False}
    first, last = span["first"], span["last"]
    if isinstance(first, dt.datetime):
        first, last = timezone.localtime(first).date(), timezone.localtime(last).date()
    try:
        year, month, day = (int(v) if v else None for v in (year, month, day))
    except ValueError:
        year = month = day = None
    if year is None and first.year == last.year:
        year = first.year
    if year and month is None and (first.year, first.month) == (last.year, last.month):
        month = first.month
    if year and month and day:
        return {"show": True, "back": {"link": link({f"{name}__year": year, f"{name}__month": month}),
                                       "title": _month_title(year, month)},
                "choices": [{"title": _day_title(dt.date(year, month, day))}]}
    if year and month:
        start = max(dt.date(year, month, 1), first)
        end = min((dt.date(year, month, 28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1), last)
        days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
        return {"show": True, "back": {"link": link({f"{name}__year": year}), "title": _year_title(year)},
                "choices": [{"link": link({f"{name}__year": year, f"{name}__month": month, f"{name}__day": d.day}),
                             "title": _day_title(d)} for d in days]}
    if year:
        months = range(first.month if first.year == year else 1, (last.month if last.year == year else 12) + 1)
        return {"show": True, "back": {"link": link({}), "title": gettext("All dates")},
                "choices": [{"link": link({f"{name}__year": year, f"{name}__month": m}),
                             "title": _month_title(year, m)} for m in months]}
    return {"show": True, "back": None,
            "choices": [{"link": link({f"{name}__year": y}), "title": _year_title(y)}
                        for y in range(first.year, last.year + 1)]}


def _readable(value: Any) -> str:
    """An audit value for people: ISO dates and instants in Thai with the Buddhist year."""
    if isinstance(value, str):
        try:
            if len(value) == 10:
                return display_date(dt.date.fromisoformat(value))
            instant = dt.datetime.fromisoformat(value)
            if instant.tzinfo is not None:
                return display_date(instant)
        except ValueError:
            pass
        return value
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else str(value)


def audit_values_html(values: dict | None) -> str:
    """An audit row's before/after as a small table (key, value) with Thai dates."""
    if not values:
        return EMPTY
    if not isinstance(values, dict):
        return _readable(values)
    rows = format_html_join("", "<tr><th scope=\"row\"><code>{}</code></th><td>{}</td></tr>",
                            ((key, _readable(value)) for key, value in values.items()))
    return format_html('<table class="audit-values">{}</table>', rows)
