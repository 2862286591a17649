from __future__ import annotations

import re

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from interfaces.portal.labels import service_label
from raksa.core import weekly_hours
from raksa.core.errors import DomainError, InvalidInput
from raksa.core.thai_input import SWITCH_LAYOUT_EN, SWITCH_LAYOUT_TH, ascii_digits, typed_with_thai_layout
from raksa.core.timeutil import parse_date


class PortalLoginForm(AuthenticationForm):
    """Django's login form with the portal's own labels and a plain error in the active language."""

    error_messages = {
        "invalid_login": _("The username or password is not correct. Please try again "
                           "(letters must match upper and lower case)."),
        "inactive": _("This account has been disabled. Please contact your unit administrator."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Username")
        self.fields["password"].label = _("Password")
        self.fields["username"].error_messages["required"] = _("Enter your username.")
        self.fields["password"].error_messages["required"] = _("Enter your password.")


def _national_id_field() -> forms.CharField:
    return forms.CharField(
        label=_("National ID"),
        max_length=32,
        help_text=_("13 digits; spaces and dashes are allowed."),
        error_messages={"required": _("Enter the national ID (13 digits)."),
                        "max_length": _("A national ID has 13 digits.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false",
                                      "placeholder": "x-xxxx-xxxxx-xx-x"}),
    )


def _service_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Service"),
        error_messages={"required": _("Choose a service."),
                        "invalid_choice": _("Choose one of this unit's services from the list.")},
    )


def _offer_services(form: forms.Form, services) -> None:
    form.fields["service"].choices = [("", _("— choose a service —"))] + [
        (service.code, service_label(service)) for service in services
    ]


def _date_field(label, required_message) -> forms.CharField:
    return forms.CharField(label=label, max_length=32, error_messages={"required": required_message},
                           widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))


def _clean_date(value: str, field: str):
    try:
        return parse_date(value, field=field)
    except InvalidInput as exc:
        raise forms.ValidationError(exc.message(get_language()), code=exc.code) from None


class DomainErrorsMixin:
    def add_domain_error(self, exc: DomainError) -> None:
        """Show a domain error on its field (or above the form), in the active language."""
        field = exc.field if exc.field in self.fields else None
        self.add_error(field, forms.ValidationError(exc.message(get_language()), code=exc.code))


class RightsCheckForm(DomainErrorsMixin, forms.Form):
    """Seed step 3.2 (ตรวจสอบบริการ): national ID, service, date. The ID is posted, never put in a URL.

    The national ID itself is validated by the domain (raksa.people.national_id), whose Thai/English
    message is added to the field with :meth:`add_domain_error`.
    """

    national_id = _national_id_field()
    service = _service_field()
    date = _date_field(_("Service date"), _("Enter the service date."))

    def __init__(self, *args, services=(), **kwargs):
        super().__init__(*args, **kwargs)
        _offer_services(self, services)

    def clean_date(self):
        return _clean_date(self.cleaned_data["date"], "date")


class CitizenFindForm(DomainErrorsMixin, forms.Form):
    """Step 1 of booking for a citizen: the national ID, posted (never in a URL)."""

    national_id = _national_id_field()


class BookingPickForm(forms.Form):
    """Step 2: which service and which day (no personal data: fine in the query string)."""

    service = _service_field()
    day = _date_field(_("Day"), _("Choose a day."))

    def __init__(self, *args, services=(), **kwargs):
        super().__init__(*args, **kwargs)
        _offer_services(self, services)

    def clean_day(self):
        return _clean_date(self.cleaned_data["day"], "day")


class SlotForm(forms.Form):
    """A slot chosen from the list of free times (booking, or moving a booking)."""

    slot = forms.IntegerField(min_value=1, error_messages={
        "required": _("Choose a time from the list."), "invalid": _("Choose a time from the list."),
        "min_value": _("Choose a time from the list.")})


class DayForm(forms.Form):
    day = _date_field(_("Day"), _("Choose a day."))

    def clean_day(self):
        return _clean_date(self.cleaned_data["day"], "day")


class BookingSearchForm(DomainErrorsMixin, forms.Form):
    """A booking reference (8 letters and digits) or a citizen's national ID; posted, never in a URL."""

    query = forms.CharField(
        label=_("Booking reference or national ID"),
        max_length=32,
        help_text=_("The 8-character booking reference (e.g. K7M2Q9XT) or the citizen's 13-digit national ID."),
        error_messages={"required": _("Enter a booking reference or a national ID."),
                        "max_length": _("That is too long for a reference or a national ID.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}),
    )

    def clean_query(self):
        """Thai digits are read as digits; a number typed on the Thai keyboard layout gets a hint."""
        query = ascii_digits(self.cleaned_data["query"])
        if typed_with_thai_layout(query):
            raise forms.ValidationError(SWITCH_LAYOUT_EN if get_language().startswith("en") else SWITCH_LAYOUT_TH,
                                        code="thai_layout")
        return query

    def is_national_id(self) -> bool:
        digits = re.sub(r"[\s-]", "", self.cleaned_data.get("query", ""))
        return digits.isascii() and digits.isdigit()


_HOURS_PART = re.compile(r"^(\d{1,2})[:.](\d{2})\s*(?:-|–|—|ถึง|to)\s*(\d{1,2})[:.](\d{2})$", re.IGNORECASE)
_CLOSED_WORDS = {"", "-", "–", "closed", "ปิด"}


def parse_day_hours(text: str) -> list[list[str]]:
    """``"08:00-12:00, 13:00-17:00"`` -> ``[["08:00", "12:00"], ["13:00", "17:00"]]``; empty or
    "ปิด"/"closed" -> ``[]``. This reads the text; the rule (times, order, overlap) and its messages are
    the domain's (raksa.core.weekly_hours). Raises ValidationError in the active language."""
    if (text or "").strip().lower() in _CLOSED_WORDS:
        return []
    intervals = []
    for part in re.split(r"[,;\n]+", text):
        part = part.strip()
        if not part:
            continue
        match = _HOURS_PART.match(part)
        if not match:
            intervals.append([part, ""])  # not a from-to pair: the domain refuses it with its format message
            continue
        h1, m1, h2, m2 = match.groups()
        intervals.append([f"{h1}:{m1}", f"{h2}:{m2}"])
    try:
        return weekly_hours.day_check(intervals)
    except InvalidInput as exc:
        raise forms.ValidationError(exc.message(get_language()), code=exc.code) from None


class ScheduleForm(DomainErrorsMixin, forms.Form):
    """A unit's weekly hours for one service, slot length, seats, booking window (schedule_set)."""

    DAYS = weekly_hours.DAYS

    slot_minutes = forms.IntegerField(label=_("Slot length (minutes)"), error_messages={
        "required": _("Enter the slot length in minutes."), "invalid": _("Enter a whole number.")})
    seats_per_slot = forms.IntegerField(label=_("Seats per slot"), error_messages={
        "required": _("Enter how many people can book each slot."), "invalid": _("Enter a whole number.")})
    book_ahead_days = forms.IntegerField(label=_("Book up to (days ahead)"), error_messages={
        "required": _("Enter how many days ahead citizens may book."), "invalid": _("Enter a whole number.")})
    min_notice_minutes = forms.IntegerField(label=_("Minimum notice (minutes)"), error_messages={
        "required": _("Enter the minimum notice in minutes (0 for none)."), "invalid": _("Enter a whole number.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from interfaces.portal.labels import WEEKDAYS

        for key, name in WEEKDAYS:
            self.fields[f"hours_{key}"] = forms.CharField(
                label=name, required=False, max_length=200,
                widget=forms.TextInput(attrs={"placeholder": "08:00-12:00, 13:00-17:00", "autocomplete": "off"}))
        for name in ("slot_minutes", "seats_per_slot", "book_ahead_days", "min_notice_minutes"):
            self.fields[name].widget.attrs.update({"inputmode": "numeric"})

    def hour_fields(self):
        return [self[f"hours_{key}"] for key in self.DAYS]

    def number_fields(self):
        return [self[name] for name in ("slot_minutes", "seats_per_slot", "book_ahead_days", "min_notice_minutes")]

    def clean(self):
        data = super().clean()
        weekly = {}
        for key in self.DAYS:
            try:
                weekly[key] = parse_day_hours(data.get(f"hours_{key}", ""))
            except forms.ValidationError as exc:
                self.add_error(f"hours_{key}", exc)
        data["weekly_hours"] = weekly
        return data

    @classmethod
    def initial_for(cls, schedule) -> dict:
        if schedule is None:
            return {"slot_minutes": 30, "seats_per_slot": 1, "book_ahead_days": 14, "min_notice_minutes": 60}
        initial = {"slot_minutes": schedule.slot_minutes, "seats_per_slot": schedule.seats_per_slot,
                   "book_ahead_days": schedule.book_ahead_days, "min_notice_minutes": schedule.min_notice_minutes}
        for key in cls.DAYS:
            initial[f"hours_{key}"] = weekly_hours.day_format(schedule.weekly_hours.get(key))
        return initial


class ClosureForm(DomainErrorsMixin, forms.Form):
    day = _date_field(_("Closed on"), _("Choose the day the unit is closed."))
    reason = forms.CharField(label=_("Reason"), max_length=200,
                             error_messages={"required": _("Give a reason (e.g. public holiday, staff training)."),
                                             "max_length": _("Keep the reason under 200 characters.")})

    def clean_day(self):
        return _clean_date(self.cleaned_data["day"], "day")


class RightsQrForm(forms.Form):
    """The rights QR a USB scanner types (then Enter), and the service for a walk-in (a QR made for a
    booking names its own). The service list appears only when the unit has more than one service."""

    token = forms.CharField(
        label=_("Rights QR"), max_length=200, strip=True,
        error_messages={"required": _("Scan the citizen's rights QR (or type its code)."),
                        "max_length": _("That is not a rights QR code.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "none",
                                      "autofocus": True, "class": "mono"}))
    service = forms.ChoiceField(label=_("Service (walk-in)"), required=False,
                                error_messages={"invalid_choice": _("Choose one of this unit's services from the "
                                                                    "list.")})

    def __init__(self, *args, services=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [("", _("— the booked service, or choose —"))] + [
            (service.code, service_label(service)) for service in services]
