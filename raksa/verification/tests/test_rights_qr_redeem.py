"""Redeeming a rights QR at the counter: the booking is checked in, the visit opened, the authen code issued;
used, expired, other-unit, tampered and cancelled-booking codes are refused and change nothing."""

import datetime as dt

import pytest

from raksa.booking.models import Booking, BookingStatus, QueueTicket
from raksa.booking.services import booking_cancel, booking_create
from raksa.booking.tests.helpers import NOW, T10, make_schedule, slot_at
from raksa.core.errors import DomainError
from raksa.verification.models import RightsQrToken, VerificationAttempt, Visit
from raksa.verification.rights_qr_redeem import visit_open_by_rights_qr
from raksa.verification.services import rights_qr_issue

pytestmark = pytest.mark.django_db
AT_UNIT = NOW + dt.timedelta(hours=1, minutes=50)  # 09:50, ten minutes before the 10:00 booking


@pytest.fixture
def booked():
    schedule, citizen = make_schedule()
    booking = booking_create(actor=None, citizen=citizen, slot_id=slot_at(schedule, T10).pk, now=NOW)
    return schedule.unit, citizen, booking


def refused(unit, token, now=AT_UNIT, **kwargs) -> DomainError:
    before = (Visit.objects.count(), QueueTicket.objects.count(), list(RightsQrToken.objects.values_list("used_at")))
    with pytest.raises(DomainError) as err:
        visit_open_by_rights_qr(actor=None, unit=unit, token=token, now=now, **kwargs)
    assert (Visit.objects.count(), QueueTicket.objects.count(),
            list(RightsQrToken.objects.values_list("used_at"))) == before, "a refusal changed something"
    assert VerificationAttempt.objects.filter(outcome="refused", code=err.value.code).exists()
    return err.value


def test_the_booked_person_is_checked_in_and_gets_an_authen_code(booked):
    unit, citizen, booking = booked
    token = rights_qr_issue(citizen=citizen, now=AT_UNIT).token
    opened = visit_open_by_rights_qr(actor=None, unit=unit, token=token, now=AT_UNIT)
    visit = opened.visit
    assert visit.method == "rights_qr" and visit.booking == booking and visit.ticket.label == "B-001"
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CHECKED_IN
    assert VerificationAttempt.objects.get().outcome == "verified"
    assert refused(unit, token).code == "QR_USED"


def test_a_unit_made_booking_awaiting_the_citizen_is_confirmed_by_showing_the_qr():
    schedule, citizen = make_schedule()
    booking = booking_create(actor=None, citizen=citizen, slot_id=slot_at(schedule, T10).pk, now=NOW,
                             channel="portal")
    assert booking.status == BookingStatus.AWAITING_CITIZEN
    token = rights_qr_issue(citizen=citizen, now=AT_UNIT - dt.timedelta(minutes=1)).token
    visit_open_by_rights_qr(actor=None, unit=schedule.unit, token=token, now=AT_UNIT)
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CHECKED_IN


def test_another_units_booking_is_refused_and_the_code_still_works_there(booked):
    unit, citizen, _ = booked
    other_schedule, _ = make_schedule()
    token = rights_qr_issue(citizen=citizen, now=AT_UNIT).token
    err = refused(other_schedule.unit, token)
    assert err.code == "QR_OTHER_UNIT" and unit.name in err.message_th
    assert VerificationAttempt.objects.get(code="QR_OTHER_UNIT").citizen == citizen  # in their history
    assert visit_open_by_rights_qr(actor=None, unit=unit, token=token, now=AT_UNIT).created


def test_expired_tampered_and_unknown_codes_are_refused(booked):
    unit, citizen, _ = booked
    token = rights_qr_issue(citizen=citizen, now=AT_UNIT).token
    assert refused(unit, token, now=AT_UNIT + dt.timedelta(minutes=3)).code == "QR_EXPIRED"
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert refused(unit, tampered).code == "QR_UNKNOWN"
    assert refused(unit, "1234567890123").code == "QR_UNKNOWN"


def test_a_code_for_a_cancelled_booking_is_refused(booked):
    unit, citizen, booking = booked
    token = rights_qr_issue(citizen=citizen, now=AT_UNIT).token
    booking_cancel(actor=None, booking_id=booking.pk, now=AT_UNIT)
    assert refused(unit, token).code == "BOOKING_NOT_ACTIVE"


def test_a_walk_in_code_needs_the_service_and_then_opens_the_visit(booked):
    unit, citizen, booking = booked
    booking_cancel(actor=None, booking_id=booking.pk, now=NOW)
    token = rights_qr_issue(citizen=citizen, now=AT_UNIT).token  # no booking today: a walk-in code
    assert refused(unit, token).code == "SERVICE_REQUIRED"
    opened = visit_open_by_rights_qr(actor=None, unit=unit, token=token, now=AT_UNIT, service=booking.service)
    assert opened.visit.booking is None and opened.visit.method == "rights_qr"
