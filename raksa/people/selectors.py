from __future__ import annotations

import datetime as dt

from django.db import connection

from raksa.core import pii
from raksa.core.errors import NotFound
from raksa.people import national_id as nid
from raksa.people.models import Citizen, Coverage


def citizen_find_by_national_id(national_id: str) -> Citizen | None:
    """Exact lookup through the HMAC column (validates the ID first; raises InvalidInput)."""
    national_id = nid.normalize(national_id)
    return Citizen.objects.filter(cid_hash=pii.lookup_hash(national_id)).first()


def citizen_id_by_national_id(national_id: str) -> int:
    """Just the id, by one plain indexed SELECT (hot paths). Raises InvalidInput / NotFound."""
    national_id = nid.normalize(national_id)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM people_citizen WHERE cid_hash = %s", [pii.lookup_hash(national_id)])
        row = cursor.fetchone()
    if row is None:
        raise citizen_not_found()
    return row[0]


def citizen_not_found() -> NotFound:
    return NotFound("No citizen with this national ID is registered.",
                    "ไม่พบประชาชนที่มีเลขประจำตัวนี้ในทะเบียน", code="CITIZEN_NOT_FOUND", field="national_id")


def citizen_get_by_national_id(national_id: str) -> Citizen:
    citizen = citizen_find_by_national_id(national_id)
    if citizen is None:
        raise citizen_not_found()
    return citizen


def coverage_history(citizen: Citizen) -> list[Coverage]:
    return list(citizen.coverages.select_related("main_unit").order_by("-valid_from"))


def coverage_on(citizen: Citizen, day: dt.date) -> Coverage | None:
    """The right in force on ``day`` (a Bangkok date), or None."""
    return (
        Coverage.objects.filter(citizen=citizen, valid_from__lte=day)
        .order_by("-valid_from")
        .select_related("main_unit")
        .first()
    )


def citizen_by_line_user(line_user_id: str) -> Citizen | None:
    """The citizen linked to this LINE account (citizen_line_link), or None."""
    if not line_user_id:
        return None
    return Citizen.objects.filter(line_user_id=line_user_id).first()
