"""The fixed, documented demo logins, units and citizens (the same for every seed).

The password is public on purpose: this is demo data for a local machine, never for production.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from raksa.people.models import Scheme, Sex
from raksa.units.models import StaffRole, UnitStatus, UnitType

DEMO_PASSWORD = "raksa-demo"


class DemoUnit(NamedTuple):
    hcode: str
    name: str
    unit_type: str
    province_code: str
    district: str
    address: str
    status: str
    # Services of its type this unit is NOT contracted for (a claim naming one is rejected with
    # SERVICE_NOT_CONTRACTED, class C: the demo's example of a claim to correct and resend).
    not_contracted: tuple[str, ...] = ()


DEMO_UNITS = (
    DemoUnit("41001", "ร้านยาใจดีเภสัช", UnitType.PHARMACY, "10", "เขตพระนคร",
             "99/1 ถนนราชดำเนินกลาง แขวงบวรนิเวศ", UnitStatus.VERIFIED),
    DemoUnit("41002", "ร้านยาใจดีเภสัช สาขานนทบุรี", UnitType.PHARMACY, "12", "อำเภอเมืองนนทบุรี",
             "45/7 หมู่ 2 ถนนรัตนาธิเบศร์ ตำบลบางกระสอ", UnitStatus.VERIFIED,
             not_contracted=("PH-LICE", "PH-SCABIES", "PH-WORMS")),
    DemoUnit("41003", "ร้านยาเปิดใหม่ฟาร์มาซี", UnitType.PHARMACY, "50", "อำเภอเมืองเชียงใหม่",
             "12 ถนนนิมมานเหมินท์ ตำบลสุเทพ", UnitStatus.PENDING),
)
DEMO_HCODES = frozenset(unit.hcode for unit in DEMO_UNITS)


class DemoLogin(NamedTuple):
    username: str
    first_name: str
    last_name: str
    kind: str  # "superuser" | "officer" | "staff"
    memberships: tuple[tuple[str, str], ...]  # (hcode, role)
    what_th: str
    what_en: str


DEMO_LOGINS = (
    DemoLogin("admin", "ผู้ดูแล", "ระบบ", "superuser", (),
              "ผู้ดูแลระบบ (superuser) — สำนักงานหลังบ้าน", "system administrator (superuser), back office"),
    DemoLogin("officer", "วรรณา", "ตรวจสอบ", "officer", (),
              "เจ้าหน้าที่ผู้จ่ายเงิน — ลงทะเบียน/ยืนยันหน่วย อัตรา สัญญา", "payer officer: units, contracts, fees"),
    DemoLogin("unitadmin", "ประเสริฐ", "ใจดี", "staff", (("41001", StaffRole.UNIT_ADMIN),),
              "ผู้ดูแลหน่วย ร้านยาใจดีเภสัช (41001)", "unit admin, pharmacy 41001"),
    DemoLogin("pharmacist", "สุภาพร", "ใจดี", "staff", (("41001", StaffRole.CLINICIAN),),
              "เภสัชกร ร้านยาใจดีเภสัช (41001)", "pharmacist (clinician), pharmacy 41001"),
    DemoLogin("clerk", "มานพ", "ศรีสุข", "staff", (("41001", StaffRole.CLERK),),
              "เจ้าหน้าที่ ร้านยาใจดีเภสัช (41001)", "clerk, pharmacy 41001"),
    DemoLogin("multi", "ชุติมา", "วงศ์สวัสดิ์", "staff",
              (("41001", StaffRole.CLINICIAN), ("41002", StaffRole.UNIT_ADMIN)),
              "เภสัชกร 41001 และผู้ดูแลหน่วย 41002 — ทดลองสลับหน่วย",
              "pharmacist at 41001 and unit admin of 41002: try the unit switcher"),
    DemoLogin("pending", "อนุชา", "เปิดใหม่", "staff", (("41003", StaffRole.UNIT_ADMIN),),
              "ผู้ดูแลหน่วยที่ยังรอตรวจสอบ (41003)", "unit admin of a unit still PENDING verification (41003)"),
)


class DemoCoverage(NamedTuple):
    scheme: str
    subtype: str
    valid_from: dt.date
    valid_to: dt.date | None = None


class DemoCitizen(NamedTuple):
    national_id: str
    title_th: str
    first_name_th: str
    last_name_th: str
    birth_date: dt.date
    sex: str
    coverages: tuple[DemoCoverage, ...]
    expect_th: str
    expect_en: str
    # The person's photo (raksa.integrations.face.samples: photos shipped inside installed packages), which the
    # civil registry stand-in also holds (civil_registry_standin/photos.py); show the same photo to the portal's
    # webcam to verify this person by face. face_enrolled: seed_demo enrols it as the reference; otherwise staff
    # fetch the reference from the civil registry at the counter ("ขอภาพจากทะเบียนราษฎร์"), as in production.
    face_photo: str = ""
    face_enrolled: bool = True

    @property
    def laser_code(self) -> str:
        """The laser code of the demo ID card (asked when linking LINE): ``ME`` and the ID's last 10 digits, a
        rule of the demo only (real codes are unrelated to the ID), so it is deterministic and easy to find."""
        return demo_laser_code(self.national_id)


def demo_laser_code(national_id: str) -> str:
    """``3109900000335`` -> ``ME9-9000003-35`` (see DemoCitizen.laser_code)."""
    tail = national_id[3:]
    return f"ME{tail[0]}-{tail[1:8]}-{tail[8:]}"


# Registration office 1099/3099 is never generated for the bulk citizens, so these IDs cannot collide.
DEMO_CITIZENS = (
    DemoCitizen("3109900000335", "นาง", "สมศรี", "ใจดี", dt.date(1956, 3, 14), Sex.FEMALE,
                (DemoCoverage(Scheme.UCS, "WEL", dt.date(2016, 1, 1)),),
                "บัตรทอง (UCS) ใช้สิทธิได้ อายุ 60 ปีขึ้นไป (ยืนยันผ่าน LINE ได้ทันที)",
                "UCS (gold card): eligible; aged 60 and over (may use the LINE confirmation at once)",
                face_photo="grace_hopper"),
    DemoCitizen("1109900000118", "นาย", "ประเสริฐ", "รักชาติ", dt.date(1988, 7, 2), Sex.MALE,
                (DemoCoverage(Scheme.OFC, "", dt.date(2012, 5, 1)),),
                "สิทธิข้าราชการ (OFC) — ไม่มีสิทธิที่หน่วยนวัตกรรม", "civil servant (OFC): not eligible"),
    DemoCitizen("1109900000223", "นางสาว", "กาญจนา", "ทองดี", dt.date(1992, 11, 20), Sex.FEMALE,
                (DemoCoverage(Scheme.UCS, "UCS", dt.date(2010, 1, 1), dt.date(2025, 12, 31)),),
                "บัตรทองหมดอายุ 31 ธ.ค. 2568", "UCS expired on 2025-12-31: not eligible"),
    DemoCitizen("1109900000444", "นาย", "สมชาย", "ศรีสุข", dt.date(1990, 4, 5), Sex.MALE,
                (DemoCoverage(Scheme.SSS, "", dt.date(2012, 6, 1)),
                 DemoCoverage(Scheme.UCS, "UCS", dt.date(2026, 1, 1))),
                "เปลี่ยนจากประกันสังคมเป็นบัตรทอง 1 ม.ค. 2569 (ประวัติ 2 รายการ)",
                "changed from SSS to UCS on 2026-01-01 (two rows of history): eligible"),
    DemoCitizen("1109900000550", "เด็กหญิง", "พิมพ์ชนก", "แก้วมณี", dt.date(2018, 9, 9), Sex.FEMALE,
                (DemoCoverage(Scheme.UCS, "WEL", dt.date(2018, 9, 9)),),
                "เด็ก บัตรทอง ใช้สิทธิได้", "child, UCS: eligible"),
    DemoCitizen("1109900000665", "นางสาว", "อรุณี", "ฟ้าใส", dt.date(1985, 5, 21), Sex.FEMALE,
                (DemoCoverage(Scheme.UCS, "UCS", dt.date(2015, 1, 1)),),
                "บัตรทอง ใช้สิทธิได้ ขอภาพจากทะเบียนราษฎร์ก่อน แล้วยืนยันตัวตนด้วยใบหน้า (ภาพ astronaut)",
                "UCS: eligible; fetch the reference from the civil registry, then verify by face (the astronaut "
                "photo)", face_photo="astronaut", face_enrolled=False),
)
