from django.db import models
from django.db.models import F, Q

from raksa.core.thaidate import format_date
from raksa.units.models import Unit


class Sex(models.TextChoices):
    MALE = "M", "ชาย (Male)"
    FEMALE = "F", "หญิง (Female)"
    UNKNOWN = "U", "ไม่ระบุ (Not stated)"


class Scheme(models.TextChoices):
    """mainInscl: the citizen's main health-insurance right."""

    UCS = "UCS", "หลักประกันสุขภาพแห่งชาติ (บัตรทอง) — Universal Coverage"
    OFC = "OFC", "ข้าราชการ (Civil servant)"
    LGO = "LGO", "องค์กรปกครองส่วนท้องถิ่น (Local government)"
    SSS = "SSS", "ประกันสังคม (Social security)"
    SOE = "SOE", "รัฐวิสาหกิจ (State enterprise)"
    NRH = "NRH", "สิทธิคนต่างด้าว/อื่น ๆ (Other)"


# One citizen per LINE account (and, since the column holds one value, one LINE account per citizen).
LINE_USER_CONSTRAINT = "citizen_one_per_line_user"


class Citizen(models.Model):
    """A person in the registry. The national ID is never stored in clear (PDPA):

    * ``cid_hash``: HMAC-SHA256 of the ID (keyed), unique: exact lookup;
    * ``cid_encrypted``: AES-GCM ciphertext, decrypted only by ``citizen_reveal_national_id`` (audited);
    * ``cid_masked``: ``1-2345-xxxxx-xx-3`` for display, so lists never need the key.

    ``laser_hash``: HMAC of the laser code on the back of the ID card (raksa/people/laser_code.py), the proof
    asked when a LINE account is linked; NULL when the registry has none (such a citizen cannot link).
    ``line_user_id``: the LINE account linked to this citizen (citizen_line_link): one each way, by the
    unique constraint ``citizen_one_per_line_user``.
    """

    cid_hash = models.BinaryField(max_length=32, unique=True, editable=False)
    cid_encrypted = models.BinaryField(editable=False)
    cid_masked = models.CharField("เลขประจำตัวประชาชน", max_length=17, editable=False)
    title_th = models.CharField("คำนำหน้า", max_length=32, blank=True)
    first_name_th = models.CharField("ชื่อ", max_length=100)
    last_name_th = models.CharField("นามสกุล", max_length=100)
    birth_date = models.DateField("วันเกิด")
    sex = models.CharField("เพศ", max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    phone = models.CharField("โทรศัพท์", max_length=20, blank=True)
    laser_hash = models.BinaryField(max_length=32, null=True, editable=False)
    # NULL: not linked (NULLs are distinct under the unique constraint below; "" would not be).
    line_user_id = models.CharField(max_length=64, null=True, blank=True, editable=False)  # noqa: DJ001
    created_at = models.DateTimeField("บันทึกเมื่อ", auto_now_add=True)

    class Meta:
        verbose_name = "ประชาชน"
        verbose_name_plural = "ประชาชน"
        permissions = [("reveal_national_id", "ดูเลขประจำตัวประชาชนเต็ม (บันทึกทุกครั้ง)")]
        constraints = [
            models.CheckConstraint(condition=Q(sex__in=Sex.values), name="citizen_sex_valid"),
            models.CheckConstraint(condition=Q(cid_masked__regex=r"^[0-9]-[0-9]{4}-xxxxx-xx-[0-9]$"),
                                   name="citizen_cid_masked_shape"),
            models.UniqueConstraint(fields=["line_user_id"], name=LINE_USER_CONSTRAINT),
        ]

    def __str__(self) -> str:
        return f"{self.title_th}{self.first_name_th} {self.last_name_th} ({self.cid_masked})"

    @property
    def full_name(self) -> str:
        return f"{self.title_th}{self.first_name_th} {self.last_name_th}"


class Coverage(models.Model):
    """One period of a citizen's right. History is kept: a change closes the open row and adds one.

    At most one open row (``valid_to`` NULL) per citizen, enforced by a partial unique index.
    """

    citizen = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="coverages", verbose_name="ประชาชน")
    scheme = models.CharField("สิทธิหลัก", max_length=3, choices=Scheme.choices)
    subtype = models.CharField("ประเภทย่อย", max_length=16, blank=True)
    main_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name="หน่วยบริการหลัก")
    valid_from = models.DateField("เริ่ม")
    valid_to = models.DateField("สิ้นสุด", null=True, blank=True)
    created_at = models.DateTimeField("บันทึกเมื่อ", auto_now_add=True)

    class Meta:
        verbose_name = "สิทธิการรักษา"
        verbose_name_plural = "สิทธิการรักษา"
        ordering = ["citizen", "-valid_from"]
        indexes = [models.Index(fields=["citizen", "-valid_from"], name="coverage_citizen_from")]
        constraints = [
            models.UniqueConstraint(fields=["citizen"], condition=Q(valid_to__isnull=True),
                                    name="coverage_one_open_per_citizen"),
            models.CheckConstraint(condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                                   name="coverage_range_ordered"),
            models.CheckConstraint(condition=Q(scheme__in=Scheme.values), name="coverage_scheme_valid"),
        ]

    def __str__(self) -> str:
        start, end = format_date(self.valid_from, short=True), format_date(self.valid_to, short=True)
        return f"{self.scheme} {start} – {end}" if end else f"{self.scheme} ตั้งแต่ {start}"

    def covers(self, day) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class LinkAttemptKind(models.TextChoices):
    LINE_USER = "line_user", "บัญชีไลน์ (LINE account)"
    NATIONAL_ID = "national_id", "เลขประจำตัวประชาชน (National ID)"


class LinkAttempt(models.Model):
    """Failed attempts to link a LINE account, per LINE user and per national ID (``key``: the LINE user
    id, or the hex of the ID's HMAC: never the ID). Counted in the database, under row locks, so the limit
    holds across processes; see raksa/people/linking.py."""

    kind = models.CharField(max_length=12, choices=LinkAttemptKind.choices)
    key = models.CharField(max_length=64)
    failures = models.PositiveIntegerField(default=0)
    window_started_at = models.DateTimeField(null=True, blank=True, help_text="first failure counted")
    last_failure_at = models.DateTimeField(null=True, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "ความพยายามเชื่อมบัญชี LINE"
        verbose_name_plural = "ความพยายามเชื่อมบัญชี LINE"
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="link_attempt_one_per_key"),
            models.CheckConstraint(condition=Q(kind__in=LinkAttemptKind.values), name="link_attempt_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key[:12]}… {self.failures} failures"


class FaceTemplate(models.Model):
    """A citizen's reference face as the face engine's encoding (128 numbers), never a photo. Biometric data
    is sensitive under the PDPA: the encoding is AES-GCM encrypted like the national ID (raksa/core/pii.py,
    bound to the citizen by the associated data) and read only by raksa/people/faces.py."""

    citizen = models.OneToOneField(Citizen, on_delete=models.CASCADE, related_name="face_template",
                                   verbose_name="ประชาชน")
    encoding_encrypted = models.BinaryField(editable=False)
    source = models.CharField("ที่มา", max_length=40, help_text="civil_registry, demo_photo…")
    enrolled_at = models.DateTimeField("บันทึกเมื่อ")

    class Meta:
        verbose_name = "ใบหน้าอ้างอิง"
        verbose_name_plural = "ใบหน้าอ้างอิง"

    def __str__(self) -> str:
        return f"face template of citizen {self.citizen_id} ({self.source})"
