from __future__ import annotations

import datetime
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from raksa.audit.models import AuditEntry
from raksa.core.request_context import get_request_id


def audit_record(
    *,
    actor: Any | None,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    before: dict | None = None,
    after: dict | None = None,
    actor_label: str = "",
    at: datetime.datetime | None = None,
) -> AuditEntry:
    """Write one audit row. Must run inside the transaction of the change it records. ``at``: when the
    change happened, if the caller fixed that moment (a booking's ``created_at``); default now."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must be called inside the transaction of the change")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    user, actor_label = _actor(actor, actor_label)
    entry = AuditEntry(actor=user, actor_label=actor_label,
                       action=action, object_type=object_type, object_id=str(object_id), before=before, after=after,
                       request_id=get_request_id(), at=at or timezone.now())
    # One plain INSERT: audit rows are on every hot path (a booking surge writes one per booking), and the
    # ORM's per-query compilation cost more than the insert itself (measured: bench/booking_setup.py).
    ops = connection.ops
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditentry (at, actor_id, actor_label, action, object_type, object_id, before, after,"
            " request_id) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING id",
            [ops.adapt_datetimefield_value(entry.at), user.pk if user else None, entry.actor_label, action,
             object_type, entry.object_id, ops.adapt_json_value(before, None) if before is not None else None,
             ops.adapt_json_value(after, None) if after is not None else None, entry.request_id])
        entry.pk = cursor.fetchone()[0]
    return entry


LINE_ACTOR_PREFIX = "line:"


def line_actor(line_user_id: str) -> str:
    """The ``actor_label`` of a citizen acting for themself in LINE (no staff user): ``line:<userId>``."""
    return f"{LINE_ACTOR_PREFIX}{line_user_id}"


def _actor(actor: Any | None, actor_label: str) -> tuple[Any | None, str]:
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    return user, actor_label or (user.get_username() if user else "system")


def audit_insert_sql(source: str) -> str:
    """An ``INSERT … SELECT`` writing one audit row per row of ``source``, a CTE with an ``id``
    column, for a change made in one PostgreSQL statement (``WITH changed AS (… RETURNING id),
    a AS (<this>) …``); its parameters come from :func:`audit_insert_params`. That statement is the
    change's transaction, so the row commits or rolls back with the change, as with :func:`audit_record`."""
    return ("INSERT INTO audit_auditentry (at, actor_id, actor_label, action, object_type, object_id, after,"
            f" request_id) SELECT %s, %s, %s, %s, %s, {source}.id::text, %s, %s FROM {source}")


def audit_insert_params(*, actor: Any | None, action: str, object_type: str, after: dict | None,
                        actor_label: str = "", at: datetime.datetime | None = None) -> list[Any]:
    user, actor_label = _actor(actor, actor_label)
    return [at or timezone.now(), user.pk if user else None, actor_label, action, object_type,
            connection.ops.adapt_json_value(after, None) if after is not None else None, get_request_id()]


def audit_insert_many_sql(select: str) -> str:
    """An ``INSERT … SELECT`` writing one audit row per row of ``select``, which names its columns
    ``at, actor_id, actor_label, action, object_type, id, after, request_id``: for a batch of changes
    made in one PostgreSQL statement (as :func:`audit_insert_sql`, whose transaction rules apply)."""
    return ("INSERT INTO audit_auditentry (at, actor_id, actor_label, action, object_type, object_id, after,"
            " request_id) SELECT x.at, x.actor_id, x.actor_label, x.action, x.object_type, x.id::text, x.after,"
            f" x.request_id FROM ({select}) x")
