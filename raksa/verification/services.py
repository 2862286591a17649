"""Issue and resolve rights-confirmation QR codes. Every change writes its audit row in its transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from raksa.audit.services import audit_record, line_actor
from raksa.booking.models import ACTIVE_STATUSES, Booking
from raksa.core.errors import DomainError
from raksa.core.timeutil import service_day
from raksa.people.models import Citizen
from raksa.verification import errors, sql
from raksa.verification.models import RightsQrToken

TOKEN_PREFIX = "RQ1."  # version 1: 32 random bytes, URL-safe base64 without padding
_TOKEN_LENGTH = len(TOKEN_PREFIX) + 43


@dataclass(frozen=True)
class IssuedRightsQr:
    token: str  # the QR's payload: opaque, shown once, never stored
    issued_at: dt.datetime
    expires_at: dt.datetime
    booking: Booking | None  # that Bangkok day's booking, or None (walk-in)


def token_digest(token: str) -> bytes | None:
    """The stored digest of a token, or None if it cannot be one of ours (wrong shape)."""
    if not (isinstance(token, str) and len(token) == _TOKEN_LENGTH and token.startswith(TOKEN_PREFIX)
            and token.isascii()):
        return None
    return hashlib.sha256(token.encode()).digest()


def rights_qr_issue(*, citizen: Citizen, now: dt.datetime | None = None, actor: Any | None = None) -> IssuedRightsQr:
    """A new code for ``citizen``, valid RAKSA_RIGHTS_QR_SECONDS, bound to that Bangkok day's active booking
    (the next one not yet over, else the day's last) or to none; the citizen's older unused codes stop working.
    ``actor``: staff issuing it; default the citizen's own LINE account."""
    now = now or timezone.now()
    with transaction.atomic():
        Citizen.objects.select_for_update().filter(pk=citizen.pk).first()  # one issue at a time per citizen
        booking = _booking_of_the_day(citizen, now)
        voided = RightsQrToken.objects.filter(citizen=citizen, used_at__isnull=True, voided_at__isnull=True,
                                              expires_at__gt=now).update(voided_at=now)
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        expires_at = now + dt.timedelta(seconds=settings.RAKSA_RIGHTS_QR_SECONDS)
        row = RightsQrToken.objects.create(digest=token_digest(token), citizen=citizen, booking=booking,
                                           issued_at=now, expires_at=expires_at)
        audit_record(actor=actor, actor_label=_label(actor, citizen), action="rights_qr.issue", obj=row,
                     after={"citizen": citizen.pk, "booking": booking.reference if booking else None,
                            "expires_at": expires_at.isoformat(), "voided": voided}, at=now)
    return IssuedRightsQr(token=token, issued_at=now, expires_at=expires_at, booking=booking)


def rights_qr_resolve(*, token: str, now: dt.datetime | None = None,
                      actor: Any | None = None) -> tuple[Citizen, Booking | None]:
    """The citizen and booking a scanned code stands for; the code is used up by this call. The check and the
    marking are ONE statement (UPDATE … WHERE unused AND unexpired RETURNING), so of two scanners racing
    exactly one wins. Raises QR_UNKNOWN, QR_EXPIRED (also: replaced by a newer code), QR_USED."""
    now = now or timezone.now()
    digest = token_digest(token)
    if digest is None:
        raise errors.qr_unknown()
    at = connection.ops.adapt_datetimefield_value(now)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(sql.RIGHTS_QR_USE_SQL, [at, digest, at])
            row = cursor.fetchone()
        if row is None:
            raise _refusal(digest)
        token_id, citizen_id, booking_id = row
        citizen = Citizen.objects.get(pk=citizen_id)
        booking = Booking.objects.select_related("unit", "slot").filter(pk=booking_id).first() if booking_id else None
        audit_record(actor=actor, action="rights_qr.resolve", object_type=RightsQrToken._meta.label_lower,
                     object_id=token_id, after={"citizen": citizen_id,
                                                "booking": booking.reference if booking else None}, at=now)
    return citizen, booking


def _refusal(digest: bytes) -> DomainError:
    state = RightsQrToken.objects.filter(digest=digest).values("used_at", "voided_at", "expires_at").first()
    if state is None:
        return errors.qr_unknown()
    if state["used_at"] is not None:
        return errors.qr_used()
    return errors.qr_expired()  # voided by a newer code, or past expires_at


def _booking_of_the_day(citizen: Citizen, now: dt.datetime) -> Booking | None:
    bookings = list(Booking.objects.filter(citizen=citizen, day=service_day(now), status__in=ACTIVE_STATUSES)
                    .select_related("slot", "unit").order_by("slot__starts_at", "pk"))
    return next((b for b in bookings if b.slot.ends_at > now), bookings[-1] if bookings else None)


def _label(actor: Any | None, citizen: Citizen) -> str:
    if actor is not None or not citizen.line_user_id:
        return ""
    return line_actor(citizen.line_user_id)
