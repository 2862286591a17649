"""Demo service catalogue: which services each type of unit may give, with ILLUSTRATIVE baht rates.

The real lists and rates are data that officers edit in the back office, with effective dates. The
values below only make the demo look plausible; every Service and FeeRate row made from them is flagged
``illustrative=True`` and its note says so. They are not the payer's official rates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from raksa.units.models import UnitType

ILLUSTRATIVE_NOTE = "อัตราตัวอย่างสำหรับการสาธิต ไม่ใช่อัตราจริง (illustrative demo rate, not an official rate)"
RATES_FROM = dt.date(2025, 10, 1)
# A few services show a rate history: an older rate that ended when the current one started.
OLD_RATES_FROM = dt.date(2024, 10, 1)


@dataclass(frozen=True)
class CatalogueItem:
    code: str
    unit_type: str
    name_th: str
    name_en: str
    baht: Decimal
    old_baht: Decimal | None = None  # if set: rate from OLD_RATES_FROM until RATES_FROM - 1 day


def _items(unit_type: str, rows: list[tuple]) -> list[CatalogueItem]:
    return [CatalogueItem(code, unit_type, th, en, Decimal(baht), Decimal(old[0]) if old else None)
            for code, th, en, baht, *old in rows]


CATALOGUE: tuple[CatalogueItem, ...] = tuple(
    # Pharmacy: minor illness by symptom group (the pharmacist assesses, advises and dispenses).
    _items(UnitType.PHARMACY, [
        ("PH-FEVER", "ไข้", "Fever", "180", "150"),
        ("PH-COUGH", "ไอ เจ็บคอ", "Cough, sore throat", "180", "150"),
        ("PH-COLD", "น้ำมูก คัดจมูก (หวัด/แพ้อากาศ)", "Runny or blocked nose (cold, allergy)", "180"),
        ("PH-HEADACHE", "ปวดศีรษะ เวียนศีรษะ", "Headache, dizziness", "180"),
        ("PH-MUSCLE", "ปวดกล้ามเนื้อ ปวดข้อ", "Muscle or joint pain", "180"),
        ("PH-ABDO", "ปวดท้อง ท้องอืด ท้องผูก", "Abdominal pain, bloating, constipation", "180"),
        ("PH-DIARRHOEA", "ท้องเสีย", "Diarrhoea", "180", "150"),
        ("PH-DYSURIA", "ปัสสาวะแสบขัด", "Painful urination", "180"),
        ("PH-DISCHARGE", "ตกขาวผิดปกติ", "Abnormal vaginal discharge", "180"),
        ("PH-DYSMEN", "ปวดประจำเดือน", "Period pain", "180"),
        ("PH-WOUND", "บาดแผลเล็กน้อย", "Minor wound", "180"),
        ("PH-RASH", "ผื่น คัน ผิวหนังอักเสบ", "Rash, itching, skin inflammation", "180"),
        ("PH-EYE", "ตาแดง ระคายเคืองตา", "Red or irritated eye", "180"),
        ("PH-EAR", "ปวดหู หูอื้อ", "Earache, blocked ear", "180"),
        ("PH-MOUTH", "แผลในปาก", "Mouth ulcer", "180"),
        ("PH-TOOTH", "ปวดฟัน (บรรเทาอาการ)", "Toothache (symptom relief)", "180"),
    ])
    # Dental clinics.
    + _items(UnitType.DENTAL, [
        ("DT-FILL", "อุดฟัน", "Filling", "700", "600"),
        ("DT-EXTRACT", "ถอนฟัน", "Extraction", "600"),
        ("DT-SCALE", "ขูดหินปูน", "Scaling", "600"),
        ("DT-SEALANT", "เคลือบหลุมร่องฟัน", "Pit and fissure sealant", "350"),
        ("DT-FLUORIDE", "เคลือบฟลูออไรด์", "Fluoride varnish", "250"),
    ])
    # Physiotherapy: intermediate care after four post-acute conditions.
    + _items(UnitType.PHYSIOTHERAPY, [
        ("PT-STROKE", "กายภาพบำบัดผู้ป่วยหลอดเลือดสมอง", "Physiotherapy after stroke", "500"),
        ("PT-SCI", "กายภาพบำบัดผู้ป่วยบาดเจ็บไขสันหลัง", "Physiotherapy after spinal cord injury", "500"),
        ("PT-TBI", "กายภาพบำบัดผู้ป่วยบาดเจ็บทางสมอง", "Physiotherapy after traumatic brain injury", "500"),
        ("PT-HIPFX", "กายภาพบำบัดผู้ป่วยกระดูกสะโพกหัก", "Physiotherapy after hip fracture", "500"),
    ])
    # Medical laboratory: listed tests, on a doctor's order.
    + _items(UnitType.MEDICAL_LAB, [
        ("LB-CBC", "ความสมบูรณ์ของเม็ดเลือด (CBC)", "Complete blood count", "90"),
        ("LB-FBS", "น้ำตาลในเลือด (FBS)", "Fasting blood sugar", "40"),
        ("LB-HBA1C", "น้ำตาลสะสม (HbA1c)", "HbA1c", "150"),
        ("LB-LIPID", "ไขมันในเลือด (Lipid profile)", "Lipid profile", "200"),
        ("LB-CREAT", "การทำงานของไต (Creatinine/eGFR)", "Creatinine / eGFR", "60"),
        ("LB-UA", "ตรวจปัสสาวะ (Urinalysis)", "Urinalysis", "50"),
        ("LB-ALT", "การทำงานของตับ (ALT)", "Liver function (ALT)", "50"),
        ("LB-UACR", "อัลบูมินในปัสสาวะ (UACR)", "Urine albumin/creatinine ratio", "150"),
    ])
    # Nursing and midwifery clinics: basic nursing treatments.
    + _items(UnitType.NURSING_CLINIC, [
        ("NS-WOUND", "ทำแผล", "Wound dressing", "150"),
        ("NS-STITCH", "ตัดไหม", "Suture removal", "100"),
        ("NS-INJECT", "ฉีดยาตามแผนการรักษาของแพทย์", "Injection as prescribed", "100"),
        ("NS-CATH", "เปลี่ยนสายสวนปัสสาวะ", "Urinary catheter change", "250"),
        ("NS-NGTUBE", "เปลี่ยนสายให้อาหาร", "Feeding tube change", "250"),
        ("NS-ANC", "ฝากครรภ์", "Antenatal check", "300"),
        ("NS-PNC", "ดูแลมารดาและทารกหลังคลอด", "Postnatal care of mother and baby", "300"),
    ])
    # Thai traditional medicine clinics.
    + _items(UnitType.THAI_TRADITIONAL, [
        ("TM-MASSAGE", "นวดเพื่อการรักษา", "Therapeutic Thai massage", "250"),
        ("TM-COMPRESS", "ประคบสมุนไพร", "Herbal compress", "150"),
        ("TM-STEAM", "อบไอน้ำสมุนไพร", "Herbal steam", "150"),
        ("TM-POSTPART", "ทับหม้อเกลือ ดูแลหลังคลอด", "Postpartum care (hot salt pot)", "350"),
        ("TM-HERBAL", "ตรวจและจ่ายยาสมุนไพร", "Consultation and herbal medicine", "200"),
    ])
    # Warm (community primary-care) clinics: basic treatments.
    + _items(UnitType.WARM_CLINIC, [
        ("WC-OPD", "ตรวจรักษาโรคทั่วไป", "General consultation and treatment", "250"),
        ("WC-NCD", "ติดตามโรคเรื้อรัง (เบาหวาน ความดัน)", "Chronic disease follow-up (diabetes, hypertension)",
         "250"),
        ("WC-SCREEN", "ตรวจคัดกรองสุขภาพ", "Health screening", "200"),
        ("WC-FP", "วางแผนครอบครัว", "Family planning", "200"),
        ("WC-TELE", "ติดตามอาการทางไกล (Telemedicine)", "Telemedicine follow-up", "150"),
    ])
)


def services_for_type(unit_type: str) -> list[CatalogueItem]:
    return [item for item in CATALOGUE if item.unit_type == unit_type]
