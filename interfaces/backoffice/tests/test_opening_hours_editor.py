"""The unit page's weekly opening-hours editor saves through unit_set_opening_hours."""

import pytest
from django.urls import reverse

from interfaces.backoffice.tests.helpers import form_data
from raksa.audit.models import AuditEntry
from raksa.testing.factories import UnitFactory

pytestmark = pytest.mark.django_db

HOURS = {"mon": [["08:00", "12:00"], ["13:00", "17:00"]], "tue": [["08:00", "17:00"]], "wed": [], "thu": [],
         "fri": [], "sat": [], "sun": []}


@pytest.fixture
def unit():
    return UnitFactory(opening_hours=HOURS)


def url(unit) -> str:
    return reverse("backoffice:units_unit_change", args=[unit.pk])


def post_hours(client, unit, **days):
    """Save the unit's page as shown, with the given days' from/to lists (e.g. mon=[("08:00", "12:00")])."""
    data = form_data(client, url(unit))
    for day, intervals in days.items():
        data[f"opening_hours_{day}_from"] = [start for start, _end in intervals]
        data[f"opening_hours_{day}_to"] = [end for _start, end in intervals]
    return client.post(url(unit), data)


def test_the_editor_shows_each_day_with_its_intervals_and_closed_days(client, officer, unit):
    page = client.get(url(unit)).content.decode()
    assert 'name="opening_hours_mon_from" value="08:00"' in page and 'name="opening_hours_mon_to" value="17:00"' in page
    assert page.count('name="opening_hours_mon_from"') == 2 and 'name="opening_hours_wed_from"' not in page
    assert page.count('<span class="weekly-hours__closed">ปิดทำการ</span>') == 5  # wed … sun, shown
    assert page.count('<span class="weekly-hours__closed" hidden>ปิดทำการ</span>') == 2  # mon, tue
    assert "วันจันทร์" in page and "เพิ่มช่วงเวลา" in page
    assert "{&quot;mon&quot;" not in page and '"mon": [[' not in page  # no raw JSON any more


def test_saving_through_the_editor_sets_the_hours_with_an_audit_row(client, officer, unit):
    response = post_hours(client, unit, mon=[("13:00", "17:00"), ("8:00", "12:00")], tue=[],
                          sat=[("09:00", "12:00"), ("", "")])
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.opening_hours == {**HOURS, "mon": [["08:00", "12:00"], ["13:00", "17:00"]], "tue": [],
                                  "sat": [["09:00", "12:00"]]}
    entry = AuditEntry.objects.get(action="unit.opening_hours.set")
    assert entry.actor == officer and entry.before == {"opening_hours": HOURS}
    assert not AuditEntry.objects.filter(action="unit.update").exists()


def test_saving_other_fields_leaves_the_hours_and_writes_no_hours_row(client, officer, unit):
    data = {**form_data(client, url(unit)), "name": "ร้านยาชื่อใหม่"}
    assert client.post(url(unit), data).status_code == 302
    unit.refresh_from_db()
    assert unit.name == "ร้านยาชื่อใหม่" and unit.opening_hours == HOURS
    assert AuditEntry.objects.filter(action="unit.update").count() == 1
    assert not AuditEntry.objects.filter(action="unit.opening_hours.set").exists()


@pytest.mark.parametrize(("days", "message"), [
    ({"mon": [("08:00", "12:00"), ("11:00", "13:00")]}, "วันจันทร์: เวลาทำการของวันเดียวกันซ้อนกัน"),
    ({"fri": [("17:00", "09:00")]}, "วันศุกร์: เวลาปิดต้องอยู่หลังเวลาเปิด"),
    ({"sun": [("09:00", "")]}, "วันอาทิตย์: เขียนเวลาแบบ 08:00-12:00"),
    ({"wed": [("25:00", "26:00")]}, "วันพุธ: เขียนเวลาแบบ 08:00-12:00"),
])
def test_a_refused_week_is_shown_back_in_thai_and_changes_nothing(client, officer, unit, days, message):
    response = post_hours(client, unit, **days)
    page = response.content.decode()
    assert response.status_code == 200 and message in page
    day, intervals = next(iter(days.items()))
    assert f'name="opening_hours_{day}_from" value="{intervals[0][0]}"' in page  # what was typed stays
    unit.refresh_from_db()
    assert unit.opening_hours == HOURS
    assert not AuditEntry.objects.filter(action__startswith="unit.").exists()
