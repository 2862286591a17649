"""The API keys page: unit administrators issue (shown once), list and revoke; other staff are refused."""

import re

import pytest

from raksa.audit.models import AuditEntry
from raksa.testing.factories import StaffMembershipFactory, UnitFactory, UserFactory
from raksa.units.models import UnitApiKey
from raksa.units.selectors import unit_api_key_authenticate
from raksa.units.services import unit_api_key_issue

from .helpers import flashed

pytestmark = pytest.mark.django_db
KEY = re.compile(r"rk_[A-Za-z0-9_-]{40,}")
PAGE = "/portal/api-keys/"


def keys_state():
    return sorted(UnitApiKey.objects.values_list("pk", "label", "revoked_at")), AuditEntry.objects.count()


def test_an_administrator_issues_a_key_and_sees_it_only_once(admin_client, unit):
    response = admin_client.post(PAGE, {"label": "ระบบคลังยา"})
    assert response.status_code == 200
    page = response.content.decode()
    shown = KEY.findall(page)
    assert len(set(shown)) == 1 and "คัดลอกเก็บไว้ตอนนี้ กุญแจแสดงเพียงครั้งเดียว" in page
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    key = shown[0]
    assert unit_api_key_authenticate(key).unit_id == unit.pk
    again = admin_client.get(PAGE).content.decode()
    assert key not in again and key[:10] in again and "ระบบคลังยา" in again
    assert AuditEntry.objects.filter(action="unit.api_key.issue").count() == 1


@pytest.mark.parametrize("label,error", [("", "ตั้งชื่อกุญแจตามระบบที่จะใช้"), ("ก" * 101, "ไม่เกิน 100 ตัวอักษร")])
def test_a_key_needs_a_name(admin_client, label, error):
    before = keys_state()
    page = admin_client.post(PAGE, {"label": label}).content.decode()
    assert error in page and not KEY.search(page)
    assert keys_state() == before


def test_an_administrator_revokes_a_key(admin_client, unit):
    key, api_key = unit_api_key_issue(actor=None, unit=unit, label="POS")
    response = admin_client.post(f"{PAGE}{api_key.pk}/revoke/")
    assert response.status_code == 302 and response["Location"] == PAGE
    assert flashed(response) == [f"เพิกถอนกุญแจ “POS” ({key[:10]}…) แล้ว กุญแจจะหยุดทำงานภายใน 5 วินาที"]
    assert unit_api_key_authenticate(key) is None
    assert AuditEntry.objects.get(action="unit.api_key.revoke").actor.username == "nida"
    assert "เพิกถอนแล้วเมื่อ" in admin_client.get(PAGE).content.decode()


def test_another_units_key_and_a_revoked_key_cannot_be_revoked_here(admin_client, unit):
    other_key, other = unit_api_key_issue(actor=None, unit=UnitFactory(), label="elsewhere")
    before = keys_state()
    response = admin_client.post(f"{PAGE}{other.pk}/revoke/")
    assert flashed(response) == ["หน่วยบริการนี้ไม่มีกุญแจ API นี้"] and keys_state() == before
    assert unit_api_key_authenticate(other_key) is not None
    _, own = unit_api_key_issue(actor=None, unit=unit, label="POS")
    admin_client.post(f"{PAGE}{own.pk}/revoke/")
    before = keys_state()
    assert flashed(admin_client.post(f"{PAGE}{own.pk}/revoke/"))[-1] == "กุญแจ API นี้ถูกเพิกถอนไปแล้ว"
    assert keys_state() == before


def test_other_staff_get_the_role_refused_page(staff_client, unit):
    _, api_key = unit_api_key_issue(actor=None, unit=unit, label="POS")
    before = keys_state()
    for response in (staff_client.get(PAGE), staff_client.post(PAGE, {"label": "x"}),
                     staff_client.post(f"{PAGE}{api_key.pk}/revoke/")):
        page = response.content.decode()
        assert response.status_code == 403
        assert "เฉพาะผู้ดูแลหน่วยบริการเท่านั้นที่ออกและเพิกถอนกุญแจ API ของหน่วยได้" in page
        assert "บทบาทของคุณที่หน่วยนี้คือ" in page and "POS" not in page
    assert keys_state() == before
    assert "/portal/api-keys/" not in staff_client.get("/portal/").content.decode()  # no menu entry for them


def test_the_menu_shows_api_keys_to_administrators(admin_client):
    assert f'href="{PAGE}"' in admin_client.get("/portal/").content.decode()


def test_the_schedule_refusal_still_speaks_of_the_schedule(staff_client):
    page = staff_client.get("/portal/schedule/").content.decode()
    assert "ตารางเวลา" in page or "schedule" in page.lower()
    assert "กุญแจ API ของหน่วยได้" not in page


def test_anonymous_users_are_sent_to_log_in(client):
    response = client.get(PAGE)
    assert response.status_code == 302 and response["Location"].startswith("/portal/login/")


def test_an_admin_of_two_units_manages_the_current_units_keys(client, unit):
    other = UnitFactory()
    user = UserFactory(username="multi")
    StaffMembershipFactory(user=user, unit=unit, role="unit_admin")
    StaffMembershipFactory(user=user, unit=other, role="clerk")
    _, theirs = unit_api_key_issue(actor=None, unit=other, label="other-unit-key")
    client.force_login(user)
    assert "other-unit-key" not in client.get(PAGE).content.decode()
    client.post("/portal/unit/switch/", {"unit": other.pk})
    assert client.get(PAGE).status_code == 403  # a clerk at the other unit
