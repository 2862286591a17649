"""What the public API documentation (/api/v1/docs, /api/v1/openapi.json) says, Thai first, then English.

Every operation takes its summary and description from here (``**doc("name")``), never from the view's
docstring: docstrings are notes for developers and stay out of the public documentation (a test checks).
"""

from __future__ import annotations

from django.conf import settings

API_DESCRIPTION = f"""
ตรวจสิทธิ จองเวลา และจัดการคิวหน้าร้านของหน่วยบริการนวัตกรรม (ร้านยา คลินิก) ในระบบหลักประกันสุขภาพแห่งชาติ ·
Rights checks, bookings and the counter queue of innovative health service units (pharmacies, clinics)
under the Universal Coverage Scheme.

## กุญแจ API · API keys

**ขอกุญแจ:** ผู้ดูแลหน่วยบริการเข้าสู่ระบบพอร์ทัล เมนู "กุญแจ API" ตั้งชื่อกุญแจตามระบบที่จะใช้ แล้วกด "ออกกุญแจ"
กุญแจขึ้นต้นด้วย `rk_` และแสดงเพียงครั้งเดียว ให้คัดลอกเก็บไว้ในระบบของหน่วยทันที (ระบบเก็บเพียงค่าแฮช
จึงแสดงซ้ำไม่ได้ หากทำหายให้ออกกุญแจใหม่และเพิกถอนกุญแจเดิม)

**ใช้กุญแจ:** ส่งในส่วนหัวของทุกคำขอ `Authorization: Bearer rk_…` กุญแจทำงานแทนหน่วยบริการของตนเท่านั้น
เพิกถอนได้ที่หน้าเดียวกันในพอร์ทัล (หรือโดยเจ้าหน้าที่ สปสช. ในระบบหลังบ้าน) กุญแจที่เพิกถอนแล้ว
หยุดทำงานภายใน {settings.RAKSA_API_KEY_CACHE_SECONDS:g} วินาที

**Getting a key:** a unit administrator logs in to the portal, opens "API keys", names the key after the
system that will use it and presses "Issue key". The key starts with `rk_` and is shown once only: copy it
into your system straight away (Raksa keeps only a digest and cannot show it again; if it is lost, issue a
new one and revoke the old).

**Using a key:** send it with every request as `Authorization: Bearer rk_…`. A key acts for its own unit
only. Revoke it on the same portal page (payer officers can also revoke any key in the back office); a
revoked key stops working within {settings.RAKSA_API_KEY_CACHE_SECONDS:g} seconds.

Staff logged in to the portal may also call the API from the browser with their session (and the CSRF token).

```
curl -X POST https://<host>/api/v1/eligibility \\
  -H "Authorization: Bearer rk_…" -H "Content-Type: application/json" \\
  -d '{{"national_id": "3109900000335", "hcode": "41001", "service": "PH-FEVER"}}'
```

## ข้อผิดพลาด · Errors

ทุกข้อผิดพลาดเป็น JSON · Every error is JSON:
`{{"code": "...", "message": "<ไทย>", "message_en": "<English>", "field": "<ชื่อช่องของ API หรือ null>"}}`.
ให้โปรแกรมตัดสินใจจาก `code` ซึ่งคงที่ · Programs should switch on `code`, which is stable.

| HTTP | code | ความหมาย · meaning |
|---|---|---|
| 400 | `INVALID_JSON` | เนื้อหาคำขอไม่ใช่ JSON (รวมถึงว่างเปล่า) · the body is not JSON (or is empty) |
| 401 | `AUTH_REQUIRED` | ไม่ได้ส่งกุญแจและไม่ได้เข้าสู่ระบบ · no key sent and no session |
| 401 | `INVALID_API_KEY` | กุญแจไม่รู้จัก ถูกเพิกถอน หรือรูปแบบผิด · the key is unknown, revoked or malformed |
| 403 | `FORBIDDEN` | ไม่มีสิทธิทำแทนหน่วยนี้ · you do not act for this unit |
| 403 | `CSRF_FAILED` | เซสชันเบราว์เซอร์ไม่มีโทเคน CSRF · a browser session without its CSRF token |
| 403 | `UNIT_NOT_VERIFIED`, `UNIT_SUSPENDED` | หน่วยยังไม่ได้รับการยืนยันหรือถูกระงับ: ใช้คิวไม่ได้ · the unit is pending or \
suspended: no queue |
| 404 | `UNKNOWN_UNIT`, `UNKNOWN_SERVICE`, `CITIZEN_NOT_FOUND`, `BOOKING_NOT_FOUND`, `TICKET_NOT_FOUND`, \
`VISIT_NOT_FOUND`, `QR_UNKNOWN`, … | ไม่พบสิ่งที่ขอ · not found |
| 404 | `NOT_FOUND` | ไม่มีบริการของ API ที่ที่อยู่นี้ · no operation at this address |
| 405 | `METHOD_NOT_ALLOWED` | ที่อยู่นี้ไม่รับเมธอดนี้ (ดูส่วนหัว `Allow`) · the address does not take this method \
(see the `Allow` header) |
| 409 | `SLOT_FULL`, `ALREADY_BOOKED`, `NOT_ELIGIBLE`, `BOOKING_NOT_ACTIVE`, `TICKET_STATE`, `QUEUE_EMPTY`, \
`QR_USED`, `QR_EXPIRED`, `QR_OTHER_UNIT`, `VISIT_OPEN_ELSEWHERE`, `VISIT_NOT_OPEN`, … \
| สถานะปัจจุบันไม่เปิดให้ทำ · the current state does not allow it |
| 400 | `IDEMPOTENCY_KEY_REQUIRED` | ส่งเคลมโดยไม่มีส่วนหัว `Idempotency-Key` · a claim sent without its \
`Idempotency-Key` header |
| 409 | `CLAIM_DUPLICATE` (+ `reference`) | ส่งเคลมของรหัส Authen นี้แล้ว `reference` คือเคลมแรก · this authen code \
was claimed already; `reference` is the first claim |
| 422 | `IDEMPOTENCY_KEY_REUSED` | ใช้ `Idempotency-Key` เดิมกับข้อมูลอื่น · the key was used with another body |
| 413 | `BODY_TOO_LARGE` | เนื้อหาคำขอเกิน {settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,} ไบต์ · the body is over \
{settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,} bytes |
| 422 | `INVALID_INPUT` (+ `errors`), `INVALID_NATIONAL_ID`, `INVALID_DATE`, … | ข้อมูลไม่ถูกต้อง · invalid input |
| 500 | `INTERNAL_ERROR` | ระบบขัดข้อง ลองใหม่ได้ · something went wrong on our side; try again |
| 503 | `DATABASE_UNAVAILABLE` | ติดต่อฐานข้อมูลไม่ได้ ส่งใหม่หลัง `Retry-After` วินาที · the database is unreachable: send \
again after `Retry-After` seconds |

`INVALID_INPUT` มีรายการ `errors` ทุกปัญหา · lists every problem in `errors`:
`[{{"field": "slot_id", "message": "slot_id ต้องเป็นจำนวนเต็ม", "message_en": "slot_id must be a whole number"}}]`.
ข้อความทุกช่อง (ในที่อยู่ พารามิเตอร์ หรือเนื้อหา) ห้ามมีอักขระรหัส 0 (`\\u0000`): ตอบ `INVALID_INPUT` พร้อมชื่อช่อง ·
No text anywhere (path, parameters, body) may hold the character U+0000 (`\\u0000`): `INVALID_INPUT` naming the field.
"""

TAGS = {
    "rights": "สิทธิ · Rights",
    "registry": "ทะเบียน (เจ้าหน้าที่ สปสช.) · Registry (payer officers)",
    "units": "หน่วยบริการ · Units",
    "booking": "การจอง · Bookings",
    "queue": "คิวหน้าร้าน · Counter queue",
    "visits": "ยืนยันตัวตนและรหัส Authen · Verification and authen codes",
    "claims": "เคลม · Claims",
}

# name: (tag, summary Thai, summary English, description Thai, description English)
_OPERATIONS: dict[str, tuple[str, str, str, str, str]] = {
    "eligibility": (
        "rights", "ตรวจสอบสิทธิ", "Rights check",
        "ตรวจว่าประชาชนรับบริการนี้ที่หน่วยนี้ได้หรือไม่ในวันที่ระบุ (วันตามเวลากรุงเทพฯ ค่าเริ่มต้นคือวันนี้) "
        "คำตอบบอกทุกเหตุผลที่รับบริการไม่ได้พร้อมรหัส เลขประจำตัวประชาชนส่งในเนื้อหาคำขอเท่านั้น ไม่ส่งใน URL",
        "Whether a citizen may receive a service at a unit on a date (Bangkok day; today by default). The "
        "answer lists every reason against, each with a code. The national ID travels in the body, never in a URL."),
    "citizen_create": (
        "registry", "ลงทะเบียนประชาชน", "Register a citizen",
        "เฉพาะเจ้าหน้าที่ สปสช. ที่เข้าสู่ระบบ คำตอบแสดงเลขประจำตัวแบบปิดบางส่วน",
        "Payer officers only (logged-in session). The answer shows the national ID masked."),
    "coverage_create": (
        "registry", "บันทึกการเปลี่ยนสิทธิ", "Record a change of right",
        "เฉพาะเจ้าหน้าที่ สปสช. สิทธิที่เปิดอยู่สิ้นสุดในวันก่อน valid_from",
        "Payer officers only. The open right ends the day before valid_from."),
    "unit_detail": (
        "units", "ข้อมูลหน่วยบริการ", "A unit's directory entry",
        "ข้อมูลสาธารณะของหน่วยบริการตามรหัสหน่วย (hcode) ไม่ต้องยืนยันตัวตน",
        "The public directory entry of a unit by its code (hcode). No authentication."),
    "free_slots": (
        "booking", "เวลาว่าง", "Free times",
        "ช่วงเวลาที่ยังว่างของบริการหนึ่งของหน่วยในวันที่ระบุ (ค่าเริ่มต้นคือวันนี้) เวลาเป็น UTC และ local_time "
        "เป็นเวลากรุงเทพฯ ไม่ต้องยืนยันตัวตน",
        "Free slots of one of a unit's services on a date (today by default). Times are UTC; local_time is "
        "Bangkok time. No authentication."),
    "booking_make": (
        "booking", "จองเวลาให้ประชาชน", "Book for a citizen",
        "หน่วยบริการจองเวลาให้ประชาชน การจองรอประชาชนยืนยันและกันที่ไว้จนถึง expires_at "
        "ข้อผิดพลาด: SLOT_FULL, NOT_ELIGIBLE, ALREADY_BOOKED (409), SLOT_NOT_FOUND (404), ข้อมูลไม่ถูกต้อง (422)",
        "A unit books a time for a citizen: the booking awaits the citizen's confirmation and holds the seat "
        "until expires_at. Errors: SLOT_FULL, NOT_ELIGIBLE, ALREADY_BOOKED (409), SLOT_NOT_FOUND (404), "
        "invalid input (422)."),
    "waitlist_add": (
        "booking", "ลงชื่อรอที่ว่าง", "Join the waiting list",
        "ลงชื่อประชาชนรอช่วงเวลาที่เต็ม เมื่อมีที่ว่าง ระบบเสนอที่ให้ผู้รอคนแรกเป็นการจองที่รอยืนยัน "
        "ข้อผิดพลาด: SLOT_NOT_FULL (ให้จองแทน), ALREADY_WAITING",
        "Put a citizen on the waiting list of a full slot; when a seat frees, the first waiting citizen is "
        "offered it as a booking awaiting confirmation. Errors: SLOT_NOT_FULL (book instead), ALREADY_WAITING."),
    "booking_detail": (
        "booking", "ดูการจอง", "A booking",
        "การจองหนึ่งรายการของหน่วยตามหมายเลขอ้างอิง",
        "One of the unit's bookings, by its reference."),
    "booking_cancel": (
        "booking", "ยกเลิกการจอง", "Cancel a booking",
        "ยกเลิกการจองและคืนที่ว่าง การจองที่จบแล้วตอบ BOOKING_NOT_ACTIVE (409)",
        "Cancel a booking and free its seat. A booking that has ended answers BOOKING_NOT_ACTIVE (409)."),
    "booking_reschedule": (
        "booking", "เลื่อนเวลาการจอง", "Move a booking",
        "ย้ายไปช่วงเวลาอื่นของหน่วยและบริการเดิม ระบบจองที่ใหม่ก่อนคืนที่เดิม",
        "Move to another slot of the same unit and service; the new seat is taken before the old is freed."),
    "booking_check_in": (
        "queue", "รับผู้จองเข้าคิว", "Check in a booking",
        "ประชาชนที่จองไว้มาถึงแล้ว (การจองต้องยืนยันแล้วและเป็นของวันนี้): ได้บัตรคิว B-… เข้าคิววันนี้ "
        "การจองที่หน่วยจองให้และประชาชนยังไม่ยืนยัน ส่ง {\"confirm_in_person\": true} เพื่อยืนยันต่อหน้าและรับเข้าคิวในครั้งเดียว "
        "ข้อผิดพลาด: BOOKING_NOT_ACTIVE, ALREADY_IN_QUEUE, BOOKING_EXPIRED (409), NOT_TODAY (422), "
        "UNIT_NOT_VERIFIED, UNIT_SUSPENDED (403)",
        "The booked citizen has arrived (the booking must be confirmed and for today): they get a B-… ticket in "
        "today's queue. For a booking the unit made that the citizen has not confirmed yet, send "
        "{\"confirm_in_person\": true} to confirm it in person and check in at once. Errors: "
        "BOOKING_NOT_ACTIVE, ALREADY_IN_QUEUE, BOOKING_EXPIRED (409), NOT_TODAY (422), UNIT_NOT_VERIFIED, "
        "UNIT_SUSPENDED (403)."),
    "queue": (
        "queue", "คิววันนี้", "Today's queue",
        "คิววันนี้ของหน่วย (วันตามเวลากรุงเทพฯ): ผู้ถูกเรียกหรือกำลังรับบริการ ผู้รอ และการจองที่ยังไม่มาถึง "
        "หน่วยที่ยังไม่ได้รับการยืนยันหรือถูกระงับใช้คิวไม่ได้: UNIT_NOT_VERIFIED, UNIT_SUSPENDED (403)",
        "Today's queue at the unit (Bangkok day): who is called or being served, who waits, and bookings not "
        "yet arrived. A pending or suspended unit has no queue: UNIT_NOT_VERIFIED, UNIT_SUSPENDED (403)."),
    "queue_call_next": (
        "queue", "เรียกคิวถัดไป", "Call the next number",
        "เรียกบัตรคิวที่รอนานที่สุด (การจองตามเวลานัด ผู้มาไม่ได้จองตามเวลาที่รับบัตร) "
        "เจ้าหน้าที่สองคนกดพร้อมกันจะได้คนละคิว ไม่มีผู้รอตอบ QUEUE_EMPTY (409)",
        "Call the earliest waiting ticket (bookings by their time, walk-ins by arrival). Two counters calling "
        "at once get different people. No one waiting answers QUEUE_EMPTY (409)."),
    "ticket_status": (
        "queue", "เปลี่ยนสถานะบัตรคิว", "Change a ticket's state",
        "status: called (เรียกซ้ำ), in_service (เริ่มให้บริการ), done (เสร็จสิ้น), left (ออกจากคิว) "
        "บัตรคิวระบุด้วยหมายเลขของวันนี้ เช่น A-001 เปลี่ยนไม่ได้ตอบ TICKET_STATE (409) "
        "ผู้จองที่ออกจากคิวนับเป็นไม่มาตามนัด",
        "status: called (call again), in_service (start serving), done (finish), left (left the queue). The "
        "ticket is named by today's number, e.g. A-001. A change its state does not allow answers TICKET_STATE "
        "(409). A booked citizen who leaves counts as a no-show."),
    "visit_rights_qr": (
        "visits", "สแกน QR ยืนยันสิทธิ", "Redeem a rights QR",
        "ประชาชนแสดง QR ยืนยันสิทธิจาก LINE หน่วยสแกนแล้วส่งข้อความใน QR (token) มา: ถ้ามีการจองที่หน่วยนี้วันนี้ "
        "ระบบรับเข้าคิว (การจองที่หน่วยจองให้ถือว่ายืนยันต่อหน้า) ตรวจสิทธิ เปิดการเข้ารับบริการ และออกรหัส Authen "
        "ในคราวเดียว (201) ถ้าเป็น QR ที่ไม่มีการจอง (มาเอง) ต้องระบุ service ถ้าหน่วยนี้เปิดการเข้ารับบริการของบุคคลนี้ไว้แล้ว "
        "ตอบ 200 พร้อมรหัสเดิม QR ใช้ได้ครั้งเดียว ข้อผิดพลาด (ไม่มีอะไรถูกบันทึกนอกจากความพยายามที่ถูกปฏิเสธ): "
        "QR_UNKNOWN (404: ไม่ใช่ QR ของระบบหรือถูกแก้ไข), QR_USED, QR_EXPIRED, QR_OTHER_UNIT, BOOKING_NOT_ACTIVE, "
        "NOT_TODAY, VISIT_OPEN_ELSEWHERE, NOT_ELIGIBLE (409), SERVICE_REQUIRED (422), UNKNOWN_SERVICE (404), "
        "UNIT_NOT_VERIFIED, UNIT_SUSPENDED (403)",
        "The citizen shows the rights QR from LINE; the unit scans it and sends its text (token). With a booking at "
        "this unit today the booking is checked in (a booking the unit made counts as confirmed in person), the "
        "rights are checked, the visit opens and its authen code is issued, all at once (201). A walk-in's code "
        "(no booking) needs service. If this unit already has the person's open visit, the answer is 200 with the "
        "same code. A code works once. Errors (nothing is recorded but the refused attempt): QR_UNKNOWN (404: not "
        "a Raksa code, or altered), QR_USED, QR_EXPIRED, QR_OTHER_UNIT, BOOKING_NOT_ACTIVE, NOT_TODAY, "
        "VISIT_OPEN_ELSEWHERE, NOT_ELIGIBLE (409), SERVICE_REQUIRED (422), UNKNOWN_SERVICE (404), "
        "UNIT_NOT_VERIFIED, UNIT_SUSPENDED (403)."),
    "visit_face": (
        "visits", "ยืนยันตัวตนด้วยใบหน้า", "Verify by face",
        "ส่งแบบ multipart/form-data: national_id, service (รหัสบริการ), booking (หมายเลขการจอง ถ้ามี) และภาพจากกล้อง "
        "1-8 ภาพในช่อง frame (ควรเป็น 4-6 ภาพ ถ่ายภายในราว 2 วินาทีระหว่างที่ผู้รับบริการหันศีรษะเล็กน้อยแล้วกลับ "
        "ภาพนิ่งภาพเดียวไม่ผ่านการตรวจว่าเป็นบุคคลจริง) ระบบตรวจคุณภาพภาพ ตรวจการหันศีรษะ และเทียบกับใบหน้าอ้างอิงในทะเบียน "
        "ผ่าน: 201 เปิดการเข้ารับบริการพร้อมรหัส Authen ไม่ผ่าน: 422 พร้อม code (NO_FACE, SEVERAL_FACES, TOO_SMALL, "
        "TOO_DARK, BLURRED, NOT_LIVE, NO_MATCH, NO_REFERENCE) คำแนะนำภาษาไทยใน message จำนวนครั้งที่ไม่ผ่าน (failed_tries) "
        "และ line_fallback ว่าควรเสนอการยืนยันผ่าน LINE แล้วหรือไม่ (นับเป็นหนึ่งครั้ง) ภาพเสีย: 422 NOT_AN_IMAGE, "
        "IMAGE_TOO_LARGE, TOO_MANY_FRAMES, NO_FRAMES (ไม่นับ) ทั้งคำขอต้องไม่เกินขนาดที่กำหนด (413 BODY_TOO_LARGE) "
        "ระบบสแกนใบหน้าใช้ไม่ได้: 503 FACE_ENGINE_UNAVAILABLE (ใช้การยืนยันผ่าน LINE แทน) ข้อผิดพลาดอื่น: "
        "NOT_ELIGIBLE, VISIT_OPEN_ELSEWHERE (409), CITIZEN_NOT_FOUND, UNKNOWN_SERVICE, BOOKING_NOT_FOUND (404)",
        "multipart/form-data: national_id, service (a service's code), booking (a booking reference, if any) and 1-8 "
        "camera frames in the field frame (best 4-6, taken over about 2 s while the person turns their head "
        "slightly and back: one still picture fails the liveness check). The frames are checked for quality, the "
        "head turn and the match with the registry's reference face. Verified: 201, the visit opens with its "
        "authen code. Not verified: 422 with code (NO_FACE, SEVERAL_FACES, TOO_SMALL, TOO_DARK, BLURRED, NOT_LIVE, "
        "NO_MATCH, NO_REFERENCE), the Thai hint in message, failed_tries and line_fallback (offer the LINE "
        "confirmation now); it counts as a try. Bad images: 422 NOT_AN_IMAGE, IMAGE_TOO_LARGE, TOO_MANY_FRAMES, "
        "NO_FRAMES (not counted); the whole request has a size limit (413 BODY_TOO_LARGE). Face engine down: 503 "
        "FACE_ENGINE_UNAVAILABLE (use the LINE confirmation). Other errors: NOT_ELIGIBLE, VISIT_OPEN_ELSEWHERE "
        "(409), CITIZEN_NOT_FOUND, UNKNOWN_SERVICE, BOOKING_NOT_FOUND (404)."),
    "visit_detail": (
        "visits", "ดูการเข้ารับบริการ", "A visit",
        "การเข้ารับบริการหนึ่งครั้งของหน่วยตามรหัส Authen (PP + 10 หลัก) ของหน่วยอื่นตอบ VISIT_NOT_FOUND (404)",
        "One of the unit's visits by its authen code (PP + 10 digits). Another unit's answers VISIT_NOT_FOUND (404)."),
    "visit_close": (
        "visits", "ปิดโดยไม่ได้ให้บริการ", "Close without service",
        "ปิดการเข้ารับบริการที่ยังเปิดอยู่โดยไม่ได้ให้บริการ พร้อมเหตุผล (reason) แล้วบุคคลนี้ยืนยันตัวตนที่หน่วยอื่นได้ "
        "ที่ปิดแล้วตอบ VISIT_NOT_OPEN (409) ของหน่วยอื่นตอบ VISIT_NOT_FOUND (404)",
        "Close an open visit without service, with a reason; the person may then be verified at another unit. A "
        "closed visit answers VISIT_NOT_OPEN (409); another unit's, VISIT_NOT_FOUND (404)."),
    "authen_status": (
        "visits", "สถานะการยืนยันตัวตน", "Authen status",
        "เหมือนบริการ authen-status ของ สปสช.: บุคคลนี้มีการเข้ารับบริการที่ยังเปิดอยู่หรือไม่ (และที่หน่วยใด) และการเข้ารับบริการ"
        "ทั้งหมดของวันที่ระบุ (on ค่าเริ่มต้นคือวันนี้ตามเวลากรุงเทพฯ): หน่วย เวลา ช่องทาง สถานะ รหัส Authen แสดงเฉพาะของหน่วยที่ถาม "
        "ใช้ POST ไม่ใช่ GET เพราะเลขประจำตัวประชาชนต้องอยู่ในเนื้อหาคำขอ ไม่อยู่ใน URL (URL ถูกบันทึกในล็อก)",
        "Like NHSO's authen-status service: whether the person has an open visit now (and at which unit), and "
        "their visits on a date (on; today, Bangkok, by default): unit, time, channel, status. Authen codes are "
        "shown for the asking unit's own visits only. POST, not GET: the national ID travels in the body, never in "
        "a URL (URLs are logged)."),
    "claim_submit": (
        "claims", "ส่งเคลม", "Send a claim",
        "ส่งบันทึกการให้บริการของการเข้ารับบริการหนึ่งครั้ง (รหัส Authen) เพื่อเบิกเงิน ต้องมีส่วนหัว Idempotency-Key "
        "(คีย์ใหม่ต่อเคลม เช่น UUID): ส่งซ้ำด้วยคีย์และข้อมูลเดิมได้คำตอบแรกทุกประการ ไม่เกิดเคลมซ้ำ คำตอบเก็บไว้ทั้งผ่านและ"
        "ถูกปฏิเสธ ใช้คีย์เดิมกับข้อมูลอื่นตอบ IDEMPOTENCY_KEY_REUSED (422) ไม่มีคีย์ตอบ IDEMPOTENCY_KEY_REQUIRED (400) "
        "ระบบตรวจกฎทันที 201 ตอบเคลมพร้อมสถานะ (accepted, rejected, in_review) รหัสปิดการเข้ารับบริการ (EP…) ยอดเงินที่คิด"
        "ตามตารางอัตรา และเหตุผลทุกข้อพร้อมประเภท (C แก้ไขแล้วส่งใหม่, V ส่งตรวจสอบ, Deny ปฏิเสธ) และสิ่งที่ต้องทำ "
        "ข้อผิดพลาด: CLAIM_DUPLICATE (409 พร้อม reference ของเคลมแรก), VISIT_NOT_CLAIMABLE (409), AUTHEN_UNKNOWN, "
        "VISIT_OTHER_UNIT, SERVICE_UNKNOWN, SERVICE_NOT_FOR_UNIT_TYPE, SERVICE_DATE_FUTURE, SERVICE_DATE_MISMATCH, "
        "INVALID_INPUT (422 พร้อม field เช่น items[0].quantity, amount, details.tooth)",
        "Send the service record of one visit (its authen code) to be paid. The Idempotency-Key header is required "
        "(a new key per claim, a UUID say): a retry with the same key and body gets the first answer exactly, never "
        "a second claim; answers are kept whether accepted or refused. The same key with another body answers "
        "IDEMPOTENCY_KEY_REUSED (422); no key, IDEMPOTENCY_KEY_REQUIRED (400). The rules run at once: 201 answers "
        "the claim with its status (accepted, rejected, in_review), the visit's close code (EP…), the amounts priced "
        "from the fee schedule, and every reason with its class (C correct and resend, V sent to review, Deny) and "
        "what to do. Errors: CLAIM_DUPLICATE (409, with the first claim's reference), VISIT_NOT_CLAIMABLE (409), "
        "AUTHEN_UNKNOWN, VISIT_OTHER_UNIT, SERVICE_UNKNOWN, SERVICE_NOT_FOR_UNIT_TYPE, SERVICE_DATE_FUTURE, "
        "SERVICE_DATE_MISMATCH, INVALID_INPUT (422, with the field, e.g. items[0].quantity, amount, details.tooth)."),
    "claim_correct": (
        "claims", "ส่งเคลมฉบับแก้ไข", "Correct a rejected claim",
        "ส่งฉบับใหม่ของเคลมที่ไม่ผ่าน (reference เช่น PP0123456789-1) ฉบับเดิมและเหตุผลยังอยู่ครบ ต้องมี Idempotency-Key "
        "เช่นเดียวกับการส่งเคลม ข้อผิดพลาด: CLAIM_NOT_FOUND (404), CLAIM_NOT_CORRECTABLE (409), INVALID_INPUT (422)",
        "Send a new version of a rejected claim (reference, e.g. PP0123456789-1); the old version keeps its "
        "decision and reasons. Idempotency-Key as for sending a claim. Errors: CLAIM_NOT_FOUND (404), "
        "CLAIM_NOT_CORRECTABLE (409), INVALID_INPUT (422)."),
    "claim_detail": (
        "claims", "ดูเคลม", "A claim",
        "เคลมหนึ่งฉบับของหน่วย reference คือรหัส Authen และฉบับที่ (PP0123456789-2) หรือรหัส Authen อย่างเดียวสำหรับ"
        "ฉบับล่าสุด ของหน่วยอื่นตอบ CLAIM_NOT_FOUND (404)",
        "One of the unit's claims: reference is the authen code and version (PP0123456789-2), or the authen code "
        "alone for the current version. Another unit's answers CLAIM_NOT_FOUND (404)."),
    "claim_list": (
        "claims", "รายการเคลมของหน่วย", "The unit's claims",
        "เคลมฉบับล่าสุดของหน่วย ใหม่สุดก่อน กรองด้วย status และวันที่รับบริการ (date_from, date_to) แบ่งหน้า (page, "
        "page_size ไม่เกิน 200)",
        "The unit's current claims, newest first, filtered by status and service date (date_from, date_to), in pages "
        "(page, page_size up to 200)."),
}


def doc(name: str) -> dict:
    """The decorator arguments that document operation ``name``: tags, summary and description."""
    tag, summary_th, summary_en, text_th, text_en = _OPERATIONS[name]
    return {"tags": [TAGS[tag]], "summary": f"{summary_th} · {summary_en}", "description": f"{text_th}\n\n{text_en}"}
