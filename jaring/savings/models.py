"""JHT savings: one account per member, an append-only ledger, and the dated yearly return rates.

Invariant: ``Account.balance == contributions + returns − withdrawals`` == the signed sum of its entries
(``returns`` counts the year's return and its signed adjustments after a declared rate is entered).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ReturnRate(models.Model):
    """Declared JHT return for a calendar year (basis points: 563 = 5.63%), with its source."""

    year = models.PositiveSmallIntegerField(unique=True)
    rate_bp = models.PositiveIntegerField()
    confidence = models.CharField(max_length=1, default="A", help_text="H/M published, A assumption")
    source = models.TextField()
    applied_rate_bp = models.PositiveIntegerField(
        null=True, blank=True, help_text="the rate the credited returns of this year were last computed with; "
                                         "when it differs from rate_bp the crediting job posts the difference")
    updated_at = models.DateTimeField(null=True, blank=True)

    @property
    def is_assumption(self) -> bool:
        return self.confidence == "A"

    @property
    def percent(self) -> str:
        return f"{self.rate_bp // 100},{self.rate_bp % 100:02d}%"

    class Meta:
        ordering = ["year"]
        verbose_name = _("tingkat hasil pengembangan JHT")

    def __str__(self):
        return f"{self.year}: {self.rate_bp / 100:.2f}%"


class Account(models.Model):
    member = models.OneToOneField("members.Member", on_delete=models.PROTECT, related_name="jht_account")
    opened_on = models.DateField()
    contributions = models.BigIntegerField(default=0)
    returns = models.BigIntegerField(default=0)
    withdrawals = models.BigIntegerField(default=0)
    balance = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("rekening JHT")
        constraints = [models.CheckConstraint(condition=Q(balance__gte=0), name="jht_balance_not_negative")]

    def __str__(self):
        return f"JHT {self.member_id}: {self.balance}"


class Entry(models.Model):
    class Kind(models.TextChoices):
        CONTRIBUTION = "contribution", _("Iuran JHT")
        RETURN = "return", _("Hasil pengembangan")
        RETURN_ADJUSTMENT = "return_adjustment", _("Koreksi hasil pengembangan")
        WITHDRAWAL = "withdrawal", _("Pencairan")

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    amount = models.BigIntegerField(help_text="positive Rupiah; a withdrawal is subtracted; a return adjustment "
                                              "is signed (the declared rate minus the rate first credited)")
    value_date = models.DateField(help_text="contribution: its month; return: 31 December; withdrawal: paid date")
    year = models.PositiveSmallIntegerField(null=True, blank=True, help_text="the year a return is for")
    bill = models.OneToOneField("contributions.Bill", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="jht_entry")
    claim = models.ForeignKey("claims.Claim", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="jht_entries")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["value_date", "id"]
        indexes = [models.Index(fields=["account", "value_date"]), models.Index(fields=["created_at"])]
        constraints = [
            models.UniqueConstraint(fields=["account", "year"], condition=Q(kind="return"),
                                    name="jht_return_once_per_year"),
            models.UniqueConstraint(fields=["claim"], condition=Q(kind="withdrawal"),
                                    name="jht_withdrawal_once_per_claim"),
            models.CheckConstraint(condition=Q(amount__gte=0) | Q(kind="return_adjustment"),
                                   name="jht_entry_amount_not_negative"),
        ]
        verbose_name = _("mutasi JHT")
