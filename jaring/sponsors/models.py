from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SponsorKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Perorangan")
    COMPANY = "company", _("Perusahaan (CSR)")
    REGIONAL = "regional", _("Pemerintah daerah (APBD)")
    VILLAGE = "village", _("Pemerintah desa (APBDes)")


# Where the contributions of a sponsor's workers come from (Member.funding): only regional
# government budgets count as APBD, which PP 50/2025 excludes from the discount (SPEC 2.2).
FUNDING_FOR_KIND = {
    SponsorKind.INDIVIDUAL: "sponsor",
    SponsorKind.COMPANY: "sponsor",
    SponsorKind.REGIONAL: "apbd",
    SponsorKind.VILLAGE: "sponsor",
}


class Sponsor(models.Model):
    """Someone who pays for a named group of workers (Sertakan, SPEC 2.5)."""

    kind = models.CharField(max_length=12, choices=SponsorKind.choices)
    name = models.CharField(max_length=160)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="sponsor", help_text="portal account (role sponsor)")
    branch = models.ForeignKey("regions.BranchOffice", on_delete=models.PROTECT, related_name="sponsors")
    region = models.ForeignKey("regions.Region", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", help_text="the regency or village of a government sponsor")
    contact_name = models.CharField(max_length=120, blank=True)
    phone = models.CharField(max_length=20, blank=True)
    email = models.EmailField(blank=True)
    npwp = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["name"]
        verbose_name = _("sponsor")

    def __str__(self):
        return self.name

    @property
    def funding(self) -> str:
        return FUNDING_FOR_KIND[self.kind]


class RegionalProgram(models.Model):
    """A government-budgeted programme (Inpres 2/2021): budget, quota, target group and period."""

    sponsor = models.ForeignKey(Sponsor, on_delete=models.PROTECT, related_name="programs")
    name = models.CharField(max_length=160)
    budget = models.BigIntegerField(help_text="whole Rupiah for the period")
    quota = models.PositiveIntegerField(help_text="workers")
    target_group = models.CharField(max_length=200, help_text="e.g. pekerja rentan: nelayan, petani")
    start_month = models.DateField()
    end_month = models.DateField()
    jht = models.BooleanField(default=False, help_text="JHT funded on top of JKK + JKM")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_month", "name"]

    def __str__(self):
        return self.name


class SponsorshipStatus(models.TextChoices):
    ACTIVE = "active", _("Berjalan")
    ENDED = "ended", _("Selesai")
    CANCELLED = "cancelled", _("Dibatalkan")


class Sponsorship(models.Model):
    """A sponsor pays for one worker's chosen programmes over a period of months."""

    sponsor = models.ForeignKey(Sponsor, on_delete=models.PROTECT, related_name="sponsorships")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="sponsorships")
    program = models.ForeignKey(RegionalProgram, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="sponsorships")
    jht = models.BooleanField(default=False)
    start_month = models.DateField()
    end_month = models.DateField()
    status = models.CharField(max_length=10, choices=SponsorshipStatus.choices, default=SponsorshipStatus.ACTIVE,
                              db_index=True)
    reminded_at = models.DateTimeField(null=True, blank=True, help_text="renewal reminder sent")
    ended_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_month", "id"]
        constraints = [models.UniqueConstraint(fields=["sponsor", "member", "start_month"],
                                               name="sponsorship_once_per_start")]
        indexes = [models.Index(fields=["status", "end_month"])]


class InvoiceStatus(models.TextChoices):
    ISSUED = "issued", _("Belum dibayar")
    PARTIAL = "partial", _("Dibayar sebagian")
    PAID = "paid", _("Lunas")
    CANCELLED = "cancelled", _("Dibatalkan")


class GroupInvoice(models.Model):
    """One bill for a group of sponsored workers, paid with one payment code."""

    number = models.CharField(max_length=20, unique=True)
    payment_code = models.CharField(max_length=16, unique=True)
    sponsor = models.ForeignKey(Sponsor, on_delete=models.PROTECT, related_name="invoices")
    program = models.ForeignKey(RegionalProgram, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="invoices")
    start_month = models.DateField()
    end_month = models.DateField()
    amount = models.BigIntegerField(default=0)
    paid_amount = models.BigIntegerField(default=0, help_text="credited to workers")
    unapplied = models.BigIntegerField(default=0, help_text="received but not enough for a whole worker")
    status = models.CharField(max_length=10, choices=InvoiceStatus.choices, default=InvoiceStatus.ISSUED,
                              db_index=True)
    issued_at = models.DateTimeField(auto_now_add=True)
    due_date = models.DateField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["-issued_at", "-id"]

    def __str__(self):
        return self.number

    @property
    def outstanding(self) -> int:
        return self.amount - self.paid_amount


class InvoiceLine(models.Model):
    """A worker's share of a group invoice: its months and their amounts after any discount."""

    invoice = models.ForeignKey(GroupInvoice, on_delete=models.CASCADE, related_name="lines")
    sponsorship = models.ForeignKey(Sponsorship, on_delete=models.PROTECT, related_name="lines")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField()
    months = models.PositiveSmallIntegerField()
    first_month = models.DateField()
    monthly = models.JSONField(default=list, help_text='[["YYYY-MM", rupiah], ...]')
    amount = models.BigIntegerField()
    paid = models.BooleanField(default=False)
    payment_reference = models.CharField(max_length=40, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    allocated_to = models.ForeignKey("InvoicePayment", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="allocated_lines", help_text="payment crediting this worker")
    note = models.CharField(max_length=300, blank=True, help_text="why crediting failed, to fix")

    class Meta:
        ordering = ["invoice", "position"]
        constraints = [models.UniqueConstraint(fields=["invoice", "member"], name="invoice_line_once_per_member")]


class InvoicePayment(models.Model):
    """Money received for a group invoice; whole workers are credited in invoice order."""

    invoice = models.ForeignKey(GroupInvoice, on_delete=models.PROTECT, related_name="payments")
    reference = models.CharField(max_length=60)
    amount = models.BigIntegerField()
    applied = models.BigIntegerField(default=0, help_text="credited to workers")
    workers_credited = models.PositiveIntegerField(default=0)
    workers_allocated = models.PositiveIntegerField(default=0)
    crediting = models.BooleanField(default=False, help_text="workers still being credited in the background")
    paid_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-paid_at"]
        constraints = [models.UniqueConstraint(fields=["invoice", "reference"], name="invoice_payment_once")]


class Notice(models.Model):
    """Outbox: renewal reminders to sponsors and invitations to workers whose sponsorship ended."""

    KINDS = [("renewal", _("Pengingat perpanjangan")), ("continue", _("Ajakan lanjut bayar sendiri"))]
    kind = models.CharField(max_length=10, choices=KINDS)
    sponsor = models.ForeignKey(Sponsor, null=True, blank=True, on_delete=models.CASCADE, related_name="notices")
    member = models.ForeignKey("members.Member", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="+")
    sponsorship = models.ForeignKey(Sponsorship, null=True, blank=True, on_delete=models.CASCADE,
                                    related_name="notices")
    key = models.CharField(max_length=60, unique=True, help_text="renewal:<sponsor>:<YYYY-MM> or continue:<sponsorship>")
    phone = models.CharField(max_length=20, blank=True)
    message = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
