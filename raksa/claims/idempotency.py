"""Idempotency-Key for claims sent by a unit's own software: one key, one answer, never two claims.

:func:`claim_submission_once` writes the key's row (``ClaimSubmission``, unique per unit and key) and runs
the request in the same transaction. A retry that races the first request blocks on the unique index until
the first commits, then reads its stored answer; a retry after that reads it at once. If the first request
fails outright (a server error, the database gone: its transaction rolls back), its key row goes with it
and the next retry runs the request anew.

**Refusals are stored too.** The domain's answers, 2xx and 4xx alike (422 with the field, 409
CLAIM_DUPLICATE with the first claim's reference, 404), are kept and replayed: a client retries because it
did not see the first answer, and the world may have changed since (a rate edited, the visit lapsed, the
claim corrected), so running the request again could give a different answer to the same request, which is
exactly what the key exists to prevent. A unit that fixes a refused request sends a new key with the new
body (the same key with another body is refused, 422 IDEMPOTENCY_KEY_REUSED, whatever the first answer was).
Only answers the request never reached are not stored: an unreadable body or schema errors (answered before
this function), and server errors (rolled back).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.db import connection, transaction
from django.utils import timezone

from raksa.claims import errors
from raksa.claims.models import Claim, ClaimSubmission
from raksa.units.models import Unit

# status 0: the row is being answered (never seen by anyone else: it commits with its answer)
_PENDING = 0


def body_digest(body: bytes) -> bytes:
    return hashlib.sha256(body).digest()


def claim_submission_once(*, unit: Unit, key: str, body: bytes,
                          answer: Callable[[], tuple[int, dict, Claim | None]],
                          answer_into: Callable[[int], tuple[int, dict, bool]] | None = None) -> tuple[int, dict]:
    """The answer to the request ``body`` sent with ``key`` by ``unit``: ``answer()`` the first time (it sends
    the claim and renders the JSON, refusals included, returning ``(status, json, claim or None)``), the stored
    ``(status, json)`` ever after. The same key with another body: InvalidInput IDEMPOTENCY_KEY_REUSED (422).
    ``body`` is what identifies the request: the caller passes its canonical bytes (method, path, JSON).
    ``answer_into`` (instead of ``answer``): called with the key row's id, it answers and may store the answer in
    that row itself, in the statement that writes the claim (``claim_submit_answered``); it returns
    ``(status, json, stored)``, and an answer it did not store (a refusal) is stored here."""
    try:
        return _once(unit=unit, key=key, body=body, answer=answer, answer_into=answer_into)
    except errors.ClaimWrittenAround:  # the first try rolled back (its key row too): once more, which now sees the
        return _once(unit=unit, key=key, body=body, answer=answer, answer_into=answer_into)  # claim: a duplicate


def _once(*, unit: Unit, key: str, body: bytes, answer: Callable[[], tuple[int, dict, Claim | None]],
          answer_into: Callable[[int], tuple[int, dict, bool]] | None) -> tuple[int, dict]:
    digest = body_digest(body)
    with transaction.atomic():
        row_id = _claim_key(unit_id=unit.pk, key=key, digest=digest)
        if row_id is None:  # another request holds (or held) this key: its answer is committed now
            return _stored(unit=unit, key=key, digest=digest)
        if answer_into is not None:
            status, response, stored = answer_into(row_id)
            if not stored:
                ClaimSubmission.objects.filter(pk=row_id).update(status_code=status, response=response)
            return status, response
        status, response, claim = answer()
        ClaimSubmission.objects.filter(pk=row_id).update(status_code=status, response=response, claim=claim)
    return status, response


# One statement, no savepoint: a key already taken inserts nothing (and waits, while the request that took it is
# still running, for that request's transaction to end).
_INSERT = ("INSERT INTO claims_claimsubmission (unit_id, key, body_digest, status_code, response, created_at)"
           " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (unit_id, key) DO NOTHING RETURNING id")


def _claim_key(*, unit_id: int, key: str, digest: bytes) -> int | None:
    ops = connection.ops
    with connection.cursor() as cursor:
        cursor.execute(_INSERT, [unit_id, key, digest, _PENDING, ops.adapt_json_value({}, None),
                                 ops.adapt_datetimefield_value(timezone.now())])
        row = cursor.fetchone()
    return row[0] if row else None


def _stored(*, unit: Unit, key: str, digest: bytes) -> tuple[int, dict]:
    row = ClaimSubmission.objects.filter(unit=unit, key=key).values("body_digest", "status_code", "response").get()
    if bytes(row["body_digest"]) != digest:
        raise errors.idempotency_key_reused()
    return row["status_code"], row["response"]

