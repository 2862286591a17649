import pytest

from raksa.integrations.line.tests.test_id_token import ec_key, id_token, jwks  # noqa: F401 (jwks: a fixture)
from raksa.testing.factories import (
    CitizenFactory,
    CoverageFactory,
    ServiceFactory,
    UnitFactory,
    UnitServiceFactory,
    make_national_id,
)

LINE_USER = "U" + "a" * 32
OTHER_LINE_USER = "U" + "b" * 32
LASER = "ME0-1234567-89"
ALL_DAY = {day: [["00:00", "24:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


class LineLogin:
    """LINE Login for a test: a P-256 key published in the JWKS the real verify_id_token reads."""

    def __init__(self, server) -> None:
        self.key = ec_key("liff-test")
        server.publish(self.key)

    def token(self, sub: str = LINE_USER, **changes) -> str:
        return id_token(self.key, sub=sub, **changes)


@pytest.fixture
def line_login(jwks):  # noqa: F811
    return LineLogin(jwks)


def sign_in(client, line_user_id: str = LINE_USER):
    """The cookie /liff/session sets, made directly (the session tests go through the view)."""
    from django.http import HttpResponse

    from interfaces.line.session import COOKIE, SALT

    response = HttpResponse()
    response.set_signed_cookie(COOKIE, line_user_id, salt=SALT)
    client.cookies[COOKIE] = response.cookies[COOKIE].value
    return client


@pytest.fixture
def national_id(db):
    return make_national_id()


@pytest.fixture
def citizen(national_id):
    citizen = CitizenFactory(national_id=national_id, laser_code=LASER, first_name_th="มาลี", last_name_th="ศรีสุข")
    CoverageFactory(citizen=citizen)
    return citizen


@pytest.fixture
def linked(citizen, national_id, client):
    """The citizen, linked to LINE_USER by the linking service, and the client signed in as LINE_USER."""
    from raksa.people.services import citizen_line_link

    citizen_line_link(line_user_id=LINE_USER, national_id=national_id, birth_date=citizen.birth_date, laser_code=LASER)
    citizen.refresh_from_db()
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
