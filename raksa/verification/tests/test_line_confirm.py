"""The LINE confirmation QR: bound to unit, staff, person and moment; one answer; the portal sees it."""

import datetime as dt

import pytest

from raksa.audit.models import AuditEntry
from raksa.booking.tests.helpers import NOW
from raksa.core.errors import DomainError
from raksa.testing.factories import UnitFactory, UserFactory, make_eligible_case
from raksa.verification.line_confirm import (
    line_confirmation_answer,
    line_confirmation_issue,
    line_confirmation_scan,
    line_confirmation_state,
)
from raksa.verification.models import LineConfirmation, VerificationAttempt, Visit
from raksa.verification.visits import visit_open

pytestmark = pytest.mark.django_db
LINE_USER = "U" + "c" * 32


@pytest.fixture
def case():
    _, citizen, unit, service = make_eligible_case()
    citizen.line_user_id = LINE_USER
    citizen.save()
    return citizen, unit, service, UserFactory(username="pharmacist")


def issue(case, purpose="identity", now=NOW, **extra):
    citizen, unit, service, staff = case
    return line_confirmation_issue(actor=staff, unit=unit, citizen=citizen, purpose=purpose,
                                   service=service if purpose == "identity" else None, now=now, **extra)


def answer_refused(token, line_user=LINE_USER, now=NOW, confirm=True) -> DomainError:
    with pytest.raises(DomainError) as err:
        line_confirmation_answer(token=token, line_user_id=line_user, confirm=confirm, now=now)
    return err.value


def test_confirming_in_line_opens_the_visit_and_the_portal_sees_the_code(case):
    citizen, unit, _, staff = case
    issued = issue(case)
    assert issued.token.startswith("LC1.") and len(issued.token) == 47
    pk = issued.confirmation.pk
    assert line_confirmation_state(confirmation_id=pk, unit=unit, now=NOW).state == "waiting"
    shown = line_confirmation_scan(token=issued.token, line_user_id=LINE_USER, now=NOW + dt.timedelta(seconds=5))
    assert shown.unit == unit
    assert line_confirmation_state(confirmation_id=pk, unit=unit, now=NOW).state == "scanned"
    line_confirmation_answer(token=issued.token, line_user_id=LINE_USER, confirm=True,
                             now=NOW + dt.timedelta(seconds=9))
    state = line_confirmation_state(confirmation_id=pk, unit=unit, now=NOW)
    visit = Visit.objects.get()
    assert (state.state, state.authen_code) == ("confirmed", visit.authen_code)
    assert (visit.method, visit.verified_by) == ("line", staff)
    assert line_confirmation_state(confirmation_id=pk, unit=UnitFactory(), now=NOW) is None
    assert answer_refused(issued.token).code == "CONFIRM_USED"
    assert Visit.objects.count() == 1


def test_another_persons_line_account_cannot_confirm_and_is_audited(case):
    issued = issue(case)
    stranger = "U" + "d" * 32
    with pytest.raises(DomainError) as err:
        line_confirmation_scan(token=issued.token, line_user_id=stranger, now=NOW)
    assert err.value.code == "CONFIRM_WRONG_PERSON"
    assert answer_refused(issued.token, line_user=stranger).code == "CONFIRM_WRONG_PERSON"
    assert Visit.objects.count() == 0
    assert AuditEntry.objects.filter(action="line_confirmation.refuse", after__code="CONFIRM_WRONG_PERSON").count() == 2


def test_expired_replaced_and_edited_codes_change_nothing(case):
    first = issue(case)
    second = issue(case, now=NOW + dt.timedelta(seconds=10))  # the portal showed a new QR
    assert answer_refused(first.token).code == "CONFIRM_EXPIRED"
    assert answer_refused(second.token, now=NOW + dt.timedelta(minutes=4)).code == "CONFIRM_EXPIRED"
    assert answer_refused(second.token[:-2] + "zz").code == "CONFIRM_UNKNOWN"
    assert answer_refused("not a token").code == "CONFIRM_UNKNOWN"
    assert Visit.objects.count() == 0 and LineConfirmation.objects.filter(confirmed_at__isnull=False).count() == 0
    refusals = AuditEntry.objects.filter(action="line_confirmation.refuse").order_by("pk")
    assert [e.after["code"] for e in refusals] == ["CONFIRM_EXPIRED", "CONFIRM_EXPIRED", "CONFIRM_UNKNOWN",
                                                   "CONFIRM_UNKNOWN"]
    assert all(e.actor_label == f"line:{LINE_USER}" for e in refusals)


def test_declining_ends_the_code_without_a_visit(case):
    citizen, unit, _, _ = case
    issued = issue(case)
    line_confirmation_answer(token=issued.token, line_user_id=LINE_USER, confirm=False, now=NOW)
    assert line_confirmation_state(confirmation_id=issued.confirmation.pk, unit=unit, now=NOW).state == "declined"
    assert answer_refused(issued.token).code == "CONFIRM_USED" and Visit.objects.count() == 0


def test_every_failed_line_try_is_an_attempt_of_its_unit_staff_and_person(case):
    citizen, unit, _, staff = case
    declined, expired, wrong = issue(case), None, None
    line_confirmation_answer(token=declined.token, line_user_id=LINE_USER, confirm=False, now=NOW)
    answer_refused(declined.token)  # used
    expired = issue(case, now=NOW + dt.timedelta(seconds=10))
    answer_refused(expired.token, now=NOW + dt.timedelta(minutes=4))
    wrong = issue(case, now=NOW + dt.timedelta(minutes=5))
    with pytest.raises(DomainError):
        line_confirmation_scan(token=wrong.token, line_user_id="U" + "d" * 32, now=NOW + dt.timedelta(minutes=5))
    answer_refused("LC1." + "x" * 43)  # unknown: names no unit, audited only
    attempts = VerificationAttempt.objects.order_by("pk")
    assert [(a.method, a.outcome, a.code) for a in attempts] == [
        ("line", "refused", "DECLINED"), ("line", "refused", "CONFIRM_USED"), ("line", "refused", "CONFIRM_EXPIRED"),
        ("line", "refused", "CONFIRM_WRONG_PERSON")]
    assert {(a.unit_id, a.staff_id, a.citizen_id) for a in attempts} == {(unit.pk, staff.pk, citizen.pk)}
    assert AuditEntry.objects.filter(action="verification.line").count() == 4
    assert Visit.objects.count() == 0


def test_a_service_confirmation_refused_is_not_a_verification_attempt(case):
    citizen, unit, service, staff = case
    opened = visit_open(actor=staff, unit=unit, citizen=citizen, service=service, method="face", now=NOW)
    issued = issue(case, purpose="service", visit=opened.visit)
    line_confirmation_answer(token=issued.token, line_user_id=LINE_USER, confirm=False, now=NOW)
    answer_refused(issued.token)
    assert not VerificationAttempt.objects.filter(method="line").exists()


def test_a_person_without_line_cannot_get_a_code(case):
    citizen, *_ = case
    citizen.line_user_id = None
    citizen.save()
    with pytest.raises(DomainError) as err:
        issue(case)
    assert err.value.code == "LINE_NOT_LINKED" and LineConfirmation.objects.count() == 0


def test_the_citizen_confirms_receiving_the_service_on_the_open_visit(case):
    citizen, unit, service, staff = case
    visit = visit_open(actor=staff, unit=unit, citizen=citizen, service=service, method="face", now=NOW).visit
    issued = issue(case, purpose="service", visit=visit)
    line_confirmation_answer(token=issued.token, line_user_id=LINE_USER, confirm=True,
                             now=NOW + dt.timedelta(minutes=2))
    visit.refresh_from_db()
    assert visit.service_confirmed_at == NOW + dt.timedelta(minutes=2) and visit.status == "open"
    assert AuditEntry.objects.filter(action="visit.confirm_service", actor_label=f"line:{LINE_USER}").exists()


def test_a_booked_person_confirming_in_line_is_checked_in():
    from raksa.booking.models import Booking, BookingStatus
    from raksa.booking.services import booking_create
    from raksa.booking.tests.helpers import T10, make_schedule, slot_at

    schedule, citizen = make_schedule()
    citizen.line_user_id = LINE_USER
    citizen.save()
    booking = booking_create(actor=None, citizen=citizen, slot_id=slot_at(schedule, T10).pk, now=NOW)
    issued = line_confirmation_issue(actor=None, unit=schedule.unit, citizen=citizen, purpose="identity",
                                     service=schedule.service, booking=booking, now=NOW)
    line_confirmation_answer(token=issued.token, line_user_id=LINE_USER, confirm=True, now=NOW)
    visit = Visit.objects.get()
    assert visit.booking == booking and visit.ticket.label == "B-001"
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CHECKED_IN
