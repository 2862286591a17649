"""Claims: what a unit asks to be paid for one visit (one authen code), how Raksa decided, and payment.

A ``Claim`` row is one *version*: a correction of a rejected claim is a new row (``version`` + 1,
``supersedes`` the old one) and the old row keeps its decision forever; only the newest version of an
authen code is ``current``. The database holds the invariants:

* one current claim per authen code (``claim_one_current_per_authen_code``) and one row per version;
* amounts are never negative; a claim on a statement is accepted or paid; a paid claim is on a statement
  (so a rejected claim is never paid).

The service record (what was done: symptom group, tooth, session, tests, ICD-10, items) is the claim's
content: ``details`` (per unit type, validated by raksa/claims/records.py) and ``items`` (codes, quantities
and the amounts priced from the schedule in force on the service day).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

CURRENT_CLAIM_CONSTRAINT = "claim_one_current_per_authen_code"
VERSION_CONSTRAINT = "claim_one_row_per_version"
IDEMPOTENCY_CONSTRAINT = "claim_submission_one_per_key"


class ClaimStatus(models.TextChoices):
    SUBMITTED = "submitted", "ส่งแล้ว รอตรวจ (Submitted)"
    ACCEPTED = "accepted", "ผ่าน (Accepted)"
    REJECTED = "rejected", "ไม่ผ่าน (Rejected)"
    IN_REVIEW = "in_review", "รอเจ้าหน้าที่ตรวจสอบ (In review)"
    PAID = "paid", "จ่ายแล้ว (Paid)"


class ClaimSource(models.TextChoices):
    PORTAL = "portal", "พอร์ทัลหน่วยบริการ (Portal)"
    API = "api", "ระบบของหน่วยบริการ (API)"
    BATCH = "batch", "นำเข้าเป็นชุด (Batch)"


class ReasonClass(models.TextChoices):
    """The national systems' three classes of claim reasons."""

    CORRECT = "C", "แก้ไขแล้วส่งใหม่ (C: correct and resend)"
    VERIFY = "V", "ส่งตรวจสอบ (V: sent to review)"
    DENY = "Deny", "ปฏิเสธการจ่าย (Deny)"


class Item(models.Model):
    """Something a claim may list besides its service: a medicine dispensed, an extra lab test, a supply.
    Officers edit the list; ``unit_types`` says which kinds of unit may claim it."""

    code = models.CharField("รหัสรายการ", max_length=24, unique=True)
    name_th = models.CharField("ชื่อรายการ", max_length=200)
    name_en = models.CharField("ชื่อภาษาอังกฤษ", max_length=200)
    unit_types = models.JSONField("ประเภทหน่วยที่เบิกได้", default=list,
                                  help_text="ประเภทหน่วยบริการที่เบิกรายการนี้ได้ (อย่างน้อยหนึ่งประเภท)")
    unit_label = models.CharField("หน่วยนับ", max_length=32, default="ชิ้น")
    max_quantity = models.PositiveIntegerField("จำนวนสูงสุดต่อครั้ง", default=30)
    active = models.BooleanField("ใช้งาน", default=True)
    illustrative = models.BooleanField("ข้อมูลตัวอย่าง (ไม่ใช่ข้อมูลจริง)", default=False)

    class Meta:
        verbose_name = "รายการเบิก"
        verbose_name_plural = "รายการเบิก (ยา เวชภัณฑ์ การตรวจเพิ่ม)"
        ordering = ["code"]
        constraints = [models.CheckConstraint(condition=Q(max_quantity__gte=1), name="item_max_quantity_positive")]

    def __str__(self) -> str:
        return f"{self.code} {self.name_th}"


class ItemPrice(models.Model):
    """Baht per unit of an item from ``effective_from``; the open row (no ``effective_to``) is current."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="prices", verbose_name="รายการ")
    baht_per_unit = models.DecimalField("ราคาต่อหน่วย (บาท)", max_digits=10, decimal_places=2)
    effective_from = models.DateField("มีผลตั้งแต่")
    effective_to = models.DateField("ถึง", null=True, blank=True)
    illustrative = models.BooleanField("ราคาตัวอย่าง (ไม่ใช่ราคาจริง)", default=False)

    class Meta:
        verbose_name = "ราคารายการเบิก"
        verbose_name_plural = "ราคารายการเบิก"
        ordering = ["item", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["item"], condition=Q(effective_to__isnull=True),
                                    name="item_one_open_price"),
            models.CheckConstraint(condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")),
                                   name="item_price_range_ordered"),
            models.CheckConstraint(condition=Q(baht_per_unit__gte=0), name="item_price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.item.code} {self.baht_per_unit} บาท"


class PaymentStatementStatus(models.TextChoices):
    ISSUED = "issued", "ออกใบแจ้งแล้ว รอจ่าย (Issued)"
    PAID = "paid", "จ่ายแล้ว (Paid)"


class PaymentStatement(models.Model):
    """Accepted claims of one unit over a period, paid together. ``total`` is the sum of its claims'
    amounts (written by the service that builds it, checked by the tests)."""

    reference = models.CharField("เลขที่ใบแจ้ง", max_length=24, unique=True)
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="statements",
                             verbose_name="หน่วยบริการ")
    period_from = models.DateField("ตั้งแต่วันที่")
    period_to = models.DateField("ถึงวันที่")
    claim_count = models.PositiveIntegerField("จำนวนเคลม")
    total = models.DecimalField("ยอดรวม (บาท)", max_digits=14, decimal_places=2)
    status = models.CharField("สถานะ", max_length=8, choices=PaymentStatementStatus.choices,
                              default=PaymentStatementStatus.ISSUED)
    issued_at = models.DateTimeField("ออกเมื่อ")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name="ออกโดย")
    paid_at = models.DateTimeField("จ่ายเมื่อ", null=True, blank=True)
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name="บันทึกจ่ายโดย")

    class Meta:
        verbose_name = "ใบแจ้งการจ่ายเงิน"
        verbose_name_plural = "ใบแจ้งการจ่ายเงิน"
        ordering = ["-issued_at"]
        constraints = [
            models.CheckConstraint(condition=Q(period_to__gte=F("period_from")), name="statement_period_ordered"),
            models.CheckConstraint(condition=Q(total__gte=0), name="statement_total_not_negative"),
            models.CheckConstraint(condition=Q(status__in=PaymentStatementStatus.values),
                                   name="statement_status_valid"),
            models.CheckConstraint(condition=Q(status="paid", paid_at__isnull=False) | Q(status="issued",
                                                                                         paid_at__isnull=True),
                                   name="statement_paid_at_iff_paid"),
        ]

    def __str__(self) -> str:
        return self.reference


class Claim(models.Model):
    authen_code = models.CharField("รหัสยืนยันการเข้ารับบริการ", max_length=12, blank=True,
                                   help_text="ว่าง: ไม่มีรหัส (เคลมจากการนำเข้าเป็นชุด) ซึ่งจะถูกปฏิเสธ")
    version = models.PositiveSmallIntegerField("ฉบับที่", default=1)
    supersedes = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="superseded_by", verbose_name="แก้ไขจากฉบับ")
    current = models.BooleanField("ฉบับล่าสุด", default=True)
    visit = models.ForeignKey("verification.Visit", on_delete=models.PROTECT, null=True, blank=True,
                              related_name="claims", verbose_name="การเข้ารับบริการ")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="claims", verbose_name="หน่วยบริการ")
    citizen = models.ForeignKey("people.Citizen", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="claims", verbose_name="ประชาชน")
    service = models.ForeignKey("units.Service", on_delete=models.PROTECT, related_name="+", verbose_name="บริการ")
    service_date = models.DateField("วันที่รับบริการ")
    details = models.JSONField("บันทึกการให้บริการ", default=dict, blank=True)
    icd10 = models.JSONField("รหัสโรค ICD-10", default=list, blank=True)
    items = models.JSONField("รายการ", default=list, blank=True,
                             help_text='[{"code", "quantity", "unit_price", "amount"}]')
    service_amount = models.DecimalField("ค่าบริการ (บาท)", max_digits=10, decimal_places=2)
    amount = models.DecimalField("ยอดเบิก (บาท)", max_digits=12, decimal_places=2)
    status = models.CharField("สถานะ", max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.SUBMITTED)
    reasons = models.JSONField("เหตุผล", default=list, blank=True,
                               help_text='[{"code", "class", "version", "detail"}]')
    rules_version = models.CharField("ชุดกฎ", max_length=40, blank=True)
    source = models.CharField("ช่องทาง", max_length=8, choices=ClaimSource.choices, default=ClaimSource.PORTAL)
    submitted_at = models.DateTimeField("ส่งเมื่อ")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name="ผู้บันทึก")
    submitted_label = models.CharField("ผู้บันทึก (ป้าย)", max_length=150, blank=True)
    service_confirmed_at = models.DateTimeField("ประชาชนยืนยันรับบริการเมื่อ", null=True, blank=True)
    decided_at = models.DateTimeField("ตัดสินเมื่อ", null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name="เจ้าหน้าที่ผู้ตัดสิน")
    decision_note = models.CharField("หมายเหตุการตัดสิน", max_length=500, blank=True)
    statement = models.ForeignKey(PaymentStatement, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="claims", verbose_name="ใบแจ้งการจ่ายเงิน")
    paid_at = models.DateTimeField("จ่ายเมื่อ", null=True, blank=True)
    citizen_reported_at = models.DateTimeField("ประชาชนแจ้งว่าไม่ได้รับบริการเมื่อ", null=True, blank=True)
    citizen_report_note = models.CharField("ข้อความจากประชาชน", max_length=500, blank=True)

    class Meta:
        verbose_name = "เคลม"
        verbose_name_plural = "เคลม"
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["unit", "service_date"], name="claim_unit_day"),
            models.Index(fields=["citizen", "service_date"], name="claim_citizen_day"),
            models.Index(fields=["status", "submitted_at"], name="claim_status_time"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["authen_code"], condition=Q(current=True) & ~Q(authen_code=""),
                                    name=CURRENT_CLAIM_CONSTRAINT),
            models.UniqueConstraint(fields=["authen_code", "version"], condition=~Q(authen_code=""),
                                    name=VERSION_CONSTRAINT),
            models.CheckConstraint(condition=Q(status__in=ClaimStatus.values), name="claim_status_valid"),
            models.CheckConstraint(condition=Q(source__in=ClaimSource.values), name="claim_source_valid"),
            models.CheckConstraint(condition=Q(amount__gte=0) & Q(service_amount__gte=0),
                                   name="claim_amount_not_negative"),
            models.CheckConstraint(condition=Q(version__gte=1), name="claim_version_positive"),
            models.CheckConstraint(condition=Q(statement__isnull=True) | Q(status__in=["accepted", "paid"]),
                                   name="claim_on_statement_only_if_accepted"),
            models.CheckConstraint(condition=~Q(status="paid") | Q(statement__isnull=False, paid_at__isnull=False),
                                   name="claim_paid_only_on_statement"),
            models.CheckConstraint(condition=Q(current=True) | Q(status="rejected"),
                                   name="claim_only_rejected_superseded"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        """What people quote: the authen code and the version (``PP0123456789-2``)."""
        return f"{self.authen_code or f'#{self.pk}'}-{self.version}"


class ClaimSubmission(models.Model):
    """An ``Idempotency-Key`` a unit's software sent with a claim, and the first answer it got: a retry with
    the same key and body gets that answer again; the same key with another body is refused. The unique
    constraint makes racing retries wait for the first and then read its answer."""

    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="+", verbose_name="หน่วยบริการ")
    key = models.CharField("Idempotency-Key", max_length=100)
    body_digest = models.BinaryField(max_length=32)
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    status_code = models.PositiveSmallIntegerField("HTTP status")
    response = models.JSONField("คำตอบ", default=dict)
    created_at = models.DateTimeField("เมื่อ")

    class Meta:
        verbose_name = "การส่งเคลมผ่าน API"
        verbose_name_plural = "การส่งเคลมผ่าน API"
        constraints = [models.UniqueConstraint(fields=["unit", "key"], name=IDEMPOTENCY_CONSTRAINT)]

    def __str__(self) -> str:
        return f"{self.key} -> {self.status_code}"
