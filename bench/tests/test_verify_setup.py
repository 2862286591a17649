"""The verification bench's bulk-written bookings and codes are what booking_create and rights_qr_issue write:
the domain redeems one like any other (checked in, visit opened), both ways, and a replay is refused."""

import pytest

from bench.verify_setup import book_today, issue_codes
from interfaces.api.tests.helpers import make_api_unit
from raksa.booking.models import Booking, Slot
from raksa.core.errors import DomainError
from raksa.core.timeutil import service_day
from raksa.testing.factories import CitizenFactory, CoverageFactory, make_national_id
from raksa.verification import rights_qr_redeem
from raksa.verification.models import Visit
from raksa.verification.rights_qr_redeem import visit_open_by_rights_qr

pytestmark = pytest.mark.django_db


def test_a_bench_code_is_redeemed_like_any_other(monkeypatch):
    world = make_api_unit()
    ids = [make_national_id() for _ in range(4)]
    for national_id in ids:
        CoverageFactory(citizen=CitizenFactory(national_id=national_id))
    plan = issue_codes(book_today([(world["unit"], world["key"])], ids, service_day()))
    assert len(plan) == 4 and {row["key"] for row in plan} == {world["key"]}
    slots = Slot.objects.filter(unit=world["unit"], day=service_day())
    assert sum(s.booked for s in slots) == Booking.objects.filter(unit=world["unit"]).count() == 4
    first = visit_open_by_rights_qr(actor=None, unit=world["unit"], token=plan[0]["body"]["token"])
    with monkeypatch.context() as m:  # and the ordinary way, as for a code it would not take
        m.setattr(rights_qr_redeem, "visit_open_by_booked_rights_qr", lambda **kwargs: None)
        second = visit_open_by_rights_qr(actor=None, unit=world["unit"], token=plan[1]["body"]["token"])
    assert (first.visit.ticket.label, second.visit.ticket.label) == ("B-001", "B-002")
    assert Visit.objects.filter(booking__status="checked_in").count() == 2
    with pytest.raises(DomainError) as replay:
        visit_open_by_rights_qr(actor=None, unit=world["unit"], token=plan[0]["body"]["token"])
    assert replay.value.code == "QR_USED"
