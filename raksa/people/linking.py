"""Linking a LINE account to a citizen (flows 0.1/0.2): proof is the national ID, the date of birth and the
laser code on the back of the ID card, all three checked against the registry.

Guessing is limited per LINE account and per national ID: each failure is counted in ``LinkAttempt`` rows
(unique (kind, key)), locked FOR UPDATE in key order, so concurrent attempts from any number of processes
count exactly and never deadlock. The count is committed although the request fails: the error is raised
after the transaction. Callers must therefore not wrap these calls in their own transaction (the LIFF views
do not; ``ATOMIC_REQUESTS`` is off) — inside one, a failure would roll back with the caller's.

After ``RAKSA_LINK_MAX_FAILURES`` failures within ``RAKSA_LINK_LOCK_MINUTES`` (the window opens at the first
failure) the key is locked for ``RAKSA_LINK_LOCK_MINUTES``; while either key is locked, nothing is checked
and nothing more is counted. A successful link clears the LINE account's count (not the ID's: someone else
may be guessing it).

Lock order, the same in every path: LinkAttempt rows by (kind, key), then the citizen row.
"""

from __future__ import annotations

import datetime as dt
import hmac

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from raksa.audit.services import audit_record, line_actor
from raksa.core import pii
from raksa.core.db import is_violation_of
from raksa.core.errors import DomainError, InvalidInput
from raksa.people import errors
from raksa.people import laser_code as laser
from raksa.people import national_id as nid
from raksa.people.models import LINE_USER_CONSTRAINT, Citizen, LinkAttempt, LinkAttemptKind


def line_user_id_check(line_user_id: str) -> str:
    """A LINE user id as LINE sends it (``U`` + 32 hex digits in practice): printable ASCII, 1–64 characters."""
    if not (isinstance(line_user_id, str) and 0 < len(line_user_id) <= 64 and line_user_id.isascii()
            and line_user_id.isprintable() and " " not in line_user_id):
        raise InvalidInput("The LINE user id is missing or not valid.", "รหัสผู้ใช้ LINE ไม่ถูกต้อง",
                           field="line_user_id")
    return line_user_id


def citizen_line_link(*, line_user_id: str, national_id: str, birth_date: dt.date, laser_code: str,
                      now: dt.datetime | None = None) -> Citizen:
    """Link ``line_user_id`` to the citizen whose national ID, birth date and laser code all match.

    Raises InvalidInput (shape, nothing counted), LinkLocked (LINK_LOCKED), LINK_REFUSED (counted),
    LINE_ALREADY_LINKED, CITIZEN_ALREADY_LINKED. Linking again to the same citizen returns it unchanged.
    """
    line_user_id = line_user_id_check(line_user_id)
    national_id = nid.normalize(national_id)
    laser_normalized = laser.normalize(laser_code)
    if not isinstance(birth_date, dt.date) or isinstance(birth_date, dt.datetime):
        raise InvalidInput("The date of birth is missing or not a date.", "วันเกิดไม่ถูกต้อง", field="birth_date")
    now = now or timezone.now()
    cid_hash = pii.lookup_hash(national_id)
    error: DomainError | None = None
    with transaction.atomic():
        attempts = _attempts_locked([(LinkAttemptKind.LINE_USER, line_user_id),
                                     (LinkAttemptKind.NATIONAL_ID, cid_hash.hex())])
        locked_until = _locked_until(attempts, now)
        if locked_until is not None:
            error = errors.LinkLocked(locked_until)
        elif Citizen.objects.filter(line_user_id=line_user_id).exclude(cid_hash=cid_hash).exists():
            error = errors.line_already_linked()  # says nothing about the ID typed: nothing to count
        else:
            citizen = Citizen.objects.select_for_update().filter(cid_hash=cid_hash).first()
            if not _proof_matches(citizen, birth_date, laser.digest(laser_normalized)):
                error = _failure_count(attempts, now, line_user_id=line_user_id, citizen=citizen,
                                       cid_masked=nid.mask(national_id))
            else:
                try:
                    return _link(citizen, line_user_id, attempts[LinkAttemptKind.LINE_USER], now)
                except DomainError as exc:  # a conflict: nothing was changed, nothing to count
                    error = exc
    raise error


def citizen_line_unlink(*, line_user_id: str) -> None:
    """Remove the link of ``line_user_id``; LINE_NOT_LINKED if it has none. Audited."""
    line_user_id = line_user_id_check(line_user_id)
    with transaction.atomic():
        citizen = Citizen.objects.select_for_update().filter(line_user_id=line_user_id).first()
        if citizen is None:
            raise errors.line_not_linked()
        Citizen.objects.filter(pk=citizen.pk).update(line_user_id=None)
        audit_record(actor=None, actor_label=line_actor(line_user_id), action="citizen.line_unlink", obj=citizen,
                     before={"line_user_id": line_user_id}, after={"line_user_id": None})


def _attempts_locked(keys: list[tuple[str, str]]) -> dict[str, LinkAttempt]:
    """The attempt rows of ``keys``, created if missing, locked FOR UPDATE in (kind, key) order."""
    keys = sorted(keys)
    LinkAttempt.objects.bulk_create([LinkAttempt(kind=kind, key=key) for kind, key in keys], ignore_conflicts=True)
    rows = LinkAttempt.objects.select_for_update().filter(
        kind__in=[k for k, _ in keys], key__in=[k for _, k in keys]).order_by("kind", "key")
    found = {(row.kind, row.key): row for row in rows}
    return {kind: found[(kind, key)] for kind, key in keys}


def _locked_until(attempts: dict[str, LinkAttempt], now: dt.datetime) -> dt.datetime | None:
    until = [a.locked_until for a in attempts.values() if a.locked_until is not None and a.locked_until > now]
    return max(until) if until else None


def _proof_matches(citizen: Citizen | None, birth_date: dt.date, laser_hash: bytes) -> bool:
    if citizen is None or citizen.laser_hash is None:
        return False
    laser_ok = hmac.compare_digest(bytes(citizen.laser_hash), laser_hash)
    return laser_ok and citizen.birth_date == birth_date


def _failure_count(attempts: dict[str, LinkAttempt], now: dt.datetime, *, line_user_id: str,
                   citizen: Citizen | None, cid_masked: str) -> DomainError:
    """Count one failure on every key (committed with the audit row); the error to raise afterwards."""
    window = dt.timedelta(minutes=settings.RAKSA_LINK_LOCK_MINUTES)
    locked_until = None
    for attempt in attempts.values():
        lock_over = attempt.locked_until is not None and attempt.locked_until <= now
        if attempt.window_started_at is None or attempt.window_started_at + window <= now or lock_over:
            attempt.failures, attempt.window_started_at, attempt.locked_until = 0, now, None
        attempt.failures += 1
        attempt.last_failure_at = now
        if attempt.failures >= settings.RAKSA_LINK_MAX_FAILURES:
            attempt.locked_until = now + window
            locked_until = max(locked_until or attempt.locked_until, attempt.locked_until)
        attempt.save(update_fields=["failures", "window_started_at", "last_failure_at", "locked_until"])
    audit_record(actor=None, actor_label=line_actor(line_user_id), action="citizen.line_link.refused",
                 object_type=Citizen._meta.label_lower, object_id=citizen.pk if citizen else "",
                 after={"cid": cid_masked, "line_user_id": line_user_id,
                        "failures": {kind: a.failures for kind, a in attempts.items()},
                        "locked_until": locked_until.isoformat() if locked_until else None}, at=now)
    return errors.LinkLocked(locked_until, just_now=True) if locked_until else errors.link_refused()


def _link(citizen: Citizen, line_user_id: str, line_attempt: LinkAttempt, now: dt.datetime) -> Citizen:
    if citizen.line_user_id == line_user_id:
        return citizen
    if citizen.line_user_id is not None:
        raise errors.citizen_already_linked()
    try:
        with transaction.atomic():
            changed = Citizen.objects.filter(pk=citizen.pk, line_user_id__isnull=True).update(line_user_id=line_user_id)
    except IntegrityError as exc:
        if is_violation_of(exc, Citizen, LINE_USER_CONSTRAINT):
            raise errors.line_already_linked() from None
        raise
    if not changed:  # cannot happen under the row lock; kept so a future path without it still says the truth
        raise errors.citizen_already_linked()
    citizen.line_user_id = line_user_id
    if line_attempt.failures or line_attempt.locked_until:
        line_attempt.failures, line_attempt.window_started_at, line_attempt.locked_until = 0, None, None
        line_attempt.save(update_fields=["failures", "window_started_at", "locked_until"])
    audit_record(actor=None, actor_label=line_actor(line_user_id), action="citizen.line_link", obj=citizen,
                 before={"line_user_id": None}, after={"line_user_id": line_user_id, "cid": citizen.cid_masked},
                 at=now)
    return citizen
