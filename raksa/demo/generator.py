"""Deterministic generation of demo citizens and their rights.

Two kinds of randomness, both fixed by ``seed``:

* ``citizen_identity(i)`` is a pure function of (seed, i): the national ID, birth date and home province
  of citizen number ``i``. Anyone who knows the seed (the benchmark) can rebuild any citizen's ID
  without reading the database and without decrypting anything.
* Everything else (names, sex, phone, rights) comes from one ``random.Random`` stream per block of
  ``BLOCK`` citizens, consumed in citizen order. Blocks are independent, so they can be generated in
  parallel processes and still give exactly the same rows for the same seed.

National IDs: ``C PP OO SSSSSSS K`` (13 digits) with C = 1 (born from 1984) or 3 (born before), PP the
province code, OO a registration office 01..60 and SSSSSSS a serial that is a bijection of ``i``
(``(a*i + b) mod 10**7``), so generated IDs never repeat for up to 10 million citizens. Office 99 is
never generated: the fixed, documented demo citizens (``raksa.demo.accounts``) live there.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import itertools
import random
from collections.abc import Iterator
from typing import NamedTuple

from raksa.demo import names
from raksa.people.models import Scheme, Sex

MAX_CITIZENS = 10_000_000
BLOCK = 10_000  # citizens per random stream; part of what a seed means: changing it changes the data
ANCHOR = dt.date(2026, 10, 1)  # "today" of the generated data: rights start on or before it
UCS_START = dt.date(2002, 4, 1)  # the Universal Coverage Scheme began nationally in 2002
_CATEGORY_1_FROM = dt.date(1984, 1, 1)
_EIGHTEEN_YEARS = dt.timedelta(days=18 * 365 + 5)
_MASK64 = (1 << 64) - 1
_SERIAL_SPACE = 10**7

# Approximate registered population (thousands), rounded: only to weight where demo people live.
PROVINCE_WEIGHTS = {
    "10": 5500, "11": 1350, "12": 1300, "13": 1200, "14": 820, "15": 280, "16": 760, "17": 210, "18": 330,
    "19": 650, "20": 1600, "21": 750, "22": 540, "23": 230, "24": 720, "25": 500, "26": 260, "27": 570,
    "30": 2600, "31": 1600, "32": 1400, "33": 1500, "34": 1900, "35": 540, "36": 1100, "37": 380, "38": 420,
    "39": 510, "40": 1800, "41": 1600, "42": 640, "43": 520, "44": 960, "45": 1300, "46": 980, "47": 1150,
    "48": 720, "49": 350, "50": 1800, "51": 400, "52": 740, "53": 460, "54": 440, "55": 480, "56": 470,
    "57": 1300, "58": 280, "60": 1060, "61": 330, "62": 730, "63": 670, "64": 600, "65": 870, "66": 540,
    "67": 1000, "70": 870, "71": 900, "72": 850, "73": 920, "74": 590, "75": 190, "76": 480, "77": 550,
    "80": 1550, "81": 480, "82": 270, "83": 420, "84": 1070, "85": 190, "86": 510, "90": 1450, "91": 320,
    "92": 640, "93": 520, "94": 720, "95": 540, "96": 800,
}
PROVINCE_CODES = tuple(sorted(PROVINCE_WEIGHTS))
_PROVINCE_CUM = tuple(itertools.accumulate(PROVINCE_WEIGHTS[c] for c in PROVINCE_CODES))

# Age structure (years, share): roughly Thailand's, an ageing society.
_AGE_BANDS = ((0, 15, 0.15), (15, 30, 0.19), (30, 45, 0.21), (45, 60, 0.23), (60, 75, 0.16), (75, 100, 0.06))
_AGE_CUM = tuple(itertools.accumulate(share for _, _, share in _AGE_BANDS))

# The right in force (or last held): ~75% UCS, the rest the other public schemes.
SCHEME_SHARES = ((Scheme.UCS, 0.75), (Scheme.SSS, 0.155), (Scheme.OFC, 0.06), (Scheme.LGO, 0.02),
                 (Scheme.SOE, 0.01), (Scheme.NRH, 0.005))
_SCHEME_CUM = tuple(itertools.accumulate(share for _, share in SCHEME_SHARES))
_SCHEMES = tuple(scheme.value for scheme, _ in SCHEME_SHARES)
HISTORY_SHARE = 0.08  # two rows: an earlier right that ended when the current one started
EXPIRED_SHARE = 0.02  # the only right ended before ANCHOR (moved abroad, lapsed registration...)


def weighted_province(u: float) -> str:
    """The province for a uniform ``u`` in [0, 1), weighted by population."""
    return PROVINCE_CODES[bisect.bisect_right(_PROVINCE_CUM, u * _PROVINCE_CUM[-1])]


def _mix64(x: int) -> int:
    """splitmix64's finaliser: a fast, well-spread 64-bit hash."""
    x = (x + 0x9E3779B97F4A7C15) & _MASK64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK64
    return x ^ (x >> 31)


# The check digit of raksa.people.national_id.check_digit, (11 - sum(d_i * (13 - i)) mod 11) mod 10, computed
# from precomputed partial sums: the 5-digit prefix (weights 13..9), then serial digits (8..2) in two parts.
# The tests compare it with check_digit.
def _weighted_sum(digits: str, first_weight: int) -> int:
    return sum(int(d) * (first_weight - k) for k, d in enumerate(digits))


_SERIAL_HI = tuple(_weighted_sum(f"{n:03d}", 8) for n in range(1000))
_SERIAL_LO = tuple(_weighted_sum(f"{n:04d}", 5) for n in range(10000))
_prefix_sum = functools.cache(lambda prefix: _weighted_sum(prefix, 13))


class Identity(NamedTuple):
    national_id: str
    birth_date: dt.date
    province_code: str


class IdentityGenerator:
    """``identity(i)``: national ID, birth date and province of citizen ``i`` for one seed."""

    def __init__(self, seed: int) -> None:
        self._base = _mix64(seed & _MASK64)
        params = random.Random(f"raksa-demo-ids:{seed}")
        a = params.randrange(1_000_001, _SERIAL_SPACE)
        while a % 2 == 0 or a % 5 == 0:  # coprime with 10**7: i -> a*i + b is a bijection
            a += 1
        self._a = a
        self._b = params.randrange(_SERIAL_SPACE)

    def identity(self, i: int) -> Identity:
        if not 0 <= i < MAX_CITIZENS:
            raise ValueError(f"citizen index {i} outside 0..{MAX_CITIZENS - 1}")
        h = _mix64((self._base + i) & _MASK64)
        band = bisect.bisect_right(_AGE_CUM, (h & 0xFFFF) / 65536.0 * _AGE_CUM[-1])
        lo, hi, _ = _AGE_BANDS[min(band, len(_AGE_BANDS) - 1)]
        age_days = lo * 365 + ((h >> 16) & 0xFFFFF) % ((hi - lo) * 365)
        birth = ANCHOR - dt.timedelta(days=age_days)
        province = weighted_province(((h >> 36) & 0xFFFFF) / 1048576.0)
        office = 1 + ((h >> 56) % 60)
        serial = (self._a * i + self._b) % _SERIAL_SPACE
        prefix = f"{1 if birth >= _CATEGORY_1_FROM else 3}{province}{office:02d}"
        weighted = _prefix_sum(prefix) + _SERIAL_HI[serial // 10000] + _SERIAL_LO[serial % 10000]
        return Identity(f"{prefix}{serial:07d}{(11 - weighted % 11) % 10}", birth, province)

    def national_id(self, i: int) -> str:
        return self.identity(i).national_id


class CoverageRow(NamedTuple):
    scheme: str
    subtype: str
    main_unit_id: int | None
    valid_from: dt.date
    valid_to: dt.date | None


class Person(NamedTuple):
    index: int
    national_id: str
    title_th: str
    first_name_th: str
    last_name_th: str
    birth_date: dt.date
    sex: str
    phone: str
    province_code: str
    coverages: tuple[CoverageRow, ...]


def _age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _subtype(scheme: str, age: int) -> str:
    if scheme == Scheme.UCS:
        return "WEL" if age < 12 or age >= 60 else "UCS"  # welfare card: children and the elderly
    return ""


def _date_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def blocks(count: int) -> int:
    """How many blocks ``count`` citizens fill."""
    return -(-count // BLOCK)


def people(seed: int, count: int, *, main_units: dict[str, int] | None = None) -> Iterator[Person]:
    """Citizens 0..count-1 for ``seed``. ``main_units`` maps a province code to the unit id given to UCS
    members living there as their main unit (a warm clinic); elsewhere the main unit is left empty."""
    for block in range(blocks(count)):
        yield from people_block(seed, block, count, main_units=main_units)


def people_block(seed: int, block: int, count: int, *, main_units: dict[str, int] | None = None
                 ) -> Iterator[Person]:
    """Citizens ``block * BLOCK`` .. ``min(count, (block + 1) * BLOCK) - 1``: the same wherever generated."""
    if not 0 <= count <= MAX_CITIZENS:
        raise ValueError(f"count must be between 0 and {MAX_CITIZENS}")
    ids = IdentityGenerator(seed)
    rng = random.Random(f"raksa-demo-people:{seed}:{block}")
    main_units = main_units or {}
    rand, randrange = rng.random, rng.randrange
    male, female, surnames = names.MALE_GIVEN, names.FEMALE_GIVEN, names.SURNAMES
    n_male, n_female, n_surnames = len(male), len(female), len(surnames)
    for i in range(block * BLOCK, min(count, (block + 1) * BLOCK)):
        ident = ids.identity(i)
        birth = ident.birth_date
        age = _age_on(birth, ANCHOR)
        if rand() < 0.5:
            sex, first = Sex.MALE.value, male[randrange(n_male)]
            title = names.TITLE_BOY if age < 15 else names.TITLE_MAN
        else:
            sex, first = Sex.FEMALE.value, female[randrange(n_female)]
            if age < 15:
                title = names.TITLE_GIRL
            else:
                title = names.TITLE_MRS if age >= 22 and rand() < 0.6 else names.TITLE_MISS
        last = surnames[randrange(n_surnames)]
        phone = ""
        if age >= 12 and rand() < 0.8:
            phone = f"0{(6, 8, 8, 9, 9)[randrange(5)]}{randrange(10)}-{randrange(1000):03d}-{randrange(10000):04d}"

        scheme = _SCHEMES[bisect.bisect_right(_SCHEME_CUM, rand() * _SCHEME_CUM[-1])]
        if scheme == Scheme.SSS and not 18 <= age < 65:
            scheme = Scheme.OFC.value  # social security covers workers; dependants come under OFC
        earliest = max(birth, UCS_START)
        if scheme == Scheme.SSS:
            earliest = max(earliest, birth + _EIGHTEEN_YEARS)
        roll = rand()
        span = (ANCHOR - earliest).days
        main_unit = main_units.get(ident.province_code) if scheme == Scheme.UCS else None
        if roll < HISTORY_SHARE and span > 60:
            switch = earliest + dt.timedelta(days=30 + randrange(span - 30))
            first_from = _date_between(rng, earliest, switch - dt.timedelta(days=30))
            if scheme != Scheme.UCS:
                previous = Scheme.UCS.value  # e.g. a UCS member who found a job (SSS)
            else:
                previous = Scheme.SSS.value if 18 <= _age_on(birth, first_from) < 65 else Scheme.OFC.value
            coverages = (
                CoverageRow(previous, _subtype(previous, _age_on(birth, first_from)), None, first_from,
                            switch - dt.timedelta(days=1)),
                CoverageRow(scheme, _subtype(scheme, _age_on(birth, switch)), main_unit, switch, None),
            )
        elif roll < HISTORY_SHARE + EXPIRED_SHARE and span > 60:
            start = _date_between(rng, earliest, ANCHOR - dt.timedelta(days=60))
            end = _date_between(rng, start + dt.timedelta(days=30), ANCHOR - dt.timedelta(days=1))
            coverages = (CoverageRow(scheme, _subtype(scheme, _age_on(birth, start)), None, start, end),)
        else:
            if span <= 0:
                start = ANCHOR
            elif scheme == Scheme.UCS and birth >= UCS_START and rand() < 0.7:
                start = birth  # registered for UCS at birth
            else:
                start = _date_between(rng, earliest, ANCHOR)
            coverages = (CoverageRow(scheme, _subtype(scheme, _age_on(birth, start)), main_unit, start, None),)
        yield Person(i, ident.national_id, title, first, last, birth, sex, phone, ident.province_code, coverages)
