"""Cross-checks: not errors, but patterns an officer should look at (class V: the claim goes to review)."""

from __future__ import annotations

from raksa.claims.models import ReasonClass
from raksa.claims.rules.base import rule
from raksa.core.weekly_hours import DAY_NAMES_TH, DAYS

VOLUME_FACTOR = 3.0  # a day with more than 3x the unit's usual claims ...
VOLUME_FLOOR = 30  # ... and more than 30 claims is looked at


@rule("NO_IDENTITY_VERIFICATION", ReasonClass.VERIFY,
      th="ไม่พบการยืนยันตัวตนของการเข้ารับบริการนี้", en="No identity verification is recorded for this visit.",
      todo_th="เจ้าหน้าที่จะตรวจหลักฐานการเข้ารับบริการ ครั้งต่อไปให้ยืนยันตัวตนด้วยใบหน้าหรือ LINE ทุกครั้ง",
      todo_en="An officer will check the visit; verify every person by face or LINE.")
def no_identity_verification(claim, batch):
    visit = batch.visits.get(claim.authen_code)
    return visit is not None and not visit.identity_verified


def _open_at(hours: dict, weekday: int, local_time: str) -> bool:
    """Whether ``local_time`` ("HH:MM", Bangkok) on ``weekday`` (0 = Monday) falls in the unit's hours."""
    return any(start <= local_time < end for start, end in hours.get(DAYS[weekday], ()))


@rule("OUTSIDE_OPENING_HOURS", ReasonClass.VERIFY,
      th="ยืนยันตัวตนนอกเวลาทำการของหน่วยบริการ", en="Identity was verified outside the unit's opening hours.",
      todo_th="หากเปิดให้บริการนอกเวลา ให้แก้ไขเวลาทำการของหน่วยให้ตรงความจริง",
      todo_en="If you open at other times, correct your opening hours.")
def outside_opening_hours(claim, batch):
    visit = batch.visits.get(claim.authen_code)
    hours = batch.units[claim.unit_id].opening_hours
    if visit is None or not hours or _open_at(hours, visit.weekday, visit.local_time):
        return False
    return f"{DAY_NAMES_TH[DAYS[visit.weekday]]} {visit.local_time} น."


@rule("SEVERAL_UNITS_SAME_DAY", ReasonClass.VERIFY,
      th="ผู้รับบริการเข้ารับบริการหลายหน่วยในวันเดียวกัน", en="The person visited several units on the same day.",
      todo_th="เจ้าหน้าที่จะตรวจสอบว่าผู้รับบริการไปหลายหน่วยจริง", todo_en="An officer will check the visits.")
def several_units_same_day(claim, batch):
    """Visits (verified presence) of the same person at other units on the service day."""
    return bool(claim.other_units) and f"อีก {len(claim.other_units)} หน่วย"


@rule("UNIT_VOLUME_SPIKE", ReasonClass.VERIFY,
      th="จำนวนเคลมของหน่วยในวันนี้สูงผิดปกติเมื่อเทียบกับวันปกติของหน่วย",
      en="The unit's claims that day are far above its usual day.",
      todo_th="เจ้าหน้าที่จะตรวจสอบ หากมีเหตุ (เช่น ออกหน่วย) ให้แจ้งเจ้าหน้าที่", todo_en="An officer will check; "
      "tell them if there was a reason (an outreach day, say).")
def unit_volume_spike(claim, batch):
    """The claim is the unit's Nth of the day (its rank: claims sent after it do not count) and N is above
    VOLUME_FLOOR and VOLUME_FACTOR times the unit's usual day (the median of its open days in the four weeks
    before, never the day itself: facts.Batch.usual_volume). A unit with too little history is not judged."""
    rank = batch.day_rank(claim)
    if rank <= VOLUME_FLOOR:
        return False
    usual = batch.usual_volume(claim.unit_id, claim.service_date)
    return usual is not None and rank > VOLUME_FACTOR * usual and f"เคลมที่ {rank} ของวัน (ปกติวันละ {usual:g})"


@rule("CITIZEN_REPORTED", ReasonClass.VERIFY,
      th="ประชาชนแจ้งว่าไม่ได้รับบริการตามเคลมนี้", en="The citizen reported that they did not receive this service.",
      todo_th="เจ้าหน้าที่จะติดต่อหน่วยบริการเพื่อขอหลักฐานการให้บริการ",
      todo_en="An officer will contact the unit for evidence of the visit.")
def citizen_reported(claim, batch):
    return claim.citizen_reported
