"""Scanners racing for one code against real PostgreSQL (threads with their own connections): exactly one wins."""

import pytest
from django.db import connection  # noqa: F401 (connection: the skipif below)

from raksa.core.errors import DomainError
from raksa.testing.factories import CitizenFactory
from raksa.testing.races import race
from raksa.verification.models import RightsQrToken
from raksa.verification.services import rights_qr_issue, rights_qr_resolve

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif("connection.vendor != 'postgresql'", reason="races need PostgreSQL")]
SCANNERS = 6


def scan_together(token: str) -> list[object]:
    """Each scanner's result: (citizen, booking) for the winner, the refusal's code for the others."""
    return [r.code if isinstance(r, DomainError) else r
            for r in race([lambda: rights_qr_resolve(token=token)] * SCANNERS)]


def test_racing_scanners_use_a_code_exactly_once():
    citizen = CitizenFactory()
    for _ in range(3):  # a few rounds: the race window is small
        results = scan_together(rights_qr_issue(citizen=citizen).token)
        wins = [r for r in results if isinstance(r, tuple)]
        assert len(wins) == 1 and wins[0][0] == citizen
        assert sorted(r for r in results if not isinstance(r, tuple)) == ["QR_USED"] * (SCANNERS - 1)
    assert RightsQrToken.objects.filter(used_at__isnull=False).count() == 3
