"""Rules about amounts, frequency and timing."""

from __future__ import annotations

from raksa.claims.models import ReasonClass
from raksa.claims.rules.base import rule
from raksa.core.timeutil import service_day

DENTAL_VISITS_PER_YEAR = 2  # dental claims per person per calendar year at any unit (illustrative policy)
PHYSIO_SESSIONS_PER_CONDITION = 20  # physiotherapy sessions per person per condition per year (illustrative)
DENTAL_PREFIX, PHYSIO_PREFIX = "DT-", "PT-"


@rule("AMOUNT_OVER_SCHEDULE", ReasonClass.CORRECT,
      th="ยอดเบิกสูงกว่าอัตราในตารางค่าบริการของวันรับบริการ", en="The amount is above the fee schedule of the service day.",
      todo_th="แก้ยอดเบิกให้ไม่เกินอัตราที่กำหนด (ระบบคำนวณให้ในพอร์ทัล) แล้วส่งใหม่",
      todo_en="Claim no more than the schedule (the portal prices it for you) and send again.")
def amount_over_schedule(claim, batch):
    expected = batch.book.schedule_total(service_id=claim.service_id, items=claim.items, day=claim.service_date)
    if expected is None:
        return "ไม่มีอัตราในวันรับบริการ"
    return f"เบิก {claim.amount} บาท อัตรา {expected} บาท" if claim.amount > expected else False


def _same_year(claim, batch, prefix: str):
    service = batch.book.service_by_id.get(claim.service_id)
    if service is None or not service.code.startswith(prefix):
        return None
    return [o for o in batch.other_claims.get(claim.citizen_id, ())
            if o.id < claim.id and o.service_date.year == claim.service_date.year
            and batch.book.service_by_id[o.service_id].code.startswith(prefix)], service


@rule("FREQUENCY_DENTAL", ReasonClass.DENY,
      th=f"เกินจำนวนครั้งทันตกรรมต่อปี ({DENTAL_VISITS_PER_YEAR} ครั้ง)",
      en=f"Over the dental visits allowed per year ({DENTAL_VISITS_PER_YEAR}).",
      todo_th="ตรวจประวัติการรับบริการของผู้รับบริการ บริการเกินสิทธิเบิกไม่ได้",
      todo_en="Check the person's history; services beyond the limit are not paid.")
def frequency_dental(claim, batch):
    found = _same_year(claim, batch, DENTAL_PREFIX)
    if found is None:
        return False
    earlier, _service = found
    visits = {(o.unit_id, o.service_date) for o in earlier}
    return len(visits) >= DENTAL_VISITS_PER_YEAR and (claim.unit_id, claim.service_date) not in visits


@rule("FREQUENCY_PHYSIO", ReasonClass.DENY,
      th=f"เกินจำนวนครั้งกายภาพบำบัดต่อภาวะต่อปี ({PHYSIO_SESSIONS_PER_CONDITION} ครั้ง)",
      en=f"Over the physiotherapy sessions allowed per condition per year ({PHYSIO_SESSIONS_PER_CONDITION}).",
      todo_th="ตรวจจำนวนครั้งที่ให้บริการแล้ว หากจำเป็นต้องรักษาต่อให้ส่งต่อโรงพยาบาล",
      todo_en="Check the sessions already given; refer the person to hospital if more are needed.")
def frequency_physio(claim, batch):
    found = _same_year(claim, batch, PHYSIO_PREFIX)
    if found is None:
        return False
    earlier, service = found
    return sum(1 for o in earlier if o.service_id == service.pk) >= PHYSIO_SESSIONS_PER_CONDITION


@rule("LATE", ReasonClass.VERIFY,
      th="ส่งเคลมหลังวันรับบริการ (ต้องส่งภายในวันที่ให้บริการ)", en="Sent after the service day (claims go the same day).",
      todo_th="ส่งเคลมภายในวันที่ให้บริการทุกครั้ง เคลมนี้รอเจ้าหน้าที่ตรวจ หรือถูกปฏิเสธตามนโยบาย",
      todo_en="Send claims on the service day; this one waits for an officer, or is rejected, as the policy says.")
def late(claim, batch):
    return service_day(claim.submitted_at) > claim.service_date
