"""Demo service catalogue: which services each type of unit may give, with ILLUSTRATIVE baht rates, and the
items a claim may list (medicines, supplies, add-ons) with their prices.

The real lists and rates are data that officers edit in the back office, with effective dates. The
values below only make the demo look plausible; every Service, FeeRate, Item and ItemPrice row made from them
is flagged ``illustrative=True`` and its note says so. They are not the payer's official rates. The exceptions
are the few figures the scheme publishes (``public=True``): telemedicine at 100 / 150 with medicine / 200 with
medicine posted, and a lab's home specimen collection at 80 baht a visit; their amounts are public, their start
dates here are the demo's (RATES_FROM).

Pharmacies: 16 symptom groups until 2 September 2024, 32 from 3 September 2024 (public). The original sixteen
follow the public lists; which sixteen were added is NOT confirmed from a public list we could read, so the
added groups below are a plausible, illustrative choice (minor illnesses a community pharmacist treats). Their
``since`` date is the public one: no rate, and no unit contract, starts before it.
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
PHARMACY_32_FROM = dt.date(2024, 9, 3)  # pharmacies treat 32 symptom groups from this day (16 before): public
PUBLIC_NOTE = "อัตราตามที่ สปสช. เผยแพร่ วันที่มีผลเป็นของข้อมูลสาธิต (published amount; the start date is the demo's)"


@dataclass(frozen=True)
class CatalogueItem:
    code: str
    unit_type: str
    name_th: str
    name_en: str
    baht: Decimal
    old_baht: Decimal | None = None  # if set: rate from ``since`` (or OLD_RATES_FROM) until RATES_FROM - 1 day
    since: dt.date | None = None  # the service exists from this day: no rate or contract starts earlier
    public: bool = False  # the amount is a published figure, not illustrative

    @property
    def first_rate_from(self) -> dt.date:
        return self.since or (OLD_RATES_FROM if self.old_baht is not None else RATES_FROM)


def _items(unit_type: str, rows: list[tuple], *, since: dt.date | None = None, public: bool = False
           ) -> list[CatalogueItem]:
    return [CatalogueItem(code, unit_type, th, en, Decimal(baht), Decimal(old[0]) if old else None, since, public)
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
    # ... and the sixteen groups added on 3 September 2024 (ILLUSTRATIVE choice of groups, see the docstring).
    + _items(UnitType.PHARMACY, [
        ("PH-NAUSEA", "คลื่นไส้ อาเจียน", "Nausea, vomiting", "180", "150"),
        ("PH-HEARTBURN", "แสบร้อนกลางอก กรดไหลย้อน", "Heartburn, acid reflux", "180", "150"),
        ("PH-HAEMORRHOID", "ริดสีดวงทวาร", "Haemorrhoids", "180", "150"),
        ("PH-MOTION", "เมารถ เมาเรือ", "Motion sickness", "180", "150"),
        ("PH-BACK", "ปวดหลัง ปวดเอว", "Back pain", "180", "150"),
        ("PH-SPRAIN", "ข้อเท้าพลิก ฟกช้ำ เคล็ดขัดยอก", "Sprain, bruise", "180", "150"),
        ("PH-BURN", "แผลไฟไหม้ น้ำร้อนลวกเล็กน้อย", "Minor burn or scald", "180", "150"),
        ("PH-BITE", "แมลงสัตว์กัดต่อย", "Insect bite or sting", "180", "150"),
        ("PH-URTICARIA", "ลมพิษ", "Hives (urticaria)", "180", "150"),
        ("PH-FUNGAL", "กลาก เกลื้อน น้ำกัดเท้า", "Fungal skin infection, athlete's foot", "180", "150"),
        ("PH-ACNE", "สิว", "Acne", "180", "150"),
        ("PH-COLDSORE", "เริมที่ริมฝีปาก", "Cold sore", "180", "150"),
        ("PH-STYE", "ตากุ้งยิง", "Stye", "180", "150"),
        ("PH-LICE", "เหา", "Head lice", "180", "150"),
        ("PH-SCABIES", "หิด", "Scabies", "180", "150"),
        ("PH-WORMS", "พยาธิลำไส้", "Intestinal worms", "180", "150"),
    ], since=PHARMACY_32_FROM)
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
    ])
    # Telemedicine: three services rather than one service with add-on items, because a visit is exactly one of
    # the three (a claim has one service) and the scheme publishes each as a whole fee. Published amounts.
    + _items(UnitType.WARM_CLINIC, [
        ("WC-TELE", "ปรึกษาแพทย์ทางไกล (Telemedicine)", "Telemedicine consultation", "100"),
        ("WC-TELE-MED", "ปรึกษาทางไกล พร้อมรับยาที่หน่วย", "Telemedicine with medicine collected", "150"),
        ("WC-TELE-POST", "ปรึกษาทางไกล พร้อมส่งยาทางไปรษณีย์", "Telemedicine with medicine posted", "200"),
    ], public=True)
)


ADDED_LATER = frozenset(item.code for item in CATALOGUE if item.since is not None)


def services_for_type(unit_type: str) -> list[CatalogueItem]:
    return [item for item in CATALOGUE if item.unit_type == unit_type]


@dataclass(frozen=True)
class ClaimItem:
    """An item a claim may list besides its service, priced per ``unit_label`` from RATES_FROM."""

    code: str
    unit_types: tuple[str, ...]
    name_th: str
    name_en: str
    unit_label: str
    baht: Decimal
    max_quantity: int
    public: bool = False


def _claim_items(unit_types: tuple[str, ...], rows: list[tuple], *, public: bool = False) -> list[ClaimItem]:
    return [ClaimItem(code, unit_types, th, en, label, Decimal(baht), max_q, public)
            for code, th, en, label, baht, max_q in rows]


_PH = (UnitType.PHARMACY,)
_CLINICS = (UnitType.PHARMACY, UnitType.WARM_CLINIC, UnitType.NURSING_CLINIC)
# Common medicines a pharmacist dispenses for the symptom groups (household-remedy and pharmacy-only medicines,
# no antibiotics), priced per unit: ILLUSTRATIVE prices.
ITEMS: tuple[ClaimItem, ...] = tuple(
    _claim_items(_CLINICS, [
        ("DRUG-PARA500", "พาราเซตามอล 500 มก.", "Paracetamol 500 mg", "เม็ด", "1.00", 30),
        ("DRUG-PARASYR", "พาราเซตามอลน้ำเชื่อม 120 มก./5 มล. 60 มล.", "Paracetamol syrup 120 mg/5 ml, 60 ml",
         "ขวด", "25.00", 2),
        ("DRUG-ORS", "ผงเกลือแร่ (ORS)", "Oral rehydration salts", "ซอง", "3.00", 10),
        ("DRUG-CPM", "คลอร์เฟนิรามีน 4 มก.", "Chlorphenamine 4 mg", "เม็ด", "0.50", 30),
        ("DRUG-IBUPROFEN", "ไอบูโพรเฟน 400 มก.", "Ibuprofen 400 mg", "เม็ด", "1.50", 20),
        ("DRUG-POVIDONE", "โพวิโดนไอโอดีน 10% 15 มล.", "Povidone-iodine 10%, 15 ml", "ขวด", "25.00", 1),
        ("DRUG-NSS", "น้ำเกลือล้างแผล 100 มล.", "Normal saline 100 ml", "ขวด", "20.00", 2),
        ("SUP-GAUZE", "ผ้าก๊อซปลอดเชื้อ", "Sterile gauze pad", "ชิ้น", "5.00", 10),
    ])
    + _claim_items(_PH, [
        ("DRUG-CETIRIZINE", "เซทิริซีน 10 มก.", "Cetirizine 10 mg", "เม็ด", "2.00", 14),
        ("DRUG-DEXTROMETH", "เดกซ์โทรเมทอร์แฟน 15 มก.", "Dextromethorphan 15 mg", "เม็ด", "1.00", 30),
        ("DRUG-BROMHEXINE", "บรอมเฮกซีน 8 มก.", "Bromhexine 8 mg", "เม็ด", "1.00", 30),
        ("DRUG-ANTACID", "ยาลดกรด (อะลูมิเนียม-แมกนีเซียมไฮดรอกไซด์)", "Antacid (aluminium/magnesium hydroxide)",
         "เม็ด", "1.00", 30),
        ("DRUG-SIMETHICONE", "ไซเมทิโคน 80 มก.", "Simeticone 80 mg", "เม็ด", "1.50", 30),
        ("DRUG-OMEPRAZOLE", "โอเมพราโซล 20 มก.", "Omeprazole 20 mg", "แคปซูล", "2.00", 14),
        ("DRUG-DOMPERIDONE", "ดอมเพอริโดน 10 มก.", "Domperidone 10 mg", "เม็ด", "1.00", 15),
        ("DRUG-DIMENHYD", "ไดเมนไฮดริเนต 50 มก.", "Dimenhydrinate 50 mg", "เม็ด", "1.00", 10),
        ("DRUG-BISACODYL", "บิซาโคดิล 5 มก.", "Bisacodyl 5 mg", "เม็ด", "1.00", 10),
        ("DRUG-MEFENAMIC", "กรดเมเฟนามิก 500 มก.", "Mefenamic acid 500 mg", "เม็ด", "2.00", 15),
        ("DRUG-CALAMINE", "คาลาไมน์โลชั่น 60 มล.", "Calamine lotion 60 ml", "ขวด", "30.00", 1),
        ("DRUG-CLOTRIMAZOLE", "โคลไตรมาโซลครีม 1% 15 ก.", "Clotrimazole cream 1%, 15 g", "หลอด", "35.00", 1),
        ("DRUG-HYDROCORT", "ไฮโดรคอร์ติโซนครีม 1% 5 ก.", "Hydrocortisone cream 1%, 5 g", "หลอด", "20.00", 1),
        ("DRUG-ACYCLOVIR", "อะไซโคลเวียร์ครีม 5% 5 ก.", "Aciclovir cream 5%, 5 g", "หลอด", "40.00", 1),
        ("DRUG-ARTTEARS", "น้ำตาเทียม 10 มล.", "Artificial tears 10 ml", "ขวด", "60.00", 1),
        ("DRUG-TA-PASTE", "ไตรแอมซิโนโลนชนิดป้ายปาก 5 ก.", "Triamcinolone oral paste, 5 g", "หลอด", "45.00", 1),
        ("DRUG-PERMETHRIN", "เพอร์เมทรินโลชั่น 5% 30 มล.", "Permethrin lotion 5%, 30 ml", "ขวด", "80.00", 1),
        ("DRUG-MEBENDAZOLE", "มีเบนดาโซล 100 มก.", "Mebendazole 100 mg", "เม็ด", "2.00", 6),
        ("DRUG-HAEMORRHOID", "ยาเหน็บริดสีดวงทวาร", "Haemorrhoid suppository", "เม็ด", "8.00", 10),
        ("DRUG-ANALGESIC-BALM", "ยาหม่อง/ครีมบรรเทาปวด 25 ก.", "Analgesic balm 25 g", "หลอด", "35.00", 1),
    ])
    # Dental supplies a claim may add to a procedure (ILLUSTRATIVE prices).
    + _claim_items((UnitType.DENTAL,), [
        ("SUP-DT-XRAY", "ฟิล์มเอกซเรย์ฟันรอบปลายราก", "Periapical dental X-ray film", "แผ่น", "80.00", 4),
        ("DRUG-CHX-MOUTH", "น้ำยาบ้วนปากคลอร์เฮกซิดีน 0.12% 180 มล.", "Chlorhexidine 0.12% mouthwash, 180 ml",
         "ขวด", "60.00", 1),
    ])
    # Medical laboratories: specimen collected at the person's home, 80 baht a visit (a published figure).
    + _claim_items((UnitType.MEDICAL_LAB,), [
        ("LB-HOME", "เก็บสิ่งส่งตรวจที่บ้าน", "Home specimen collection", "ครั้ง", "80.00", 1),
    ], public=True)
)
