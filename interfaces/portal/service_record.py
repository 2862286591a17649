"""The service record form (flow 1.2): what was done for a visit, priced from the fee schedule, then sent as the
visit's claim.

The form is built from ``raksa.claims.records.fields_for(unit_type)`` (one source of truth for the detail
fields), the unit type's active services (the unit's contracted ones first; the others are offered too and
marked, since choosing one is the unit's call and the rules answer it with SERVICE_NOT_CONTRACTED), the shipped
ICD-10 list and the items the unit type may claim. Nothing is validated twice: the form only collects what the
person typed; ``claim_submit``/``claim_correct`` (and, for the price shown before sending, ``record_validate`` +
``claim_price``) decide, and their errors are put back on the field they name.

Sending takes two steps without JavaScript: "check the price" shows each line's price and the total from the
schedule in force on the service day; "send" sends exactly what was priced (a digest of the priced input travels
with the form; if the input changed since, the page prices it again instead of sending).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from interfaces.portal import labels
from raksa.claims.models import Claim
from raksa.claims.pricing import MAX_ITEMS, claim_price
from raksa.claims.records import FOLLOW_UP_DAYS, MAX_ICD10, fields_for, icd10_codes, record_validate
from raksa.claims.submit import rate_book
from raksa.core.errors import DomainError
from raksa.units.models import Unit
from raksa.units.selectors import services_for_unit

ICD10_INPUTS = 3  # empty ICD-10 inputs offered (up to MAX_ICD10 when more are filled)
ITEM_ROWS = 3  # empty item rows offered without JavaScript (the page's script adds more)
_ITEM_FIELD = re.compile(r"^items\[(\d+)\]\.(code|quantity)$")
_ROW_KEY = re.compile(r"^item_code_(\d+)$")
_ICD_KEY = re.compile(r"^icd10_(\d+)$")


@dataclass(frozen=True)
class PricedLine:
    code: str
    name: str
    quantity: int
    unit_price: Decimal
    amount: Decimal


@dataclass(frozen=True)
class Preview:
    lines: list[PricedLine]
    total: Decimal
    digest: str


def _name(info) -> str:
    return info.name_en if labels.is_english() else info.name_th


def _widget(kind: str, *, maxlength: int = 500):
    if kind == "date":
        return forms.DateInput(attrs={"type": "date"})
    if kind in ("int", "tooth"):
        return forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": 3})
    return forms.TextInput(attrs={"autocomplete": "off", "maxlength": maxlength})


class ServiceRecordForm(forms.Form):
    """One unit type's service record. ``day`` is the visit's service day (the schedule and the follow-up
    default are of that day); ``claim`` prefills it from a rejected version (a correction)."""

    service = forms.ChoiceField(label=_("Service"), error_messages={
        "required": _("Choose a service."), "invalid_choice": _("Choose one of the services in the list.")})

    def __init__(self, data=None, *, unit: Unit, day: dt.date, default_service: str = "",
                 claim: Claim | None = None):
        self.unit, self.day = unit, day
        book = rate_book()
        contracted = {s.pk for s in services_for_unit(unit, on=day)}
        services = sorted((s for s in book.services.values() if s.active and s.unit_type == unit.unit_type),
                          key=lambda s: (s.pk not in contracted, s.code))
        initial: dict = {"service": claim.service.code if claim else default_service}
        super().__init__(data, initial=initial)
        self.fields["service"].choices = [("", _("— choose a service —"))] + [
            (s.code, labels.service_label(s) if s.pk in contracted
             else f"{labels.service_label(s)} ({_('not in the unit contract')})") for s in services]

        self.detail_names: list[str] = []
        english = labels.is_english()
        for spec in fields_for(unit.unit_type):
            name = f"d_{spec.name}"
            self.detail_names.append(name)
            label = spec.label_en if english else spec.label_th
            widget = _widget(spec.kind)
            if spec.required:  # the domain checks it (one rule); the label and the attribute say it
                label = _("%(label)s (required)") % {"label": label}
                widget.attrs["aria-required"] = "true"
            self.fields[name] = forms.CharField(label=label, required=False, widget=widget,
                                                help_text="" if english else spec.help_th)
            if claim is not None and spec.name in claim.details:
                self.initial[name] = claim.details[spec.name]
            elif spec.name == "follow_up_date":
                self.initial[name] = (day + dt.timedelta(days=FOLLOW_UP_DAYS)).isoformat()

        codes = list(claim.icd10) if claim else []
        count = max(ICD10_INPUTS, len(codes) + 1, self._posted_count(_ICD_KEY) if data is not None else 0)
        self.icd10_names = [f"icd10_{i}" for i in range(min(count, MAX_ICD10))]
        for i, name in enumerate(self.icd10_names):
            self.fields[name] = forms.CharField(label=_("ICD-10 code %(n)s") % {"n": i + 1}, required=False,
                                                max_length=80, widget=forms.TextInput(
                                                    attrs={"list": "icd10-codes", "autocomplete": "off"}))
            if i < len(codes):
                self.initial[name] = codes[i]

        lines = list(claim.items) if claim else []
        rows = max(ITEM_ROWS, len(lines) + 1, self._posted_count(_ROW_KEY) if data is not None else 0)
        self.item_rows: list[tuple[str, str]] = []
        for i in range(min(rows, MAX_ITEMS)):
            code_name, qty_name = f"item_code_{i}", f"item_qty_{i}"
            self.item_rows.append((code_name, qty_name))
            self.fields[code_name] = forms.CharField(label=_("Item code"), required=False, max_length=40,
                                                     widget=forms.TextInput(attrs={"list": "item-codes",
                                                                                   "autocomplete": "off"}))
            self.fields[qty_name] = forms.CharField(label=_("Quantity"), required=False, max_length=6,
                                                    widget=forms.TextInput(attrs={"inputmode": "numeric",
                                                                                  "autocomplete": "off"}))
            if i < len(lines):
                self.initial[code_name], self.initial[qty_name] = lines[i]["code"], str(lines[i]["quantity"])

        self.icd10_choices = [(code, name_en if english else name_th)
                              for code, (name_th, name_en) in icd10_codes().items()]
        self.item_choices = sorted((info.code, _name(info)) for info in book.items.values()
                                   if info.active and unit.unit_type in info.unit_types)
        self._rows_sent: list[int] = []

    def _posted_count(self, pattern: re.Pattern) -> int:
        found = [int(m.group(1)) + 1 for key in self.data if (m := pattern.match(key))]
        return max(found, default=0)

    # -- what the person typed, for the domain -------------------------------------------------------------------

    def claim_input(self) -> dict:
        """``service_code``, ``details``, ``icd10``, ``items`` as ``claim_submit`` takes them (after is_valid)."""
        data = self.cleaned_data
        details = {name[2:]: data[name].strip() for name in self.detail_names if data.get(name, "").strip()}
        icd10 = [data[name].split()[0].upper() for name in self.icd10_names if data.get(name, "").strip()]
        items, self._rows_sent = [], []
        for i, (code_name, qty_name) in enumerate(self.item_rows):
            code, quantity = data.get(code_name, "").strip(), data.get(qty_name, "").strip()
            if code:
                items.append({"code": code.split()[0].upper(), "quantity": quantity})
                self._rows_sent.append(i)
        return {"service_code": data["service"], "details": details, "icd10": icd10, "items": items}

    def clean(self):
        cleaned = super().clean()
        for code_name, qty_name in self.item_rows:
            if not (cleaned.get(code_name) or "").strip() and (cleaned.get(qty_name) or "").strip():
                self.add_error(code_name, _("Give the item code, or clear the quantity."))
        return cleaned

    def digest(self) -> str:
        return hashlib.sha256(json.dumps(self.claim_input(), sort_keys=True).encode()).hexdigest()[:20]

    def preview(self) -> Preview:
        """Each line's price and the total from the schedule in force on the service day, checked as sending
        would check them (DomainError naming the field otherwise). Writes nothing."""
        book = rate_book()
        given = self.claim_input()
        service = book.services[given["service_code"]]
        record_validate(unit_type=self.unit.unit_type, service_code=service.code, service_date=self.day,
                        details=given["details"], icd10=given["icd10"])
        priced = claim_price(book=book, unit_type=self.unit.unit_type, service=service, items=given["items"],
                             day=self.day)
        lines = [PricedLine(service.code, labels.service_label(service).split(" — ", 1)[-1], 1,
                            priced.service_amount, priced.service_amount)]
        lines += [PricedLine(line["code"], _name(book.items[line["code"]]), int(line["quantity"]),
                             Decimal(line["unit_price"]), Decimal(line["amount"])) for line in priced.items]
        return Preview(lines=lines, total=priced.total, digest=self.digest())

    # -- the domain's answer, back on the field it names ---------------------------------------------------------

    def add_domain_error(self, exc: DomainError) -> None:
        self.add_error(self.field_of(exc.field), forms.ValidationError(exc.message(get_language()), code=exc.code))

    def field_of(self, field: str | None) -> str | None:
        if not field:
            return None
        if field == "service_code":
            return "service"
        if field.startswith("details.") and f"d_{field[8:]}" in self.fields:
            return f"d_{field[8:]}"
        if field == "icd10":
            return self.icd10_names[0]
        match = _ITEM_FIELD.match(field)
        if match and int(match.group(1)) < len(self._rows_sent):
            code_name, qty_name = self.item_rows[self._rows_sent[int(match.group(1))]]
            return code_name if match.group(2) == "code" else qty_name
        return None

    # -- for the template ------------------------------------------------------------------------------------------

    def detail_fields(self):
        return [self[name] for name in self.detail_names]

    def icd10_fields(self):
        return [self[name] for name in self.icd10_names]

    def icd10_errors(self):
        return self.errors.get(self.icd10_names[0], [])

    def item_fields(self):
        return [(i, self[code], self[qty]) for i, (code, qty) in enumerate(self.item_rows)]
