"""Reference faces: enrol a citizen's encoding (from the civil registry's photo, or a demo photo) and read it
back for comparison. Only the encoding is kept, encrypted (raksa.people.models.FaceTemplate)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone

from raksa.audit.services import audit_record
from raksa.core import pii
from raksa.people.models import Citizen, FaceTemplate


def _context(citizen_id: int) -> bytes:
    return b"face-template:%d" % citizen_id  # a ciphertext copied to another citizen's row does not decrypt


def face_template_set(*, actor: Any | None, citizen: Citizen, encoding: np.ndarray, source: str,
                      now: dt.datetime | None = None) -> FaceTemplate:
    """Store (or replace) ``citizen``'s reference encoding, 128 numbers from the face engine."""
    vector = np.asarray(encoding, dtype="<f8")
    if vector.shape != (128,) or not np.all(np.isfinite(vector)):
        raise ValueError("a face encoding is 128 finite numbers")
    now = now or timezone.now()
    with transaction.atomic():
        template, created = FaceTemplate.objects.update_or_create(
            citizen=citizen, defaults={"encoding_encrypted": pii.encrypt_bytes(vector.tobytes(),
                                                                               context=_context(citizen.pk)),
                                       "source": source, "enrolled_at": now})
        audit_record(actor=actor, action="face_template.enrol" if created else "face_template.replace",
                     obj=template, after={"citizen": citizen.pk, "source": source}, at=now)
    return template


def face_template_of(citizen_id: int) -> np.ndarray | None:
    """The citizen's reference encoding, or None when none is enrolled."""
    stored = FaceTemplate.objects.filter(citizen_id=citizen_id).values_list("encoding_encrypted", flat=True).first()
    if stored is None:
        return None
    return np.frombuffer(pii.decrypt_bytes(stored, context=_context(citizen_id)), dtype="<f8").copy()
