"""The citizen's LINE chat as Raksa keeps it: who follows the official account, the webhook events LINE
sent (each handled once), and every message Raksa pushed (with its retry key and what became of it).

Invariants in the database: a LINE user is one contact; a webhook event (``webhookEventId``) is stored
once, so a redelivery is not handled again; a push has one retry key (LINE delivers it once however often
it is sent) and, when it must go only once (a reminder), one ``dedupe_key``.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q

from raksa.core.choices import split_label
from raksa.people.models import Citizen


class LineContact(models.Model):
    """A LINE user who added (or blocked) the official account. No contact row: never followed nor
    blocked as far as Raksa saw; pushes are tried (LINE refuses them if not a friend)."""

    line_user_id = models.CharField("รหัสผู้ใช้ LINE", max_length=64, unique=True)
    following = models.BooleanField("เป็นเพื่อนกับบัญชีทางการ", default=True)
    followed_at = models.DateTimeField("เพิ่มเพื่อนเมื่อ", null=True, blank=True)
    unfollowed_at = models.DateTimeField("บล็อกเมื่อ", null=True, blank=True)

    class Meta:
        verbose_name = "ผู้ติดต่อ LINE"
        verbose_name_plural = "ผู้ติดต่อ LINE"

    def __str__(self) -> str:
        return f"{self.line_user_id} {'following' if self.following else 'unfollowed'}"


class WebhookOutcome(models.TextChoices):
    PENDING = "", "รอดำเนินการ (Pending)"
    HANDLED = "handled", "ดำเนินการแล้ว (Handled)"
    IGNORED = "ignored", "ไม่รู้จักประเภท ข้ามไป (Ignored)"
    REFUSED = "refused", "ปฏิเสธคำขอ (Refused)"
    FAILED = "failed", "ผิดพลาด (Failed)"


class WebhookEvent(models.Model):
    """One event of a webhook call, stored in the call's request and handled by a job
    (``tasks.webhook_event_handle``)."""

    webhook_event_id = models.CharField("รหัสเหตุการณ์ของ LINE", max_length=64, unique=True)
    type = models.CharField("ประเภท", max_length=32)
    payload = models.JSONField("ข้อมูลที่ LINE ส่งมา")
    received_at = models.DateTimeField("ได้รับเมื่อ")
    handled_at = models.DateTimeField("ดำเนินการเมื่อ", null=True, blank=True)
    outcome = models.CharField("ผล", max_length=16, blank=True, default="", choices=WebhookOutcome.choices)
    detail = models.CharField("รายละเอียด", max_length=300, blank=True, default="")
    # Tries that failed (an error, not a refusal); the event is tried again until EVENT_MAX_ATTEMPTS. A database
    # default: the webhook's own INSERT (services.webhook_events_accept) does not name it.
    attempts = models.PositiveSmallIntegerField("ครั้งที่ลองแล้วไม่สำเร็จ", db_default=0)
    # When a job last took it up (received_at before): the sweep queues again one untouched for a while.
    tried_at = models.DateTimeField("ลองล่าสุดเมื่อ", null=True, blank=True)

    class Meta:
        verbose_name = "เหตุการณ์จาก LINE"
        verbose_name_plural = "เหตุการณ์จาก LINE"

    def __str__(self) -> str:
        return f"เหตุการณ์ {self.webhook_event_id}"  # type and outcome have their own columns


class MessageStatus(models.TextChoices):
    QUEUED = "queued", "รอส่ง (Queued)"
    SENT = "sent", "ส่งแล้ว (Sent)"
    FAILED = "failed", "ส่งไม่สำเร็จ (Failed)"
    SKIPPED = "skipped", "ไม่ส่ง ผู้ใช้บล็อกบัญชี (Skipped: blocked)"


class MessageKind(models.TextChoices):
    BOOKING_CONFIRMED = "booking_confirmed", "ยืนยันการจอง (Booking confirmed)"
    BOOKING_AWAITING = "booking_awaiting", "หน่วยบริการจองให้ รอยืนยัน (Awaiting confirmation)"
    REMINDER_DAY = "reminder_day", "เตือนล่วงหน้าหนึ่งวัน (Reminder, day before)"
    REMINDER_HOUR = "reminder_hour", "เตือนล่วงหน้าหนึ่งชั่วโมง (Reminder, hour before)"
    YOUR_TURN = "your_turn", "ถึงคิวแล้ว (Your turn)"
    WAITLIST_OFFER = "waitlist_offer", "มีที่ว่างจากรายชื่อรอ (Waitlist offer)"
    CANCELLED_BY_UNIT = "cancelled_by_unit", "หน่วยบริการยกเลิกนัด (Cancelled by the unit)"
    GREETING = "greeting", "ข้อความต้อนรับ (Greeting)"
    REPLY = "reply", "ตอบกลับ (Reply)"
    CLAIM_SENT = "claim_sent", "หน่วยบริการส่งเคลมในนามของคุณ (Claim sent in your name)"


class OutboundMessage(models.Model):
    """A push to one LINE user, sent by a job (``tasks.push_send``) and retried with the same
    ``retry_key`` until LINE takes it or ``LINE_PUSH_MAX_ATTEMPTS`` is reached (then ``failed``, with
    ``last_error``: staff see it in the back office)."""

    kind = models.CharField("ประเภท", max_length=32, choices=MessageKind.choices)
    line_user_id = models.CharField("รหัสผู้ใช้ LINE", max_length=64)
    citizen = models.ForeignKey(Citizen, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                verbose_name="ประชาชน")
    messages = models.JSONField("ข้อความ")
    retry_key = models.UUIDField("กุญแจส่งซ้ำ (X-Line-Retry-Key)", unique=True, default=uuid.uuid4, editable=False)
    dedupe_key = models.CharField("กุญแจกันส่งซ้ำ", max_length=100, null=True, blank=True, unique=True)
    status = models.CharField("สถานะ", max_length=10, choices=MessageStatus.choices, default=MessageStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField("จำนวนครั้งที่ส่ง", default=0)
    last_error = models.CharField("ข้อผิดพลาดล่าสุด", max_length=500, blank=True, default="")
    created_at = models.DateTimeField("สร้างเมื่อ", auto_now_add=True)
    sent_at = models.DateTimeField("ส่งถึง LINE เมื่อ", null=True, blank=True)
    updated_at = models.DateTimeField("ปรับปรุงล่าสุด", auto_now=True)

    class Meta:
        verbose_name = "ข้อความถึงประชาชนทาง LINE"
        verbose_name_plural = "ข้อความถึงประชาชนทาง LINE"
        indexes = [models.Index(fields=["status", "-created_at"], name="outbound_status_created"),
                   models.Index(fields=["line_user_id", "-created_at"], name="outbound_user_created")]
        constraints = [models.CheckConstraint(condition=Q(status__in=MessageStatus.values),
                                              name="outbound_status_valid")]

    def __str__(self) -> str:
        return (f"ข้อความที่ {self.pk}: {split_label(self.get_kind_display()).th}"
                f" ({split_label(self.get_status_display()).th})")
