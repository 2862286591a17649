"""The demo's LINE users: a handful of people with Thai display names (the viewer adds more).

Their IDs are fixed (derived from a name), so a restart, the tests and the README all name the same users.
The hints name the demo citizen each could link to (raksa/demo/accounts.py; the laser code on the back of
each card is printed by `make run`).
"""

from __future__ import annotations

import hashlib
from typing import NamedTuple


def user_id_for(seed: str) -> str:
    """A LINE-shaped user ID (U + 32 hex digits) fixed by ``seed``."""
    return "U" + hashlib.sha256(("raksa-demo-line-user:" + seed).encode()).hexdigest()[:32]


class DemoUser(NamedTuple):
    user_id: str
    display_name: str
    hint_th: str
    hint_en: str


DEMO_USERS = (
    DemoUser(user_id_for("somsri"), "สมศรี ใจดี", "บัตรทอง: 3-1099-00000-33-5 เกิด 14 มี.ค. 2499",
             "gold card: 3-1099-00000-33-5, born 1956-03-14"),
    DemoUser(user_id_for("somchai"), "สมชาย ศรีสุข", "บัตรทอง: 1-1099-00000-44-4 เกิด 5 เม.ย. 2533",
             "gold card: 1-1099-00000-44-4, born 1990-04-05"),
    DemoUser(user_id_for("kanjana"), "กาญจนา ทองดี", "บัตรทองหมดอายุ: 1-1099-00000-22-3 เกิด 20 พ.ย. 2535",
             "expired gold card: 1-1099-00000-22-3, born 1992-11-20"),
    DemoUser(user_id_for("prasert"), "ประเสริฐ รักชาติ", "ข้าราชการ: 1-1099-00000-11-8 เกิด 2 ก.ค. 2531",
             "civil servant: 1-1099-00000-11-8, born 1988-07-02"),
    DemoUser(user_id_for("guest"), "ผู้ใช้ใหม่", "ยังไม่มีข้อมูลในทะเบียน", "not in the registry"),
)
