"""The claimable items list (medicines, supplies, add-ons such as a lab's home collection) and their prices
with effective dates, as officers keep them: one service per change, each with its audit row.

Prices work as fee rates do (``raksa.units.services.fee_rate_set``): a new price starts after the open one,
which then ends the day before; the pricing of a claim reads the price in force on its service day.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction

from raksa.audit.services import audit_record
from raksa.claims.models import Item, ItemPrice
from raksa.core.errors import Conflict, InvalidInput
from raksa.units.models import UnitType


@transaction.atomic
def item_create(*, actor: Any, code: str, name_th: str, name_en: str, unit_types: list[str] | tuple[str, ...],
                unit_label: str = "ชิ้น", max_quantity: int = 30, illustrative: bool = False) -> Item:
    """A new claimable item. ``unit_types``: the kinds of unit that may claim it."""
    code = code.strip().upper()
    unknown = sorted(set(unit_types) - set(UnitType.values))
    if not code or not unit_types or unknown:
        raise InvalidInput(f"Give an item code and unit types from {', '.join(UnitType.values)}.",
                           "กรุณาระบุรหัสรายการและประเภทหน่วยบริการที่เบิกได้ให้ถูกต้อง", field="unit_types")
    if max_quantity < 1:
        raise InvalidInput("The largest quantity per claim is at least 1.", "จำนวนสูงสุดต่อครั้งต้องอย่างน้อย 1",
                           field="max_quantity")
    try:
        with transaction.atomic():
            item = Item.objects.create(code=code, name_th=name_th, name_en=name_en, unit_types=list(unit_types),
                                       unit_label=unit_label, max_quantity=max_quantity, illustrative=illustrative)
    except IntegrityError:
        raise Conflict(f"Item {code} already exists.", f"มีรายการรหัส {code} อยู่แล้ว", code="ITEM_EXISTS",
                       field="code") from None
    audit_record(actor=actor, action="item.create", obj=item,
                 after={"code": code, "unit_types": list(unit_types), "max_quantity": max_quantity,
                        "illustrative": illustrative})
    return item


@transaction.atomic
def item_price_set(*, actor: Any, item: Item, baht_per_unit: Decimal | str, effective_from: dt.date,
                   illustrative: bool = False) -> ItemPrice:
    """A new price of ``item`` from ``effective_from``; the open price ends the day before."""
    try:
        amount = Decimal(str(baht_per_unit))
    except InvalidOperation:
        amount = Decimal("-1")
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise InvalidInput(f"'{baht_per_unit}' is not an amount in baht (e.g. 1.50).",
                           f"'{baht_per_unit}' ไม่ใช่จำนวนเงินบาท (เช่น 1.50)", code="INVALID_AMOUNT",
                           field="baht_per_unit")
    Item.objects.select_for_update().filter(pk=item.pk).first()
    current = ItemPrice.objects.filter(item=item, effective_to__isnull=True).first()
    before = None
    if current is not None:
        if effective_from <= current.effective_from:
            raise InvalidInput(
                f"A new price must start after the current one ({current.effective_from.isoformat()}).",
                f"ราคาใหม่ต้องมีผลหลังราคาปัจจุบัน ({current.effective_from.isoformat()})",
                code="INVALID_DATE_RANGE", field="effective_from")
        before = {"baht_per_unit": str(current.baht_per_unit), "effective_from": current.effective_from.isoformat()}
        current.effective_to = effective_from - dt.timedelta(days=1)
        current.save(update_fields=["effective_to"])
    price = ItemPrice.objects.create(item=item, baht_per_unit=amount, effective_from=effective_from,
                                     illustrative=illustrative)
    audit_record(actor=actor, action="item.price_set", obj=item, before=before,
                 after={"baht_per_unit": str(amount), "effective_from": effective_from.isoformat(),
                        "illustrative": illustrative})
    return price
