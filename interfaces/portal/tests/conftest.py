from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from interfaces.portal.permissions import FORM_UNIT_FIELD, portal_context_for
from raksa.testing.factories import PASSWORD, StaffMembershipFactory, UnitFactory, UserFactory
from raksa.units.models import UnitStatus

OPENING_HOURS = {day: [["08:00", "20:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat")} | {"sun": []}


class PortalClient(Client):
    """Posts as the portal's pages do: with the unit the page was made for (``on_unit``), which is the
    current unit unless a test names another. Tests of the refusal pass ``on_unit`` themselves."""

    def post(self, path, data=None, *args, **kwargs):
        user_id = self.session.get("_auth_user_id")
        if user_id and isinstance(data, dict | None) and FORM_UNIT_FIELD not in (data or {}):
            user = get_user_model().objects.get(pk=user_id)
            portal = portal_context_for(SimpleNamespace(user=user, session=self.session))
            if portal is not None:
                data = (data or {}) | {FORM_UNIT_FIELD: str(portal.unit.pk)}
        return super().post(path, data, *args, **kwargs)


@pytest.fixture
def client():
    return PortalClient()


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


# --- booking and queue -------------------------------------------------------------------------------

ALL_DAY = {day: [["00:00", "24:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


@pytest.fixture
def service(unit):
    from raksa.testing.factories import ServiceFactory, UnitServiceFactory

    service = ServiceFactory(code="PH001", name_th="ไข้หวัด เจ็บคอ", name_en="Common cold, sore throat",
                             unit_type=unit.unit_type)
    UnitServiceFactory(unit=unit, service=service)
    return service


@pytest.fixture
def schedule(unit, service):
    """Every day, all day, one-hour slots with two seats, no minimum notice."""
    from raksa.booking.services import schedule_set

    return schedule_set(actor=None, unit=unit, service=service, weekly_hours=ALL_DAY, slot_minutes=60,
                        seats_per_slot=2, book_ahead_days=7, min_notice_minutes=0)


@pytest.fixture
def citizen_id(db):
    from raksa.testing.factories import CitizenFactory, CoverageFactory, make_national_id

    national_id = make_national_id()
    CoverageFactory(citizen=CitizenFactory(national_id=national_id, first_name_th="มาลี", last_name_th="ศรีสุข"))
    return national_id


@pytest.fixture
def citizen(citizen_id):
    from raksa.people.selectors import citizen_get_by_national_id

    return citizen_get_by_national_id(citizen_id)


@pytest.fixture
def admin_client(client, unit):
    membership = StaffMembershipFactory(user=UserFactory(username="nida", first_name="นิดา"), unit=unit,
                                        role="unit_admin")
    client.force_login(membership.user)
    return client


@pytest.fixture
def other_unit_client(client, db):
    """Staff (a unit administrator, even) of another verified pharmacy."""
    other = UnitFactory(name="ร้านยาอื่น", hcode="67890")
    membership = StaffMembershipFactory(user=UserFactory(username="other"), unit=other, role="unit_admin")
    client.force_login(membership.user)
    return client
