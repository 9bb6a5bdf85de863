from django.conf import settings
from django.db import models


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
