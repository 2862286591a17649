"""How the back office shows model values: dates in Thai with the Buddhist year, choices in Thai only,
yes/no icons with Thai text.

Django's admin prints dates with its own formats, which know only the Christian year, and prints a
choice's whole label; the domain's labels are bilingual (``ร้านยา (Pharmacy)``) because its Thai and
English messages both quote them. :class:`ThaiDisplayMixin` swaps every date and choice field the admin
would print (list columns, read-only fields, view-only pages, inlines) for a column that prints it
through raksa.core.thaidate or :func:`choice_label`, gives choice fields' filters and form fields the
same labels, and is used by every ModelAdmin and inline of the back office.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from django.contrib import admin
from django.db import models
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import get_language, gettext

from raksa.core import thaidate
from raksa.core.choices import split_label

EMPTY = "-"  # Django admin's empty_value_display

def language() -> str:
    return get_language() or "th"


def choice_label(label: Any) -> str:
    """A domain choice label for the page's language: in Thai, its Thai part (raksa.core.choices)."""
    return str(label) if language().startswith("en") else split_label(label).th


def display_date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return EMPTY
    if isinstance(value, dt.datetime):
        return thaidate.format_datetime(value, language=language())
    return thaidate.format_date(value, language=language(), short=True)


def display_boolean(value: bool | None) -> str:
    """Django's yes/no icon, with its text in the page's language (Django's own says alt="True")."""
    icon, text = {True: ("yes", "Yes"), False: ("no", "No"), None: ("unknown", "Unknown")}[value]
    return format_html('<img src="{}" alt="{}">', static(f"admin/img/icon-{icon}.svg"), gettext(text))


def _shown_fields(model: type[models.Model]) -> dict[str, models.Field]:
    """The model's fields that need a Thai column: dates, datetimes, booleans and fields with choices."""
    return {f.name: f for f in model._meta.concrete_fields
            if isinstance(f, models.DateField | models.BooleanField) or (f.choices and not f.is_relation)}


_columns: dict[tuple[type[models.Model], str], Callable[[Any], str]] = {}


def thai_column(model: type[models.Model], name: str) -> Callable[[Any], str]:
    """A list/read-only column showing ``model.name`` in Thai. The same function object is returned
    each time: the admin compares read-only fields by identity."""
    key = (model, name)
    if key not in _columns:
        field = _shown_fields(model)[name]
        if isinstance(field, models.DateField):
            def column(obj: Any) -> str:
                return display_date(getattr(obj, name))
        elif isinstance(field, models.BooleanField):
            def column(obj: Any) -> str:
                return display_boolean(getattr(obj, name))
        else:
            labels = dict(field.flatchoices)

            def column(obj: Any) -> str:
                value = getattr(obj, name)
                return choice_label(labels.get(value, value)) if value not in (None, "") else EMPTY

        column.__name__ = name  # the column keeps the field's CSS class (column-<name>, field-<name>)
        column.short_description = field.verbose_name  # type: ignore[attr-defined]
        column.admin_order_field = name  # type: ignore[attr-defined]
        _columns[key] = column
    return _columns[key]


class ThaiChoicesFilter(admin.ChoicesFieldListFilter):
    def choices(self, changelist):
        for choice in super().choices(changelist):
            yield {**choice, "display": choice_label(choice["display"])}


class ThaiDisplayMixin:
    """For ModelAdmin and inlines: date, boolean and choice fields that are shown, not edited, print in Thai;
    choice filters and choice inputs use the Thai labels."""

    def _thai(self, names: Sequence[Any], shown: set[str] | None = None) -> list[Any]:
        fields = _shown_fields(self.model)
        return [thai_column(self.model, n) if isinstance(n, str) and n in fields and
                (shown is None or n in shown) else n for n in names]

    def get_list_display(self, request):
        return self._thai(super().get_list_display(request))

    def get_list_filter(self, request):
        fields = _shown_fields(self.model)
        return [(name, ThaiChoicesFilter) if isinstance(name, str) and name in fields and fields[name].choices
                else name for name in super().get_list_filter(request)]

    def get_readonly_fields(self, request, obj=None):
        return self._thai(super().get_readonly_fields(request, obj))  # subclasses adding names: self._thai() them

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is not None and not self.has_change_permission(request, obj):
            return self._thai(fields)  # a view-only page shows every field
        readonly = {getattr(n, "__name__", n) for n in self.get_readonly_fields(request, obj)}
        readonly |= {n for n, f in _shown_fields(self.model).items() if not f.editable}
        return self._thai(fields, readonly)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        field = super().formfield_for_choice_field(db_field, request, **kwargs)
        field.choices = [(value, choice_label(label)) for value, label in field.choices]
        return field
