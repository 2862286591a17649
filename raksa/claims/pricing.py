"""Amounts from the fee schedule in force on the service day: the service's rate (units.FeeRate) plus
each item's quantity times its price (claims.ItemPrice; an item whose code is a service of the unit's type,
such as a lab's further test or a second filling, is priced at that service's rate).

``RateBook`` holds every rate in memory (a few hundred rows): submission prices a claim with it and the rules
engine checks thousands of claims against it, so both read one schedule the same way.
"""

from __future__ import annotations

import bisect
import datetime as dt
import time
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from raksa.claims.errors import invalid
from raksa.claims.models import Item, ItemPrice
from raksa.units.models import FeeRate, Service

MAX_CLAIM_BAHT = Decimal("100000")  # above this a claim is not a primary-care visit: refused as absurd
MAX_ITEMS = 30
CENT = Decimal("0.01")


class _Schedule:
    """Rates of one code: sorted by start; the rate in force on a day is the latest that started by then
    and has not ended."""

    def __init__(self) -> None:
        self.starts: list[dt.date] = []
        self.rows: list[tuple[dt.date, dt.date | None, Decimal]] = []

    def add(self, start: dt.date, end: dt.date | None, amount: Decimal) -> None:
        i = bisect.bisect(self.starts, start)
        self.starts.insert(i, start)
        self.rows.insert(i, (start, end, amount))

    def on(self, day: dt.date) -> Decimal | None:
        i = bisect.bisect(self.starts, day) - 1
        if i < 0:
            return None
        start, end, amount = self.rows[i]
        return amount if end is None or day <= end else None


@dataclass(frozen=True)
class ItemInfo:
    code: str
    kind: str  # "item" | "service"
    unit_types: frozenset[str]
    max_quantity: int
    active: bool
    name_th: str
    name_en: str


class RateBook:
    """Every service and item with its rates, loaded in three queries."""

    RELOAD_AT_MOST_EVERY = 1.0  # seconds: unknown codes sent in a loop cannot make every request reload

    def __init__(self) -> None:
        self._load()

    def knows(self, *, service_id: int | None = None, codes: Iterable[str] = ()) -> None:
        """A process keeps its book for a while (``rate_book``): a service or item an officer added since is not in
        it yet. Reload it in place (the cached book is this object) when asked about one it does not know."""
        missing = (service_id is not None and service_id not in self.service_by_id) or any(
            code not in self.items for code in codes)
        if missing and time.monotonic() - self.loaded_at > self.RELOAD_AT_MOST_EVERY:
            self._load()

    def _load(self) -> None:
        self.loaded_at = time.monotonic()
        self.services: dict[str, Service] = {s.code: s for s in Service.objects.all()}
        self.service_by_id: dict[int, Service] = {s.pk: s for s in self.services.values()}
        self.service_rates: dict[int, _Schedule] = {}
        for rate in FeeRate.objects.all():
            self.service_rates.setdefault(rate.service_id, _Schedule()).add(
                rate.effective_from, rate.effective_to, rate.amount_baht)
        self.items: dict[str, ItemInfo] = {
            s.code: ItemInfo(s.code, "service", frozenset({s.unit_type}), 10, s.active, s.name_th, s.name_en)
            for s in self.services.values()}
        items_by_id: dict[int, str] = {}
        for item in Item.objects.all():
            items_by_id[item.pk] = item.code
            self.items[item.code] = ItemInfo(item.code, "item", frozenset(item.unit_types), item.max_quantity,
                                             item.active, item.name_th, item.name_en)
        self.item_rates: dict[str, _Schedule] = {}
        for price in ItemPrice.objects.all():
            self.item_rates.setdefault(items_by_id[price.item_id], _Schedule()).add(
                price.effective_from, price.effective_to, price.baht_per_unit)

    def service_fee(self, service_id: int, day: dt.date) -> Decimal | None:
        schedule = self.service_rates.get(service_id)
        return schedule.on(day) if schedule else None

    def unit_price(self, code: str, day: dt.date) -> Decimal | None:
        info = self.items.get(code)
        if info is None:
            return None
        if info.kind == "service":
            return self.service_fee(self.services[code].pk, day)
        schedule = self.item_rates.get(code)
        return schedule.on(day) if schedule else None

    def schedule_total(self, *, service_id: int, items: list[dict], day: dt.date) -> Decimal | None:
        """What the schedule pays for this claim on ``day``; None when a rate is missing that day."""
        total = self.service_fee(service_id, day)
        if total is None:
            return None
        for line in items:
            price = self.unit_price(line["code"], day)
            if price is None:
                return None
            total += price * int(line["quantity"])
        return total


def parse_baht(value, *, field: str) -> Decimal:
    """A baht amount as given (number or string): not negative, at most two decimals, not absurd."""
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise invalid(field, "Give the amount as a number of baht.", "กรุณาระบุจำนวนเงินเป็นตัวเลข (บาท)")
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise invalid(field, "Give the amount as a number of baht.", "กรุณาระบุจำนวนเงินเป็นตัวเลข (บาท)") from None
    if not amount.is_finite():
        raise invalid(field, "Give the amount as a number of baht.", "กรุณาระบุจำนวนเงินเป็นตัวเลข (บาท)")
    if amount < 0:
        raise invalid(field, "An amount cannot be negative.", "จำนวนเงินติดลบไม่ได้")
    if amount != amount.quantize(CENT, rounding=ROUND_HALF_UP):
        raise invalid(field, "Amounts have at most two decimals (satang).", "จำนวนเงินมีทศนิยมได้ไม่เกิน 2 ตำแหน่ง (สตางค์)")
    if amount > MAX_CLAIM_BAHT:
        raise invalid(field, f"An amount above {MAX_CLAIM_BAHT:,} baht is not a primary-care claim; check the figure.",
                      f"จำนวนเงินเกิน {MAX_CLAIM_BAHT:,} บาท ไม่ใช่การเบิกบริการปฐมภูมิ กรุณาตรวจตัวเลข")
    return amount.quantize(CENT)


@dataclass(frozen=True)
class Priced:
    service_amount: Decimal
    items: list[dict]  # {"code", "kind", "quantity", "unit_price", "amount"}
    total: Decimal


def claim_price(*, book: RateBook, unit_type: str, service: Service, items: list | None, day: dt.date) -> Priced:
    """Check the items (known code, allowed for the unit type, whole quantity within the limit) and price the
    claim from the schedule in force on ``day``. InvalidInput names the field (``items[2].quantity``)."""
    if items is not None and not isinstance(items, list):
        raise invalid("items", "items must be a list.", "items ต้องเป็นรายการ")
    items = items or []
    if len(items) > MAX_ITEMS:
        raise invalid("items", f"At most {MAX_ITEMS} items per claim.", f"ไม่เกิน {MAX_ITEMS} รายการต่อเคลม")
    book.knows(codes=[str(raw.get("code") or "").strip().upper() for raw in items if isinstance(raw, dict)])
    service_amount = book.service_fee(service.pk, day)
    if service_amount is None:
        raise invalid("service_code", "The fee schedule has no rate for this service on the service day; ask the "
                      "payer's officer.", "ตารางอัตราค่าบริการไม่มีอัตราของบริการนี้ในวันรับบริการ กรุณาติดต่อเจ้าหน้าที่")
    lines: list[dict] = []
    seen: set[str] = set()
    for i, raw in enumerate(items):
        field = f"items[{i}]"
        if not isinstance(raw, dict):
            raise invalid(field, "Each item is an object with code and quantity.", "แต่ละรายการต้องมี code และ quantity")
        code = str(raw.get("code") or "").strip().upper()
        info = book.items.get(code)
        if info is None or not info.active:
            raise invalid(f"{field}.code", f"Unknown item code {code!r}.", f"ไม่รู้จักรหัสรายการ {code!r}")
        if unit_type not in info.unit_types:
            raise invalid(f"{field}.code", f"A unit of this type cannot claim item {code}.",
                          f"หน่วยบริการประเภทนี้เบิกรายการ {code} ไม่ได้")
        if code in seen:
            raise invalid(f"{field}.code", f"Item {code} is listed twice; give one line with the total quantity.",
                          f"รายการ {code} ซ้ำ กรุณารวมเป็นบรรทัดเดียวพร้อมจำนวนรวม")
        seen.add(code)
        quantity = raw.get("quantity", 1)
        if isinstance(quantity, bool) or not isinstance(quantity, int | str) or not str(quantity).strip().isdigit():
            raise invalid(f"{field}.quantity", "The quantity is a whole number from 1.", "จำนวนต้องเป็นจำนวนเต็มตั้งแต่ 1")
        quantity = int(str(quantity).strip())
        if not 1 <= quantity <= info.max_quantity:
            raise invalid(f"{field}.quantity", f"The quantity of {code} must be 1 to {info.max_quantity}.",
                          f"จำนวนของ {code} ต้องอยู่ระหว่าง 1 ถึง {info.max_quantity}")
        price = book.unit_price(code, day)
        if price is None:
            raise invalid(f"{field}.code", f"The schedule has no price for {code} on the service day.",
                          f"ตารางอัตราไม่มีราคาของ {code} ในวันรับบริการ")
        lines.append({"code": code, "kind": info.kind, "quantity": quantity, "unit_price": str(price),
                      "amount": str((price * quantity).quantize(CENT))})
    total = service_amount + sum((Decimal(line["amount"]) for line in lines), Decimal("0"))
    return Priced(service_amount=service_amount, items=lines, total=total.quantize(CENT))
