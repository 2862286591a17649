"""A booked citizen's rights QR is redeemed in two statements (rights_qr_redeem.visit_open_by_booked_rights_qr): the
same rows as the ordinary way, field for field; a code used or a booking changed between the two statements lets
nothing through (the ordinary way then refuses); many scanners racing for one booked code open one visit."""

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Q

from raksa.audit.models import AuditEntry
from raksa.booking.models import Booking, QueueTicket
from raksa.booking.services import booking_cancel, booking_create
from raksa.booking.tests.helpers import NOW, T10, make_schedule, slot_at
from raksa.core.errors import DomainError
from raksa.testing.factories import UserFactory
from raksa.testing.races import codes, race
from raksa.verification import rights_qr_redeem
from raksa.verification.models import RightsQrToken, VerificationAttempt, Visit
from raksa.verification.rights_qr_redeem import visit_open_by_rights_qr
from raksa.verification.services import rights_qr_issue

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the two statements are PostgreSQL's")]
AT_UNIT = NOW + dt.timedelta(hours=1, minutes=50)


def booked_code():
    schedule, citizen = make_schedule()
    booking = booking_create(actor=None, citizen=citizen, slot_id=slot_at(schedule, T10).pk, now=NOW)
    return schedule.unit, booking, rights_qr_issue(citizen=citizen, now=AT_UNIT).token


def written(unit, booking, visit) -> dict:
    """What a redemption wrote, with the values that differ between two people (ids, codes) named instead."""
    names = {str(booking.citizen_id): "<citizen>", booking.reference: "<reference>", visit.authen_code: "<code>",
             unit.hcode: "<hcode>"}

    def plain(value):
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        return names.get(str(value), value) if value is not None else None

    ticket = QueueTicket.objects.get(booking=booking)
    attempt = VerificationAttempt.objects.get(visit=visit)
    token = RightsQrToken.objects.get(booking=booking)
    mine = Q()
    for row in (token, booking, visit, attempt):  # each row's own entries (ids of different tables may be equal)
        mine |= Q(object_type=row._meta.label_lower, object_id=str(row.pk))
    audit = AuditEntry.objects.filter(mine).exclude(action__in=["rights_qr.issue", "booking.create"]).order_by("pk")
    booking = Booking.objects.get(pk=booking.pk)
    return {
        "visit": {f: getattr(visit, f) for f in ("method", "status", "day", "verified_by_id",
                                                          "verified_by_label", "face_distance", "opened_at",
                                                          "closed_at", "close_reason", "service_confirmed_at")}
        | {"rights": plain(visit.rights), "booking": visit.booking_id == booking.pk, "ticket": visit.ticket_id
           == ticket.pk, "service": visit.service_id == booking.service_id, "unit": visit.unit_id == unit.pk},
        "ticket": (ticket.label, ticket.status, ticket.priority_at == booking.slot.starts_at, ticket.citizen_id
                   == booking.citizen_id, ticket.unit_id == unit.pk, ticket.called_at, ticket.finished_at),
        "booking": (booking.status, booking.status_changed_at),
        "token": (token.used_at, token.voided_at),
        "attempt": (attempt.at, attempt.unit_id == unit.pk, attempt.citizen_id == booking.citizen_id,
                    attempt.staff_id, attempt.actor_label, attempt.method, attempt.outcome, attempt.code,
                    attempt.face_distance),
        "audit": [(a.action, a.object_type, a.actor_id, a.actor_label, plain(a.after), a.before) for a in audit],
    }


@pytest.mark.parametrize("who", ["staff", "api"])
def test_two_statements_write_what_the_ordinary_way_writes(monkeypatch, django_assert_max_num_queries, who):
    staff = UserFactory(username="pharmacist") if who == "staff" else None
    label = "" if who == "staff" else "api:rk_test"
    ways = {}
    for way in ("ordinary", "two statements"):
        unit, booking, token = booked_code()
        if way == "ordinary":
            with monkeypatch.context() as m:
                m.setattr(rights_qr_redeem, "visit_open_by_booked_rights_qr", lambda **kwargs: None)
                opened = visit_open_by_rights_qr(actor=staff, unit=unit, token=token, actor_label=label, now=AT_UNIT)
        else:
            # the facts, the writes, and the savepoint around them (inside the test's transaction)
            with django_assert_max_num_queries(4):
                opened = visit_open_by_rights_qr(actor=staff, unit=unit, token=token, actor_label=label, now=AT_UNIT)
        assert opened.created and opened.visit.ticket.label == "B-001"
        assert opened.visit.booking.reference == booking.reference and opened.visit.service.pk == booking.service_id
        # what the caller reads of the visit is the row's, loaded when read if the two statements did not read it
        assert opened.visit.service.name_th == booking.service.name_th != ""
        assert opened.visit.booking.slot_id == booking.slot_id and opened.visit.unit.name == unit.name
        visit = Visit.objects.get(pk=opened.visit.pk)
        assert visit.authen_code == opened.visit.authen_code
        ways[way] = written(unit, booking, visit)
    assert ways["two statements"] == ways["ordinary"]
    assert [a[0] for a in ways["ordinary"]["audit"]] == ["rights_qr.resolve", "booking.check_in", "visit.open",
                                                         "verification.rights_qr"]


def nothing_written(booking):
    return (not Visit.objects.exists() and not QueueTicket.objects.exists()
            and not RightsQrToken.objects.filter(booking=booking, used_at__isnull=False).exists())


def test_a_booking_cancelled_between_the_two_statements_lets_nothing_through(monkeypatch):
    unit, booking, token = booked_code()
    real_decide = rights_qr_redeem.decide

    def decide_while_staff_cancel(facts):
        booking_cancel(actor=None, booking_id=booking.pk, now=AT_UNIT)  # between the facts and the writes
        return real_decide(facts)

    monkeypatch.setattr(rights_qr_redeem, "decide", decide_while_staff_cancel)
    with pytest.raises(DomainError) as refused:
        visit_open_by_rights_qr(actor=None, unit=unit, token=token, now=AT_UNIT)
    assert refused.value.code == "BOOKING_NOT_ACTIVE" and nothing_written(booking)


def test_a_code_used_between_the_two_statements_lets_nothing_through(monkeypatch):
    unit, booking, token = booked_code()
    real_decide = rights_qr_redeem.decide

    def decide_while_another_scanner_uses_it(facts):
        RightsQrToken.objects.filter(booking=booking).update(used_at=AT_UNIT)
        return real_decide(facts)

    monkeypatch.setattr(rights_qr_redeem, "decide", decide_while_another_scanner_uses_it)
    with pytest.raises(DomainError) as refused:
        visit_open_by_rights_qr(actor=None, unit=unit, token=token, now=AT_UNIT)
    assert refused.value.code == "QR_USED"
    assert not Visit.objects.exists() and not QueueTicket.objects.exists()
    assert Booking.objects.get(pk=booking.pk).status == "confirmed"


def test_an_authen_code_drawn_twice_is_drawn_again(monkeypatch):
    unit, booking, token = booked_code()
    other_unit, _, other_token = booked_code()
    first = visit_open_by_rights_qr(actor=None, unit=other_unit, token=other_token, now=AT_UNIT).visit.authen_code
    draws = iter([first, first, "PP0000000001"])
    monkeypatch.setattr(rights_qr_redeem, "new_authen_code", lambda: next(draws))
    monkeypatch.setattr("raksa.verification.visits.new_authen_code", lambda: next(draws))
    opened = visit_open_by_rights_qr(actor=None, unit=unit, token=token, now=AT_UNIT)
    assert opened.visit.authen_code == "PP0000000001" and Visit.objects.count() == 2
    assert QueueTicket.objects.filter(booking=booking).count() == 1


@pytest.mark.django_db(transaction=True)
def test_many_scanners_racing_for_one_booked_code_open_one_visit():
    unit, booking, token = booked_code()
    results = race([lambda: visit_open_by_rights_qr(actor=None, unit=unit, token=token, now=AT_UNIT)] * 20)
    assert codes(results) == {"ok": 1, "QR_USED": 19}, results
    assert Visit.objects.count() == 1 and QueueTicket.objects.filter(booking=booking).count() == 1
    assert connection.vendor == "postgresql"
