"""Linking a LINE account to a citizen: proof, counted failures, lock-out, one link each way, unlink."""

import datetime as dt

import pytest

from raksa.audit.models import AuditEntry
from raksa.core.errors import DomainError, InvalidInput
from raksa.people.errors import LinkLocked
from raksa.people.models import Citizen, LinkAttempt, LinkAttemptKind
from raksa.people.national_id import format_full
from raksa.people.selectors import citizen_by_line_user
from raksa.people.services import citizen_laser_code_set, citizen_line_link, citizen_line_unlink, citizen_register
from raksa.testing.factories import CitizenFactory, make_national_id

pytestmark = pytest.mark.django_db

BIRTH = dt.date(1956, 3, 14)
LASER = "ME1-2345678-90"
NOW = dt.datetime(2026, 11, 26, 3, 0, tzinfo=dt.UTC)  # 10:00 in Bangkok
U1, U2 = "U" + "1" * 32, "U" + "2" * 32


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.RAKSA_LINK_MAX_FAILURES = 3
    settings.RAKSA_LINK_LOCK_MINUTES = 30


@pytest.fixture
def person():
    national_id = make_national_id()
    return national_id, CitizenFactory(national_id=national_id, birth_date=BIRTH, laser_code=LASER)


def link(line_user_id, national_id, *, birth=BIRTH, laser=LASER, now=NOW):
    return citizen_line_link(line_user_id=line_user_id, national_id=national_id, birth_date=birth,
                             laser_code=laser, now=now)


def failures(kind, key):
    return LinkAttempt.objects.filter(kind=kind, key=key).values_list("failures", flat=True).first()


def test_matching_details_link_the_account_and_are_audited(person):
    national_id, citizen = person
    assert citizen_by_line_user(U1) is None
    linked = link(U1, format_full(national_id), laser="me1 ๒๓๔๕๖๗๘ 90")
    assert linked.pk == citizen.pk
    assert citizen_by_line_user(U1) == citizen
    entry = AuditEntry.objects.get(action="citizen.line_link")
    assert entry.actor_label == f"line:{U1}" and entry.object_id == str(citizen.pk)
    assert entry.after["line_user_id"] == U1 and national_id not in str(entry.after)
    assert link(U1, national_id).pk == citizen.pk  # again: unchanged, no second row
    assert AuditEntry.objects.filter(action="citizen.line_link").count() == 1


@pytest.mark.parametrize("wrong", [{"laser": "ME1-2345678-91"}, {"birth": dt.date(1956, 3, 15)},
                                   {"national_id": "unknown"}])
def test_any_mismatch_is_refused_with_one_message_and_counted(person, wrong):
    national_id, citizen = person
    if wrong.pop("national_id", None):
        national_id = make_national_id()
    with pytest.raises(DomainError) as err:
        link(U1, national_id, **wrong)
    assert err.value.code == "LINK_REFUSED" and err.value.status == 403
    assert err.value.field is None
    assert "ไม่ตรง" in err.value.message_th
    citizen.refresh_from_db()
    assert citizen.line_user_id is None
    assert failures(LinkAttemptKind.LINE_USER, U1) == 1
    assert LinkAttempt.objects.get(kind=LinkAttemptKind.NATIONAL_ID).failures == 1
    entry = AuditEntry.objects.get(action="citizen.line_link.refused")
    assert entry.actor_label == f"line:{U1}"
    assert entry.after["failures"] == {"line_user": 1, "national_id": 1}


def test_every_refusal_says_the_same_thing(person, settings):
    settings.RAKSA_LINK_MAX_FAILURES = 5
    national_id, _ = person
    messages = set()
    for kwargs in ({"laser": "ME1-2345678-91"}, {"birth": dt.date(2000, 1, 1)}):
        with pytest.raises(DomainError) as err:
            link(U1, national_id, **kwargs)
        messages.add((err.value.code, err.value.message_th, err.value.message_en))
    with pytest.raises(DomainError) as err:
        link(U1, make_national_id())
    messages.add((err.value.code, err.value.message_th, err.value.message_en))
    assert len(messages) == 1


def test_the_national_id_key_is_not_the_id(person):
    national_id, _ = person
    with pytest.raises(DomainError):
        link(U1, national_id, laser="ME1-2345678-91")
    key = LinkAttempt.objects.get(kind=LinkAttemptKind.NATIONAL_ID).key
    assert national_id not in key and len(key) == 64


def test_a_citizen_without_a_laser_code_on_file_cannot_link():
    national_id = make_national_id()
    CitizenFactory(national_id=national_id, birth_date=BIRTH, laser_code=None)
    with pytest.raises(DomainError) as err:
        link(U1, national_id)
    assert err.value.code == "LINK_REFUSED"


@pytest.mark.parametrize("field,kwargs", [
    ("laser_code", {"laser": "ME12345"}), ("national_id", {"national_id": "1234567890123"}),
    ("birth_date", {"birth": "1956-03-14"}), ("line_user_id", {"line_user_id": ""}),
    ("line_user_id", {"line_user_id": "U 1"})])
def test_bad_shapes_are_invalid_input_and_not_counted(person, field, kwargs):
    national_id, _ = person
    with pytest.raises(InvalidInput) as err:
        citizen_line_link(line_user_id=kwargs.get("line_user_id", U1),
                          national_id=kwargs.get("national_id", national_id), birth_date=kwargs.get("birth", BIRTH),
                          laser_code=kwargs.get("laser", LASER), now=NOW)
    assert err.value.field == field
    assert not LinkAttempt.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="citizen.line").exists()


def test_n_failures_lock_the_line_user_and_the_id_until_the_lock_expires(person):
    national_id, citizen = person
    for i in range(2):
        with pytest.raises(DomainError) as err:
            link(U1, national_id, laser="ME1-2345678-91", now=NOW + dt.timedelta(minutes=i))
        assert err.value.code == "LINK_REFUSED"
    with pytest.raises(LinkLocked) as err:  # the third failure locks, and says so
        link(U1, national_id, laser="ME1-2345678-91", now=NOW + dt.timedelta(minutes=2))
    until = NOW + dt.timedelta(minutes=32)
    assert err.value.code == "LINK_LOCKED" and err.value.status == 429 and err.value.locked_until == until
    assert "26 พ.ย. 2569 10:32 น." in err.value.message_th  # Thai time
    assert "10:32" in err.value.message_en
    # now even the right details are refused, from this account and from another one for this ID
    for user in (U1, U2):
        with pytest.raises(LinkLocked) as err:
            link(user, national_id, now=NOW + dt.timedelta(minutes=20))
        assert err.value.locked_until == until and "ไม่ตรง" not in err.value.message_th
    # ... and this account is locked for any other ID too
    other_id = make_national_id()
    CitizenFactory(national_id=other_id, birth_date=BIRTH, laser_code=LASER)
    with pytest.raises(LinkLocked):
        link(U1, other_id, now=NOW + dt.timedelta(minutes=20))
    assert failures(LinkAttemptKind.LINE_USER, U1) == 3  # attempts while locked are not counted
    assert failures(LinkAttemptKind.LINE_USER, U2) == 0
    citizen.refresh_from_db()
    assert citizen.line_user_id is None
    # the lock expires
    assert link(U2, national_id, now=until).pk == citizen.pk


def test_failures_outside_the_window_start_a_new_count(person):
    national_id, _ = person
    for minutes in (0, 10, 45, 50):  # two in the first window, two in the next
        with pytest.raises(DomainError) as err:
            link(U1, national_id, laser="ME1-2345678-91", now=NOW + dt.timedelta(minutes=minutes))
        assert err.value.code == "LINK_REFUSED"
    assert failures(LinkAttemptKind.LINE_USER, U1) == 2


def test_a_new_count_starts_after_a_lock(person):
    national_id, _ = person
    for _ in range(3):
        with pytest.raises(DomainError):
            link(U1, national_id, laser="ME1-2345678-91")
    with pytest.raises(DomainError) as err:
        link(U1, national_id, laser="ME1-2345678-91", now=NOW + dt.timedelta(minutes=31))
    assert err.value.code == "LINK_REFUSED"
    assert failures(LinkAttemptKind.LINE_USER, U1) == 1


def test_success_clears_the_line_users_count_not_the_ids(person):
    national_id, _ = person
    for _ in range(2):
        with pytest.raises(DomainError):
            link(U1, national_id, laser="ME1-2345678-91")
    link(U1, national_id)
    assert failures(LinkAttemptKind.LINE_USER, U1) == 0
    assert LinkAttempt.objects.get(kind=LinkAttemptKind.NATIONAL_ID).failures == 2


def test_one_line_account_per_citizen_and_one_citizen_per_line_account(person):
    national_id, citizen = person
    link(U1, national_id)
    with pytest.raises(DomainError) as err:
        link(U2, national_id)
    assert err.value.code == "CITIZEN_ALREADY_LINKED" and err.value.status == 409
    other_id = make_national_id()
    CitizenFactory(national_id=other_id, birth_date=BIRTH, laser_code=LASER)
    with pytest.raises(DomainError) as err:
        link(U1, other_id)
    assert err.value.code == "LINE_ALREADY_LINKED" and err.value.status == 409
    assert dict(Citizen.objects.exclude(line_user_id=None).values_list("line_user_id", "pk")) == {U1: citizen.pk}
    assert not LinkAttempt.objects.filter(failures__gt=0).exists()  # conflicts are not failures


def test_another_account_with_a_wrong_guess_learns_nothing_about_a_linked_id(person):
    national_id, _ = person
    link(U1, national_id)
    with pytest.raises(DomainError) as err:
        link(U2, national_id, laser="ME1-2345678-91")
    assert err.value.code == "LINK_REFUSED"


def test_unlink_then_relink(person):
    national_id, citizen = person
    link(U1, national_id)
    citizen_line_unlink(line_user_id=U1)
    assert citizen_by_line_user(U1) is None
    entry = AuditEntry.objects.get(action="citizen.line_unlink")
    assert entry.actor_label == f"line:{U1}" and entry.before == {"line_user_id": U1}
    with pytest.raises(DomainError) as err:
        citizen_line_unlink(line_user_id=U1)
    assert err.value.code == "LINE_NOT_LINKED" and err.value.status == 404
    assert link(U2, national_id).pk == citizen.pk  # the ID is free for another account
    citizen_line_unlink(line_user_id=U2)
    assert link(U1, national_id).pk == citizen.pk
    assert citizen_by_line_user(U1) == citizen


def test_register_and_set_laser_code_store_only_the_hmac():
    national_id = make_national_id()
    citizen = citizen_register(actor=None, national_id=national_id, first_name_th="สมชาย", last_name_th="รักดี",
                               birth_date=BIRTH, laser_code="ab1-2345678-90")
    stored = bytes(Citizen.objects.values_list("laser_hash", flat=True).get(pk=citizen.pk))
    assert len(stored) == 32 and b"AB1234567890" not in stored
    link(U1, national_id, laser="AB1-2345678-90")
    citizen_laser_code_set(actor=None, citizen=citizen, laser_code="CD9-8765432-10")  # a new card
    citizen_line_unlink(line_user_id=U1)
    with pytest.raises(DomainError) as err:
        link(U1, national_id, laser="AB1-2345678-90")
    assert err.value.code == "LINK_REFUSED"
    assert link(U1, national_id, laser="CD9-8765432-10").pk == citizen.pk
    entry = AuditEntry.objects.get(action="citizen.laser_code.set")
    assert entry.before == {"laser_code": True} and "CD9" not in str(entry.after)
