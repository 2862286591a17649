"""Verification at the unit: rights-confirmation QR codes (flow 2.1: the citizen shows one, the unit scans it),
visits with their authen codes, every verification attempt, and the LINE confirmation QR (fallback and 3.4).

Rights QR codes:

The QR's payload is an opaque random token (``RQ1.`` + 43 URL-safe characters, 256 random bits): no
personal data. Only its SHA-256 digest is stored (like API keys: the token's entropy makes a plain hash
safe), so the table cannot be turned back into showable codes.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from raksa.booking.models import Booking
from raksa.core.choices import choice_labels
from raksa.people.models import Citizen


class RightsQrToken(models.Model):
    digest = models.BinaryField(max_length=32, unique=True, editable=False)
    citizen = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="+", verbose_name="ประชาชน")
    booking = models.ForeignKey(Booking, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                verbose_name="การจอง", help_text="that Bangkok day's booking; empty: walk-in")
    issued_at = models.DateTimeField("ออกเมื่อ")
    expires_at = models.DateTimeField("หมดอายุ")
    used_at = models.DateTimeField("ใช้เมื่อ", null=True, blank=True)
    voided_at = models.DateTimeField("ยกเลิกเมื่อ", null=True, blank=True, help_text="a newer code was issued")

    class Meta:
        verbose_name = "QR ยืนยันสิทธิ"
        verbose_name_plural = "QR ยืนยันสิทธิ"
        indexes = [models.Index(fields=["citizen"], condition=Q(used_at__isnull=True, voided_at__isnull=True),
                                name="rights_qr_citizen_unused")]
        constraints = [
            models.CheckConstraint(condition=Q(expires_at__gt=F("issued_at")), name="rights_qr_expires_after_issue"),
            models.CheckConstraint(condition=Q(used_at__isnull=True) | Q(voided_at__isnull=True),
                                   name="rights_qr_used_or_voided_not_both"),
        ]

    def __str__(self) -> str:
        state = "used" if self.used_at else "voided" if self.voided_at else "open"
        return f"rights QR {self.pk} citizen {self.citizen_id} {state}"


# --- Visits and authen codes ----------------------------------------------------------------------------------

AUTHEN_CODE_REGEX = r"^PP[0-9]{10}$"
ONE_OPEN_VISIT_CONSTRAINT = "visit_one_open_per_citizen"
AUTHEN_CODE_CONSTRAINT = "visit_authen_code_unique"
CLOSE_CODE_CONSTRAINT = "visit_close_code_unique"
CLOSE_CODE_REGEX = r"^EP[0-9]{10}$"


class VisitStatus(models.TextChoices):
    OPEN = "open", "เปิดอยู่ (Open)"
    CLAIMED = "claimed", "ส่งเคลมแล้ว (Claim sent)"
    NO_SERVICE = "no_service", "ปิดโดยไม่ได้ให้บริการ (Closed without service)"
    LAPSED = "lapsed", "หมดวัน (Lapsed at day end)"


class VerifyMethod(models.TextChoices):
    FACE = "face", "สแกนใบหน้า (Face)"
    LINE = "line", "ยืนยันผ่านไลน์ (LINE)"
    RIGHTS_QR = "rights_qr", "คิวอาร์ยืนยันสิทธิ (Rights QR)"


class Visit(models.Model):
    """One citizen at one unit on one Bangkok day, once identity and rights are both confirmed.

    ``authen_code`` (``PP`` + 10 digits) is issued with the visit and never changes. A person has at most
    one OPEN visit across all units: the partial unique index ``visit_one_open_per_citizen`` holds it
    even for two units verifying the same person in the same millisecond (the later insert waits for the
    earlier one and then fails; raksa/verification/visits.py turns that into VISIT_OPEN_ELSEWHERE)."""

    authen_code = models.CharField("รหัสยืนยันการเข้ารับบริการ", max_length=12, editable=False)
    citizen = models.ForeignKey(Citizen, on_delete=models.PROTECT, related_name="visits", verbose_name="ประชาชน")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="visits", verbose_name="หน่วยบริการ")
    service = models.ForeignKey("units.Service", on_delete=models.PROTECT, related_name="+", verbose_name="บริการ")
    day = models.DateField("วันที่รับบริการ", help_text="วันตามเวลาประเทศไทย")
    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, null=True, blank=True, related_name="visits",
                                verbose_name="การจอง")
    ticket = models.ForeignKey("booking.QueueTicket", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name="บัตรคิว")
    method = models.CharField("วิธียืนยันตัวตน", max_length=10, choices=VerifyMethod.choices)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name="ผู้ยืนยัน")
    verified_by_label = models.CharField("ผู้ยืนยัน (ป้าย)", max_length=150, blank=True,
                                         help_text="ชื่อผู้ใช้ของเจ้าหน้าที่ ชื่อกุญแจ API หรือบัญชี LINE")
    rights = models.JSONField("ผลตรวจสิทธิ", default=dict, help_text="สิทธิ หน่วยบริการประจำ และวันสิ้นสุดสิทธิ ณ เวลาที่เปิด")
    face_distance = models.FloatField("ระยะห่างใบหน้า", null=True, blank=True)
    status = models.CharField("สถานะ", max_length=12, choices=VisitStatus.choices, default=VisitStatus.OPEN)
    opened_at = models.DateTimeField("เปิดเมื่อ")
    closed_at = models.DateTimeField("ปิดเมื่อ", null=True, blank=True)
    close_reason = models.CharField("เหตุผลที่ปิด", max_length=200, blank=True)
    service_confirmed_at = models.DateTimeField("ประชาชนยืนยันรับบริการเมื่อ", null=True, blank=True,
                                                help_text="ประชาชนยืนยันผ่าน LINE")
    # NHSO's service answers a claim that closes a visit with a close code (EP...); Raksa does the same.
    close_code = models.CharField("รหัสปิดสิทธิ (EP)", max_length=12, null=True, blank=True,  # noqa: DJ001
                                  editable=False)

    class Meta:
        verbose_name = "การเข้ารับบริการ"
        verbose_name_plural = "การเข้ารับบริการ"
        indexes = [models.Index(fields=["unit", "day"], name="visit_unit_day"),
                   models.Index(fields=["citizen", "day"], name="visit_citizen_day")]
        constraints = [
            models.UniqueConstraint(fields=["authen_code"], name=AUTHEN_CODE_CONSTRAINT),
            models.UniqueConstraint(fields=["close_code"], name=CLOSE_CODE_CONSTRAINT),
            # A claimed visit has its close code, and only a claimed visit has one.
            models.CheckConstraint(condition=(Q(close_code__isnull=True) & ~Q(status="claimed"))
                                   | Q(close_code__regex=CLOSE_CODE_REGEX, status="claimed"),
                                   name="visit_close_code_iff_claimed"),
            models.UniqueConstraint(fields=["citizen"], condition=Q(status="open"), name=ONE_OPEN_VISIT_CONSTRAINT),
            models.CheckConstraint(condition=Q(authen_code__regex=AUTHEN_CODE_REGEX), name="visit_authen_code_shape"),
            models.CheckConstraint(condition=Q(status__in=VisitStatus.values), name="visit_status_valid"),
            models.CheckConstraint(condition=Q(method__in=VerifyMethod.values), name="visit_method_valid"),
            models.CheckConstraint(condition=Q(status="open", closed_at__isnull=True)
                                   | (~Q(status="open") & Q(closed_at__isnull=False)),
                                   name="visit_closed_at_iff_closed"),
        ]

    def __str__(self) -> str:
        return f"{self.authen_code} ({choice_labels(VisitStatus, self.status).th})"


class AttemptOutcome(models.TextChoices):
    VERIFIED = "verified", "ยืนยันแล้ว (Verified)"
    NO_MATCH = "no_match", "ใบหน้าไม่ตรง (No match)"
    NOT_LIVE = "not_live", "ไม่ผ่านการตรวจว่าเป็นบุคคลจริง (Not live)"
    POOR_IMAGE = "poor_image", "ภาพไม่ชัดหรือไม่พบใบหน้า (Poor image)"
    NO_REFERENCE = "no_reference", "ไม่มีใบหน้าอ้างอิง (No reference face)"
    ENGINE_DOWN = "engine_down", "ระบบสแกนใบหน้าไม่พร้อม (Face engine down)"
    REFUSED = "refused", "ถูกปฏิเสธ (Refused)"


class VerificationAttempt(models.Model):
    """Every try at the counter, successful or not (face, LINE or rights QR): who, where, how, what came of it.
    Failed face tries count towards the LINE fallback. No image is kept (unless RAKSA_FACE_KEEP_IMAGES_DIR)."""

    at = models.DateTimeField("เมื่อ")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="หน่วยบริการ")
    citizen = models.ForeignKey(Citizen, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                verbose_name="ประชาชน")
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name="เจ้าหน้าที่")
    actor_label = models.CharField("ผู้ดำเนินการ (ป้าย)", max_length=150, blank=True)
    method = models.CharField("วิธี", max_length=10, choices=VerifyMethod.choices)
    outcome = models.CharField("ผล", max_length=14, choices=AttemptOutcome.choices)
    code = models.CharField("รหัสเหตุผล", max_length=40, blank=True, help_text="เช่น NO_FACE, QR_USED")
    face_distance = models.FloatField("ระยะห่างใบหน้า", null=True, blank=True)
    visit = models.ForeignKey(Visit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                              verbose_name="การเข้ารับบริการ")

    class Meta:
        verbose_name = "การพยายามยืนยันตัวตน"
        verbose_name_plural = "การพยายามยืนยันตัวตน"
        indexes = [models.Index(fields=["citizen", "unit", "at"], name="attempt_citizen_unit_at")]
        constraints = [models.CheckConstraint(condition=Q(outcome__in=AttemptOutcome.values),
                                              name="attempt_outcome_valid")]

    def __str__(self) -> str:
        method, outcome = choice_labels(VerifyMethod, self.method).th, choice_labels(AttemptOutcome, self.outcome).th
        return f"{method}: {outcome} {self.code}".strip()


class ConfirmationPurpose(models.TextChoices):
    IDENTITY = "identity", "ยืนยันตัวตน (Identity)"
    SERVICE = "service", "ยืนยันการรับบริการ (Service received)"


class LineConfirmation(models.Model):
    """A one-time QR the portal shows and the citizen scans inside LINE (``LC1.`` + 43 characters, only the
    SHA-256 digest stored, as for rights QR codes). Bound to the unit, the staff member, the person
    expected to confirm and the moment (``expires_at``). ``identity``: confirming opens the visit (method
    LINE); ``service``: the citizen confirms having received the service, kept on the visit."""

    digest = models.BinaryField(max_length=32, unique=True, editable=False)
    purpose = models.CharField("ใช้เพื่อ", max_length=10, choices=ConfirmationPurpose.choices)
    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="+", verbose_name="หน่วยบริการ")
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name="เจ้าหน้าที่")
    actor_label = models.CharField(max_length=150, blank=True)
    citizen = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="+", verbose_name="ประชาชน")
    service = models.ForeignKey("units.Service", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    booking = models.ForeignKey(Booking, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    issued_at = models.DateTimeField("ออกเมื่อ")
    expires_at = models.DateTimeField("หมดอายุ")
    scanned_at = models.DateTimeField("สแกนเมื่อ", null=True, blank=True)
    confirmed_at = models.DateTimeField("ยืนยันเมื่อ", null=True, blank=True)
    declined_at = models.DateTimeField("ปฏิเสธเมื่อ", null=True, blank=True)
    voided_at = models.DateTimeField("ยกเลิกเมื่อ", null=True, blank=True, help_text="มีการแสดง QR ใหม่แทน")

    class Meta:
        verbose_name = "QR ยืนยันผ่าน LINE"
        verbose_name_plural = "QR ยืนยันผ่าน LINE"
        constraints = [
            models.CheckConstraint(condition=Q(expires_at__gt=F("issued_at")), name="line_confirm_expires_after_issue"),
            models.CheckConstraint(condition=Q(purpose__in=ConfirmationPurpose.values), name="line_confirm_purpose"),
            models.CheckConstraint(condition=Q(purpose="identity") | Q(visit__isnull=False),
                                   name="line_confirm_service_has_visit"),
            models.CheckConstraint(condition=Q(confirmed_at__isnull=True) | Q(declined_at__isnull=True),
                                   name="line_confirm_confirmed_or_declined"),
        ]

    def __str__(self) -> str:
        return f"LINE {self.purpose} confirmation {self.pk}"
