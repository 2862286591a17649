"""``manage.py demo_banner``: where the demo runs and how to log in, in Thai and English."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import DatabaseError

from raksa.demo import display


class Command(BaseCommand):
    help = "Print the demo URLs, logins and demo citizens (Thai and English)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")

    def handle(self, *args, host, port, **options):
        base = f"http://{host}:{port}"
        rule = "=" * 78
        lines = [
            rule,
            "Raksa (รักษา) demo / ระบบสาธิต",
            f"  Unit portal / หน้าหน่วยบริการ:        {base}/portal/",
            f"  Back office / สำนักงานหลังบ้าน:       {base}/backoffice/",
            f"  API docs / เอกสาร API:                {base}/api/v1/docs",
            f"  Health / ตรวจสถานะระบบ:               {base}/healthz",
            f"  Citizens in LINE (chat viewer of the LINE stand-in) / ประชาชนผ่าน LINE (แชต LINE จำลอง): "
            f"{settings.LINE_STANDIN_URL}/",
            f"  Civil registry stand-in (reference photos) / ทะเบียนราษฎร์จำลอง (ภาพอ้างอิง): "
            f"{settings.RAKSA_CIVIL_REGISTRY_URL}/v1/photo",
            "",
            *display.logins_lines(),
            "",
            *display.citizens_lines(),
        ]
        counts = _counts()
        if counts:
            lines += ["", counts]
        lines += ["Fee rates in the demo are illustrative / อัตราค่าบริการในระบบสาธิตเป็นตัวอย่าง ไม่ใช่อัตราจริง", rule]
        self.stdout.write("\n".join(lines))


def _counts() -> str:
    from raksa.people.models import Citizen
    from raksa.units.models import Unit

    try:
        units, citizens = Unit.objects.count(), Citizen.objects.count()
    except DatabaseError:
        return ""
    return f"Data / ข้อมูล: {units:,} units / หน่วยบริการ, {citizens:,} citizens / ประชาชน"
