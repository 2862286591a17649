"""The demo's claimable items: loaded once, flagged illustrative, priced by the fee schedule for their unit types."""

import datetime as dt
from decimal import Decimal

import pytest

from raksa.claims.models import Item, ItemPrice
from raksa.claims.pricing import RateBook
from raksa.demo.catalogue import CLAIM_ITEMS
from raksa.demo.seed import claim_items_load

pytestmark = pytest.mark.django_db


def test_items_load_once_flagged_illustrative_and_priced():
    assert claim_items_load() == len(CLAIM_ITEMS)
    assert claim_items_load() == 0  # a second run keeps what is there
    assert Item.objects.count() == ItemPrice.objects.count() == len(CLAIM_ITEMS)
    assert not Item.objects.filter(illustrative=False).exists()
    assert not ItemPrice.objects.filter(illustrative=False).exists()
    book = RateBook()
    assert book.unit_price("MED-PARA500", dt.date(2026, 11, 26)) == Decimal("1.00")
    assert "pharmacy" in book.items["SUP-GAUZE"].unit_types and "nursing" in book.items["SUP-GAUZE"].unit_types
