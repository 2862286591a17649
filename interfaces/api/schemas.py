import datetime as dt

from ninja import Field, Schema


class ReasonOut(Schema):
    code: str
    message: str


class EligibilityIn(Schema):
    national_id: str
    hcode: str
    service: str
    on: str | None = None


class EligibilityOut(Schema):
    eligible: bool
    day: dt.date
    scheme: str | None
    reasons: list[ReasonOut]


class CitizenIn(Schema):
    national_id: str
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
    national_id: str
    scheme: str
    subtype: str = ""
    main_hcode: str | None = None
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


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
