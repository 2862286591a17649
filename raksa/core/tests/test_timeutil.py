import datetime as dt

import pytest

from raksa.core.errors import InvalidInput
from raksa.core.thaidate import format_date
from raksa.core.timeutil import parse_date, service_day


def test_service_day_is_the_bangkok_date():
    assert service_day(dt.datetime(2026, 11, 25, 17, 0, tzinfo=dt.UTC)) == dt.date(2026, 11, 26)
    assert service_day(dt.datetime(2026, 11, 25, 16, 59, tzinfo=dt.UTC)) == dt.date(2026, 11, 25)
    with pytest.raises(ValueError):
        service_day(dt.datetime(2026, 11, 25, 17, 0))


@pytest.mark.parametrize("bad", ["26/11/2569", "2026-02-30", "9999-12-31", "0001-01-01", "", None, "2569-11-26"])
def test_bad_dates_are_a_clear_error(bad):
    with pytest.raises(InvalidInput) as err:
        parse_date(bad, field="on")
    assert err.value.code == "INVALID_DATE" and err.value.field == "on"


def test_thai_dates_use_the_buddhist_year():
    assert format_date(dt.date(2026, 11, 26)) == "26 พฤศจิกายน 2569"
    assert format_date(dt.date(2026, 11, 26), short=True) == "26 พ.ย. 2569"
    assert format_date(dt.date(2026, 11, 26), language="en") == "26 Nov 2026"
    assert format_date(dt.datetime(2026, 11, 25, 17, 30, tzinfo=dt.UTC)) == "26 พฤศจิกายน 2569"


def test_thai_digits_in_a_date_are_read_as_digits():
    assert parse_date("๒๐๒๖-๑๑-๒๖") == dt.date(2026, 11, 26)


def test_a_buddhist_year_says_which_christian_year_to_write():
    with pytest.raises(InvalidInput) as caught:
        parse_date("2569-11-26", field="on")
    assert "2569 เป็นปี พ.ศ." in caught.value.message_th and "2026-11-26" in caught.value.message_th
    assert "Buddhist year" in caught.value.message_en and caught.value.field == "on"


def test_a_date_typed_on_the_thai_keyboard_layout_gets_a_hint():
    with pytest.raises(InvalidInput) as caught:
        parse_date("/จ/ุขๅๅข/ุ")  # 2026-11-26 on the Thai layout's number row
    assert "แป้นพิมพ์เป็นภาษาไทย" in caught.value.message_th
