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

from django.db import IntegrityError, transaction
from django.utils import timezone

from raksa.claims import errors
from raksa.claims.models import IDEMPOTENCY_CONSTRAINT, Claim, ClaimSubmission
from raksa.core.db import is_violation_of
from raksa.units.models import Unit

# status 0: the row is being answered (never seen by anyone else: it commits with its answer)
_PENDING = 0


def body_digest(body: bytes) -> bytes:
    return hashlib.sha256(body).digest()


def claim_submission_once(*, unit: Unit, key: str, body: bytes,
                          answer: Callable[[], tuple[int, dict, Claim | None]]) -> tuple[int, dict]:
    """The answer to the request ``body`` sent with ``key`` by ``unit``: ``answer()`` the first time (it sends
    the claim and renders the JSON, refusals included, returning ``(status, json, claim or None)``), the stored
    ``(status, json)`` ever after. The same key with another body: InvalidInput IDEMPOTENCY_KEY_REUSED (422).
    ``body`` is what identifies the request: the caller passes its canonical bytes (method, path, JSON)."""
    digest = body_digest(body)
    with transaction.atomic():
        try:
            with transaction.atomic():
                row = ClaimSubmission.objects.create(unit=unit, key=key, body_digest=digest, status_code=_PENDING,
                                                     response={}, created_at=timezone.now())
        except IntegrityError as exc:  # another request holds (or held) this key: its answer is committed now
            if not is_violation_of(exc, ClaimSubmission, IDEMPOTENCY_CONSTRAINT):
                raise
            return _stored(unit=unit, key=key, digest=digest)
        status, response, claim = answer()
        row.status_code, row.response, row.claim = status, response, claim
        row.save(update_fields=["status_code", "response", "claim"])
    return status, response


def _stored(*, unit: Unit, key: str, digest: bytes) -> tuple[int, dict]:
    row = ClaimSubmission.objects.filter(unit=unit, key=key).values("body_digest", "status_code", "response").get()
    if bytes(row["body_digest"]) != digest:
        raise errors.idempotency_key_reused()
    return row["status_code"], row["response"]

