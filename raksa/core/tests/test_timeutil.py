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
