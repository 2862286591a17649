"""Scanners racing for one code against real PostgreSQL (threads with their own connections): exactly one wins."""

import threading

import pytest
from django.db import connection, connections  # noqa: F401 (connection: the skipif below)

from raksa.core.errors import DomainError
from raksa.testing.factories import CitizenFactory
from raksa.verification.models import RightsQrToken
from raksa.verification.services import rights_qr_issue, rights_qr_resolve

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif("connection.vendor != 'postgresql'", reason="races need PostgreSQL")]
SCANNERS = 6


def scan_together(token: str) -> list[object]:
    barrier = threading.Barrier(SCANNERS)
    results: list[object] = [None] * SCANNERS

    def scan(i: int) -> None:
        try:
            barrier.wait()
            results[i] = rights_qr_resolve(token=token)
        except DomainError as exc:
            results[i] = exc.code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=scan, args=(i,)) for i in range(SCANNERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def test_racing_scanners_use_a_code_exactly_once():
    citizen = CitizenFactory()
    for _ in range(3):  # a few rounds: the race window is small
        results = scan_together(rights_qr_issue(citizen=citizen).token)
        wins = [r for r in results if isinstance(r, tuple)]
        assert len(wins) == 1 and wins[0][0] == citizen
        assert sorted(r for r in results if not isinstance(r, tuple)) == ["QR_USED"] * (SCANNERS - 1)
    assert RightsQrToken.objects.filter(used_at__isnull=False).count() == 3
