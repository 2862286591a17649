"""REST API v1 (django-ninja). OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs.

Thin: parse, check permission, call one domain function, shape the answer.
"""

from __future__ import annotations

from django.utils.translation import get_language
from ninja import NinjaAPI, Status

from interfaces.api.auth import acting_unit, require_officer, unit_or_staff
from interfaces.api.booking import router as booking_router
from interfaces.api.claims import router as claims_router
from interfaces.api.docs import API_DESCRIPTION, doc
from interfaces.api.errors import install_error_handlers
from interfaces.api.face import router as face_router
from interfaces.api.outage import install_outage_handler
from interfaces.api.queue import router as queue_router
from interfaces.api.schemas import (
    ERRORS,
    CitizenIn,
    CitizenOut,
    CoverageIn,
    CoverageOut,
    EligibilityIn,
    EligibilityOut,
    HcodePath,
    UnitOut,
)
from interfaces.api.visits import router as visits_router
from raksa.core.timeutil import parse_date
from raksa.eligibility.selectors import eligibility_check_by_ids
from raksa.people.selectors import citizen_get_by_national_id
from raksa.people.services import citizen_register, coverage_change
from raksa.units.selectors import unit_get_by_hcode

api = NinjaAPI(title="Raksa API", version="1", urls_namespace="api", description=API_DESCRIPTION)
install_error_handlers(api)
install_outage_handler(api)
api.add_router("/", booking_router)
api.add_router("/", queue_router)
api.add_router("/", face_router)  # before visits: /visits/face is not an authen code
api.add_router("/", visits_router)
api.add_router("/", claims_router)


@api.post("/eligibility", response={200: EligibilityOut, **ERRORS}, auth=unit_or_staff, **doc("eligibility"))
def eligibility(request, payload: EligibilityIn):
    """Rights check for a citizen at a unit for a service on a Bangkok date (default: today).

    POST, not GET: the national ID travels in the body, never in a URL (logs, proxies, history)."""
    day = parse_date(payload.on, field="on") if payload.on else None
    acting_unit(request, unit_get_by_hcode(payload.hcode))
    decision = eligibility_check_by_ids(national_id=payload.national_id, hcode=payload.hcode,
                                        service_code=payload.service, on=day)
    return {
        "eligible": decision.eligible,
        "day": decision.day,
        "scheme": decision.coverage.scheme if decision.coverage else None,
        "reasons": decision.messages(get_language() or "th"),
    }


@api.post("/citizens", response={201: CitizenOut, **ERRORS}, auth=unit_or_staff, **doc("citizen_create"))
def citizen_create(request, payload: CitizenIn):
    require_officer(request)
    citizen = citizen_register(
        actor=request.auth, national_id=payload.national_id, title_th=payload.title_th,
        first_name_th=payload.first_name_th, last_name_th=payload.last_name_th,
        birth_date=parse_date(payload.birth_date, field="birth_date"), sex=payload.sex, phone=payload.phone)
    return Status(201, {"id": citizen.pk, "national_id_masked": citizen.cid_masked, "full_name": citizen.full_name,
                 "birth_date": citizen.birth_date})


@api.post("/coverages", response={201: CoverageOut, **ERRORS}, auth=unit_or_staff, **doc("coverage_create"))
def coverage_create(request, payload: CoverageIn):
    require_officer(request)
    valid_from = parse_date(payload.valid_from, field="valid_from")
    valid_to = parse_date(payload.valid_to, field="valid_to") if payload.valid_to else None
    citizen = citizen_get_by_national_id(payload.national_id)
    main_unit = unit_get_by_hcode(payload.main_hcode) if payload.main_hcode else None
    coverage = coverage_change(actor=request.auth, citizen=citizen, scheme=payload.scheme,
                               subtype=payload.subtype, main_unit=main_unit, valid_from=valid_from,
                               valid_to=valid_to)
    return Status(201, {"scheme": coverage.scheme, "subtype": coverage.subtype,
                 "main_hcode": main_unit.hcode if main_unit else None,
                 "valid_from": coverage.valid_from, "valid_to": coverage.valid_to})


@api.get("/units/{hcode}", response={200: UnitOut, **ERRORS}, **doc("unit_detail"))
def unit_detail(request, hcode: HcodePath):
    unit = unit_get_by_hcode(hcode)
    return {"hcode": unit.hcode, "name": unit.name, "unit_type": unit.unit_type, "status": unit.status,
            "province": unit.province.name_th, "district": unit.district}
