"""Rules about the person's right and the unit's standing on the service day."""

from __future__ import annotations

from raksa.claims.models import ReasonClass
from raksa.claims.rules.base import rule
from raksa.people.models import Scheme
from raksa.units.models import UnitStatus


@rule("NOT_ELIGIBLE", ReasonClass.DENY,
      th="ผู้รับบริการไม่มีสิทธิบัตรทองในวันรับบริการ", en="The person had no UCS right on the service day.",
      todo_th="ตรวจสิทธิย้อนหลังในวันรับบริการ หากสิทธิถูกต้องให้ติดต่อเจ้าหน้าที่ สปสช.",
      todo_en="Check the person's right on that day; if it was valid, contact the payer's officer.")
def not_eligible(claim, batch):
    if claim.citizen_id is None:
        return "ไม่พบผู้รับบริการ"
    coverage = claim.coverage  # the right in force on the service day (the latest started by then)
    if coverage is None or not coverage.covers(claim.service_date):
        return "ไม่มีสิทธิในวันนั้น"
    return False if coverage.scheme == Scheme.UCS else f"สิทธิ {coverage.scheme}"


@rule("SERVICE_NOT_FOR_UNIT_TYPE", ReasonClass.DENY,
      th="หน่วยบริการประเภทนี้ให้บริการนี้ไม่ได้", en="This type of unit cannot give this service.",
      todo_th="เบิกได้เฉพาะบริการของประเภทหน่วยบริการของท่าน", todo_en="Claim only services of your unit's type.")
def service_not_for_unit_type(claim, batch):
    service = batch.book.service_by_id.get(claim.service_id)
    return service is None or service.unit_type != batch.units[claim.unit_id].unit_type


@rule("SERVICE_NOT_CONTRACTED", ReasonClass.CORRECT,
      th="หน่วยบริการไม่มีสัญญาให้บริการนี้ในวันรับบริการ", en="The unit had no contract for this service on the service day.",
      todo_th="เลือกบริการที่หน่วยมีสัญญาในวันนั้นแล้วส่งใหม่ หรือติดต่อ สปสช. เพื่อขอเพิ่มบริการในสัญญา",
      todo_en="Choose a service your unit was contracted for that day and send again, or ask the payer to add it.")
def service_not_contracted(claim, batch):
    service = batch.book.service_by_id.get(claim.service_id)
    if service is None or service.unit_type != batch.units[claim.unit_id].unit_type:
        return False  # SERVICE_NOT_FOR_UNIT_TYPE says it
    return not batch.contracted(claim.unit_id, claim.service_id, claim.service_date)


@rule("UNIT_NOT_VERIFIED", ReasonClass.DENY,
      th="หน่วยบริการยังไม่ได้รับการยืนยันใน OSS", en="The unit's registration is not verified (OSS).",
      todo_th="ยืนยันข้อมูลหน่วยบริการในระบบ OSS ให้เรียบร้อยก่อนให้บริการและเบิก",
      todo_en="Complete the unit's OSS verification before serving and claiming.")
def unit_not_verified(claim, batch):
    return batch.units[claim.unit_id].status == UnitStatus.PENDING


@rule("UNIT_SUSPENDED", ReasonClass.DENY,
      th="หน่วยบริการถูกระงับ", en="The unit is suspended.",
      todo_th="ติดต่อ สปสช. เขตเพื่อทราบเหตุผลและการแก้ไข", todo_en="Contact the payer's regional office.")
def unit_suspended(claim, batch):
    return batch.units[claim.unit_id].status == UnitStatus.SUSPENDED
