from django.conf import settings
from django.db import models

from raksa.core.thaidate import format_datetime


class AuditEntry(models.Model):
    """Append-only: one row per state change (and per reading of a full national ID).

    Written by the same service function and transaction as the change. On PostgreSQL a trigger
    refuses UPDATE and DELETE (migration 0002), so not even the back office can rewrite history.
    """

    at = models.DateTimeField("เวลา", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", verbose_name="ผู้ดำเนินการ")
    actor_label = models.CharField("ผู้ดำเนินการ (ไม่ใช่ผู้ใช้)", max_length=150, blank=True,
                                   help_text="ผู้ดำเนินการเมื่อไม่ใช่ผู้ใช้ในระบบ เช่น ระบบอัตโนมัติ หรือการนำเข้าข้อมูล")
    action = models.CharField("การดำเนินการ", max_length=64, db_index=True)
    object_type = models.CharField("ประเภทข้อมูล", max_length=64)
    object_id = models.CharField("รหัสข้อมูล", max_length=64)
    before = models.JSONField("ก่อนเปลี่ยน", null=True, blank=True)
    after = models.JSONField("หลังเปลี่ยน", null=True, blank=True)
    request_id = models.CharField("รหัสคำขอ", max_length=64, blank=True)

    class Meta:
        verbose_name = "รายการบันทึกการตรวจสอบ"
        verbose_name_plural = "บันทึกการตรวจสอบ"
        indexes = [models.Index(fields=["object_type", "object_id", "at"])]
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{format_datetime(self.at)} {self.action} {self.object_type}:{self.object_id}"
