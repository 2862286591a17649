"""The back office's weekly opening-hours editor: seven days, each with zero or more from–to times.

The widget posts ``<name>_<day>_from`` / ``<name>_<day>_to`` pairs; the field checks the week with the
domain's rule (raksa.core.weekly_hours), the same one ``unit_set_opening_hours`` applies when saving.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language

from raksa.core import weekly_hours
from raksa.core.errors import InvalidInput


def _day_names() -> dict[str, str]:
    english = (get_language() or "th").startswith("en")
    return weekly_hours.DAY_NAMES_EN if english else weekly_hours.DAY_NAMES_TH


class WeeklyHoursWidget(forms.Widget):
    template_name = "backoffice/widgets/weekly_hours.html"

    class Media:
        js = ["backoffice/backoffice.js"]
        css = {"all": ["backoffice/backoffice.css"]}

    def id_for_label(self, id_: str) -> None:
        return None  # seven days of inputs: the editor is a labelled group, not one input

    def get_context(self, name: str, value: Any, attrs: dict | None) -> dict:
        context = super().get_context(name, value, attrs)
        week = value if isinstance(value, dict) else {}
        names = _day_names()
        context["widget"]["days"] = [
            {"key": day, "name": names[day],
             "intervals": [list(pair) + [""] * (2 - len(pair)) for pair in week.get(day) or []
                           if isinstance(pair, list | tuple) and len(pair) <= 2]}
            for day in weekly_hours.DAYS]
        return context

    def value_from_datadict(self, data, files, name: str) -> dict[str, list[list[str]]] | None:
        if self.value_omitted_from_data(data, files, name):
            return None
        week = {}
        for day in weekly_hours.DAYS:
            starts, ends = data.getlist(f"{name}_{day}_from"), data.getlist(f"{name}_{day}_to")
            week[day] = [[start.strip(), end.strip()] for start, end in zip(starts, ends, strict=False)
                         if start.strip() or end.strip()]  # a row left empty is no interval
        return week

    def value_omitted_from_data(self, data, files, name: str) -> bool:
        return f"{name}_present" not in data


class WeeklyHoursField(forms.Field):
    """A week of opening hours; cleaned to all seven days, sorted, by the domain's check."""

    widget = WeeklyHoursWidget

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> dict[str, list[list[str]]]:
        try:
            return weekly_hours.week_check(value or {}, field=None)
        except InvalidInput as exc:
            raise forms.ValidationError(exc.message(get_language()), code=exc.code) from None

    def has_changed(self, initial: Any, data: Any) -> bool:
        if data is None:
            return False
        try:
            return weekly_hours.week_check(initial or {}) != weekly_hours.week_check(data)
        except InvalidInput:
            return True
