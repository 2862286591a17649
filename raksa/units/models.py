from django.conf import settings
from django.db import models
from django.db.models import Q

from raksa.core.thaidate import format_date


def _period(start, end) -> str:
    """``1 ต.ค. 2567 – 30 ก.ย. 2568`` or ``ตั้งแต่ 1 ต.ค. 2567`` (open-ended): Thai, Buddhist years."""
    if end is None:
        return f"ตั้งแต่ {format_date(start, short=True)}"
    return f"{format_date(start, short=True)} – {format_date(end, short=True)}"


class UnitType(models.TextChoices):
    PHARMACY = "pharmacy", "ร้านยา (Pharmacy)"
    NURSING_CLINIC = "nursing", "คลินิกการพยาบาลและการผดุงครรภ์ (Nursing clinic)"
    PHYSIOTHERAPY = "physio", "คลินิกกายภาพบำบัด (Physiotherapy)"
    MEDICAL_LAB = "lab", "คลินิกเทคนิคการแพทย์ (Medical lab)"
    DENTAL = "dental", "คลินิกทันตกรรม (Dental)"
    THAI_TRADITIONAL = "thaimed", "คลินิกการแพทย์แผนไทย (Thai traditional medicine)"
    WARM_CLINIC = "warm", "คลินิกชุมชนอบอุ่น (Warm clinic)"


class UnitStatus(models.TextChoices):
    PENDING = "pending", "รอตรวจสอบ (Pending)"
    VERIFIED = "verified", "ยืนยันแล้ว (Verified)"
    SUSPENDED = "suspended", "ระงับ (Suspended)"


class StaffRole(models.TextChoices):
    UNIT_ADMIN = "unit_admin", "ผู้ดูแลหน่วย (Unit admin)"
    CLINICIAN = "clinician", "เภสัชกร/ผู้ให้บริการ (Pharmacist/clinician)"
    CLERK = "clerk", "เจ้าหน้าที่ (Clerk)"


class Province(models.Model):
    code = models.CharField(max_length=2, primary_key=True)
    name_th = models.CharField(max_length=64)
    name_en = models.CharField(max_length=64)

    class Meta:
        ordering = ["code"]
        verbose_name = "จังหวัด"
        verbose_name_plural = "จังหวัด"

    def __str__(self) -> str:
        return self.name_th


class Unit(models.Model):
    hcode = models.CharField("รหัสหน่วย (hcode)", max_length=5, unique=True)
    name = models.CharField("ชื่อหน่วย", max_length=200)
    unit_type = models.CharField("ประเภท", max_length=16, choices=UnitType.choices)
    address = models.CharField("ที่อยู่", max_length=300, blank=True)
    district = models.CharField("อำเภอ/เขต", max_length=100, blank=True)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, verbose_name="จังหวัด")
    latitude = models.DecimalField("ละติจูด", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("ลองจิจูด", max_digits=9, decimal_places=6, null=True, blank=True)
    # {"mon": [["08:00", "20:00"]], ..., "sun": []}: weekday -> list of open intervals, local time.
    opening_hours = models.JSONField("เวลาทำการ", default=dict, blank=True)
    phone = models.CharField("โทรศัพท์", max_length=20, blank=True)
    status = models.CharField("สถานะการลงทะเบียน (OSS)", max_length=16, choices=UnitStatus.choices,
                              default=UnitStatus.PENDING)
    status_reason = models.CharField("เหตุผล", max_length=300, blank=True)
    status_changed_at = models.DateTimeField("เปลี่ยนสถานะเมื่อ", null=True, blank=True)
    created_at = models.DateTimeField("บันทึกในระบบเมื่อ", auto_now_add=True)

    class Meta:
        verbose_name = "หน่วยบริการ"
        verbose_name_plural = "หน่วยบริการ"
        ordering = ["hcode"]
        constraints = [
            models.CheckConstraint(condition=Q(hcode__regex=r"^[0-9]{5}$"), name="unit_hcode_5_digits"),
            models.CheckConstraint(condition=Q(status__in=UnitStatus.values), name="unit_status_valid"),
            models.CheckConstraint(condition=Q(unit_type__in=UnitType.values), name="unit_type_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.hcode} {self.name}"

    @property
    def is_verified(self) -> bool:
        return self.status == UnitStatus.VERIFIED


class Service(models.Model):
    """A claimable service in the catalogue; ``unit_type`` says which kind of unit may give it."""

    code = models.CharField("รหัสบริการ", max_length=16, unique=True)
    name_th = models.CharField("ชื่อบริการ", max_length=200)
    name_en = models.CharField("ชื่อภาษาอังกฤษ", max_length=200)
    unit_type = models.CharField("ประเภทหน่วยที่ให้บริการได้", max_length=16, choices=UnitType.choices)
    active = models.BooleanField("ใช้งาน", default=True)
    illustrative = models.BooleanField("ข้อมูลตัวอย่าง (ไม่ใช่ข้อมูลจริง)", default=False)

    class Meta:
        verbose_name = "บริการ"
        verbose_name_plural = "รายการบริการ"
        ordering = ["unit_type", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name_th}"


class FeeRate(models.Model):
    """Baht paid per service from ``effective_from``; the open row (no ``effective_to``) is current."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="fee_rates",
                                verbose_name="บริการ")
    amount_baht = models.DecimalField("อัตรา (บาท)", max_digits=10, decimal_places=2)
    effective_from = models.DateField("มีผลตั้งแต่")
    effective_to = models.DateField("ถึง", null=True, blank=True)
    illustrative = models.BooleanField("อัตราตัวอย่าง (ไม่ใช่อัตราจริง)", default=False)
    note = models.CharField("หมายเหตุ", max_length=300, blank=True)

    class Meta:
        verbose_name = "อัตราค่าบริการ"
        verbose_name_plural = "อัตราค่าบริการ"
        ordering = ["service", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["service"], condition=Q(effective_to__isnull=True),
                                    name="fee_one_open_rate_per_service"),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=models.F("effective_from")),
                name="fee_range_ordered"),
            models.CheckConstraint(condition=Q(amount_baht__gte=0), name="fee_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.service.code} {self.amount_baht} บาท ({_period(self.effective_from, self.effective_to)})"


class UnitService(models.Model):
    """A unit's contract to give (and claim) a service, from ``valid_from`` to ``valid_to``."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="contracts", verbose_name="หน่วยบริการ")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="unit_contracts",
                                verbose_name="บริการ")
    valid_from = models.DateField("มีผลตั้งแต่")
    valid_to = models.DateField("สิ้นสุด", null=True, blank=True)

    class Meta:
        verbose_name = "บริการตามสัญญา"
        verbose_name_plural = "บริการตามสัญญา"
        constraints = [
            models.UniqueConstraint(fields=["unit", "service"], condition=Q(valid_to__isnull=True),
                                    name="unit_service_one_open_contract"),
            models.CheckConstraint(condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                                   name="unit_service_range_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.service} ({_period(self.valid_from, self.valid_to)})"


class StaffMembership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships",
                             verbose_name="ผู้ใช้")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="staff", verbose_name="หน่วยบริการ")
    role = models.CharField("บทบาท", max_length=16, choices=StaffRole.choices)
    active = models.BooleanField("ใช้งาน", default=True)

    class Meta:
        verbose_name = "เจ้าหน้าที่หน่วย"
        verbose_name_plural = "เจ้าหน้าที่หน่วย"
        constraints = [
            models.UniqueConstraint(fields=["user", "unit"], name="staff_one_membership_per_unit"),
            models.CheckConstraint(condition=Q(role__in=StaffRole.values), name="staff_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.unit.hcode} ({self.role})"


class UnitApiKey(models.Model):
    """A credential for a unit's own software (pharmacy/clinic system) to call the REST API.

    Only a SHA-256 digest of the key is stored (the key is 32 random bytes: no dictionary to try);
    the prefix lets staff tell keys apart. Issued and revoked only by raksa.units.services.
    """

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="api_keys", verbose_name="หน่วยบริการ")
    label = models.CharField(max_length=100, verbose_name="ชื่อกุญแจ")
    prefix = models.CharField(max_length=12, verbose_name="ขึ้นต้นด้วย")
    digest = models.BinaryField(max_length=32, unique=True, verbose_name="ค่าแฮช")
    created_at = models.DateTimeField(auto_now_add=True, verbose_name="ออกเมื่อ")
    revoked_at = models.DateTimeField(null=True, blank=True, verbose_name="เพิกถอนเมื่อ")

    class Meta:
        verbose_name = "กุญแจ API ของหน่วย"
        verbose_name_plural = "กุญแจ API ของหน่วย"
        constraints = [
            models.CheckConstraint(condition=~Q(label=""), name="api_key_label_not_blank"),
        ]

    def __str__(self) -> str:
        # The name its administrator gave; the random prefix is shown in its own column (a random prefix
        # in the back office's titles read as stray English words to officers, and to the Thai-page test).
        return self.label
