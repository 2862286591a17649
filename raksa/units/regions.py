"""The payer's 13 regional offices (สปสช. เขต 1–13) and the provinces each one covers.

Officers work by region, so the back office groups the 77 provinces this way (filters, province
choices). Reference data like provinces.csv; a test checks that every province is in exactly one region.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Region:
    number: int
    seat_th: str  # the province of the regional office
    province_codes: tuple[str, ...]

    @property
    def name_th(self) -> str:
        return f"เขต {self.number} {self.seat_th}"


REGIONS = (
    Region(1, "เชียงใหม่", ("50", "51", "52", "54", "55", "56", "57", "58")),
    Region(2, "พิษณุโลก", ("53", "63", "64", "65", "67")),
    Region(3, "นครสวรรค์", ("18", "60", "61", "62", "66")),
    Region(4, "สระบุรี", ("12", "13", "14", "15", "16", "17", "19", "26")),
    Region(5, "ราชบุรี", ("70", "71", "72", "73", "74", "75", "76", "77")),
    Region(6, "ระยอง", ("11", "20", "21", "22", "23", "24", "25", "27")),
    Region(7, "ขอนแก่น", ("40", "44", "45", "46")),
    Region(8, "อุดรธานี", ("38", "39", "41", "42", "43", "47", "48")),
    Region(9, "นครราชสีมา", ("30", "31", "32", "36")),
    Region(10, "อุบลราชธานี", ("33", "34", "35", "37", "49")),
    Region(11, "สุราษฎร์ธานี", ("80", "81", "82", "83", "84", "85", "86")),
    Region(12, "สงขลา", ("90", "91", "92", "93", "94", "95", "96")),
    Region(13, "กรุงเทพมหานคร", ("10",)),
)
_BY_NUMBER = {region.number: region for region in REGIONS}
_BY_PROVINCE = {code: region for region in REGIONS for code in region.province_codes}


def region_get(number: int | str | None) -> Region | None:
    try:
        return _BY_NUMBER.get(int(number))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def region_of_province(code: str | None) -> Region | None:
    return _BY_PROVINCE.get(code or "")
