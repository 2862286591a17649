"""Linking under concurrency against real PostgreSQL: threads with their own connections, released together.

The failure counts must be exact (no lost update) and the lock must hold for attempts from any process.
"""

import datetime as dt
from collections import Counter

import pytest
from django.db import connection, transaction  # noqa: F401 (connection: the skipif below)
from django.utils import timezone

from raksa.audit.models import AuditEntry
from raksa.core.errors import DomainError
from raksa.people.linking import _link
from raksa.people.models import Citizen, LinkAttempt, LinkAttemptKind
from raksa.people.services import citizen_line_link
from raksa.testing.factories import CitizenFactory, make_national_id
from raksa.testing.races import codes, race

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif("connection.vendor != 'postgresql'", reason="races need PostgreSQL")]

BIRTH = dt.date(1970, 1, 31)
LASER = "AB1-2345678-90"
WRONG = "AB1-2345678-99"


def user(i: int) -> str:
    return f"U{i:032x}"


def link(line_user_id: str, national_id: str, laser: str = LASER) -> Citizen:
    return citizen_line_link(line_user_id=line_user_id, national_id=national_id, birth_date=BIRTH, laser_code=laser)


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.RAKSA_LINK_MAX_FAILURES = 5
    settings.RAKSA_LINK_LOCK_MINUTES = 30


def test_racing_guesses_at_one_id_from_many_accounts_are_counted_exactly_and_lock_it():
    national_id = make_national_id()
    citizen = CitizenFactory(national_id=national_id, birth_date=BIRTH, laser_code=LASER)
    results = race([lambda i=i: link(user(i), national_id, WRONG) for i in range(12)])
    assert codes(results) == Counter({"LINK_REFUSED": 4, "LINK_LOCKED": 8})
    assert LinkAttempt.objects.get(kind=LinkAttemptKind.NATIONAL_ID).failures == 5
    assert AuditEntry.objects.filter(action="citizen.line_link.refused").count() == 5
    # locked for everyone, even with the right details
    with pytest.raises(DomainError) as err:
        link(user(99), national_id)
    assert err.value.code == "LINK_LOCKED" and err.value.locked_until > timezone.now()
    assert Citizen.objects.get(pk=citizen.pk).line_user_id is None


def test_racing_guesses_from_one_account_at_many_ids_are_counted_exactly_and_lock_it():
    ids = [make_national_id() for _ in range(10)]
    results = race([lambda n=n: link(user(1), n, WRONG) for n in ids])
    assert codes(results) == Counter({"LINK_REFUSED": 4, "LINK_LOCKED": 6})
    assert LinkAttempt.objects.get(kind=LinkAttemptKind.LINE_USER, key=user(1)).failures == 5


def test_a_citizen_is_linked_to_exactly_one_of_many_racing_accounts():
    national_id = make_national_id()
    citizen = CitizenFactory(national_id=national_id, birth_date=BIRTH, laser_code=LASER)
    results = race([lambda i=i: link(user(i), national_id) for i in range(8)])
    assert codes(results) == Counter({"ok": 1, "CITIZEN_ALREADY_LINKED": 7})
    winner = next(r for r in results if isinstance(r, Citizen))
    assert Citizen.objects.get(pk=citizen.pk).line_user_id == winner.line_user_id
    assert AuditEntry.objects.filter(action="citizen.line_link").count() == 1


def test_an_account_is_linked_to_exactly_one_of_several_citizens_it_races_for():
    ids = [make_national_id() for _ in range(6)]
    for n in ids:
        CitizenFactory(national_id=n, birth_date=BIRTH, laser_code=LASER)
    results = race([lambda n=n: link(user(7), n) for n in ids])
    assert codes(results) == Counter({"ok": 1, "LINE_ALREADY_LINKED": 5})
    assert Citizen.objects.filter(line_user_id=user(7)).count() == 1


def test_the_unique_constraint_is_the_last_word_when_a_check_is_bypassed():
    """Without the attempt-row lock (some other path), the named unique constraint still refuses a second
    citizen for one account, and the violation is reported as LINE_ALREADY_LINKED."""
    first = CitizenFactory(national_id=make_national_id(), line_user_id=user(3))
    second = CitizenFactory(national_id=make_national_id())
    attempt = LinkAttempt.objects.create(kind=LinkAttemptKind.LINE_USER, key=user(3))
    with pytest.raises(DomainError) as err, transaction.atomic():
        _link(second, user(3), attempt, timezone.now())
    assert err.value.code == "LINE_ALREADY_LINKED"
    assert list(Citizen.objects.filter(line_user_id=user(3)).values_list("pk", flat=True)) == [first.pk]
