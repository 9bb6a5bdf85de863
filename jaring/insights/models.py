"""Summary tables the dashboards read, so that no page or API call scans the member table.

Rows are rebuilt by ``jaring snapshots refresh`` (daily by the worker) with set-based SQL: a
village-level ``INSERT ... SELECT ... GROUP BY`` from members (and payments), then roll-ups to
district, regency, province, branch, regional office and the nation from the rows below them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

LEVELS = ["village", "district", "regency", "province", "branch", "regional", "national"]


class Level(models.TextChoices):
    VILLAGE = "village", _("Desa/kelurahan")
    DISTRICT = "district", _("Kecamatan")
    REGENCY = "regency", _("Kabupaten/kota")
    PROVINCE = "province", _("Provinsi")
    BRANCH = "branch", _("Kantor cabang")
    REGIONAL = "regional", _("Kantor wilayah")
    NATIONAL = "national", _("Nasional")


class AreaSnapshot(models.Model):
    """Members per area as of ``day``: one row per (day, level, code)."""

    day = models.DateField()
    level = models.CharField(max_length=10, choices=Level.choices)
    code = models.CharField(max_length=20, help_text="Kemendagri code, office code, or 'ID' for the nation")
    parent_code = models.CharField(max_length=20, blank=True, default="")
    branch_code = models.CharField(max_length=20, blank=True, default="",
                                   help_text="branch serving the area (village..regency, branch rows)")
    active = models.IntegerField(default=0)
    inactive = models.IntegerField(default=0)
    pending = models.IntegerField(default=0)
    new_this_month = models.IntegerField(default=0)
    contributions_this_month = models.BigIntegerField(default=0, help_text="Rupiah paid in the month of day")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "level", "code"], name="areasnapshot_once")]
        indexes = [models.Index(fields=["day", "level", "parent_code"]),
                   models.Index(fields=["day", "level", "branch_code"])]


class MonthlyStat(models.Model):
    """Registrations and contributions per area per calendar month (series, year-on-year growth)."""

    month = models.DateField(help_text="first day of the month")
    level = models.CharField(max_length=10, choices=Level.choices)
    code = models.CharField(max_length=20)
    parent_code = models.CharField(max_length=20, blank=True, default="")
    branch_code = models.CharField(max_length=20, blank=True, default="")
    registrations = models.IntegerField(default=0)
    contributions = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["month", "level", "code"], name="monthlystat_once")]
        indexes = [models.Index(fields=["level", "code", "month"]),
                   models.Index(fields=["level", "parent_code", "month"])]


class CohortStat(models.Model):
    """Retention: of the members whose first contribution month is ``cohort`` (per branch), how many
    paid the bill for month ``cohort + age``."""

    cohort = models.DateField()
    age = models.PositiveSmallIntegerField(help_text="months after the first contribution month")
    branch_code = models.CharField(max_length=20)
    members = models.IntegerField(default=0)
    paying = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cohort", "age", "branch_code"], name="cohortstat_once")]


class RefreshLog(models.Model):
    """When snapshots were last rebuilt, with the counts printed by the CLI."""

    day = models.DateField()
    finished_at = models.DateTimeField(auto_now_add=True)
    counts = models.JSONField(default=dict)

    class Meta:
        ordering = ["-finished_at"]


class SegmentFigure(models.Model):
    """Aggregate, non-BPU figures for a region imported from a CSV (wage earners, construction, companies…).

    BPU (informal) members are computed from Jaring's own members; these are the other segments that the
    regional summary puts beside them (SPEC 2.7, the Kalimantan picture)."""

    office = models.CharField(max_length=20, help_text="regional office code (KW-…) or 'ID'")
    year = models.PositiveSmallIntegerField()
    metric = models.CharField(max_length=40)
    value = models.DecimalField(max_digits=20, decimal_places=2)
    source = models.TextField(blank=True)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["office", "year", "metric"], name="segmentfigure_once")]
        ordering = ["office", "year", "metric"]


class AgentStat(models.Model):
    """Members recruited by each Perisai agent per regency (for the leaderboards), rebuilt with the snapshots."""

    day = models.DateField()
    agent_code = models.CharField(max_length=12)
    agent_name = models.CharField(max_length=120)
    branch_code = models.CharField(max_length=20, help_text="the agent's branch")
    regency_code = models.CharField(max_length=5, help_text="the recruited members' regency")
    recruited = models.IntegerField(default=0)
    active = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "agent_code", "regency_code"], name="agentstat_once")]
        indexes = [models.Index(fields=["day", "branch_code"]), models.Index(fields=["day", "regency_code"])]
