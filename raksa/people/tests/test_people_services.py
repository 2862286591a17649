import datetime as dt

import pytest

from raksa.audit.models import AuditEntry
from raksa.core.errors import Conflict, InvalidInput
from raksa.people.models import Citizen, Coverage, Scheme
from raksa.people.selectors import citizen_find_by_national_id, coverage_history
from raksa.people.services import citizen_register, citizen_reveal_national_id, coverage_change
from raksa.testing.factories import UnitFactory, make_national_id, make_officer

pytestmark = pytest.mark.django_db


def register(national_id: str, **kw):
    return citizen_register(actor=None, national_id=national_id, first_name_th="สมชาย", last_name_th="รักดี",
                            birth_date=dt.date(1980, 1, 2), sex="M", **kw)


def test_register_stores_no_clear_id_and_finds_by_hmac():
    national_id = make_national_id()
    citizen = register(national_id)
    row = Citizen.objects.values("cid_hash", "cid_encrypted", "cid_masked").get(pk=citizen.pk)
    assert national_id.encode() not in bytes(row["cid_encrypted"])
    assert national_id.encode() not in bytes(row["cid_hash"])
    assert row["cid_masked"] == f"{national_id[0]}-{national_id[1:5]}-xxxxx-xx-{national_id[12]}"
    assert citizen_find_by_national_id(national_id) == citizen
    assert citizen_find_by_national_id(f"{national_id[0]}-{national_id[1:5]}-{national_id[5:10]}-"
                                       f"{national_id[10:12]}-{national_id[12]}") == citizen
    assert citizen_find_by_national_id(make_national_id()) is None
    entry = AuditEntry.objects.get(action="citizen.register")
    assert entry.object_id == str(citizen.pk)
    assert national_id not in str(entry.after)


def test_invalid_id_changes_nothing():
    with pytest.raises(InvalidInput) as err:
        register("1234567890123")
    assert err.value.code == "INVALID_NATIONAL_ID"
    assert Citizen.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_duplicate_id_is_a_conflict_and_changes_nothing():
    national_id = make_national_id()
    register(national_id)
    with pytest.raises(Conflict) as err:
        register(national_id)
    assert err.value.code == "CITIZEN_EXISTS"
    assert Citizen.objects.count() == 1
    assert AuditEntry.objects.count() == 1


def test_coverage_change_closes_the_old_row_and_keeps_history():
    citizen = register(make_national_id())
    unit = UnitFactory()
    first = coverage_change(actor=None, citizen=citizen, scheme=Scheme.SSS, valid_from=dt.date(2020, 1, 1))
    second = coverage_change(actor=None, citizen=citizen, scheme=Scheme.UCS, subtype="WEL", main_unit=unit,
                             valid_from=dt.date(2026, 6, 1))
    first.refresh_from_db()
    assert first.valid_to == dt.date(2026, 5, 31)
    assert second.valid_to is None
    assert [c.scheme for c in coverage_history(citizen)] == ["UCS", "SSS"]
    entries = AuditEntry.objects.filter(action="coverage.change").order_by("id")
    assert entries[1].before["scheme"] == "SSS" and entries[1].after["scheme"] == "UCS"


def test_coverage_change_refuses_a_start_before_the_current_right():
    citizen = register(make_national_id())
    coverage_change(actor=None, citizen=citizen, scheme=Scheme.UCS, valid_from=dt.date(2026, 1, 1))
    with pytest.raises(InvalidInput) as err:
        coverage_change(actor=None, citizen=citizen, scheme=Scheme.OFC, valid_from=dt.date(2025, 1, 1))
    assert err.value.code == "INVALID_DATE_RANGE"
    assert Coverage.objects.filter(citizen=citizen).count() == 1
    assert Coverage.objects.get(citizen=citizen).valid_to is None


def test_database_refuses_two_open_rights(django_db_blocker):
    from django.db import IntegrityError, transaction

    citizen = register(make_national_id())
    Coverage.objects.create(citizen=citizen, scheme="UCS", valid_from=dt.date(2020, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Coverage.objects.create(citizen=citizen, scheme="OFC", valid_from=dt.date(2021, 1, 1))


def test_reading_the_full_id_is_audited():
    national_id = make_national_id()
    citizen = register(national_id)
    officer = make_officer()
    assert citizen_reveal_national_id(actor=officer, citizen=citizen, purpose="ตรวจสอบเคลม") == national_id
    entry = AuditEntry.objects.get(action="citizen.national_id.read")
    assert entry.actor == officer and entry.after == {"purpose": "ตรวจสอบเคลม"}
    with pytest.raises(InvalidInput):
        citizen_reveal_national_id(actor=officer, citizen=citizen, purpose=" ")
