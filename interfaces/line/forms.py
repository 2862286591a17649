"""The link-identity form: national ID, date of birth (Buddhist year welcome), laser code."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from raksa.core.errors import DomainError
from raksa.core.thai_input import ascii_digits
from raksa.core.thaidate import EN_MONTHS_SHORT, THAI_MONTHS
from raksa.people import national_id as nid

LASER_SHAPE = re.compile(r"^[A-Z]{2}[0-9]{10}$")


def _months() -> list[tuple[str, str]]:
    english = (get_language() or "th").startswith("en")
    names = EN_MONTHS_SHORT if english else THAI_MONTHS
    return [("", "—")] + [(str(number), name) for number, name in enumerate(names, start=1)]


class LinkForm(forms.Form):
    national_id = forms.CharField(label=_("National ID (13 digits)"), max_length=32,
                                  widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
                                  error_messages={"required": _("Enter your 13-digit national ID.")})
    birth_day = forms.TypedChoiceField(label=pgettext_lazy("date of birth", "Day"), coerce=int,
                                       choices=[("", "—")] + [(str(d), str(d)) for d in range(1, 32)],
                                       error_messages={"required": _("Choose the day you were born.")})
    birth_month = forms.TypedChoiceField(label=_("Month"), coerce=int, choices=(),
                                         error_messages={"required": _("Choose the month you were born.")})
    birth_year = forms.CharField(label=_("Year (B.E.)"), max_length=8,
                                 widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off",
                                                               "placeholder": "2499"}),
                                 error_messages={"required": _("Enter the year you were born, e.g. 2499.")})
    laser_code = forms.CharField(label=_("Laser code (back of the ID card)"), max_length=32,
                                 widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters",
                                                               "spellcheck": "false",
                                                               "aria-describedby": "id_laser_code-hint"}),
                                 error_messages={"required": _("Enter the laser code from the back of your ID card.")})

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["birth_month"].choices = _months()

    def clean_national_id(self) -> str:
        try:
            return nid.normalize(self.cleaned_data["national_id"])
        except DomainError as exc:
            raise forms.ValidationError(exc.message(get_language())) from None

    def clean_birth_year(self) -> int:
        text = ascii_digits(self.cleaned_data["birth_year"]).strip()
        if not (text.isascii() and text.isdigit() and len(text) == 4):
            raise forms.ValidationError(_("Write the year as 4 digits, e.g. 2499 (B.E.) or 1956."))
        year = int(text)
        if year >= 2400:  # a Buddhist-era year, as printed on Thai ID cards
            year -= 543
        if not 1880 <= year <= dt.date.today().year:
            raise forms.ValidationError(_("This year of birth is not possible. Check it, e.g. 2499 (B.E.)."))
        return year

    def clean_laser_code(self) -> str:
        text = ascii_digits(self.cleaned_data["laser_code"]).upper()
        compact = re.sub(r"[\s\-]", "", text)
        if not LASER_SHAPE.match(compact):
            raise forms.ValidationError(_("The laser code is 2 English letters and 10 digits, e.g. ME0-1234567-89."))
        return compact

    def clean(self):
        data = super().clean()
        day, month, year = data.get("birth_day"), data.get("birth_month"), data.get("birth_year")
        if day and month and year:
            try:
                born = dt.date(year, month, day)
            except ValueError:
                self.add_error("birth_day", _("This date does not exist. Check the day and the month."))
            else:
                if born > dt.date.today():
                    self.add_error("birth_year", _("The date of birth is in the future. Check the year."))
                data["birth_date"] = born
        return data

    def add_domain_error(self, exc: DomainError) -> None:
        """A refusal from linking: on its field when it names one of ours, else for the whole form."""
        field = exc.field if exc.field in self.fields else None
        self.add_error(field, exc.message(get_language()))
