"""Rights QR: an opaque one-time code bound to the citizen and that day's booking."""

import datetime as dt

import pytest

from raksa.audit.models import AuditEntry
from raksa.booking.models import BookingChannel
from raksa.booking.services import booking_cancel, booking_create
from raksa.booking.tests.helpers import NOW, make_schedule, slot_at
from raksa.core.errors import DomainError
from raksa.core.timeutil import BANGKOK
from raksa.people import national_id as nid
from raksa.testing.factories import CitizenFactory, make_national_id
from raksa.verification.models import RightsQrToken
from raksa.verification.services import TOKEN_PREFIX, rights_qr_issue, rights_qr_resolve

pytestmark = pytest.mark.django_db

T10 = dt.datetime(2026, 11, 26, 10, 0, tzinfo=BANGKOK)
T14 = dt.datetime(2026, 11, 26, 14, 0, tzinfo=BANGKOK)


@pytest.fixture(autouse=True)
def _lifetime(settings):
    settings.RAKSA_RIGHTS_QR_SECONDS = 120


def refused(token, now):
    with pytest.raises(DomainError) as err:
        rights_qr_resolve(token=token, now=now)
    return err.value


def test_a_walk_in_code_is_opaque_and_resolves_once_to_the_citizen():
    national_id = make_national_id()
    citizen = CitizenFactory(national_id=national_id, line_user_id="U" + "a" * 32)
    issued = rights_qr_issue(citizen=citizen, now=NOW)
    assert issued.token.startswith(TOKEN_PREFIX) and len(issued.token) == 47
    assert national_id not in issued.token
    assert issued.booking is None and issued.expires_at == NOW + dt.timedelta(seconds=120)
    row = RightsQrToken.objects.get()
    assert issued.token.encode() not in bytes(row.digest)  # only the digest is stored
    assert rights_qr_resolve(token=issued.token, now=NOW + dt.timedelta(seconds=119)) == (citizen, None)
    assert RightsQrToken.objects.get().used_at == NOW + dt.timedelta(seconds=119)
    err = refused(issued.token, NOW + dt.timedelta(seconds=30))
    assert err.code == "QR_USED" and err.status == 409 and "ใช้ไปแล้ว" in err.message_th
    assert [e.action for e in AuditEntry.objects.filter(action__startswith="rights_qr").order_by("pk")] == [
        "rights_qr.issue", "rights_qr.resolve"]
    assert AuditEntry.objects.get(action="rights_qr.issue").actor_label == "line:U" + "a" * 32
    assert national_id not in str(list(AuditEntry.objects.values_list("after", flat=True)))


def test_the_code_is_bound_to_that_days_next_active_booking():
    schedule, citizen = make_schedule()
    morning = booking_create(actor=None, citizen=citizen, slot_id=slot_at(schedule, T10).pk, now=NOW,
                             channel=BookingChannel.LINE)
    other_unit, _ = make_schedule()
    afternoon = booking_create(actor=None, citizen=citizen, slot_id=slot_at(other_unit, T14).pk, now=NOW)
    tomorrow = booking_create(actor=None, citizen=citizen,
                              slot_id=slot_at(schedule, T10 + dt.timedelta(days=1)).pk, now=NOW)
    assert rights_qr_issue(citizen=citizen, now=NOW).booking == morning
    after_ten = T10 + dt.timedelta(hours=1, minutes=5)  # the morning slot (60 min) is over
    issued = rights_qr_issue(citizen=citizen, now=after_ten)
    assert issued.booking == afternoon
    assert rights_qr_resolve(token=issued.token, now=after_ten) == (citizen, afternoon)
    booking_cancel(actor=None, booking_id=afternoon.pk, now=after_ten)
    assert rights_qr_issue(citizen=citizen, now=after_ten).booking == morning  # still the day's only active one
    late = T14 + dt.timedelta(hours=5)
    assert rights_qr_issue(citizen=citizen, now=late).booking == morning  # all over: the day's last
    assert rights_qr_issue(citizen=citizen, now=T10 + dt.timedelta(days=1, hours=-2)).booking == tomorrow


def test_an_expired_code_is_refused():
    issued = rights_qr_issue(citizen=CitizenFactory(), now=NOW)
    err = refused(issued.token, NOW + dt.timedelta(seconds=120))
    assert err.code == "QR_EXPIRED" and "หมดอายุ" in err.message_th and "expired" in err.message_en
    assert RightsQrToken.objects.get().used_at is None


def test_a_new_code_voids_the_older_unused_ones():
    citizen, other = CitizenFactory(), CitizenFactory()
    first = rights_qr_issue(citizen=citizen, now=NOW)
    others = rights_qr_issue(citizen=other, now=NOW)
    second = rights_qr_issue(citizen=citizen, now=NOW + dt.timedelta(seconds=60))
    assert refused(first.token, NOW + dt.timedelta(seconds=61)).code == "QR_EXPIRED"
    assert rights_qr_resolve(token=second.token, now=NOW + dt.timedelta(seconds=61))[0] == citizen
    assert rights_qr_resolve(token=others.token, now=NOW + dt.timedelta(seconds=61))[0] == other  # not touched
    rights_qr_issue(citizen=citizen, now=NOW + dt.timedelta(seconds=90))
    assert refused(second.token, NOW + dt.timedelta(seconds=91)).code == "QR_USED"  # a used one stays used


@pytest.mark.parametrize("token", ["", "RQ1.", "RQ1." + "A" * 43, "RQ2." + "A" * 43, "hello", "RQ1." + "ก" * 43,
                                   nid.format_full(make_national_id()), None])
def test_unknown_codes_are_refused_and_change_nothing(token):
    rights_qr_issue(citizen=CitizenFactory(), now=NOW)
    err = refused(token, NOW)
    assert err.code == "QR_UNKNOWN" and err.status == 404 and err.message_th and err.message_en
    assert RightsQrToken.objects.filter(used_at__isnull=False).count() == 0
    assert not AuditEntry.objects.filter(action="rights_qr.resolve").exists()


def test_each_code_is_different():
    citizen = CitizenFactory()
    tokens = {rights_qr_issue(citizen=citizen, now=NOW).token for _ in range(20)}
    assert len(tokens) == 20
