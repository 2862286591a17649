"""Who may use the portal, the home page, the unit switcher and the registration page."""

import pytest
from django.urls import reverse

from interfaces.portal.permissions import SESSION_UNIT_KEY
from raksa.core.thaidate import format_date
from raksa.core.timeutil import service_day
from raksa.testing.factories import PASSWORD, StaffMembershipFactory, UnitFactory, UserFactory, make_officer
from raksa.units.models import UnitStatus

pytestmark = pytest.mark.django_db

HOME = "/portal/"
LOGIN = "/portal/login/"
REGISTRATION = "/portal/registration/"
SWITCH = "/portal/unit/switch/"


def test_urls_have_the_agreed_names():
    assert reverse("portal:home") == HOME
    assert reverse("portal:login") == LOGIN
    assert reverse("portal:registration") == REGISTRATION
    assert reverse("portal:switch_unit") == SWITCH


@pytest.mark.parametrize("path", [HOME, REGISTRATION])
def test_pages_require_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next={path}"


def test_switch_requires_login(client, unit):
    response = client.post(SWITCH, {"unit": unit.pk})
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_login_page_is_thai_by_default(client):
    response = client.get(LOGIN)
    content = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="th">' in content
    assert "เข้าสู่ระบบสำหรับเจ้าหน้าที่หน่วยบริการ" in content
    assert "ชื่อผู้ใช้" in content and "รหัสผ่าน" in content


def test_login_with_the_right_password_goes_home(client, staff):
    response = client.post(LOGIN, {"username": "somchai", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == HOME


def test_wrong_password_shows_a_clear_thai_error(client, staff):
    response = client.post(LOGIN, {"username": "somchai", "password": "wrong"})
    assert response.status_code == 200
    assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_wrong_password_error_in_english(client, staff):
    client.cookies["django_language"] = "en"
    response = client.post(LOGIN, {"username": "somchai", "password": "wrong"})
    content = response.content.decode()
    assert '<html lang="en">' in content
    assert "The username or password is not correct" in content


def test_empty_login_form_says_what_is_missing(client, db):
    content = client.post(LOGIN, {"username": "", "password": ""}).content.decode()
    assert "กรุณากรอกชื่อผู้ใช้" in content and "กรุณากรอกรหัสผ่าน" in content


def test_logout_is_post_only(staff_client):
    assert staff_client.get("/portal/logout/").status_code == 405
    response = staff_client.post("/portal/logout/")
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert staff_client.get(HOME).status_code == 302


def test_home_shows_the_unit_role_and_thai_date(staff_client, unit):
    response = staff_client.get(HOME)
    content = response.content.decode()
    assert response.status_code == 200
    assert "หน้าหลัก" in content
    for text in ("ร้านยารักษ์สุขภาพ", "12345", "ร้านยา", "ยืนยันแล้ว", "กรุงเทพมหานคร", "เขตพระนคร",
                 "เภสัชกร/ผู้ให้บริการ", "08:00–20:00", "วันอาทิตย์", "ปิด", "ตรวจสอบบริการ"):
        assert text in content, text
    today = service_day()
    assert format_date(today, language="th") in content
    assert str(today.year + 543) in content
    assert response["Cache-Control"].startswith("max-age=0")  # never cached: pages may hold personal data


def test_home_in_english_shows_the_christian_year(staff_client, unit):
    staff_client.cookies["django_language"] = "en"
    content = staff_client.get(HOME).content.decode()
    assert "Home" in content and "Pharmacy" in content and "Bangkok" in content
    assert format_date(service_day(), language="en") in content


def test_language_switcher_sets_english(staff_client):
    response = staff_client.post("/i18n/setlang/", {"language": "en", "next": HOME})
    assert response.status_code == 302 and response["Location"] == HOME
    assert "Check service" in staff_client.get(HOME).content.decode()
    assert 'action="/i18n/setlang/"' in staff_client.get(HOME).content.decode()


def test_user_without_membership_is_refused_clearly(client):
    user = UserFactory(username="nobody")
    client.force_login(user)
    response = client.get(HOME)
    content = response.content.decode()
    assert response.status_code == 403
    assert "บัญชีนี้ใช้ระบบหน่วยบริการไม่ได้" in content
    assert "/backoffice/" not in content


def test_officer_is_pointed_to_the_back_office(client):
    client.force_login(make_officer())
    response = client.get(HOME)
    assert response.status_code == 403
    assert 'href="/backoffice/"' in response.content.decode()


def test_inactive_membership_does_not_count(client, unit):
    membership = StaffMembershipFactory(unit=unit, active=False)
    client.force_login(membership.user)
    assert client.get(HOME).status_code == 403
    assert client.post(SWITCH, {"unit": unit.pk}).status_code == 403


def test_non_staff_cannot_switch_either(client, unit):
    client.force_login(UserFactory(username="nobody"))
    assert client.post(SWITCH, {"unit": unit.pk}).status_code == 403
    assert SESSION_UNIT_KEY not in client.session


# --- unit switcher -----------------------------------------------------------------------------------

@pytest.fixture
def second_unit(staff):
    other = UnitFactory(name="คลินิกทันตกรรมยิ้มสวย", hcode="22222", unit_type="dental")
    StaffMembershipFactory(user=staff, unit=other, role="unit_admin")
    return other


def test_switcher_is_shown_only_to_staff_of_several_units(staff_client, second_unit):
    content = staff_client.get(HOME).content.decode()
    assert 'action="/portal/unit/switch/"' in content
    assert "เปลี่ยนหน่วยบริการ" in content


def test_switcher_is_hidden_for_staff_of_one_unit(staff_client):
    assert 'action="/portal/unit/switch/"' not in staff_client.get(HOME).content.decode()


def test_default_unit_is_the_first_membership_and_switch_changes_it(staff_client, unit, second_unit):
    assert "ร้านยารักษ์สุขภาพ" in staff_client.get(HOME).content.decode()  # 12345 sorts before 22222
    response = staff_client.post(SWITCH, {"unit": second_unit.pk})
    assert response.status_code == 302 and response["Location"] == HOME
    assert staff_client.session[SESSION_UNIT_KEY] == second_unit.pk
    content = staff_client.get(HOME).content.decode()
    assert '<strong class="unit-bar__name">คลินิกทันตกรรมยิ้มสวย</strong>' in content
    assert "คลินิกทันตกรรม" in content and "ผู้ดูแลหน่วย" in content


@pytest.mark.parametrize("value", ["foreign", "", "abc", "999999"])
def test_switcher_refuses_a_unit_the_user_does_not_belong_to(staff_client, unit, second_unit, value):
    staff_client.post(SWITCH, {"unit": second_unit.pk})
    foreign = UnitFactory(hcode="33333", name="ร้านยาของคนอื่น")
    response = staff_client.post(SWITCH, {"unit": foreign.pk if value == "foreign" else value})
    content = response.content.decode()
    assert response.status_code == 403
    assert "ท่านไม่ได้เป็นเจ้าหน้าที่ของหน่วยบริการที่เลือก" in content
    assert "ร้านยาของคนอื่น" not in content
    assert staff_client.session[SESSION_UNIT_KEY] == second_unit.pk  # unchanged


def test_switch_is_post_only(staff_client, unit):
    assert staff_client.get(SWITCH, {"unit": unit.pk}).status_code == 405


def test_a_unit_id_left_in_the_session_after_leaving_that_unit_falls_back(staff_client, unit, second_unit):
    staff_client.post(SWITCH, {"unit": second_unit.pk})
    second_unit.staff.update(active=False)
    assert "ร้านยารักษ์สุขภาพ" in staff_client.get(HOME).content.decode()


# --- units that may not serve ----------------------------------------------------------------------

@pytest.fixture
def pending_client(client, pending_unit):
    membership = StaffMembershipFactory(unit=pending_unit, role="unit_admin")
    client.force_login(membership.user)
    return client


def test_pending_unit_is_sent_to_the_registration_page(pending_client, settings):
    settings.RAKSA_REGISTRATION_URL = "https://oss.test.example/units/register"
    response = pending_client.get(HOME)
    assert response.status_code == 302 and response["Location"] == REGISTRATION
    response = pending_client.get(REGISTRATION)
    content = response.content.decode()
    assert response.status_code == 200
    assert "ยังไม่ได้รับการยืนยันในระบบ OSS" in content
    assert "รอตรวจสอบ" in content and "คลินิกรอยืนยัน" in content
    assert '<a class="button button--primary" href="https://oss.test.example/units/register"' in content
    assert "ไปที่ Web OSS" in content


def test_pending_unit_cannot_post_a_rights_check(pending_client):
    response = pending_client.post(HOME, {"national_id": "1101700230708", "service": "X", "date": "2026-01-01"})
    assert response.status_code == 302 and response["Location"] == REGISTRATION


def test_registration_page_in_english(pending_client):
    pending_client.cookies["django_language"] = "en"
    content = pending_client.get(REGISTRATION).content.decode()
    assert "has not yet been confirmed in the registration system (OSS)" in content
    assert "Go to Web OSS" in content


def test_suspended_unit_shows_the_reason(client):
    unit = UnitFactory(hcode="44444", status=UnitStatus.SUSPENDED, status_reason="ใบอนุญาตขายยาหมดอายุ")
    client.force_login(StaffMembershipFactory(unit=unit).user)
    assert client.get(HOME)["Location"] == REGISTRATION
    content = client.get(REGISTRATION).content.decode()
    assert "หน่วยบริการนี้ถูกระงับ" in content
    assert "ใบอนุญาตขายยาหมดอายุ" in content
    assert "ไปที่ Web OSS" in content


def test_verified_unit_has_nothing_to_explain(staff_client):
    response = staff_client.get(REGISTRATION)
    assert response.status_code == 302 and response["Location"] == HOME


def test_staff_of_a_pending_unit_can_switch_to_a_verified_one(pending_client, pending_unit, unit):
    StaffMembershipFactory(user_id=pending_client.session["_auth_user_id"], unit=unit)
    # 12345 (verified) sorts first, so choose the pending one explicitly, then switch back.
    pending_client.post(SWITCH, {"unit": pending_unit.pk})
    assert pending_client.get(HOME)["Location"] == REGISTRATION
    assert 'action="/portal/unit/switch/"' in pending_client.get(REGISTRATION).content.decode()
    pending_client.post(SWITCH, {"unit": unit.pk})
    assert pending_client.get(HOME).status_code == 200
