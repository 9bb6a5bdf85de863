"""What the field app sent: one row per entry that took effect, under the phone's own idempotency key."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EntryKind(models.TextChoices):
    MEMBER = "member", _("Pendaftaran peserta")
    COLLECTION = "collection", _("Setoran tunai")


class Outcome(models.TextChoices):
    REGISTERED = "registered", _("Terdaftar")
    COLLECTED = "collected", _("Setoran diterima")


class FieldEntry(models.Model):
    """An entry of the field app's queue that took effect (a member registered, cash posted).

    The row is written in the same transaction as the registration or the payment, so a row exists
    exactly when the entry took effect; sending the same key again answers with ``result`` and does
    nothing. Refused entries (needs correction, already a member) leave no row: the agent corrects
    them on the phone, which makes a new key.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="field_entries")
    key = models.CharField(max_length=64, help_text="made by the phone, unique per user")
    kind = models.CharField(max_length=12, choices=EntryKind.choices)
    digest = models.CharField(max_length=64, help_text="SHA-256 of the entry's content")
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    member = models.ForeignKey("members.Member", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="field_entries")
    result = models.JSONField(default=dict, help_text="the answer sent back, repeated for a resent key")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("entri aplikasi lapangan")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="field_entry_key_once_per_user")]

    def __str__(self):
        return f"{self.user_id}:{self.key} {self.outcome}"
