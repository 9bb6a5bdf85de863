"""The journal for all money (STYLE "One journal for money").

Every money movement is one :class:`Entry` whose :class:`Line` rows balance (debits = credits), written
by :func:`jaring.ledger.services.post` (or its set-based sibling ``post_sql``) in the same transaction as
the business record it books. PostgreSQL refuses an unbalanced entry at commit even for raw SQL (a
deferred constraint trigger, migration 0001). Amounts are integer Rupiah. An entry holds a few lines:
detail per member lives in the business records (bills, savings entries, invoice lines), which the
trial balance's control checks reconcile to the accounts.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Account(models.Model):
    class Type(models.TextChoices):
        ASSET = "asset", _("Aset")
        LIABILITY = "liability", _("Kewajiban")
        EQUITY = "equity", _("Ekuitas")
        INCOME = "income", _("Pendapatan")
        EXPENSE = "expense", _("Beban")

    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=120)
    type = models.CharField(max_length=10, choices=Type.choices)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("akun")

    def __str__(self):
        return f"{self.code} {self.name}"


class Entry(models.Model):
    """One balanced journal entry: what happened (``kind``), its booking date (``booked_on``), and the
    business record it books (``ref_type`` = app_label.model, ``ref_id``)."""

    kind = models.CharField(max_length=40, db_index=True)
    booked_on = models.DateField(db_index=True, help_text="booking date (Asia/Jakarta)")
    memo = models.CharField(max_length=200, blank=True)
    ref_type = models.CharField(max_length=60, blank=True)
    ref_id = models.BigIntegerField(null=True, blank=True)
    key = models.CharField(max_length=120, null=True, blank=True, unique=True,
                           help_text="idempotency key: the same movement is never booked twice")
    reverses = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="reversed_by")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", db_constraint=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-booked_on", "-id"]
        indexes = [models.Index(fields=["ref_type", "ref_id"])]
        verbose_name = _("jurnal")

    def __str__(self):
        return f"#{self.pk} {self.kind} {self.booked_on}"


class Line(models.Model):
    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="lines")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="lines")
    debit = models.BigIntegerField(default=0)
    credit = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["entry", "id"]
        indexes = [models.Index(fields=["account", "entry"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(debit__gte=0, credit__gte=0) & (Q(debit=0, credit__gt=0) | Q(credit=0, debit__gt=0)),
                name="ledger_line_one_side_positive"),
        ]
        verbose_name = _("baris jurnal")


class TrialBalanceRun(models.Model):
    """The daily worker's trial balance: kept so a difference is shown to admins, never silent."""

    on = models.DateField(unique=True)
    balanced = models.BooleanField()
    ok = models.BooleanField()
    debits = models.BigIntegerField()
    credits = models.BigIntegerField()
    failed = models.JSONField(default=list, blank=True, help_text="[{name, difference}] of failed checks")
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-on"]
        verbose_name = _("neraca saldo harian")
