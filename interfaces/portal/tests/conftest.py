import pytest

from raksa.testing.factories import PASSWORD, StaffMembershipFactory, UnitFactory, UserFactory
from raksa.units.models import UnitStatus

OPENING_HOURS = {day: [["08:00", "20:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat")} | {"sun": []}


@pytest.fixture
def unit(db):
    return UnitFactory(name="ร้านยารักษ์สุขภาพ", hcode="12345", district="เขตพระนคร", phone="02-123-4567",
                       opening_hours=OPENING_HOURS)


@pytest.fixture
def staff(unit):
    user = UserFactory(username="somchai", first_name="สมชาย", last_name="ใจดี")
    StaffMembershipFactory(user=user, unit=unit, role="clinician")
    return user


@pytest.fixture
def staff_client(client, staff):
    assert client.login(username=staff.username, password=PASSWORD)
    return client


@pytest.fixture
def pending_unit(db):
    return UnitFactory(name="คลินิกรอยืนยัน", hcode="54321", status=UnitStatus.PENDING)
