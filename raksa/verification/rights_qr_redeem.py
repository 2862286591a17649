"""At the counter (flow 2.1): the citizen's rights QR is scanned; their booking is checked in, the visit opened
and its authen code issued, all in one transaction. A refusal (used, expired, another unit's booking,
tampered, not eligible, open elsewhere) rolls everything back, so the code stays as it was, and is recorded
as a refused attempt in a transaction of its own."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from raksa.booking.models import BookingStatus
from raksa.booking.queue import booking_check_in, unit_may_serve
from raksa.core.errors import DomainError
from raksa.core.timeutil import service_day
from raksa.units.models import Service, Unit
from raksa.verification import errors
from raksa.verification.attempts import attempt_record
from raksa.verification.models import AttemptOutcome, VerifyMethod
from raksa.verification.services import rights_qr_resolve
from raksa.verification.visits import Opened, check_not_open_elsewhere, visit_open


def visit_open_by_rights_qr(*, actor: Any | None, unit: Unit, token: str, service: Service | None = None,
                            actor_label: str = "", now: dt.datetime | None = None) -> Opened:
    """Redeem a scanned rights QR at ``unit``. With a booking here today: check it in (a unit-made booking not
    yet confirmed in LINE is confirmed in person: showing the QR is the citizen's own act) and open the visit
    for the booked service. Without a booking (a walk-in showing their QR): ``service`` is required."""
    now = now or timezone.now()
    unit_may_serve(unit.status)
    token = (token or "").strip()
    try:
        with transaction.atomic():
            citizen, booking = rights_qr_resolve(token=token, now=now, actor=actor)
            check_not_open_elsewhere(citizen_id=citizen.pk, unit_id=unit.pk, now=now)
            ticket = None
            if booking is not None:
                if booking.unit_id != unit.pk:
                    raise errors.qr_other_unit(booking.unit.name)
                if booking.day != service_day(now):
                    raise errors.booking_other_day()
                if booking.status in (BookingStatus.CONFIRMED, BookingStatus.AWAITING_CITIZEN):
                    ticket = booking_check_in(actor=actor, booking_id=booking.pk, now=now,
                                              confirm_in_person=booking.status == BookingStatus.AWAITING_CITIZEN)
                elif booking.status != BookingStatus.CHECKED_IN:
                    raise errors.booking_not_usable(booking.status)
                service = booking.service
            elif service is None:
                raise errors.service_needed()
            opened = visit_open(actor=actor, unit=unit, citizen=citizen, service=service,
                                method=VerifyMethod.RIGHTS_QR, booking=booking, ticket=ticket,
                                actor_label=actor_label, now=now)
            attempt_record(actor=actor, actor_label=actor_label, unit=unit, citizen=citizen,
                           method=VerifyMethod.RIGHTS_QR, outcome=AttemptOutcome.VERIFIED, visit=opened.visit, now=now)
    except DomainError as refusal:
        attempt_record(actor=actor, actor_label=actor_label, unit=unit, citizen=None, method=VerifyMethod.RIGHTS_QR,
                       outcome=AttemptOutcome.REFUSED, code=refusal.code, now=now)
        raise
    return opened
