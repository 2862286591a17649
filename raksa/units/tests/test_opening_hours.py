"""unit_set_opening_hours: the one way a unit's weekly opening hours change, with its audit row."""

import pytest

from raksa.audit.models import AuditEntry
from raksa.core.errors import InvalidInput
from raksa.testing.factories import ProvinceFactory, UnitFactory, make_officer
from raksa.units.models import Unit
from raksa.units.services import unit_register, unit_set_opening_hours, unit_update

pytestmark = pytest.mark.django_db

OLD = {"mon": [["08:00", "17:00"]], "tue": [], "wed": [], "thu": [], "fri": [], "sat": [], "sun": []}


@pytest.fixture
def unit():
    return UnitFactory(opening_hours=OLD)


def refused(unit, hours) -> InvalidInput:
    officer = make_officer()
    with pytest.raises(InvalidInput) as caught:
        unit_set_opening_hours(actor=officer, unit=unit, opening_hours=hours)
    unit.refresh_from_db()
    assert unit.opening_hours == OLD
    assert not AuditEntry.objects.filter(action="unit.opening_hours.set").exists()
    assert caught.value.code == "INVALID_HOURS"
    return caught.value


def test_valid_hours_are_stored_for_all_seven_days_with_an_audit_row(unit):
    officer = make_officer()
    unit_set_opening_hours(actor=officer, unit=unit, opening_hours={
        "mon": [["13:00", "17:00"], ["8:00", "12:00"]], "sat": [["09:00", "24:00"]]})
    unit.refresh_from_db()
    expected = {"mon": [["08:00", "12:00"], ["13:00", "17:00"]], "tue": [], "wed": [], "thu": [], "fri": [],
                "sat": [["09:00", "24:00"]], "sun": []}
    assert unit.opening_hours == expected
    entry = AuditEntry.objects.get(action="unit.opening_hours.set")
    assert (entry.actor, entry.object_id) == (officer, str(unit.pk))
    assert entry.before == {"opening_hours": OLD} and entry.after == {"opening_hours": expected}


def test_a_day_with_no_intervals_is_closed(unit):
    unit_set_opening_hours(actor=None, unit=unit, opening_hours={"mon": [], "tue": [["09:00", "12:00"]]})
    unit.refresh_from_db()
    assert unit.opening_hours["mon"] == [] and unit.opening_hours["tue"] == [["09:00", "12:00"]]


def test_overlapping_intervals_are_refused_and_change_nothing(unit):
    exc = refused(unit, {"mon": [["08:00", "12:00"], ["11:30", "14:00"]]})
    assert exc.message_th.startswith("วันจันทร์: เวลาทำการของวันเดียวกันซ้อนกัน")
    assert exc.message_en.startswith("Monday: The opening hours of one day overlap")
    assert exc.field == "opening_hours.mon"


def test_an_end_before_its_start_is_refused_and_changes_nothing(unit):
    exc = refused(unit, {"thu": [["17:00", "08:00"]]})
    assert exc.message_th.startswith("วันพฤหัสบดี: เวลาปิดต้องอยู่หลังเวลาเปิด")
    assert exc.message_en.startswith("Thursday: Each opening must end after it starts")


def test_unknown_days_and_bad_times_are_refused(unit):
    refused(unit, {"funday": [["08:00", "12:00"]]})
    refused(unit, {"mon": [["8 am", "noon"]]})


def test_the_same_hours_again_write_no_audit_row(unit):
    unit_set_opening_hours(actor=None, unit=unit, opening_hours=OLD)
    assert not AuditEntry.objects.filter(action="unit.opening_hours.set").exists()


def test_opening_hours_no_longer_change_through_unit_update(unit):
    with pytest.raises(InvalidInput) as caught:
        unit_update(actor=None, unit=unit, opening_hours={"mon": [["08:00", "09:00"], ["08:30", "10:00"]]})
    assert caught.value.code == "FIELD_NOT_EDITABLE"


def test_registering_a_unit_checks_its_hours_too():
    with pytest.raises(InvalidInput) as caught:
        unit_register(actor=None, hcode="12345", name="ร้านยาใหม่", unit_type="pharmacy", province=ProvinceFactory(),
                      opening_hours={"sun": [["10:00", "09:00"]]})
    assert caught.value.code == "INVALID_HOURS" and not Unit.objects.filter(hcode="12345").exists()
    unit = unit_register(actor=None, hcode="12345", name="ร้านยาใหม่", unit_type="pharmacy",
                         province=ProvinceFactory(), opening_hours={"sun": [["9:00", "12:00"]]})
    assert unit.opening_hours["sun"] == [["09:00", "12:00"]] and unit.opening_hours["mon"] == []
