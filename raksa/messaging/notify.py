"""Telling citizens about their bookings in LINE, from the booking services.

On the booking hot path a notification costs one job row for the lot (:func:`bookings_notify`), written
in the booking's transaction (or right after its single statement): the job (``tasks.notify_send``)
reads the bookings, keeps those whose citizen is linked to LINE (``Citizen.line_user_id``) and whose
status still says what the message says, and queues one push each (``services.message_send``). Each
(kind, booking) goes once: its ``dedupe_key``.

Reminders: ``bookings_sweep`` calls :func:`reminders_queue` every minute; a confirmed booking gets one
the day before (from 24 h before its start, if it was booked before that) and one an hour before
(likewise), never twice for the same time (dedupe keys name the slot: a booking moved after its reminders
is reminded of the new time).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import CharField, Exists, F, OuterRef, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from raksa.core.timeutil import service_day
from raksa.messaging import flex
from raksa.messaging.jobs import jobs_enqueue
from raksa.messaging.models import MessageKind, OutboundMessage

BOOKING_CONFIRMED = MessageKind.BOOKING_CONFIRMED.value
BOOKING_AWAITING = MessageKind.BOOKING_AWAITING.value
WAITLIST_OFFER = MessageKind.WAITLIST_OFFER.value
CANCELLED_BY_UNIT = MessageKind.CANCELLED_BY_UNIT.value
REMINDER_DAY = MessageKind.REMINDER_DAY.value
REMINDER_HOUR = MessageKind.REMINDER_HOUR.value
YOUR_TURN = MessageKind.YOUR_TURN.value
CLAIM_SENT = MessageKind.CLAIM_SENT.value

# The booking status each message is about: a booking that moved on before the job ran gets nothing.
EXPECTED_STATUS = {BOOKING_CONFIRMED: "confirmed", BOOKING_AWAITING: "awaiting_citizen",
                   WAITLIST_OFFER: "awaiting_citizen", CANCELLED_BY_UNIT: "cancelled",
                   REMINDER_DAY: "confirmed", REMINDER_HOUR: "confirmed"}
REMINDER_LEAD = {REMINDER_DAY: dt.timedelta(hours=24), REMINDER_HOUR: dt.timedelta(hours=1)}


def bookings_notify(*, kind: str, booking_ids: Iterable[int]) -> None:
    """Queue ``kind`` for these bookings: one job row, in the caller's transaction."""
    from raksa.messaging.tasks import notify_send

    ids = [int(pk) for pk in booking_ids if pk is not None]
    if ids:
        jobs_enqueue(notify_send, [{"kind": kind, "ids": ids}])


def ticket_called_notify(*, ticket_id: int) -> None:
    """Queue "your turn" for a ticket staff just called (sent if it is a linked citizen's)."""
    from raksa.messaging.tasks import notify_send

    jobs_enqueue(notify_send, [{"kind": YOUR_TURN, "ids": [ticket_id]}])


def claim_sent_notify(*, claim_id: int) -> None:
    """Queue "a claim was sent in your name" for a claim just sent (claim_submit): one job row in the claim's
    transaction, so it runs only once the claim is committed, and never for a claim that rolled back."""
    from raksa.messaging.tasks import notify_send

    jobs_enqueue(notify_send, [{"kind": CLAIM_SENT, "ids": [int(claim_id)]}])


def booking_views(ids: list[int]) -> dict[int, flex.BookingView]:
    from raksa.booking.models import Booking

    bookings = Booking.objects.filter(pk__in=ids).select_related("slot", "unit", "service")
    return {b.pk: flex.BookingView(
        reference=b.reference, starts_at=b.slot.starts_at, ends_at=b.slot.ends_at, unit_name=b.unit.name,
        unit_address=b.unit.address, unit_phone=b.unit.phone, latitude=b.unit.latitude,
        longitude=b.unit.longitude, service_name=b.service.name_th, expires_at=b.expires_at) for b in bookings}


def booking_messages(kind: str, view: flex.BookingView) -> list[dict]:
    if kind == BOOKING_CONFIRMED:
        return flex.booking_confirmed(view)
    if kind == BOOKING_AWAITING:
        return flex.booking_awaiting(view)
    if kind == WAITLIST_OFFER:
        return flex.waitlist_offer(view)
    if kind == CANCELLED_BY_UNIT:
        return flex.cancelled_by_unit(view)
    if kind in (REMINDER_DAY, REMINDER_HOUR):
        return flex.reminder(view, hour_before=kind == REMINDER_HOUR)
    raise ValueError(f"unknown booking message kind {kind!r}")


def dedupe_key(kind: str, booking_id: int, slot_id: int) -> str:
    """Each (kind, booking) goes once; a reminder once per (booking, slot): a booking moved to another time
    after its reminders is reminded again of the new time."""
    return f"{kind}:{booking_id}:{slot_id}" if kind in REMINDER_LEAD else f"{kind}:{booking_id}"


def notify_run(*, kind: str, ids: list[int]) -> int:
    """The job's work (``tasks.notify_send``): one message per linked citizen; returns how many."""
    from raksa.booking.models import Booking
    from raksa.messaging.services import message_send

    if kind == YOUR_TURN:
        return _your_turn(ids)
    if kind == CLAIM_SENT:
        return _claim_sent(ids)
    rows = (Booking.objects.filter(pk__in=ids, status=EXPECTED_STATUS[kind], citizen__line_user_id__isnull=False)
            .values_list("pk", "citizen_id", "citizen__line_user_id", "slot_id"))
    rows = list(rows)
    views = booking_views([pk for pk, _, _, _ in rows])
    sent = 0
    for pk, citizen_id, line_user_id, slot_id in rows:
        message = message_send(line_user_id=line_user_id, kind=kind, messages=booking_messages(kind, views[pk]),
                               citizen_id=citizen_id, dedupe_key=dedupe_key(kind, pk, slot_id))
        sent += message is not None
    return sent


def _your_turn(ticket_ids: list[int]) -> int:
    from raksa.booking.models import QueueTicket, TicketStatus
    from raksa.messaging.services import message_send

    sent = 0
    tickets = (QueueTicket.objects.filter(pk__in=ticket_ids, status=TicketStatus.CALLED,
                                          citizen__line_user_id__isnull=False)
               .select_related("unit", "citizen"))
    for ticket in tickets:
        called = int(ticket.called_at.timestamp()) if ticket.called_at else 0
        message = message_send(line_user_id=ticket.citizen.line_user_id, kind=YOUR_TURN,
                               messages=flex.your_turn(ticket_label=ticket.label, unit_name=ticket.unit.name),
                               citizen_id=ticket.citizen_id, dedupe_key=f"{YOUR_TURN}:{ticket.pk}:{called}")
        sent += message is not None
    return sent


def _claim_sent(claim_ids: list[int]) -> int:
    """One message per claim naming a linked citizen; once per authen code (a correction is not news)."""
    from raksa.claims.models import Claim
    from raksa.messaging.services import message_send

    sent = 0
    claims = (Claim.objects.filter(pk__in=claim_ids, citizen__line_user_id__isnull=False)
              .select_related("unit", "service", "citizen"))
    for claim in claims:
        view = flex.ClaimView(claim_id=claim.pk, unit_name=claim.unit.name, service_name=claim.service.name_th,
                              service_date=claim.service_date, amount=claim.amount)
        message = message_send(line_user_id=claim.citizen.line_user_id, kind=CLAIM_SENT,
                               messages=flex.claim_sent(view), citizen_id=claim.citizen_id,
                               dedupe_key=f"{CLAIM_SENT}:{claim.authen_code or claim.pk}")
        sent += message is not None
    return sent


def reminders_due(*, kind: str, now: dt.datetime) -> list[int]:
    """Confirmed bookings of linked citizens whose ``kind`` reminder is due and not yet sent: the slot
    starts within the lead time (24 h, 1 h), the booking existed before that moment, and for the day
    reminder more than an hour remains (the hour reminder takes over)."""
    from raksa.booking.models import Booking

    lead = REMINDER_LEAD[kind]
    sent = OutboundMessage.objects.filter(  # dedupe_key(kind, booking, slot), in SQL
        dedupe_key=Concat(Value(f"{kind}:"), Cast(OuterRef("pk"), CharField()), Value(":"),
                          Cast(OuterRef("slot_id"), CharField())))
    earliest = now + (REMINDER_LEAD[REMINDER_HOUR] if kind == REMINDER_DAY else dt.timedelta(0))
    today = service_day(now)
    return list(Booking.objects
                .filter(status="confirmed", day__gte=today, day__lte=today + dt.timedelta(days=1),
                        citizen__line_user_id__isnull=False,
                        slot__starts_at__gt=earliest, slot__starts_at__lte=now + lead,
                        created_at__lte=F("slot__starts_at") - lead)
                .filter(~Exists(sent)).order_by("pk").values_list("pk", flat=True)[:1000])


def reminders_queue(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Queue the reminders that are due (one job row per kind); the booking sweep calls this."""
    now = now or timezone.now()
    counts = {}
    for kind in (REMINDER_DAY, REMINDER_HOUR):
        ids = reminders_due(kind=kind, now=now)
        bookings_notify(kind=kind, booking_ids=ids)
        counts[kind] = len(ids)
    return counts
