import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    WORKER = "worker", _("Peserta")
    AGENT = "agent", _("Agen Perisai")
    SPONSOR = "sponsor", _("Sponsor")
    TREASURER = "treasurer", _("Bendahara wadah")
    OFFICER = "officer", _("Petugas cabang")
    MANAGER = "manager", _("Manajer")
    ADMIN = "admin", _("Administrator")


class Profile(models.Model):
    """A user's role and the office that scopes what they see (none = national)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.WORKER)
    branch = models.ForeignKey("regions.BranchOffice", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="staff")
    regional_office = models.ForeignKey("regions.RegionalOffice", null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="staff")

    def __str__(self):
        return f"{self.user.username} ({self.role})"

    @property
    def office_code(self) -> str:
        return self.branch_id or self.regional_office_id or ""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(models.Model):
    """Bearer token for the API. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True, help_text=_("Tidak berlaku lagi sesudah waktu ini."))
    revoked = models.BooleanField(default=False)

    def __str__(self):
        return f"{self.prefix}… ({self.user.username})"


class RecoveryCode(models.Model):
    """A one-time code to set a (new) password: account recovery and first sign-in of a worker registered by
    an agent, officer or sponsor. Only a keyed hash of the code is stored; it expires, it is used once, and
    it dies after a few wrong tries (numbers in ``jaring.accounts.recovery``)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=64)
    sent_to = models.CharField(max_length=20, blank=True, help_text="the phone the code went to (E.164)")
    ip = models.CharField(max_length=45, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "created_at"])]

    def __str__(self):
        return f"{self.user_id} {self.created_at:%Y-%m-%d %H:%M}"
