from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AgentStatus(models.TextChoices):
    ACTIVE = "active", _("Aktif")
    SUSPENDED = "suspended", _("Diberhentikan sementara")


class Agent(models.Model):
    """A Perisai agent: registers workers in the field, collects their contributions, earns commission."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="agent")
    code = models.CharField(max_length=12, unique=True, help_text="e.g. PRS-000123")
    name = models.CharField(max_length=120)
    phone = models.CharField(max_length=20, blank=True)
    branch = models.ForeignKey("regions.BranchOffice", on_delete=models.PROTECT, related_name="agents")
    bank_name = models.CharField(max_length=60, blank=True)
    bank_account = models.CharField(max_length=30, blank=True)
    bank_holder = models.CharField(max_length=120, blank=True)
    status = models.CharField(max_length=10, choices=AgentStatus.choices, default=AgentStatus.ACTIVE,
                              db_index=True)
    joined_on = models.DateField()
    suspended_on = models.DateField(null=True, blank=True)
    rejoin_on = models.DateField(null=True, blank=True, help_text="first day the agent may rejoin")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("agen")

    def __str__(self):
        return f"{self.code} {self.name}"


class Recruitment(models.Model):
    """Which agent recruited a member (a member is attributed to at most one agent)."""

    member = models.OneToOneField("members.Member", on_delete=models.CASCADE, related_name="recruitment")
    agent = models.ForeignKey(Agent, on_delete=models.PROTECT, related_name="recruitments")
    recruited_on = models.DateField(db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["agent", "recruited_on"])]


class Collection(models.Model):
    """Cash an agent collected from a worker, posted as an agent-channel payment."""

    agent = models.ForeignKey(Agent, on_delete=models.PROTECT, related_name="collections")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="agent_collections")
    reference = models.CharField(max_length=40, unique=True, help_text="payment reference on channel AGENT")
    months = models.PositiveSmallIntegerField()
    amount = models.BigIntegerField()
    payment_id = models.BigIntegerField(null=True, blank=True, help_text="contributions.Payment id")
    collected_at = models.DateTimeField(db_index=True)
    collected_on = models.DateField(db_index=True)

    class Meta:
        ordering = ["-collected_at", "-id"]
        indexes = [models.Index(fields=["agent", "collected_on"])]


class CommissionLine(models.Model):
    """One agent's commission for one month (re-running a month replaces its rows)."""

    agent = models.ForeignKey(Agent, on_delete=models.PROTECT, related_name="commissions")
    month = models.DateField(help_text="first day of the month")
    recruits = models.PositiveIntegerField(default=0)
    collected = models.BigIntegerField(default=0, help_text="contributions paid by the agent's recruits")
    payments = models.PositiveIntegerField(default=0)
    rate_bp = models.PositiveIntegerField()
    commission = models.BigIntegerField(default=0)
    bonus = models.BigIntegerField(default=0)
    total = models.BigIntegerField(default=0)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-month", "agent__code"]
        constraints = [models.UniqueConstraint(fields=["agent", "month"], name="commission_once_per_month")]
