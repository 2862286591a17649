"""A NUL character in an address or a form is a 422 page in Thai or English, never a 500, and changes nothing
(interfaces/nul_guard.py; the API's JSON answers are in interfaces/api/tests/test_bad_input.py)."""

import pytest
from django.test import Client

from raksa.audit.models import AuditEntry
from raksa.booking.models import BookingStatus
from raksa.testing.factories import make_officer

from .helpers import book, local, slot_at, tomorrow

pytestmark = pytest.mark.django_db

THAI_TITLE, ENGLISH_TITLE = "ใช้อักขระนี้ไม่ได้", "Character not allowed"


@pytest.fixture
def booking(unit, schedule, citizen):
    return book(citizen, slot_at(unit, local(tomorrow(), 10)), channel="portal", now=None)


def refused(response, title: str = THAI_TITLE) -> bool:
    content = response.content.decode()
    return response.status_code == 422 and response["Content-Type"].startswith("text/html") and title in content


@pytest.mark.parametrize("path", ["/portal/bookings/AB%00CD/", "/portal/bookings/AB%00CD/move/",
                                  "/portal/bookings/?day=2026-11%0026", "/portal/queue/?x=%00"])
def test_a_nul_in_the_address_is_a_422_page_in_thai(staff_client, path):
    response = staff_client.get(path)
    assert refused(response)
    assert 'name="next" value="/"' in response.content.decode()  # the language form does not go back to it


def test_the_page_is_in_english_for_who_chose_english(staff_client):
    staff_client.cookies["django_language"] = "en"
    response = staff_client.get("/portal/bookings/AB%00CD/")
    assert refused(response, ENGLISH_TITLE) and "null character" in response.content.decode()
    assert THAI_TITLE not in response.content.decode()


def test_a_nul_in_a_form_changes_nothing(staff_client, booking):
    audit_rows = AuditEntry.objects.count()
    assert refused(staff_client.post(f"/portal/bookings/{booking.reference}/cancel/", {"reason": "x\x00"}))
    assert refused(staff_client.post(f"/portal/bookings/{booking.reference}%00/cancel/"))
    assert refused(staff_client.post("/portal/bookings/", {"query": "AB\x00CD"}))
    booking.refresh_from_db()
    assert booking.status == BookingStatus.AWAITING_CITIZEN and AuditEntry.objects.count() == audit_rows


def test_a_nul_in_a_back_office_address_is_refused_too(client):
    client.force_login(make_officer())
    assert refused(client.get("/backoffice/units/unit/?q=81%00001"))


def test_a_session_cookie_with_a_nul_is_ignored(staff_client):
    """Read as no session at all: the login page, not a database error."""
    client = Client()
    client.cookies["sessionid"] = "abcdefgh\x00ijklmnop"
    response = client.get("/portal/")
    assert response.status_code == 302 and response["Location"].startswith("/portal/login/")


def test_the_same_request_without_the_nul_is_served(staff_client, booking):
    assert staff_client.get(f"/portal/bookings/{booking.reference}/").status_code == 200
