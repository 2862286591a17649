"""The service record: what each type of unit writes about a visit, as one spec that the portal's forms,
the API and the validation all read (one source of truth for the fields).

* pharmacy: the symptom group is the claim's service; what was dispensed are the items; a follow-up date
  (3 days after the service by default, as the programme asks);
* dental: the procedure is the service; the tooth (FDI number) for fillings, extractions and sealants;
* physiotherapy: the condition is the service (stroke, brain injury, spinal cord injury, hip fracture); the
  session number;
* lab: the first test is the service, further tests are items; the ordering doctor and their licence;
* nursing, Thai traditional medicine, warm and other clinics: the service, with an optional note.

ICD-10 codes come from a small list shipped with Raksa (raksa/claims/data/icd10.csv); warm clinics and
physiotherapy must give at least one, the others may.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from raksa.claims.errors import invalid
from raksa.core.thai_input import ascii_digits
from raksa.units.models import UnitType

FOLLOW_UP_DAYS = 3  # pharmacy: the programme's follow-up three days after the visit
MAX_FOLLOW_UP_DAYS = 30
MAX_PHYSIO_SESSION = 60
NOTE_MAX = 500
TOOTH_SERVICES = frozenset({"DT-FILL", "DT-EXTRACT", "DT-SEALANT"})
ICD10_REQUIRED = frozenset({UnitType.WARM_CLINIC, UnitType.PHYSIOTHERAPY})
MAX_ICD10 = 5
# FDI two-digit tooth numbers: permanent 11-18 ... 41-48, primary 51-55 ... 81-85.
_TOOTH = re.compile(r"^(?:[1-4][1-8]|[5-8][1-5])$")
_LICENSE = re.compile(r"^ว\.?\s?[0-9]{4,6}$")


@dataclass(frozen=True)
class DetailField:
    name: str
    kind: str  # date | int | tooth | text | license
    label_th: str
    label_en: str
    required: bool = False
    help_th: str = ""


RECORD_FIELDS: dict[str, tuple[DetailField, ...]] = {
    UnitType.PHARMACY: (
        DetailField("follow_up_date", "date", "วันนัดติดตามอาการ", "Follow-up date",
                    help_th=f"ค่าเริ่มต้น {FOLLOW_UP_DAYS} วันหลังรับบริการ"),
    ),
    UnitType.DENTAL: (
        DetailField("tooth", "tooth", "ซี่ฟัน (ระบบ FDI)", "Tooth (FDI number)",
                    help_th="เช่น 36; จำเป็นสำหรับอุดฟัน ถอนฟัน เคลือบหลุมร่องฟัน"),
    ),
    UnitType.PHYSIOTHERAPY: (
        DetailField("session", "int", "ครั้งที่", "Session number", required=True),
    ),
    UnitType.MEDICAL_LAB: (
        DetailField("ordering_doctor", "text", "แพทย์ผู้สั่งตรวจ", "Ordering doctor", required=True),
        DetailField("doctor_license", "license", "เลขใบประกอบวิชาชีพแพทย์", "Doctor's licence number", required=True,
                    help_th="เช่น ว.12345"),
    ),
}
NOTE_FIELD = DetailField("note", "text", "บันทึกเพิ่มเติม", "Note")


def fields_for(unit_type: str) -> tuple[DetailField, ...]:
    """The detail fields of a unit type's service record (every type may add a note)."""
    return (*RECORD_FIELDS.get(unit_type, ()), NOTE_FIELD)


@cache
def icd10_codes() -> dict[str, tuple[str, str]]:
    """The shipped ICD-10 list: code -> (Thai name, English name)."""
    with (Path(__file__).parent / "data" / "icd10.csv").open(encoding="utf-8") as f:
        return {row["code"]: (row["name_th"], row["name_en"]) for row in csv.DictReader(f)}


def _clean(field: DetailField, value, *, service_date: dt.date):
    name = f"details.{field.name}"
    if field.kind == "date":
        try:
            day = value if isinstance(value, dt.date) else dt.date.fromisoformat(ascii_digits(str(value)))
        except ValueError:
            raise invalid(name, "Give the date as YYYY-MM-DD.", "กรุณาระบุวันที่ในรูปแบบ ปปปป-ดด-วว (ค.ศ.)") from None
        if not service_date < day <= service_date + dt.timedelta(days=MAX_FOLLOW_UP_DAYS):
            raise invalid(name, f"The follow-up date must be 1 to {MAX_FOLLOW_UP_DAYS} days after the service.",
                          f"วันนัดติดตามต้องอยู่หลังวันรับบริการ 1 ถึง {MAX_FOLLOW_UP_DAYS} วัน")
        return day.isoformat()
    if field.kind == "int":
        if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).strip().isdigit():
            raise invalid(name, "Give a whole number.", "กรุณาระบุเป็นจำนวนเต็ม")
        number = int(ascii_digits(str(value)))
        if not 1 <= number <= MAX_PHYSIO_SESSION:
            raise invalid(name, f"The session number must be 1 to {MAX_PHYSIO_SESSION}.",
                          f"ครั้งที่ต้องอยู่ระหว่าง 1 ถึง {MAX_PHYSIO_SESSION}")
        return number
    text = ascii_digits(str(value)).strip() if isinstance(value, str | int) else None
    if text is None:
        raise invalid(name, "Give text here.", "กรุณาระบุเป็นข้อความ")
    if field.kind == "tooth" and not _TOOTH.match(text):
        raise invalid(name, "Give the tooth as its FDI number (11-48 permanent, 51-85 primary).",
                      "กรุณาระบุซี่ฟันเป็นเลข FDI (ฟันแท้ 11-48 ฟันน้ำนม 51-85)")
    if field.kind == "license" and not _LICENSE.match(text):
        raise invalid(name, "Give the doctor's licence number as on the card (e.g. ว.12345).",
                      "กรุณาระบุเลขใบประกอบวิชาชีพเวชกรรม เช่น ว.12345")
    if len(text) > NOTE_MAX:
        raise invalid(name, f"At most {NOTE_MAX} characters.", f"ไม่เกิน {NOTE_MAX} ตัวอักษร")
    return text


def record_validate(*, unit_type: str, service_code: str, service_date: dt.date, details: dict | None,
                    icd10: list | tuple | None) -> tuple[dict, list[str]]:
    """The cleaned details and ICD-10 codes of a service record, or InvalidInput naming the field."""
    if details is not None and not isinstance(details, dict):
        raise invalid("details", "details must be an object.", "details ต้องเป็นออบเจ็กต์")
    details = dict(details or {})
    fields = {f.name: f for f in fields_for(unit_type)}
    unknown = sorted(set(details) - set(fields))
    if unknown:
        raise invalid(f"details.{unknown[0]}", f"This unit type's record has no field {unknown[0]!r}; it has: "
                      + ", ".join(fields) + ".", f"บันทึกของหน่วยประเภทนี้ไม่มีช่อง {unknown[0]} มีเฉพาะ: " + ", ".join(fields))
    cleaned: dict = {}
    for name, field in fields.items():
        value = details.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):  # blank is missing, not ""
            if field.kind == "date" and name == "follow_up_date":
                cleaned[name] = (service_date + dt.timedelta(days=FOLLOW_UP_DAYS)).isoformat()
            elif field.required or (field.kind == "tooth" and service_code in TOOTH_SERVICES):
                raise invalid(f"details.{name}", f"{field.label_en} is required.", f"กรุณาระบุ{field.label_th}")
            continue
        cleaned[name] = _clean(field, value, service_date=service_date)
    codes = _icd10_clean(icd10)
    if not codes and unit_type in ICD10_REQUIRED:
        raise invalid("icd10", "Give at least one ICD-10 code for this service.",
                      "กรุณาระบุรหัสโรค ICD-10 อย่างน้อยหนึ่งรหัส")
    return cleaned, codes


def _icd10_clean(icd10) -> list[str]:
    if icd10 in (None, ""):
        return []
    if isinstance(icd10, str):
        icd10 = [part for part in re.split(r"[\s,]+", icd10) if part]
    if not isinstance(icd10, list | tuple) or not all(isinstance(c, str) for c in icd10):
        raise invalid("icd10", "icd10 must be a list of codes.", "icd10 ต้องเป็นรายการรหัส")
    known = icd10_codes()
    codes: list[str] = []
    for raw in icd10:
        code = raw.strip().upper()
        if code not in known:
            raise invalid("icd10", f"Unknown ICD-10 code {code!r}: use a code from Raksa's list.",
                          f"ไม่รู้จักรหัส ICD-10 {code!r} กรุณาใช้รหัสจากรายการของระบบ")
        if code not in codes:
            codes.append(code)
    if len(codes) > MAX_ICD10:
        raise invalid("icd10", f"At most {MAX_ICD10} ICD-10 codes.", f"ไม่เกิน {MAX_ICD10} รหัส")
    return codes
