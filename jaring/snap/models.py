"""SNAP biller interface records: B2B access tokens and every transaction request by its X-EXTERNAL-ID."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessToken(models.Model):
    """A B2B access token (only its SHA-256 is kept); valid for 900 seconds."""

    token_hash = models.CharField(max_length=64, primary_key=True)
    channel = models.ForeignKey("contributions.Channel", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("token akses SNAP")


class SnapRequest(models.Model):
    """One SNAP transaction request, unique per (channel, day, X-EXTERNAL-ID): the same id again with the same
    body gets the stored answer, with another body 409. An inquiry row also keeps what it showed (member,
    first month, months, Rupiah) so the payment that follows is checked against exactly that."""

    class Service(models.TextChoices):
        INQUIRY = "24", _("Inquiry")
        PAYMENT = "25", _("Pembayaran")
        STATUS = "26", _("Status")

    channel = models.ForeignKey("contributions.Channel", on_delete=models.CASCADE, related_name="+",
                                db_index=False)
    day = models.DateField(help_text="local date (Asia/Jakarta) the X-EXTERNAL-ID is unique in")
    external_id = models.CharField(max_length=64)
    service = models.CharField(max_length=2, choices=Service.choices)
    body_hash = models.CharField(max_length=64)
    request_id = models.CharField(max_length=128, blank=True, help_text="inquiryRequestId or paymentRequestId")
    member = models.ForeignKey("members.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                               db_index=False, db_constraint=False)
    first_month = models.DateField(null=True, blank=True)
    months = models.PositiveSmallIntegerField(default=0)
    amount = models.BigIntegerField(default=0)
    http_status = models.PositiveSmallIntegerField()
    response = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["channel", "day", "external_id"],
                                               name="snap_external_id_once_per_day")]
        indexes = [models.Index(fields=["channel", "request_id"], name="snap_request_id")]
        verbose_name = _("permintaan SNAP")
