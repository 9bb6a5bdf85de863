"""Claims: JKK / JKM / JHT, their documents, review by officers (maker–checker), payment, scholarships."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Program(models.TextChoices):
    JKK = "JKK", _("JKK — kecelakaan kerja")
    JKM = "JKM", _("JKM — kematian")
    JHT = "JHT", _("JHT — jaminan hari tua")


class Case(models.TextChoices):
    DEATH = "death", _("Meninggal dunia")
    TOTAL_DISABILITY = "total_disability", _("Cacat total tetap")
    PARTIAL_DISABILITY = "partial_disability", _("Cacat sebagian")
    TEMPORARY_INCAPACITY = "temporary_incapacity", _("Tidak mampu bekerja sementara (STMB)")
    AGE = "age", _("Usia 56 tahun")
    LEAVE_INDONESIA = "leave_indonesia", _("Meninggalkan Indonesia")
    STOP_WORK = "stop_work", _("Berhenti bekerja")
    # a label, never %-formatted: "30% u…" only looks like a "% u" placeholder to xgettext
    # xgettext:no-python-format
    PARTIAL_HOUSING = "partial_housing", _("Sebagian 30% untuk perumahan")
    PARTIAL_OTHER = "partial_other", _("Sebagian 10%")


PROGRAM_CASES = {
    "JKK": ["death", "total_disability", "partial_disability", "temporary_incapacity"],
    "JKM": ["death"],
    "JHT": ["age", "death", "total_disability", "leave_indonesia", "stop_work", "partial_housing", "partial_other"],
}


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Diajukan, menunggu pemeriksaan")
    REVIEWED = "reviewed", _("Diperiksa, menunggu persetujuan kedua")
    APPROVED = "approved", _("Disetujui, pembayaran diproses")
    PAID = "paid", _("Dibayar")
    REJECTED = "rejected", _("Ditolak")


OPEN_STATUSES = (Status.SUBMITTED, Status.REVIEWED, Status.APPROVED)


class FiledBy(models.TextChoices):
    MEMBER = "member", _("Peserta sendiri")
    FAMILY = "family", _("Keluarga / ahli waris")
    OFFICER = "officer", _("Petugas cabang")


class Claim(models.Model):
    number = models.CharField(max_length=20, unique=True)
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="claims")
    branch = models.ForeignKey("regions.BranchOffice", on_delete=models.PROTECT, related_name="claims")
    program = models.CharField(max_length=3, choices=Program.choices)
    case = models.CharField(max_length=24, choices=Case.choices)
    event_date = models.DateField(help_text="accident, death or other event; for stop_work the last working day")
    cause = models.TextField()
    filed_by = models.CharField(max_length=8, choices=FiledBy.choices)
    filed_by_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")
    claimant_name = models.CharField(max_length=120)
    claimant_relation = models.CharField(max_length=40, blank=True)
    claimant_phone = models.CharField(max_length=20, blank=True)
    bank_name = models.CharField(max_length=60)
    bank_account = models.CharField(max_length=30)
    account_holder = models.CharField(max_length=120)
    # inputs of the benefit computation
    wage = models.BigIntegerField(help_text="declared monthly income on the event date")
    percent_bp = models.PositiveIntegerField(null=True, blank=True, help_text="partial disability, basis points")
    months = models.PositiveIntegerField(null=True, blank=True, help_text="months of temporary incapacity")
    children = models.PositiveSmallIntegerField(default=0)
    # the decision basis, frozen at filing and recomputed at review
    coverage = models.JSONField(default=dict, blank=True)
    components = models.JSONField(default=dict, blank=True)
    extras = models.JSONField(default=dict, blank=True)
    amount = models.BigIntegerField(default=0, help_text="sum of components, whole Rupiah")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUBMITTED, db_index=True)
    status_reason = models.TextField(blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True, db_index=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    payment_reference = models.CharField(max_length=32, blank=True, help_text="payment instruction number")
    paid_reference = models.CharField(max_length=64, blank=True, help_text="bank transfer reference")
    paid_at = models.DateTimeField(null=True, blank=True)
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["submitted_at", "id"]
        indexes = [models.Index(fields=["branch", "status", "submitted_at"]),
                   models.Index(fields=["status", "program"])]
        verbose_name = _("klaim")

    def __str__(self):
        return f"{self.number} {self.program} {self.case} {self.status}"


class ClaimDocument(models.Model):
    class Kind(models.TextChoices):
        ID_CARD = "ktp", _("KTP / kartu keluarga")
        DEATH_CERT = "death_certificate", _("Akta / surat kematian")
        MEDICAL = "medical", _("Surat dokter / rumah sakit")
        ACCIDENT = "accident_report", _("Laporan kecelakaan")
        BANK = "bank_book", _("Buku tabungan")
        OTHER = "other", _("Lainnya")

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    file = models.FileField(upload_to="claims/%Y/%m/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]


class Scholarship(models.Model):
    """One child's yearly scholarship entitlement under a death or total-disability claim; claimed yearly."""

    class State(models.TextChoices):
        SCHEDULED = "scheduled", _("Terjadwal")
        PAID = "paid", _("Dibayar")
        CANCELLED = "cancelled", _("Dihentikan")

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="scholarships")
    child_number = models.PositiveSmallIntegerField()
    child_name = models.CharField(max_length=120)
    child_birth_date = models.DateField(null=True, blank=True)
    year = models.PositiveSmallIntegerField()
    level = models.CharField(max_length=4)
    amount = models.BigIntegerField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.SCHEDULED)
    paid_at = models.DateTimeField(null=True, blank=True)
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["claim", "child_number", "year"]
        constraints = [models.UniqueConstraint(fields=["claim", "child_number", "year"],
                                               name="scholarship_once_per_child_year")]
