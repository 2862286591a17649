"""Many booked citizens' rights QR codes redeemed at once: the group commit behind the API's rights-QR lane.

``visits_open_by_booked_rights_qr`` answers a list of requests as
:func:`raksa.verification.rights_qr_redeem.visit_open_by_booked_rights_qr` answers each (the opened visit, or None:
not the common case, the caller goes the ordinary way, :func:`visit_open_by_rights_qr`), but a batch costs
PostgreSQL two statements and one commit: one facts query over the batch (``sql.REDEEM_FACTS_MANY_SQL``), the same
decision per request (:class:`Redemption`, shared with the one-at-a-time path), and one statement that locks the
batch's codes, then their bookings, then the queue counters (each by id), and writes each request's rows:
the code used, the booking checked in with its ``B-`` ticket, the visit and its authen code, the verified attempt
and the four audit rows with the request's own request id (``sql.REDEEM_BOOKED_MANY_SQL``).

Why the answers match the one-at-a-time path: only a person's FIRST request in the batch may be written by it; a
later request of the same person (the same code scanned twice, two codes of one person) gets None and so goes the
ordinary way after the batch has committed, seeing what the first one wrote, as it would one at a time. A request
the batch does not decide (a used, expired, voided, tampered or unknown code, another unit's or day's booking, one
awaiting the citizen, a walk-in's code, not eligible, an open visit) gets None too, and the ordinary way decides
and refuses it with its own words and rows. A code or booking changed between the two statements stops only its
own request (the gate re-reads both under their locks). A lone request is redeemed by
``visit_open_by_booked_rights_qr`` itself.

If the batch's statement fails (an insert refused by a constraint: one open visit per person, one open ticket, an
authen code drawn twice; a deadlock…), it wrote nothing and each of its requests goes one at a time (None: the
ordinary way, which first tries the two statements for that request alone): logged (WARNING
``rights_qr.batch.fallback`` with ``reason``: the error's class and the constraint's name if one was broken, and
``requests``) and counted in :data:`FALLBACKS`, so a batch statement that always failed shows instead of hiding
behind correct answers at a fraction of the speed.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
from collections import Counter
from contextlib import nullcontext
from dataclasses import dataclass, field

from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone

from raksa.core import db_outage
from raksa.core.db import prepared_cursor, violated_constraint
from raksa.core.request_context import get_request_id, reset_request_id, set_request_id
from raksa.core.timeutil import service_day
from raksa.verification import sql
from raksa.verification.rights_qr_redeem import Redemption, visit_open_by_booked_rights_qr
from raksa.verification.services import token_digest
from raksa.verification.visits import Opened

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RedeemRequest:
    """A unit's software scans a rights QR (an API key: no staff user), as ``POST /api/v1/visits/rights-qr``."""

    unit_id: int
    token: str = field(repr=False)
    actor_label: str = ""
    now: dt.datetime = field(default_factory=timezone.now)
    request_id: str = field(default_factory=get_request_id)


# Requests sent one at a time instead of written by their batch, by reason, in this process (see the docstring).
FALLBACKS: Counter[str] = Counter()
_FALLBACK_LOCK = threading.Lock()


def _fall_back(reason: str, requests: int) -> None:
    with _FALLBACK_LOCK:
        FALLBACKS[reason] += requests
    logger.warning("rights_qr.batch.fallback", extra={"reason": reason, "requests": requests})


def visits_open_by_booked_rights_qr(*, requests: list[RedeemRequest]) -> list[Opened | None | Exception]:
    """One result per request, in order: the visit opened, None (the ordinary way decides: call
    :func:`visit_open_by_rights_qr` for it), or the unexpected error that stopped it (logged; for every request
    of the batch when the database is unavailable)."""
    if len(requests) == 1 or connection.vendor != "postgresql":
        return [_one(r) for r in requests]
    results: list[Opened | None | Exception] = [None] * len(requests)
    digests = {i: d for i, r in enumerate(requests) if (d := token_digest((r.token or "").strip())) is not None}
    if not digests:
        return results
    try:
        with transaction.atomic() if connection.in_atomic_block else nullcontext():  # a caller's transaction
            _redeem_together(requests, digests, results)                             # survives a failure
    except DatabaseError as exc:  # nothing written: every request goes one at a time
        if db_outage.is_outage(exc):  # ... unless the database is away: then that is every answer (a 503)
            return [exc] * len(requests)
        results = [None] * len(requests)
        cause = exc.__cause__ or exc
        broken = violated_constraint(exc) if isinstance(exc, IntegrityError) else None
        _fall_back(f"batch_failed:{type(cause).__name__}" + (f":{broken}" if broken else ""), len(digests))
    return results


def _redeem_together(requests: list[RedeemRequest], digests: dict[int, bytes],
                     results: list[Opened | None | Exception]) -> None:
    days = {i: service_day(requests[i].now) for i in digests}
    facts = json.dumps([{"ord": i, "digest": digest.hex(), "unit_id": requests[i].unit_id,
                         "now": requests[i].now.isoformat(), "day": days[i].isoformat()}
                        for i, digest in digests.items()])
    at = sql.REDEEM_FACTS_MANY_COLUMNS.at
    with prepared_cursor(sql.REDEEM_FACTS_MANY_SQL, [facts]) as cursor:
        found = {row[at["ord"]]: row for row in cursor.fetchall()}
    batch: dict[int, Redemption] = {}
    people: set[int] = set()
    for i in digests:  # in request order
        row = found.get(i)
        if row is None:
            continue
        if row[at["citizen_id"]] in people:  # this person's earlier request comes first: this one goes after it
            continue
        people.add(row[at["citizen_id"]])
        r = requests[i]
        redemption = Redemption.of(row, at, unit_id=r.unit_id, day=days[i], now=r.now, actor=None,
                                   actor_label=r.actor_label, request_id=r.request_id)
        if redemption is not None:
            batch[i] = redemption
    if not batch:
        return
    _drop_codes_taken(batch)
    rows = json.dumps([{"ord": i, **redemption.values} for i, redemption in batch.items()], default=_iso)
    with prepared_cursor(sql.REDEEM_BOOKED_MANY_SQL, [rows]) as cursor:
        written = cursor.fetchall()
    for i, visit_id, ticket_id, number in written:
        results[i] = batch[i].opened(visit_id, ticket_id, number)


def _drop_codes_taken(batch: dict[int, Redemption]) -> None:
    """Leave out of the batch a request whose drawn authen code a visit already has (or an earlier request of the
    batch drew): it goes one at a time, whose insert draws again, instead of the unique index failing the whole
    batch (``make bench`` met three such batches among a million claimed visits)."""
    codes = [redemption.values["authen_code"] for redemption in batch.values()]
    with prepared_cursor(sql.AUTHEN_CODES_TAKEN_SQL, [codes]) as cursor:
        taken = {code for (code,) in cursor.fetchall()}
    for i, redemption in list(batch.items()):
        code = redemption.values["authen_code"]
        if code in taken:
            del batch[i]
            _fall_back("authen_code_taken", 1)
        taken.add(code)


def _iso(value: object) -> str:
    if isinstance(value, dt.date):  # datetimes too
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not a value of a redemption")


def _one(r: RedeemRequest) -> Opened | None | Exception:
    """Redeemed alone. Any failure is this request's answer only."""
    context = set_request_id(r.request_id)
    try:
        return visit_open_by_booked_rights_qr(actor=None, unit_id=r.unit_id, token=r.token,
                                              actor_label=r.actor_label, now=r.now)
    except Exception as exc:
        if not db_outage.is_outage(exc):  # an outage is logged once, by the breaker
            logger.exception("Redeeming one rights QR of a batch failed")
        return exc
    finally:
        reset_request_id(context)
