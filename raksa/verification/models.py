"""Rights-confirmation QR codes (flow 2.1): the citizen shows one at the unit, the unit scans it.

The QR's payload is an opaque random token (``RQ1.`` + 43 URL-safe characters, 256 random bits): no
personal data. Only its SHA-256 digest is stored (like API keys: the token's entropy makes a plain hash
safe), so the table cannot be turned back into showable codes.
"""

from django.db import models
from django.db.models import F, Q

from raksa.booking.models import Booking
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
