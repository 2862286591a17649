"""At the counter (flow 2.1): the citizen's rights QR is scanned; their booking is checked in, the visit opened
and its authen code issued, all in one transaction. A refusal (used, expired, another unit's booking,
tampered, not eligible, open elsewhere) rolls everything back, so the code stays as it was, and is recorded
as a refused attempt in a transaction of its own."""

from __future__ import annotations

import datetime as dt
from contextlib import nullcontext
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Model
from django.utils import timezone

from raksa.booking.models import Booking, BookingStatus, QueueTicket, TicketKind, TicketStatus
from raksa.booking.queue import booking_check_in, unit_may_serve
from raksa.core.db import prepared_cursor
from raksa.core.errors import DomainError
from raksa.core.request_context import get_request_id
from raksa.core.timeutil import service_day
from raksa.eligibility.services import Facts, as_date, coverage_from_row, decide
from raksa.units.models import Service, Unit, UnitStatus
from raksa.verification import errors, sql
from raksa.verification.attempts import attempt_record
from raksa.verification.models import AttemptOutcome, RightsQrToken, VerifyMethod, Visit, VisitStatus
from raksa.verification.services import rights_qr_resolve, token_digest
from raksa.verification.visits import Opened, check_not_open_elsewhere, new_authen_code, rights_snapshot, visit_open


def visit_open_by_rights_qr(*, actor: Any | None, unit: Unit, token: str, service: Service | None = None,
                            actor_label: str = "", now: dt.datetime | None = None) -> Opened:
    """Redeem a scanned rights QR at ``unit``. With a booking here today: check it in (a unit-made booking not
    yet confirmed in LINE is confirmed in person: showing the QR is the citizen's own act) and open the visit
    for the booked service. Without a booking (a walk-in showing their QR): ``service`` is required."""
    now = now or timezone.now()
    unit_may_serve(unit.status)
    token = (token or "").strip()
    if service is None:
        opened = visit_open_by_booked_rights_qr(actor=actor, unit_id=unit.pk, token=token, actor_label=actor_label,
                                                now=now)
        if opened is not None:
            opened.visit.unit = unit
            return opened
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
        digest = token_digest(token)  # whose code it was, when it is one of ours: the try shows in their history
        holder = (RightsQrToken.objects.filter(digest=digest).select_related("citizen").first()
                  if digest is not None else None)
        attempt_record(actor=actor, actor_label=actor_label, unit=unit, citizen=holder.citizen if holder else None,
                       method=VerifyMethod.RIGHTS_QR, outcome=AttemptOutcome.REFUSED, code=refusal.code, now=now)
        raise
    return opened


def visit_open_by_booked_rights_qr(*, actor: Any | None, unit_id: int, token: str, actor_label: str = "",
                                   now: dt.datetime | None = None) -> Opened | None:
    """:func:`visit_open_by_rights_qr` for its common case, in two statements instead of some thirty: a fresh code
    whose booking is confirmed for today at this unit (a verified one), no open visit, eligible. The facts in one
    read, then every write behind a gate (sql.REDEEM_BOOKED_SQL): the same rows as the ordinary way. None when the
    case is not that one, or a race or a constraint stopped the writes (nothing written, nothing recorded): call
    :func:`visit_open_by_rights_qr`, which decides (and refuses) as always. PostgreSQL only (None elsewhere).
    Why: a surge of redemptions measured 76/s the ordinary way on the benchmark's machine (verify.qr.rate).
    Many at once: :func:`raksa.verification.rights_qr_batch.visits_open_by_booked_rights_qr`."""
    if connection.vendor != "postgresql":
        return None
    now = now or timezone.now()
    digest = token_digest((token or "").strip())
    if digest is None:
        return None
    day = service_day(now)
    at, d = connection.ops.adapt_datetimefield_value(now), connection.ops.adapt_datefield_value(day)
    with prepared_cursor(sql.REDEEM_FACTS_SQL, [at, d, unit_id, d, d, d, unit_id, digest]) as cursor:
        row = cursor.fetchone()
    redemption = Redemption.of(row, sql.REDEEM_FACTS_COLUMNS.at, unit_id=unit_id, day=day, now=now, actor=actor,
                               actor_label=actor_label, request_id=get_request_id())
    if redemption is None:
        return None
    values, json = redemption.values, connection.ops.adapt_json_value
    params = values | {"now": at, "day": d, "starts_at": connection.ops.adapt_datetimefield_value(values["starts_at"])}
    params |= {name: json(values[name], None) for name in Redemption.JSON}
    # One statement is its own transaction; inside a caller's, a savepoint keeps a refused insert from breaking it.
    statement = transaction.atomic() if connection.in_atomic_block else nullcontext()
    try:
        with statement, prepared_cursor(sql.REDEEM_BOOKED_SQL, params) as cursor:
            written = cursor.fetchone()
    except IntegrityError:  # a constraint said no (a race lost, a code drawn twice): the ordinary way decides
        return None
    if written is None:
        return None
    return redemption.opened(*written)


class Redemption:
    """A booked code's redemption decided from its facts (a row of sql.REDEEM_FACTS_SQL or REDEEM_FACTS_MANY_SQL),
    not yet written: the visit to open and ``values``, the parameters of the statement that writes it (plain
    values: dates, dicts), so that one request or a batch of them write the same rows."""

    JSON = ("rights", "resolve_after", "visit_after", "attempt_after")  # the values written as jsonb

    def __init__(self, *, visit: Visit, values: dict[str, Any], reference: str) -> None:
        self.visit, self.values, self.reference = visit, values, reference

    @classmethod
    def of(cls, row: tuple | None, cols: dict[str, int], *, unit_id: int, day: dt.date, now: dt.datetime,
           actor: Any | None, actor_label: str, request_id: str) -> Redemption | None:
        """The redemption when the facts are the common case (see visit_open_by_booked_rights_qr), else None."""
        if (row is None or not row[cols["usable"]] or row[cols["booking_unit_id"]] != unit_id
                or row[cols["unit_status"]] != UnitStatus.VERIFIED
                or as_date(row[cols["booking_day"]]) != day or row[cols["booking_status"]] != BookingStatus.CONFIRMED
                or row[cols["open_visit_unit_id"]] is not None):
            return None
        citizen_id, booking_id, reference = row[cols["citizen_id"]], row[cols["booking_id"]], row[cols["reference"]]
        unit = _loaded(Unit, id=unit_id, hcode=row[cols["hcode"]], name=row[cols["unit_name"]],
                       status=row[cols["unit_status"]], unit_type=row[cols["unit_type"]])
        service = _loaded(Service, id=row[cols["service_id"]], code=row[cols["service_code"]],
                          active=row[cols["service_active"]], unit_type=row[cols["service_unit_type"]])
        decision = decide(Facts(day=day, coverage=coverage_from_row(citizen_id, row, cols),
                                later_coverage=bool(row[cols["later_coverage"]]), unit_status=unit.status,
                                unit_type=unit.unit_type, service_active=service.active,
                                service_unit_type=service.unit_type, contracted=bool(row[cols["contracted"]])))
        if not decision.eligible:
            return None
        user = actor if getattr(actor, "is_authenticated", False) else None
        visit = Visit(authen_code=new_authen_code(), citizen_id=citizen_id, unit=unit, service=service, day=day,
                      booking_id=booking_id, method=VerifyMethod.RIGHTS_QR, verified_by=user,
                      verified_by_label=actor_label or (user.get_username() if user else "system"),
                      rights=rights_snapshot(decision), status=VisitStatus.OPEN, opened_at=now)
        audit_label = actor_label or (user.get_username() if user else "system")  # as audit_record names the actor
        plain_label = user.get_username() if user else "system"  # rows the ordinary way writes without actor_label
        values = {
            "token": row[cols["token_id"]], "booking": booking_id, "now": now, "unit": unit.pk, "day": day,
            "citizen": citizen_id, "starts_at": row[cols["starts_at"]], "authen_code": visit.authen_code,
            "service": service.pk, "staff": user.pk if user else None, "verified_by_label": visit.verified_by_label,
            "rights": visit.rights, "attempt_label": actor_label, "resolve_label": plain_label,
            "check_in_label": plain_label, "visit_label": audit_label, "request_id": request_id,
            "resolve_after": {"citizen": citizen_id, "booking": reference},
            "visit_after": {"authen_code": visit.authen_code, "citizen": citizen_id, "unit": unit.hcode,
                            "method": VerifyMethod.RIGHTS_QR, "booking": reference, "face_distance": None},
            "attempt_after": {"unit": unit.hcode, "citizen": citizen_id, "outcome": AttemptOutcome.VERIFIED,
                              "code": "", "face_distance": None, "visit": visit.authen_code},
        }
        return cls(visit=visit, values=values, reference=reference)

    def opened(self, visit_id: int, ticket_id: int, number: int) -> Opened:
        """The visit as written (its id, its booking checked in, its ticket's id and number)."""
        visit, values = self.visit, self.values
        visit.pk = visit_id
        visit._state.adding, visit._state.db = False, connection.alias
        visit.booking = _loaded(Booking, id=values["booking"], reference=self.reference, citizen_id=values["citizen"],
                                unit_id=values["unit"], service_id=values["service"], day=values["day"],
                                status=BookingStatus.CHECKED_IN, status_changed_at=values["now"])
        visit.ticket = _loaded(QueueTicket, id=ticket_id, unit_id=values["unit"], day=values["day"],
                               kind=TicketKind.BOOKING, number=number, booking_id=values["booking"],
                               citizen_id=values["citizen"], status=TicketStatus.WAITING,
                               priority_at=values["starts_at"], created_at=values["now"])
        return Opened(visit, created=True)


def _loaded(model: type[Model], **values: Any) -> Any:
    """An instance of a row known in part, as the ORM makes one from ``.only(…)``: the other fields load from the
    database when first read (never the defaults of a new instance)."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]  # from_db reads them in this order
    return model.from_db(connection.alias, names, [values[name] for name in names])
