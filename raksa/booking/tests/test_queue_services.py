"""Today's queue in the domain: who may be given a ticket, and which units may serve."""

import pytest

from raksa.audit.models import AuditEntry
from raksa.booking.models import QueueTicket, TicketStatus
from raksa.booking.queue import booking_check_in, ticket_call_next, ticket_issue_walk_in, ticket_move
from raksa.booking.services import booking_create
from raksa.booking.tests.helpers import NOW, T10, make_schedule, slot_at, ucs_citizens
from raksa.core.errors import DomainError
from raksa.units.models import UnitStatus

pytestmark = pytest.mark.django_db


def test_a_named_walk_in_ticket_carries_the_person_and_is_audited():
    schedule, _ = make_schedule()
    (person,) = ucs_citizens(1)
    ticket = ticket_issue_walk_in(actor=None, unit=schedule.unit, citizen=person, now=NOW)
    assert (ticket.label, ticket.citizen, ticket.status) == ("A-001", person, TicketStatus.WAITING)
    assert AuditEntry.objects.get(action="ticket.issue").object_id == str(ticket.pk)


def test_someone_booked_today_is_checked_in_not_given_a_walk_in_ticket():
    schedule, _ = make_schedule()
    (person,) = ucs_citizens(1)
    booking = booking_create(actor=None, citizen=person, slot_id=slot_at(schedule, T10).pk, now=NOW)
    with pytest.raises(DomainError) as refused:
        ticket_issue_walk_in(actor=None, unit=schedule.unit, citizen=person, now=NOW)
    assert refused.value.code == "HAS_BOOKING_TODAY" and booking.reference in refused.value.message_th
    assert "10:00" in refused.value.message_en
    assert not QueueTicket.objects.exists()


@pytest.mark.parametrize(("status", "code"), [(UnitStatus.SUSPENDED, "UNIT_SUSPENDED"),
                                              (UnitStatus.PENDING, "UNIT_NOT_VERIFIED")])
def test_a_unit_that_may_not_serve_cannot_issue_check_in_call_or_start(status, code):
    schedule, _ = make_schedule()
    unit = schedule.unit
    person, booked = ucs_citizens(2)
    waiting = ticket_issue_walk_in(actor=None, unit=unit, now=NOW)
    called = ticket_issue_walk_in(actor=None, unit=unit, now=NOW)
    ticket_call_next(actor=None, unit=unit, now=NOW)
    booking = booking_create(actor=None, citizen=booked, slot_id=slot_at(schedule, T10).pk, now=NOW)
    unit.status = status
    unit.save(update_fields=["status"])
    attempts = [
        lambda: ticket_issue_walk_in(actor=None, unit=unit, citizen=person, now=NOW),
        lambda: booking_check_in(actor=None, booking_id=booking.pk, now=T10),
        lambda: ticket_call_next(actor=None, unit=unit, now=NOW),
        lambda: ticket_move(actor=None, ticket_id=waiting.pk, unit=unit, status=TicketStatus.IN_SERVICE, now=NOW),
    ]
    for attempt in attempts:
        with pytest.raises(DomainError) as refused:
            attempt()
        assert refused.value.code == code
    # A unit suspended during the day can still close its queue.
    assert ticket_move(actor=None, ticket_id=waiting.pk, unit=unit, status=TicketStatus.DONE, now=NOW).status == "done"
    assert ticket_move(actor=None, ticket_id=called.pk, unit=unit, status=TicketStatus.LEFT, now=NOW).status == "left"
