"""Rules about the authen code and the visit it names."""

from __future__ import annotations

import datetime as dt

from raksa.claims.models import ReasonClass
from raksa.claims.rules.base import rule
from raksa.verification.models import VisitStatus

# A lapsed visit may still be claimed late (see LATE) for this many days after its service day; after that its
# authen code has expired.
AUTHEN_VALID_DAYS = 30


@rule("AUTHEN_MISSING", ReasonClass.CORRECT,
      th="เคลมไม่มีรหัสยืนยันการเข้ารับบริการ (Authen Code)", en="The claim has no authen code.",
      todo_th="ใส่รหัสยืนยัน (PP ตามด้วยตัวเลข 10 หลัก) ของการเข้ารับบริการนี้แล้วส่งใหม่",
      todo_en="Add the visit's authen code (PP and 10 digits) and send the claim again.")
def authen_missing(claim, batch):
    return not claim.authen_code


@rule("AUTHEN_UNKNOWN", ReasonClass.DENY,
      th="ไม่พบการเข้ารับบริการที่มีรหัสยืนยันนี้", en="No visit has this authen code.",
      todo_th="ตรวจรหัสยืนยันกับหน้าการเข้ารับบริการ หากไม่ได้ยืนยันตัวตนผู้รับบริการ จะเบิกไม่ได้",
      todo_en="Check the code against the visit's page; a visit that was never verified cannot be claimed.")
def authen_unknown(claim, batch):
    return bool(claim.authen_code) and claim.authen_code not in batch.visits


@rule("AUTHEN_FOREIGN", ReasonClass.DENY,
      th="รหัสยืนยันนี้เป็นของการเข้ารับบริการที่หน่วยบริการอื่น", en="The authen code belongs to another unit's visit.",
      todo_th="เบิกได้เฉพาะการเข้ารับบริการที่หน่วยของท่านยืนยันตัวตนเอง", todo_en="Claim only visits your unit verified.")
def authen_foreign(claim, batch):
    visit = batch.visits.get(claim.authen_code)
    return visit is not None and visit.unit_id != claim.unit_id


@rule("AUTHEN_EXPIRED", ReasonClass.DENY,
      th="รหัสยืนยันหมดอายุแล้ว", en="The authen code has expired.",
      todo_th=f"การเข้ารับบริการที่ปิดโดยไม่ให้บริการ หรือเกิน {AUTHEN_VALID_DAYS} วันแล้ว เบิกไม่ได้",
      todo_en=f"A visit closed without service, or more than {AUTHEN_VALID_DAYS} days old, cannot be claimed.")
def authen_expired(claim, batch):
    visit = batch.visits.get(claim.authen_code)
    if visit is None:
        return False
    if visit.status == VisitStatus.NO_SERVICE:
        return "ปิดโดยไม่ให้บริการ"
    return (claim.submitted_day - visit.day) > dt.timedelta(days=AUTHEN_VALID_DAYS) and f"ส่งเมื่อ {claim.submitted_day}"


@rule("VISIT_NOT_CLOSED_BY_UNIT", ReasonClass.CORRECT,
      th="การเข้ารับบริการยังไม่ได้ปิดด้วยเคลมนี้", en="The visit was not closed by this claim.",
      todo_th="ส่งเคลมจากหน้าการเข้ารับบริการ (ระบบจะปิดการเข้ารับบริการให้) แล้วส่งใหม่",
      todo_en="Send the claim from the visit (Raksa closes the visit with it), then send again.")
def visit_not_closed(claim, batch):
    """Sending a claim closes its visit with an EP close code (claim_submit); a claim that arrives another way
    (a batch import) for a visit still open or lapsed, or marked claimed without a close code, was not."""
    visit = batch.visits.get(claim.authen_code)
    if visit is None or visit.unit_id != claim.unit_id:
        return False  # AUTHEN_UNKNOWN / AUTHEN_FOREIGN say it
    if visit.status in (VisitStatus.OPEN, VisitStatus.LAPSED):
        return True
    return visit.status == VisitStatus.CLAIMED and not visit.close_code


@rule("SERVICE_DATE_MISMATCH", ReasonClass.CORRECT,
      th="วันที่รับบริการในเคลมไม่ตรงกับวันที่ยืนยันตัวตน", en="The claim's service date is not the visit's date.",
      todo_th="แก้วันที่รับบริการให้ตรงกับวันที่ยืนยันตัวตนแล้วส่งใหม่", todo_en="Use the visit's date and send again.")
def service_date_mismatch(claim, batch):
    visit = batch.visits.get(claim.authen_code)
    return visit is not None and visit.day != claim.service_date


@rule("DUPLICATE", ReasonClass.DENY,
      th="เคลมซ้ำ: บริการเดียวกันของผู้รับบริการคนเดียวกันในวันเดียวกันถูกเบิกแล้ว",
      en="Duplicate: the same service for the same person on the same day was already claimed.",
      todo_th="ไม่ต้องส่งซ้ำ ติดตามเคลมฉบับแรก", todo_en="Do not send it again; follow the first claim.")
def duplicate(claim, batch):
    """An earlier live claim (not rejected) of the same person, unit, service and day under another authen code
    (the same code twice is refused at the door: one current claim per code)."""
    for other in batch.earlier_claims(claim):
        if (other.authen_code != claim.authen_code and other.unit_id == claim.unit_id
                and other.service_id == claim.service_id and other.service_date == claim.service_date):
            return other.authen_code or f"#{other.id}"
    return False
