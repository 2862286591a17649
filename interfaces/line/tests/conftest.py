import pytest

from interfaces.line import domain
from interfaces.line.session import COOKIE, SALT
from raksa.testing.factories import (
    CitizenFactory,
    CoverageFactory,
    ServiceFactory,
    UnitFactory,
    UnitServiceFactory,
    make_national_id,
)

from .fakes import FakeLinking, FakeRightsQr, install_line_client

LINE_USER = "U" + "a" * 32
OTHER_LINE_USER = "U" + "b" * 32
ALL_DAY = {day: [["00:00", "24:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


@pytest.fixture
def line_client(monkeypatch):
    return install_line_client(monkeypatch)


@pytest.fixture
def linking(monkeypatch):
    fake = FakeLinking()
    for name in ("citizen_by_line_user", "citizen_line_link", "citizen_line_unlink"):
        monkeypatch.setattr(domain, name, getattr(fake, name))
    return fake


@pytest.fixture
def rights_qr(monkeypatch):
    fake = FakeRightsQr()
    monkeypatch.setattr(domain, "rights_qr_issue", fake.rights_qr_issue)
    monkeypatch.setattr(domain, "rights_qr_resolve", fake.rights_qr_resolve)
    return fake


def sign_in(client, line_user_id: str = LINE_USER):
    """The cookie /liff/session sets, made directly (the session tests go through the view)."""
    from django.http import HttpResponse

    response = HttpResponse()
    response.set_signed_cookie(COOKIE, line_user_id, salt=SALT)
    client.cookies[COOKIE] = response.cookies[COOKIE].value
    return client


@pytest.fixture
def national_id(db):
    return make_national_id()


@pytest.fixture
def citizen(national_id):
    citizen = CitizenFactory(national_id=national_id, first_name_th="มาลี", last_name_th="ศรีสุข")
    CoverageFactory(citizen=citizen)
    return citizen


@pytest.fixture
def linked(citizen, linking, client):
    from raksa.people.models import Citizen

    Citizen.objects.filter(pk=citizen.pk).update(line_user_id=LINE_USER)
    citizen.line_user_id = LINE_USER
    sign_in(client)
    return citizen


@pytest.fixture
def unit(db):
    return UnitFactory(name="ร้านยารักษ์สุขภาพ", hcode="12345", district="เขตพระนคร", latitude="13.756300",
                       longitude="100.501800", opening_hours=ALL_DAY, address="1 ถนนราชดำเนิน")


@pytest.fixture
def service(unit):
    service = ServiceFactory(code="PH001", name_th="ไข้หวัด เจ็บคอ", name_en="Common cold, sore throat",
                             unit_type=unit.unit_type)
    UnitServiceFactory(unit=unit, service=service)
    return service


@pytest.fixture
def schedule(unit, service):
    from raksa.booking.services import schedule_set

    return schedule_set(actor=None, unit=unit, service=service, weekly_hours=ALL_DAY, slot_minutes=60,
                        seats_per_slot=2, book_ahead_days=7, min_notice_minutes=0)
