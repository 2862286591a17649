import pytest

from raksa.core import weekly_hours
from raksa.core.errors import InvalidInput


def refusal(check) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        check()
    assert caught.value.code == "INVALID_HOURS"
    return caught.value


@pytest.mark.parametrize(("intervals", "expected"), [
    ([], []),
    ([["8:00", "12:00"]], [["08:00", "12:00"]]),
    ([["13:00", "17:00"], ["08:00", "12:00"]], [["08:00", "12:00"], ["13:00", "17:00"]]),
    ([["08:00", "12:00"], ["12:00", "13:00"]], [["08:00", "12:00"], ["12:00", "13:00"]]),  # touching is fine
    ([["00:00", "24:00"]], [["00:00", "24:00"]]),
    ([["22:00", "23:59"]], [["22:00", "23:59"]]),
])
def test_a_valid_day_comes_back_sorted_and_zero_padded(intervals, expected):
    assert weekly_hours.day_check(intervals) == expected


def test_overlapping_intervals_are_refused_in_thai_and_english_naming_the_day():
    exc = refusal(lambda: weekly_hours.day_check([["08:00", "12:00"], ["11:00", "13:00"]], day="mon",
                                                 field="opening_hours"))
    assert exc.message_th == "วันจันทร์: " + weekly_hours.OVERLAP_TH
    assert exc.message_en == "Monday: " + weekly_hours.OVERLAP_EN
    assert exc.field == "opening_hours.mon"


def test_an_interval_inside_another_overlaps():
    exc = refusal(lambda: weekly_hours.day_check([["08:00", "17:00"], ["09:00", "10:00"]]))
    assert exc.message_th == weekly_hours.OVERLAP_TH


@pytest.mark.parametrize("pair", [["12:00", "08:00"], ["09:00", "09:00"]])
def test_end_before_or_at_start_is_refused(pair):
    exc = refusal(lambda: weekly_hours.day_check([pair], day="fri"))
    assert exc.message_th == "วันศุกร์: " + weekly_hours.ORDER_TH and exc.message_en.startswith("Friday: ")


@pytest.mark.parametrize("intervals", [[["8", "12"]], [["08:00"]], [["08:00", ""]], [["24:00", "24:00"]],
                                       [["08:00", "24:30"]], [["08:60", "09:00"]], [["25:00", "26:00"]],
                                       [[8, 12]], "08:00-12:00", None, [["08:00", "12:00", "13:00"]]])
def test_malformed_times_are_refused_with_the_format_message(intervals):
    assert refusal(lambda: weekly_hours.day_check(intervals)).message_th == weekly_hours.FORMAT_TH


def test_a_week_has_all_seven_days_and_missing_ones_are_closed():
    week = weekly_hours.week_check({"mon": [["8:00", "12:00"]], "sun": []})
    assert list(week) == list(weekly_hours.DAYS)
    assert week["mon"] == [["08:00", "12:00"]] and week["tue"] == [] and week["sun"] == []


@pytest.mark.parametrize("week", [{"monday": []}, [], "x", None])
def test_a_week_that_is_not_a_mapping_of_days_is_refused(week):
    assert refusal(lambda: weekly_hours.week_check(week, field="opening_hours")).field == "opening_hours"


def test_the_week_reports_the_first_bad_day():
    exc = refusal(lambda: weekly_hours.week_check({"mon": [["08:00", "12:00"]], "wed": [["10:00", "09:00"]]},
                                                  field="opening_hours"))
    assert exc.field == "opening_hours.wed" and exc.message_th.startswith("วันพุธ: ")


def test_day_format_reads_back_what_the_portal_accepts():
    assert weekly_hours.day_format([["08:00", "12:00"], ["13:00", "17:00"]]) == "08:00-12:00, 13:00-17:00"
    assert weekly_hours.day_format([]) == ""
