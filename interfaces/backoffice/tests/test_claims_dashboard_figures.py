"""The claims dashboard page shows the selectors' figures over a known set of claims (raksa/testing/dashboard.py;
the figures are worked out in raksa/claims/tests/test_dashboard_figures.py): each chart's table, read as the
officer reads it on the afternoon of 26 November 2026."""

import re

import pytest
import time_machine

from raksa.testing.dashboard import READ_AT, make_dashboard_claims

pytestmark = pytest.mark.django_db


def table_rows(page: str, chart_id: str) -> dict[str, list[str]]:
    """The chart's table: {row heading: the row's cells}."""
    figure = re.search(r'<figure class="chart-figure" id="' + chart_id + r'">(.*?)</figure>', page, re.S).group(1)
    body = re.search(r"<tbody>(.*?)</tbody>", figure, re.S).group(1)
    return {head: re.findall(r"<td>(.*?)</td>", cells)
            for head, cells in re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', body, re.S)}


@pytest.fixture
def page(client, officer):
    make_dashboard_claims()
    with time_machine.travel(READ_AT, tick=False):
        response = client.get("/backoffice/claims/claim/dashboard/")
    assert response.status_code == 200
    return response.content.decode()


def test_claims_per_day_by_status(page):
    rows = table_rows(page, "chart-per-day")
    assert (list(rows)[0], list(rows)[-1], len(rows)) == ("28 ต.ค.", "26 พ.ย.", 30)  # the October claims are out
    # columns: submitted, accepted, rejected, in review, paid, all
    assert rows["24 พ.ย."] == ["0", "0", "0", "0", "2", "2"]
    assert rows["25 พ.ย."] == ["0", "1", "1", "1", "1", "4"]
    assert rows["26 พ.ย."] == ["0", "1", "2", "0", "0", "3"]
    assert all(cells == ["0"] * 6 for day, cells in rows.items() if day not in ("24 พ.ย.", "25 พ.ย.", "26 พ.ย."))


def test_top_rejection_reasons(page):
    assert table_rows(page, "chart-reasons") == {
        "ยอดเบิกสูงกว่าอัตราในตารางค่าบริการของวันรับบริการ (AMOUNT_OVER_SCHEDULE)": ["2"],
        "ไม่พบการยืนยันตัวตนของการเข้ารับบริการนี้ (NO_IDENTITY_VERIFICATION)": ["1"],
        "หน่วยบริการไม่มีสัญญาให้บริการนี้ในวันรับบริการ (SERVICE_NOT_CONTRACTED)": ["1"],
    }


def test_volume_by_unit_type_and_province(page):
    assert table_rows(page, "chart-unit-type") == {"ร้านยา": ["5 (720.00 บาท)"],
                                                   "คลินิกทันตกรรม": ["3 (1,200.00 บาท)"]}
    assert list(table_rows(page, "chart-province").items()) == [("กรุงเทพมหานคร", ["4 (540.00 บาท)"]),
                                                               ("เชียงใหม่", ["4 (1,380.00 บาท)"])]


def test_hours_from_service_to_payment_and_their_median(page):
    assert table_rows(page, "chart-hours") == {
        "0–24 ชั่วโมง": ["0"], "24–48 ชั่วโมง": ["2"], "48–72 ชั่วโมง": ["1"], "72–96 ชั่วโมง": ["0"],
        "96–168 ชั่วโมง": ["0"], "168 ชั่วโมงขึ้นไป": ["0"]}
    assert '<p id="median-hours">ค่ากลางเวลาจากการรับบริการถึงการจ่ายเงิน: 38.5 ชั่วโมง</p>' in page
