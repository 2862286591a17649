"""Thai names for the audit log's codes (actions, object types, actors). Unknown codes show as they are."""

from __future__ import annotations

from raksa.audit.services import LINE_ACTOR_PREFIX

AUDIT_ACTIONS = {
    "booking.create": "สร้างการจอง",
    "booking.confirm": "ประชาชนยืนยันการจอง",
    "booking.decline": "ประชาชนปฏิเสธการจอง",
    "booking.cancel": "ยกเลิกการจอง",
    "booking.reschedule": "เลื่อนเวลาการจอง",
    "booking.expire": "การจองหมดเวลายืนยัน",
    "booking.no_show": "ไม่มาตามนัด",
    "booking.check_in": "มาถึงและออกบัตรคิว",
    "waitlist.join": "ลงชื่อรอที่ว่าง",
    "waitlist.offer": "เสนอที่ว่างจากรายชื่อรอ",
    "ticket.issue": "ออกบัตรคิว",
    "ticket.waiting": "กลับไปรอเรียกคิว",
    "ticket.called": "เรียกคิว",
    "ticket.in_service": "เริ่มให้บริการ",
    "ticket.done": "ให้บริการเสร็จ",
    "ticket.left": "ออกจากคิว",
    "line.follow": "เพิ่มเพื่อนบัญชี LINE ของรักษา",
    "line.unfollow": "บล็อกบัญชี LINE ของรักษา",
    "schedule.set": "ตั้งตารางเวลาให้บริการ",
    "closure.add": "ปิดทำการรายวัน",
    "unit.register": "ลงทะเบียนหน่วยบริการ",
    "unit.verify": "ยืนยันหน่วยบริการ",
    "unit.suspend": "ระงับหน่วยบริการ",
    "unit.update": "แก้ไขข้อมูลหน่วยบริการ",
    "unit.opening_hours.set": "ตั้งเวลาทำการ",
    "unit.contract": "ทำสัญญาบริการ",
    "unit.api_key.issue": "ออกกุญแจ API",
    "unit.api_key.revoke": "ยกเลิกกุญแจ API",
    "fee.set": "ตั้งอัตราค่าบริการ",
    "service.add": "เพิ่มบริการในรายการ",
    "service.update": "แก้ไขบริการ",
    "staff.add": "เพิ่มเจ้าหน้าที่หน่วย",
    "staff.update": "เปลี่ยนบทบาทเจ้าหน้าที่หน่วย",
    "officer.create": "สร้างบัญชีเจ้าหน้าที่ สปสช.",
    "user.create": "สร้างบัญชีผู้ใช้",
    "citizen.register": "ลงทะเบียนประชาชน",
    "citizen.national_id.read": "ดูเลขประจำตัวประชาชนเต็ม",
    "coverage.change": "เปลี่ยนสิทธิการรักษา",
    "demo.seed": "นำเข้าข้อมูลตัวอย่าง",
    "claim.submit": "ส่งเคลม",
    "claim.correct": "ส่งเคลมฉบับแก้ไข",
    "claim.adjudicate": "ตรวจเคลมตามกฎ",
    "claim.review.accept": "เจ้าหน้าที่อนุมัติเคลม",
    "claim.review.reject": "เจ้าหน้าที่ไม่อนุมัติเคลม",
    "statement.issue": "ออกใบแจ้งการจ่ายเงิน",
    "statement.paid": "บันทึกการจ่ายเงินตามใบแจ้ง",
}

OBJECT_TYPES = {
    "units.unit": "หน่วยบริการ",
    "units.service": "บริการ",
    "units.unitapikey": "กุญแจ API ของหน่วย",
    "people.citizen": "ประชาชน",
    "people.coverage": "สิทธิการรักษา",
    "booking.booking": "การจอง",
    "booking.schedule": "ตารางเวลาให้บริการ",
    "booking.closure": "วันปิดทำการ",
    "booking.waitlistentry": "รายชื่อรอที่ว่าง",
    "booking.queueticket": "บัตรคิว",
    "messaging.linecontact": "ผู้ติดต่อ LINE",
    "messaging.webhookevent": "เหตุการณ์จาก LINE",
    "auth.user": "บัญชีผู้ใช้",
    "claims.claim": "เคลม",
    "claims.paymentstatement": "ใบแจ้งการจ่ายเงิน",
}

ACTORS = {"system": "ระบบ"}


def audit_action_label(code: str) -> str:
    return AUDIT_ACTIONS.get(code, code)


def object_type_label(code: str) -> str:
    return OBJECT_TYPES.get(code, code)


def actor_label(label: str) -> str:
    if label.startswith(LINE_ACTOR_PREFIX):  # a citizen acting in LINE (confirm, decline, cancel; follow, block)
        return f"ประชาชนทาง LINE ({label.removeprefix(LINE_ACTOR_PREFIX)})"
    return ACTORS.get(label, label)
