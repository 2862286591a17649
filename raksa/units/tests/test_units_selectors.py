import pytest

from raksa.testing.factories import UnitFactory
from raksa.units import selectors
from raksa.units.models import UnitApiKey
from raksa.units.selectors import api_key_digest, unit_api_key_authenticate
from raksa.units.services import unit_api_key_issue, unit_api_key_revoke

pytestmark = pytest.mark.django_db


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(selectors.time, "monotonic", clock)
    return clock


def test_a_key_revoked_by_another_process_works_here_for_at_most_the_cache_time(clock, settings):
    settings.RAKSA_API_KEY_CACHE_SECONDS = 5
    key, api_key = unit_api_key_issue(actor=None, unit=UnitFactory(), label="POS")
    assert unit_api_key_authenticate(key).unit_id == api_key.unit_id
    UnitApiKey.objects.filter(pk=api_key.pk).update(revoked_at="2026-11-26T00:00:00Z")  # as another process would
    clock.now += 4.9
    assert unit_api_key_authenticate(key) is not None
    clock.now += 0.2
    assert unit_api_key_authenticate(key) is None


def test_revoking_in_this_process_takes_effect_at_once(clock, settings):
    settings.RAKSA_API_KEY_CACHE_SECONDS = 5
    key, api_key = unit_api_key_issue(actor=None, unit=UnitFactory(), label="POS")
    assert unit_api_key_authenticate(key) is not None
    unit_api_key_revoke(actor=None, api_key=api_key)
    assert unit_api_key_authenticate(key) is None


def test_unknown_keys_are_never_remembered_and_zero_turns_the_memory_off(clock, settings):
    settings.RAKSA_API_KEY_CACHE_SECONDS = 5
    assert unit_api_key_authenticate("rk_unknown") is None and api_key_digest("rk_unknown") not in selectors._live_keys
    settings.RAKSA_API_KEY_CACHE_SECONDS = 0
    key, api_key = unit_api_key_issue(actor=None, unit=UnitFactory(), label="POS")
    assert unit_api_key_authenticate(key) is not None
    UnitApiKey.objects.filter(pk=api_key.pk).update(revoked_at="2026-11-26T00:00:00Z")
    assert unit_api_key_authenticate(key) is None


def test_a_lookup_answered_before_a_revocation_is_not_remembered_after_it(clock, settings, monkeypatch):
    settings.RAKSA_API_KEY_CACHE_SECONDS = 5
    key, api_key = unit_api_key_issue(actor=None, unit=UnitFactory(), label="POS")
    real = selectors.prepared_cursor

    def revoked_while_reading(sql, params):  # the revocation commits between our read and our remembering
        clock.now += 0.001
        selectors.unit_api_key_forget(api_key.digest)
        clock.now += 0.001
        return real(sql, params)

    monkeypatch.setattr(selectors, "prepared_cursor", revoked_while_reading)
    assert unit_api_key_authenticate(key) is not None  # it read the key live
    assert api_key_digest(key) not in selectors._live_keys  # but does not trust that answer later
