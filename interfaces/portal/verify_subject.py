"""Who is being verified, for which service (and booking): read from the page's own request, never the session.

Every verify step (the page, a face scan, a LINE QR) carries the signed person reference ``p``
(:mod:`interfaces.portal.person_ref`), the service code and, from a booking's card, the booking reference.
Two tabs of one login therefore each verify the person they show.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import get_language

from interfaces.portal import person_ref
from raksa.booking import selectors as lookups
from raksa.booking.models import Booking
from raksa.core.errors import DomainError, Forbidden, InvalidInput, NotFound
from raksa.people.models import Citizen
from raksa.units.models import Service
from raksa.units.selectors import services_for_unit

PERSON_LOST_TH = ("หน้านี้ไม่ได้ระบุบุคคลที่คุณยืนยันตัวตนได้แล้ว (หมดอายุ หรือสร้างให้ผู้ใช้หรือหน่วยบริการอื่น) "
                  "กรุณาตรวจสอบสิทธิของบุคคลนั้นอีกครั้ง")
PERSON_LOST_EN = ("This page no longer names a person you may verify (it has expired or was made for another login "
                  "or unit). Check the person's rights again.")


@dataclass(frozen=True)
class Subject:
    citizen: Citizen
    ref: str
    service: Service | None  # None: the unit has several services and none was chosen yet
    booking: Booking | None
    services: tuple[Service, ...]


def person_lost() -> Forbidden:
    return Forbidden(PERSON_LOST_EN, PERSON_LOST_TH, code="PERSON_REF_INVALID", field="p")


def service_unknown() -> InvalidInput:
    return InvalidInput("Choose one of this unit's services from the list.",
                       "กรุณาเลือกบริการของหน่วยบริการนี้จากรายการ", code="SERVICE_UNKNOWN", field="service")


def booking_unknown() -> NotFound:
    return NotFound("No booking of this person today at this unit has that reference.",
                    "ไม่พบการจองวันนี้ของบุคคลนี้ที่หน่วยบริการนี้ตามรหัสที่ระบุ", code="BOOKING_NOT_FOUND",
                    field="booking")


def subject_read(request, data, *, today: dt.date) -> Subject:
    """The person (``p``), service (``service`` code; the unit's only service by default) and booking
    (``booking`` reference: it names the service) of a verify request. Raises a DomainError when the
    reference is not valid for this login and unit, or the service or booking is not this unit's."""
    ref = data.get(person_ref.PARAM, "")
    citizen = person_ref.person_ref_read(request, ref)
    if citizen is None:
        raise person_lost()
    unit = request.portal.unit
    services = tuple(services_for_unit(unit, on=today))
    booking = None
    if data.get("booking"):
        booking = lookups.booking_for_unit(unit, data["booking"])
        if booking is None or booking.citizen_id != citizen.pk or booking.day != today:
            raise booking_unknown()
        service = booking.service
    elif data.get("service"):
        service = next((s for s in services if s.code == data["service"]), None)
        if service is None:
            raise service_unknown()
    else:
        service = services[0] if len(services) == 1 else None
    return Subject(citizen=citizen, ref=ref, service=service, booking=booking, services=services)


def verify_url(ref: str, *, service: Service | None = None, booking: Booking | None = None) -> str:
    """The verify page for a person (signed reference), with the service or booking chosen."""
    query = {person_ref.PARAM: ref}
    if booking is not None:
        query["booking"] = booking.reference
    elif service is not None:
        query["service"] = service.code
    return reverse("portal:verify") + "?" + urlencode(query)


def json_error(exc: DomainError) -> JsonResponse:
    """A refusal for the page's script: ``{code, message (Thai), message_en, field}`` with its status, plus
    ``text`` in the active language (what the page shows)."""
    body = exc.as_dict() | {"text": exc.message(get_language())}
    return JsonResponse(body, status=exc.status)
