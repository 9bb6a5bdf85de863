"""Community collectives (*wadah*, SPEC 2.10): an association whose treasurer registers its members, collects
each member's own contribution and pays the group's money in one transfer. Each member keeps their own card,
bills and coverage (contributions app); this app only records who belongs to which collective, the group
payments (one bank credit each) and the treasurer's reminder lists."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CollectiveKind(models.TextChoices):
    OJEK = "ojek", _("Paguyuban ojek")
    FISHERS = "nelayan", _("Kelompok nelayan")
    TRADERS = "pedagang", _("Paguyuban pedagang pasar")
    COOPERATIVE = "koperasi", _("Koperasi")
    FARMERS = "petani", _("Kelompok tani")
    OTHER = "lainnya", _("Lainnya")


class Collective(models.Model):
    code = models.CharField(max_length=16, unique=True, help_text="WDH-000001")
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=10, choices=CollectiveKind.choices)
    branch = models.ForeignKey("regions.BranchOffice", on_delete=models.PROTECT, related_name="collectives")
    village = models.ForeignKey("regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                db_column="village_code")
    treasurer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="collectives")
    treasurer_name = models.CharField(max_length=120)
    treasurer_phone = models.CharField(max_length=20, blank=True, help_text="E.164")
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("wadah")

    def __str__(self):
        return f"{self.code} {self.name}"


class Membership(models.Model):
    """A member in a collective from ``joined_on`` until ``left_on``. A member belongs to at most one
    collective at a time (the treasurer pays with the member's own money, so there is one collector)."""

    collective = models.ForeignKey(Collective, on_delete=models.PROTECT, related_name="memberships")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="collective_memberships")
    joined_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)
    leave_reason = models.CharField(max_length=200, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["collective", "member__name"]
        verbose_name = _("anggota wadah")
        constraints = [models.UniqueConstraint(fields=["member"], condition=models.Q(left_on__isnull=True),
                                               name="one_current_collective_per_member")]
        indexes = [models.Index(fields=["collective", "left_on"])]


class PaymentMethod(models.TextChoices):
    TRANSFER = "transfer", _("Transfer bank")
    CASH = "cash", _("Tunai di kantor cabang")


class GroupPayment(models.Model):
    """One transfer (or one cash deposit) by a treasurer for many members: ONE bank credit of ``total``
    to reconcile; each line is posted as the member's own payment (channel COMMUNITY)."""

    collective = models.ForeignKey(Collective, on_delete=models.PROTECT, related_name="payments")
    reference = models.CharField(max_length=40, help_text="the treasurer's transfer reference, unique per collective")
    method = models.CharField(max_length=10, choices=PaymentMethod.choices)
    total = models.PositiveBigIntegerField()
    members = models.PositiveIntegerField()
    month = models.DateField(help_text="the month the round was for (first day)")
    paid_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    # the bank credit, once matched by the branch
    reconciled = models.BooleanField(default=False)
    bank_amount = models.BigIntegerField(null=True, blank=True)
    bank_date = models.DateField(null=True, blank=True)
    bank_reference = models.CharField(max_length=64, blank=True)
    reconciled_at = models.DateTimeField(null=True, blank=True)
    reconciled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")

    class Meta:
        ordering = ["-paid_at", "-id"]
        verbose_name = _("pembayaran kelompok")
        constraints = [models.UniqueConstraint(fields=["collective", "reference"], name="group_payment_once")]

    def __str__(self):
        return f"{self.collective_id}/{self.reference} {self.total}"

    @property
    def difference(self) -> int | None:
        return None if self.bank_amount is None else self.bank_amount - self.total


class GroupPaymentLine(models.Model):
    group_payment = models.ForeignKey(GroupPayment, on_delete=models.CASCADE, related_name="lines")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")
    months = models.PositiveSmallIntegerField()
    first_month = models.DateField()
    amount = models.PositiveBigIntegerField()
    payment = models.ForeignKey("contributions.Payment", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["group_payment", "id"]
        constraints = [models.UniqueConstraint(fields=["group_payment", "member"], name="group_line_once")]


class TreasurerNotice(models.Model):
    """One reminder per collective and month to the treasurer, listing the members who have not paid."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Antre")
        SENT = "sent", _("Terkirim")
        FAILED = "failed", _("Gagal")

    collective = models.ForeignKey(Collective, on_delete=models.CASCADE, related_name="notices")
    period = models.CharField(max_length=7)
    to = models.CharField(max_length=20)
    body = models.TextField()
    unpaid = models.PositiveIntegerField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["collective", "period"], name="treasurer_notice_once")]
