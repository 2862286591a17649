"""The claimable items list and its prices: one service per change, audited, with a price history that the
claims' pricing reads by service day."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from raksa.audit.models import AuditEntry
from raksa.claims.items import item_create, item_price_set
from raksa.claims.models import Item, ItemPrice
from raksa.claims.pricing import RateBook
from raksa.core.errors import Conflict, InvalidInput
from raksa.units.models import UnitType

pytestmark = pytest.mark.django_db


def test_an_item_with_a_price_history_is_priced_by_the_service_day():
    item = item_create(actor=None, code=" drug-ors ", name_th="ผงเกลือแร่", name_en="ORS",
                       unit_types=[UnitType.PHARMACY], unit_label="ซอง", max_quantity=10, illustrative=True)
    assert item.code == "DRUG-ORS"
    item_price_set(actor=None, item=item, baht_per_unit="2.50", effective_from=dt.date(2025, 1, 1), illustrative=True)
    item_price_set(actor=None, item=item, baht_per_unit="3", effective_from=dt.date(2025, 10, 1), illustrative=True)
    old, new = ItemPrice.objects.filter(item=item).order_by("effective_from")
    assert old.effective_to == dt.date(2025, 9, 30) and new.effective_to is None
    book = RateBook()
    assert book.unit_price("DRUG-ORS", dt.date(2024, 12, 31)) is None
    assert book.unit_price("DRUG-ORS", dt.date(2025, 9, 30)) == Decimal("2.50")
    assert book.unit_price("DRUG-ORS", dt.date(2025, 10, 1)) == Decimal("3.00")
    actions = list(AuditEntry.objects.filter(object_type="claims.item").order_by("id").values_list("action", flat=True))
    assert actions == ["item.create", "item.price_set", "item.price_set"]


def test_bad_input_is_refused_and_changes_nothing():
    item = item_create(actor=None, code="LB-HOME", name_th="เก็บสิ่งส่งตรวจที่บ้าน", name_en="Home collection",
                       unit_types=[UnitType.MEDICAL_LAB], max_quantity=1)
    item_price_set(actor=None, item=item, baht_per_unit="80", effective_from=dt.date(2025, 10, 1))
    audit_rows = AuditEntry.objects.count()
    with pytest.raises(Conflict):
        item_create(actor=None, code="lb-home", name_th="x", name_en="x", unit_types=[UnitType.MEDICAL_LAB])
    with pytest.raises(InvalidInput) as bad_type:
        item_create(actor=None, code="X-1", name_th="x", name_en="x", unit_types=["hospital"])
    assert bad_type.value.field == "unit_types"
    for amount in ("-1", "1.234", "abc", "NaN"):
        with pytest.raises(InvalidInput) as bad_amount:
            item_price_set(actor=None, item=item, baht_per_unit=amount, effective_from=dt.date(2026, 1, 1))
        assert bad_amount.value.field == "baht_per_unit"
    with pytest.raises(InvalidInput) as too_early:
        item_price_set(actor=None, item=item, baht_per_unit="90", effective_from=dt.date(2025, 10, 1))
    assert too_early.value.code == "INVALID_DATE_RANGE"
    assert Item.objects.count() == 1 and item.prices.get().baht_per_unit == 80
    assert AuditEntry.objects.count() == audit_rows
