"""Text shown after seeding and by ``demo_banner``: the demo logins and citizens, in Thai and English."""

from __future__ import annotations

from raksa.core.thaidate import format_date
from raksa.demo import accounts
from raksa.people.national_id import format_full


def logins_lines() -> list[str]:
    lines = [f"Demo logins / บัญชีทดลอง — password / รหัสผ่าน: {accounts.DEMO_PASSWORD} "
             "(demo only, public / สำหรับทดลองเท่านั้น)"]
    width = max(len(login.username) for login in accounts.DEMO_LOGINS)
    for login in accounts.DEMO_LOGINS:
        lines.append(f"  {login.username:<{width}}  {login.what_th} / {login.what_en}")
    return lines


def citizens_lines() -> list[str]:
    lines = ["Demo citizens for the rights check / ประชาชนตัวอย่างสำหรับตรวจสิทธิ (national ID / เลขประจำตัวประชาชน):"]
    for person in accounts.DEMO_CITIZENS:
        name = f"{person.title_th}{person.first_name_th} {person.last_name_th}"
        lines.append(f"  {format_full(person.national_id)}  {name} — {person.expect_th} / {person.expect_en}")
    lines.append("To link a demo citizen's LINE account / เชื่อมบัญชี LINE ของประชาชนตัวอย่าง "
                 "(national ID, date of birth, laser code / เลขประจำตัวประชาชน วันเกิด เลขหลังบัตร):")
    for person in accounts.DEMO_CITIZENS:
        born = f"{person.birth_date.isoformat()} ({format_date(person.birth_date, short=True)})"
        lines.append(f"  {format_full(person.national_id)}  {born}  {person.laser_code}  "
                     f"{person.title_th}{person.first_name_th} {person.last_name_th}")
    for person in accounts.DEMO_CITIZENS:
        if person.face_photo:
            fetch = "" if person.face_enrolled else ("press 'ขอภาพจากทะเบียนราษฎร์' (the civil registry stand-in) "
                                                     "first, then ")
            lines.append(f"Face verification / ยืนยันตัวตนด้วยใบหน้า: {format_full(person.national_id)} "
                         f"{person.first_name_th} — {fetch}show the '{person.face_photo}' photo to the webcam "
                         f"(raksa.integrations.face.samples)")
    units = ", ".join(f"{u.hcode} {u.name} ({u.status})" for u in accounts.DEMO_UNITS)
    lines.append(f"Demo units / หน่วยตัวอย่าง: {units}")
    return lines
