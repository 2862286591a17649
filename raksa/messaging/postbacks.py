"""A citizen taps confirm, decline or cancel on a booking message in LINE.

Decline and cancel cannot be undone, so a tap on them only asks "are you sure?" (a bubble with the
booking and a "yes" button: ``decline_yes`` / ``cancel_yes``); the second tap does it. Confirm acts at once.

The LINE user acts as the citizen only when linked to the booking's citizen (``Citizen.line_user_id``);
the booking services do the change with ``actor=None`` and ``actor_label="line:<userId>"``, so the
audit row says who acted.
"""

from __future__ import annotations

from raksa.audit.services import line_actor
from raksa.core.errors import DomainError
from raksa.messaging import flex
from raksa.messaging.models import WebhookOutcome

ACTIONS = ("confirm", "decline", "cancel", "decline_yes", "cancel_yes")
ASKED_FIRST = ("decline", "cancel")
NEXT_STEP = "กรุณาดูนัดของคุณที่เมนู \"นัดของฉัน\" หรือจองเวลาใหม่ที่เมนู \"จองคิว\""


def postback_act(*, user_id: str, action: str, reference: str) -> tuple[str, str, list[dict], int | None]:
    """(outcome, detail, reply messages, citizen id) for a postback."""
    from raksa.booking import errors
    from raksa.booking.models import CANCELLABLE_STATUSES, Booking, BookingStatus
    from raksa.booking.services import booking_cancel, booking_confirm, booking_decline
    from raksa.messaging.notify import booking_views
    from raksa.people.models import Citizen

    if action not in ACTIONS or not reference:
        return (WebhookOutcome.IGNORED, f"unknown postback {action!r}",
                flex.text("ขออภัย ไม่เข้าใจคำสั่งนี้ กรุณาใช้เมนูด้านล่าง"), None)
    citizen = Citizen.objects.filter(line_user_id=user_id).only("pk").first()
    if citizen is None:
        return (WebhookOutcome.REFUSED, "LINE user not linked",
                flex.link_invitation("บัญชี LINE นี้ยังไม่ได้ยืนยันตัวตนกับรักษา"), None)
    booking = Booking.objects.filter(reference=reference[:12].upper(), citizen_id=citizen.pk).first()
    if booking is None:  # unknown, or another citizen's: the same polite answer, no hint which
        return (WebhookOutcome.REFUSED, f"booking {reference!r} not this citizen's",
                flex.text(f"ไม่พบนัดเลขที่ {reference[:12]} ในบัญชีของคุณ กรุณาดูที่เมนู \"นัดของฉัน\""),
                citizen.pk)
    label = line_actor(user_id)
    try:
        if action in ASKED_FIRST:  # ask only what could still be done; an old button hears why not at once
            allowed = CANCELLABLE_STATUSES if action == "cancel" else (BookingStatus.AWAITING_CITIZEN,)
            if booking.status not in allowed:
                raise errors.booking_not_active(booking.status)
            return (WebhookOutcome.HANDLED, f"{action} {booking.reference} asked",
                    flex.are_you_sure(booking_views([booking.pk])[booking.pk], action=action), citizen.pk)
        if action == "confirm":
            booking_confirm(actor=None, actor_label=label, booking_id=booking.pk, via="line")
        elif action == "decline_yes":
            booking_decline(actor=None, actor_label=label, booking_id=booking.pk)
        else:
            booking_cancel(actor=None, actor_label=label, booking_id=booking.pk)
    except DomainError as exc:  # the rule's reason, then where to go on (an old button: the booking moved on)
        return (WebhookOutcome.REFUSED, f"{action} {booking.reference}: {exc.code}",
                flex.text(f"{exc.message_th} {NEXT_STEP}"), citizen.pk)
    view = booking_views([booking.pk])[booking.pk]
    if action == "confirm":
        messages = flex.booking_confirmed(view)
    elif action == "decline_yes":
        messages = flex.text(f"ปฏิเสธนัด {view.date_th} เวลา {view.time_th} ที่ {view.unit_name} แล้ว "
                             f"(เลขที่จอง {view.reference})")
    else:
        messages = flex.text(f"ยกเลิกนัด {view.date_th} เวลา {view.time_th} ที่ {view.unit_name} แล้ว "
                             f"(เลขที่จอง {view.reference})")
    return WebhookOutcome.HANDLED, f"{action} {booking.reference}", messages, citizen.pk
