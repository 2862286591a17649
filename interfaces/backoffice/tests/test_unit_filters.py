"""Units are found by region, then province (not by scanning 77 provinces), or by province name."""

import re

import pytest
from django.urls import reverse

from raksa.testing.factories import ProvinceFactory, UnitFactory, make_officer
from raksa.units.models import Province

pytestmark = pytest.mark.django_db
LIST = "/backoffice/units/unit/"


@pytest.fixture
def units(client):
    client.force_login(make_officer())
    return {
        "bangkok": UnitFactory(name="ร้านยากรุงเทพ", hcode="10001", province=ProvinceFactory(code="10")),
        "nonthaburi": UnitFactory(name="ร้านยานนทบุรี", hcode="12001", province=Province.objects.get(code="12")),
        "saraburi": UnitFactory(name="ร้านยาสระบุรี", hcode="19001", province=Province.objects.get(code="19")),
        "chiang_mai": UnitFactory(name="ร้านยาเชียงใหม่", hcode="50001", province=Province.objects.get(code="50")),
    }


def filter_links(page: str, title: str) -> list[str]:
    """The choices of the filter titled ``title`` ("All" left out); [] when the filter is not shown."""
    block = re.search(rf'<details data-filter-title="{title}"[^>]*>(.*?)</details>', page, re.S)
    return [text for text in re.findall(r'<a href="[^"]*"[^>]*>([^<]+)</a>', block.group(1))
            if text != "ทั้งหมด"] if block else []


def listed(page: str) -> set[str]:
    return set(re.findall(r'<th class="field-hcode"><a href="[^"]+">(\d{5})</a>', page))


def test_the_filter_offers_13_regions_not_77_provinces(client, units):
    page = client.get(LIST).content.decode()
    assert filter_links(page, "เขต สปสช.") == [f"เขต {n} {seat}" for n, seat in enumerate(
        ["เชียงใหม่", "พิษณุโลก", "นครสวรรค์", "สระบุรี", "ราชบุรี", "ระยอง", "ขอนแก่น", "อุดรธานี",
         "นครราชสีมา", "อุบลราชธานี", "สุราษฎร์ธานี", "สงขลา", "กรุงเทพมหานคร"], start=1)]
    assert filter_links(page, "จังหวัด") == []  # provinces appear once a region is chosen
    assert listed(page) == {"10001", "12001", "19001", "50001"}


def test_a_region_lists_its_units_and_offers_only_its_provinces(client, units):
    page = client.get(LIST, {"region": "4"}).content.decode()
    assert listed(page) == {"12001", "19001"}
    assert filter_links(page, "จังหวัด") == ["นครนายก", "นนทบุรี", "ปทุมธานี", "พระนครศรีอยุธยา", "ลพบุรี",
                                              "สระบุรี", "สิงห์บุรี", "อ่างทอง"]  # Thai dictionary order
    page = client.get(LIST, {"region": "4", "province": "12"}).content.decode()
    assert listed(page) == {"12001"}
    # Choosing another region forgets the province of the previous one.
    other = re.search(r'<a href="(\?[^"]*)"[^>]*>เขต 1 เชียงใหม่</a>', page).group(1).replace("&amp;", "&")
    assert "province=" not in other
    assert listed(client.get(LIST + other).content.decode()) == {"50001"}


def test_a_province_link_from_elsewhere_shows_its_region_s_provinces(client, units):
    page = client.get(LIST, {"province": "10"}).content.decode()
    assert listed(page) == {"10001"} and filter_links(page, "จังหวัด") == ["กรุงเทพมหานคร"]


def test_the_search_box_finds_units_by_province_name(client, units):
    assert listed(client.get(LIST, {"q": "สระบุรี"}).content.decode()) == {"19001"}


def test_the_unit_form_groups_the_77_provinces_by_region(client, units):
    page = client.get(reverse("backoffice:units_unit_change", args=[units["bangkok"].pk])).content.decode()
    select = page[page.index('name="province"'):page.index("</select>", page.index('name="province"'))]
    assert select.count("<optgroup") == 13 and select.count("<option") == 78  # with the empty choice
    assert '<optgroup label="เขต 13 กรุงเทพมหานคร">' in select
    assert re.search(r'<option value="10" selected>กรุงเทพมหานคร</option>', select)
