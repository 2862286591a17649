import datetime as dt
from typing import Annotated, Any

from ninja import Field, Path, Query, Schema

# The formats the server holds these to, stated in the document so that a generated client refuses what the
# server would. Documented, not enforced here: the domain checks them and answers with its own codes
# (INVALID_NATIONAL_ID, UNKNOWN_UNIT), the fast lane included. JSON Schema cannot state the check digit.
# (The format "thai-national-id" names the check digit for people and tools; the pattern says the rest.)
NATIONAL_ID_FORMAT = {"pattern": "^[0-9]{13}$", "format": "thai-national-id", "examples": ["3109900000335"]}
NATIONAL_ID_TEXT = ("เลขประจำตัวประชาชน 13 หลัก หลักสุดท้ายเป็นเลขตรวจสอบ (ผิดตอบ INVALID_NATIONAL_ID) · "
                    "The national ID: 13 digits, the last a check digit (a wrong one answers INVALID_NATIONAL_ID).")
HCODE_FORMAT = {"pattern": "^[0-9]{5}$", "examples": ["41001"]}
HCODE_TEXT = "รหัสหน่วยบริการ 5 หลัก · The unit's code: 5 digits."
SERVICE_FORMAT = {"examples": ["PH-FEVER"]}
SERVICE_TEXT = "รหัสบริการ · A service's code."
# A date, Christian year 1900-2199 (raksa.core.timeutil.parse_date; others answer INVALID_DATE).
_DATE = {"type": "string", "format": "date", "pattern": "^(19|20|21)[0-9]{2}-[0-9]{2}-[0-9]{2}$"}
DATE_FORMAT = {**_DATE, "examples": ["2026-11-26"]}
DATE_TEXT = "วันที่ ปปปป-ดด-วว ปี ค.ศ. 1900-2199 · A date, YYYY-MM-DD, Christian year 1900-2199."
# An optional date may also be empty or null: not given (the server reads "" as absent).
OPTIONAL_DATE_FORMAT = {"anyOf": [_DATE, {"type": "string", "maxLength": 0}, {"type": "null"}],
                        "examples": ["2026-11-26"]}
OPTIONAL_DATE_TEXT = ("วันที่ ปปปป-ดด-วว ปี ค.ศ. 1900-2199 ว่างหรือ null คือไม่ระบุ · "
                      "A date, YYYY-MM-DD, Christian year 1900-2199; empty or null: not given.")


def national_id_field() -> Any:
    return Field(description=NATIONAL_ID_TEXT, json_schema_extra=NATIONAL_ID_FORMAT)


def hcode_field(default: Any = ...) -> Any:
    return Field(default, description=HCODE_TEXT, json_schema_extra=HCODE_FORMAT)


def service_field() -> Any:
    return Field(description=SERVICE_TEXT, json_schema_extra=SERVICE_FORMAT)


def date_field() -> Any:
    return Field(description=DATE_TEXT, json_schema_extra=DATE_FORMAT)


def optional_date_field() -> Any:
    return Field(None, description=OPTIONAL_DATE_TEXT, json_schema_extra=OPTIONAL_DATE_FORMAT)


def _documented(param: Any, description: str, schema: dict) -> Any:
    """A django-ninja Path or Query parameter with ``schema`` in its document (it takes no json_schema_extra)."""
    param.description = description
    param.json_schema_extra = {**(param.json_schema_extra or {}), **schema}
    return param


# Parameters: ``hcode: HcodePath``, ``service: ServiceQuery``, ``day: DateQuery = None``.
HcodePath = Annotated[str, _documented(Path(), HCODE_TEXT, HCODE_FORMAT)]
ServiceQuery = Annotated[str, _documented(Query(), SERVICE_TEXT, SERVICE_FORMAT)]
DateQuery = Annotated[str | None, _documented(Query(None), OPTIONAL_DATE_TEXT, OPTIONAL_DATE_FORMAT)]


class ReasonOut(Schema):
    code: str
    message: str


class EligibilityIn(Schema):
    national_id: str = national_id_field()
    hcode: str = hcode_field()
    service: str = service_field()
    on: str | None = optional_date_field()


class EligibilityOut(Schema):
    eligible: bool
    day: dt.date
    scheme: str | None
    reasons: list[ReasonOut]


class CitizenIn(Schema):
    national_id: str = national_id_field()
    title_th: str = ""
    first_name_th: str
    last_name_th: str
    birth_date: str = date_field()
    sex: str = "U"
    phone: str = ""


class CitizenOut(Schema):
    id: int
    national_id_masked: str
    full_name: str
    birth_date: dt.date


class CoverageIn(Schema):
    national_id: str = national_id_field()
    scheme: str
    subtype: str = ""
    main_hcode: str | None = hcode_field(None)
    valid_from: str = date_field()
    valid_to: str | None = optional_date_field()


class CoverageOut(Schema):
    scheme: str
    subtype: str
    main_hcode: str | None
    valid_from: dt.date
    valid_to: dt.date | None


class UnitOut(Schema):
    hcode: str
    name: str
    unit_type: str
    status: str
    province: str
    district: str


class ProblemOut(Schema):
    field: str | None = Field(None, description="ชื่อช่องของ API · the API's field name")
    message: str = Field(description="ข้อความภาษาไทย · Thai text")
    message_en: str = Field(description="English text")


class ErrorOut(Schema):
    code: str = Field(description="รหัสคงที่สำหรับโปรแกรม · stable code for programs")
    message: str = Field(description="ข้อความภาษาไทย · Thai text")
    message_en: str = Field(description="English text")
    field: str | None = Field(None, description="ช่องที่ผิด (ชื่อตาม API) · the field at fault (the API's name)")
    errors: list[ProblemOut] | None = Field(None, description="INVALID_INPUT: ทุกปัญหา · every problem")
    reasons: list[str] | None = Field(None, description="NOT_ELIGIBLE: รหัสเหตุผล · reason codes")


# Every status an operation may answer besides its success (each an ErrorOut): 413 BODY_TOO_LARGE and 500
# INTERNAL_ERROR come from interfaces/api/middleware.py, 503 DATABASE_UNAVAILABLE from raksa.core.db_outage.
ERRORS = {status: ErrorOut for status in (400, 401, 403, 404, 409, 413, 422, 500, 503)}
