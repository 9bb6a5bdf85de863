from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """Who did what to which record, and when. Append-only: history lives here, not in live tables."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    changes = models.JSONField(default=dict, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["object_type", "object_id", "created_at"])]
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"


class JobRun(models.Model):
    """A scheduled job done for one period key (e.g. billing for 2026-05): makes the schedule idempotent."""

    job = models.CharField(max_length=64)
    period = models.CharField(max_length=32)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "period"], name="jobrun_once_per_period")]


class HolidayYear(models.Model):
    """A year whose official calendar (SKB 3 Menteri: libur nasional and cuti bersama) is loaded. Due dates
    in a year without a row only skip weekends, warn admins, and the billing run refuses its months."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    decree = models.CharField(max_length=200, help_text="the SKB 3 Menteri numbers")
    source = models.URLField(max_length=300, help_text="where the SKB was published")
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("kalender libur")
        verbose_name_plural = _("kalender libur")

    def __str__(self):
        return f"{self.year}: {self.decree}"


class Holiday(models.Model):
    class Kind(models.TextChoices):
        LIBUR_NASIONAL = "libur_nasional", _("Libur nasional")
        CUTI_BERSAMA = "cuti_bersama", _("Cuti bersama")

    calendar = models.ForeignKey(HolidayYear, on_delete=models.CASCADE, related_name="holidays")
    date = models.DateField()
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=16, choices=Kind.choices)

    class Meta:
        ordering = ["date"]
        verbose_name = _("hari libur")
        verbose_name_plural = _("hari libur")
        constraints = [models.UniqueConstraint(fields=["date", "kind"], name="holiday_once_per_date_kind")]

    def __str__(self):
        return f"{self.date} {self.name}"
