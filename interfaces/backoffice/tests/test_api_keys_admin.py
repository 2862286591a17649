"""Officers revoke any unit's API key in the back office, through the same service as the portal."""

import pytest

from raksa.audit.models import AuditEntry
from raksa.testing.factories import StaffMembershipFactory, UnitFactory, UserFactory
from raksa.units.selectors import unit_api_key_authenticate
from raksa.units.services import unit_api_key_issue

pytestmark = pytest.mark.django_db
LIST = "/backoffice/units/unitapikey/"


def test_officers_see_every_units_keys_but_never_a_digest(client, officer):
    key, api_key = unit_api_key_issue(actor=None, unit=UnitFactory(hcode="12345"), label="ระบบคลังยา")
    page = client.get(LIST).content.decode()
    assert "ระบบคลังยา" in page and key[:10] in page and "ใช้งานอยู่" in page and key not in page
    detail = client.get(f"{LIST}{api_key.pk}/change/").content.decode()
    assert "ระบบคลังยา" in detail and "digest" not in detail
    assert client.get(f"{LIST}add/").status_code == 403


def test_an_officer_revokes_keys_with_an_audit_row_each(client, officer):
    first, one = unit_api_key_issue(actor=None, unit=UnitFactory(), label="one")
    second, two = unit_api_key_issue(actor=None, unit=UnitFactory(), label="two")
    assert unit_api_key_authenticate(first) is not None  # remembered as live in this process
    response = client.post(LIST, {"action": "revoke_keys", "_selected_action": [one.pk, two.pk]}, follow=True)
    assert "เพิกถอนแล้ว 2 กุญแจ" in response.content.decode()
    assert unit_api_key_authenticate(first) is None and unit_api_key_authenticate(second) is None
    rows = AuditEntry.objects.filter(action="unit.api_key.revoke")
    assert rows.count() == 2 and {r.actor for r in rows} == {officer}
    again = client.post(LIST, {"action": "revoke_keys", "_selected_action": [one.pk]}, follow=True)
    assert "เพิกถอนแล้ว 0 กุญแจ" in again.content.decode() and rows.count() == 2


def test_staff_users_who_are_not_officers_cannot_see_or_revoke_keys(client):
    key, api_key = unit_api_key_issue(actor=None, unit=UnitFactory(), label="one")
    client.force_login(UserFactory(username="plainstaff", is_staff=True))
    assert client.get(LIST).status_code == 403
    client.post(LIST, {"action": "revoke_keys", "_selected_action": [api_key.pk]})
    assert unit_api_key_authenticate(key) is not None and not AuditEntry.objects.filter(
        action="unit.api_key.revoke").exists()
    client.force_login(StaffMembershipFactory(role="unit_admin").user)  # unit staff are not let in at all
    assert client.get(LIST).status_code == 302
