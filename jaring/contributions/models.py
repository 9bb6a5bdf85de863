from django.db import models
from django.utils.translation import gettext_lazy as _


class ContributionRate(models.Model):
    """Effective-dated rate of one program (rows loaded from rules/data/contributions.json)."""

    BASIS = [("percent_bp", _("persen (basis poin)")), ("flat", _("Rupiah tetap"))]
    program = models.CharField(max_length=8)
    basis = models.CharField(max_length=12, choices=BASIS)
    value = models.BigIntegerField(help_text="basis points (100 = 1%) or Rupiah")
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    source = models.TextField()

    class Meta:
        ordering = ["program", "valid_from"]
        constraints = [models.UniqueConstraint(fields=["program", "valid_from"], name="rate_once_per_start")]

    def __str__(self):
        return f"{self.program} {self.value} {self.basis} from {self.valid_from}"


class IncomeBand(models.Model):
    minimum = models.BigIntegerField()
    maximum = models.BigIntegerField()
    valid_from = models.DateField(unique=True)
    valid_to = models.DateField(null=True, blank=True)
    steps = models.JSONField(default=list, blank=True, help_text="[[lower bound, nominal base], ...]")
    source = models.TextField()

    class Meta:
        ordering = ["valid_from"]


class ContributionDiscount(models.Model):
    name = models.CharField(max_length=80, unique=True)
    programs = models.JSONField()
    percent_bp = models.PositiveIntegerField()
    sectors = models.JSONField()
    from_month = models.CharField(max_length=7)
    to_month = models.CharField(max_length=7)
    excluded_funding = models.JSONField(default=list, blank=True)
    source = models.TextField()

    class Meta:
        ordering = ["from_month", "name"]
