import csv
from collections import Counter
from pathlib import Path

import pytest

from raksa.units.models import Province
from raksa.units.regions import REGIONS, region_get, region_of_province

PROVINCES_CSV = Path(__file__).resolve().parent.parent / "data" / "provinces.csv"


def test_every_province_is_in_exactly_one_of_the_13_regions():
    with PROVINCES_CSV.open(encoding="utf-8") as f:
        codes = {row["code"] for row in csv.DictReader(f)}
    placed = Counter(code for region in REGIONS for code in region.province_codes)
    assert len(codes) == 77 and [r.number for r in REGIONS] == list(range(1, 14))
    assert set(placed) == codes and set(placed.values()) == {1}


@pytest.mark.django_db
def test_the_provinces_in_the_database_are_the_ones_grouped():
    assert {region_of_province(code).number for code in Province.objects.values_list("code", flat=True)} == set(
        range(1, 14))


def test_lookups():
    assert region_of_province("10").name_th == "เขต 13 กรุงเทพมหานคร"
    assert region_of_province("50").name_th == "เขต 1 เชียงใหม่"
    assert region_of_province("99") is None and region_of_province(None) is None
    assert region_get("4").seat_th == "สระบุรี" and region_get("x") is None and region_get(99) is None
