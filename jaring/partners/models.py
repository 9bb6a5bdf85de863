"""Partner bundles (SPEC 2.10, e.g. ComboFit): a partner (a health app, a mobile operator) sells a bundle of
N months of contribution plus its own product. The contribution part is an ordinary payment for the member
(contributions app); the partner gets a signed entitlement (code + QR) that it verifies with its own API key."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PartnerKind(models.TextChoices):
    HEALTH_APP = "health_app", _("Aplikasi kesehatan")
    MOBILE_OPERATOR = "mobile_operator", _("Operator seluler")
    OTHER = "other", _("Lainnya")


class Partner(models.Model):
    """``api_key_hash``: SHA-256 of the partner's API key (shown once). ``signing_secret`` signs its
    entitlements (HMAC-SHA256); the partner may hold it to check a signature offline."""

    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=16, choices=PartnerKind.choices)
    api_key_hash = models.CharField(max_length=64, unique=True)
    api_key_prefix = models.CharField(max_length=12)
    signing_secret = models.CharField(max_length=100)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("mitra")

    def __str__(self):
        return f"{self.code} {self.name}"


class Bundle(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="bundles")
    product_code = models.CharField(max_length=30)
    name = models.CharField(max_length=120)
    months = models.PositiveSmallIntegerField(help_text="months of contribution in the bundle (1-12)")
    benefit = models.CharField(max_length=200, help_text="the partner's part, e.g. premium 3 bulan + kuota 10 GB")
    partner_price = models.PositiveIntegerField(default=0, help_text="the partner's own price, Rupiah (not contribution)")
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["partner", "product_code"]
        verbose_name = _("paket mitra")
        constraints = [models.UniqueConstraint(fields=["partner", "product_code"], name="bundle_code_per_partner")]

    def __str__(self):
        return f"{self.partner_id}/{self.product_code}"


class EntitlementStatus(models.TextChoices):
    ACTIVE = "active", _("Berlaku")
    REVOKED = "revoked", _("Dicabut")


class Entitlement(models.Model):
    """What the member is owed by the partner for a paid bundle: one per contribution payment."""

    code = models.CharField(max_length=24, unique=True)
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="entitlements")
    bundle = models.ForeignKey(Bundle, on_delete=models.PROTECT, related_name="entitlements")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="entitlements")
    payment = models.OneToOneField("contributions.Payment", on_delete=models.PROTECT, related_name="entitlement")
    contribution = models.PositiveBigIntegerField(help_text="the contribution part, Rupiah")
    months = models.PositiveSmallIntegerField()
    valid_from = models.DateField()
    valid_until = models.DateField()
    issued_at = models.DateTimeField()
    signature = models.CharField(max_length=64)
    status = models.CharField(max_length=8, choices=EntitlementStatus.choices, default=EntitlementStatus.ACTIVE)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("hak manfaat mitra")
        indexes = [models.Index(fields=["partner", "issued_at"])]
