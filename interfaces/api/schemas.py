import datetime as dt
from typing import Annotated, Any

from ninja import Field, Path, Schema

# The formats the server holds these to, stated in the document so that a generated client refuses what the
# server would. Documented, not enforced here: the domain checks them and answers with its own codes
# (INVALID_NATIONAL_ID, UNKNOWN_UNIT), the fast lane included. JSON Schema cannot state the check digit.
NATIONAL_ID_FORMAT = {"pattern": "^[0-9]{13}$", "examples": ["3109900000335"]}
NATIONAL_ID_TEXT = ("เลขประจำตัวประชาชน 13 หลัก หลักสุดท้ายเป็นเลขตรวจสอบ (ผิดตอบ INVALID_NATIONAL_ID) · "
                    "The national ID: 13 digits, the last a check digit (a wrong one answers INVALID_NATIONAL_ID).")
HCODE_FORMAT = {"pattern": "^[0-9]{5}$", "examples": ["41001"]}
HCODE_TEXT = "รหัสหน่วยบริการ 5 หลัก · The unit's code: 5 digits."


def national_id_field() -> Any:
    return Field(description=NATIONAL_ID_TEXT, json_schema_extra=NATIONAL_ID_FORMAT)


def hcode_field(default: Any = ...) -> Any:
    return Field(default, description=HCODE_TEXT, json_schema_extra=HCODE_FORMAT)


def _hcode_path() -> Any:
    param = Path(description=HCODE_TEXT)  # (django-ninja's Path takes no json_schema_extra of its own)
    param.json_schema_extra = {**(param.json_schema_extra or {}), **HCODE_FORMAT}
    return param


# A unit's code as a path parameter: ``hcode: HcodePath``.
HcodePath = Annotated[str, _hcode_path()]


class ReasonOut(Schema):
    code: str
    message: str


class EligibilityIn(Schema):
    national_id: str = national_id_field()
    hcode: str = hcode_field()
    service: str
    on: str | None = None


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
    birth_date: str
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
    valid_from: str
    valid_to: str | None = None


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
# INTERNAL_ERROR come from interfaces/api/middleware.py.
ERRORS = {status: ErrorOut for status in (400, 401, 403, 404, 409, 413, 422, 500)}
