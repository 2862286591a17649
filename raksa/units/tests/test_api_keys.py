"""Issuing, listing and revoking a unit's API keys: who may, what is stored, what is recorded."""

import pytest
from django.db import IntegrityError

from raksa.audit.models import AuditEntry
from raksa.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from raksa.testing.factories import StaffMembershipFactory, UnitFactory, make_officer
from raksa.units.models import UnitApiKey
from raksa.units.selectors import api_key_digest, unit_api_key_authenticate, unit_api_key_get, unit_api_keys
from raksa.units.services import unit_api_key_issue, unit_api_key_revoke

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit():
    return UnitFactory()


@pytest.fixture
def admin(unit):
    return StaffMembershipFactory(unit=unit, role="unit_admin").user


def state():
    return sorted(UnitApiKey.objects.values_list("pk", "label", "revoked_at")), AuditEntry.objects.count()


def test_an_administrator_issues_a_named_key_stored_only_as_a_digest(unit, admin):
    key, api_key = unit_api_key_issue(actor=admin, unit=unit, label="  ระบบคลังยา  ")
    assert key.startswith("rk_") and len(key) > 40
    stored = UnitApiKey.objects.get(pk=api_key.pk)
    assert stored.label == "ระบบคลังยา" and stored.prefix == key[:10] and stored.revoked_at is None
    assert bytes(stored.digest) == api_key_digest(key) and key.encode() not in bytes(stored.digest)
    assert unit_api_key_authenticate(key).unit_id == unit.pk
    entry = AuditEntry.objects.get(action="unit.api_key.issue")
    assert entry.actor == admin and entry.object_id == str(unit.pk)
    assert entry.after == {"key_id": api_key.pk, "prefix": key[:10], "label": "ระบบคลังยา"}
    assert key not in str(entry.after)


@pytest.mark.parametrize("label,code", [("", "LABEL_REQUIRED"), ("   ", "LABEL_REQUIRED"),
                                        ("ก" * 101, "LABEL_TOO_LONG")])
def test_a_key_needs_a_name(unit, admin, label, code):
    before = state()
    with pytest.raises(InvalidInput) as refused:
        unit_api_key_issue(actor=admin, unit=unit, label=label)
    assert (refused.value.code, refused.value.field) == (code, "label")
    assert state() == before


def test_the_database_refuses_a_nameless_key(unit):
    with pytest.raises(IntegrityError):
        UnitApiKey.objects.create(unit=unit, label="", prefix="rk_x", digest=b"x" * 32)


@pytest.mark.parametrize("who", ["clerk", "clinician", "admin_elsewhere", "officer", "inactive_admin"])
def test_only_the_units_administrators_issue_keys(unit, who):
    if who == "officer":
        actor = make_officer()
    elif who == "admin_elsewhere":
        actor = StaffMembershipFactory(unit=UnitFactory(), role="unit_admin").user
    elif who == "inactive_admin":
        actor = StaffMembershipFactory(unit=unit, role="unit_admin", active=False).user
    else:
        actor = StaffMembershipFactory(unit=unit, role=who).user
    before = state()
    with pytest.raises(Forbidden) as refused:
        unit_api_key_issue(actor=actor, unit=unit, label="POS")
    assert refused.value.message_th and refused.value.message_en
    assert state() == before


def test_an_administrator_revokes_a_key_and_it_stops_working_at_once(unit, admin):
    key, api_key = unit_api_key_issue(actor=admin, unit=unit, label="POS")
    assert unit_api_key_authenticate(key) is not None  # remembered as live in this process…
    revoked = unit_api_key_revoke(actor=admin, api_key=api_key)
    assert revoked.revoked_at is not None
    assert unit_api_key_authenticate(key) is None  # …and forgotten by the revocation
    entry = AuditEntry.objects.get(action="unit.api_key.revoke")
    assert entry.actor == admin and entry.after["key_id"] == api_key.pk and entry.after["prefix"] == key[:10]


def test_an_officer_revokes_any_key(unit, admin):
    key, api_key = unit_api_key_issue(actor=admin, unit=unit, label="POS")
    officer = make_officer()
    unit_api_key_revoke(actor=officer, api_key=api_key)
    assert unit_api_key_authenticate(key) is None
    assert AuditEntry.objects.get(action="unit.api_key.revoke").actor == officer


@pytest.mark.parametrize("who", ["clerk", "admin_elsewhere"])
def test_others_cannot_revoke(unit, admin, who):
    key, api_key = unit_api_key_issue(actor=admin, unit=unit, label="POS")
    actor = (StaffMembershipFactory(unit=unit, role="clerk") if who == "clerk"
             else StaffMembershipFactory(unit=UnitFactory(), role="unit_admin")).user
    before = state()
    with pytest.raises(Forbidden):
        unit_api_key_revoke(actor=actor, api_key=api_key)
    assert state() == before and unit_api_key_authenticate(key) is not None


def test_revoking_twice_is_a_conflict_that_changes_nothing(unit, admin):
    _, api_key = unit_api_key_issue(actor=admin, unit=unit, label="POS")
    unit_api_key_revoke(actor=admin, api_key=api_key)
    before = state()
    with pytest.raises(Conflict) as refused:
        unit_api_key_revoke(actor=admin, api_key=api_key)
    assert refused.value.code == "API_KEY_REVOKED" and state() == before


def test_the_list_shows_the_units_keys_newest_first_and_the_lookup_stays_in_the_unit(unit, admin):
    _, first = unit_api_key_issue(actor=admin, unit=unit, label="first")
    _, second = unit_api_key_issue(actor=admin, unit=unit, label="second")
    _, elsewhere = unit_api_key_issue(actor=None, unit=UnitFactory(), label="elsewhere")
    unit_api_key_revoke(actor=admin, api_key=first)
    assert [(k.label, k.revoked_at is not None) for k in unit_api_keys(unit)] == [("second", False), ("first", True)]
    assert unit_api_key_get(unit, second.pk) == second
    with pytest.raises(NotFound):
        unit_api_key_get(unit, elsewhere.pk)
