from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jaring.rules.periods import add_months


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


# --- channels, bills, payments, settlement ----------------------------------------------------
#
# Bills, payments and coverage rows are the national-scale tables (tens of millions of
# rows, written set-based). Their foreign keys have NO database constraint (db_constraint=False):
# PostgreSQL checks a foreign key row by row (measured 8.3 s per million rows here, see
# docs/performance.md), which would more than double every billing run and settlement import. The
# rows are only written by this app's services, whose INSERT ... SELECT statements join the referenced
# rows, so the references exist by construction; Django still enforces on_delete (PROTECT/CASCADE).
# Money is protected by the UNIQUE constraints: (member, month) for bills, (channel, reference) for
# payments. Money is booked in the journal (jaring.ledger), one balanced entry per movement.

SYSTEM_CHANNELS = [
    ("AGENT", "Setoran agen Perisai"),
    ("SPONSOR", "Pembayaran sponsor (Sertakan, APBD)"),
    ("BRANCH", "Loket kantor cabang"),
    ("PREPAID", "Saldo prabayar peserta (tabungan iuran)"),
]


class Channel(models.Model):
    """A payment channel (bank, e-wallet, retail outlet, PPOB) or a system channel (agent, sponsor, branch).

    ``secret`` signs the channel's notifications (HMAC-SHA256). ``fee`` is the channel's own admin fee
    in Rupiah charged on top of the contribution; it is never contribution income (SPEC 2.2).
    """

    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=120)
    secret = models.CharField(max_length=200, blank=True)
    fee = models.PositiveIntegerField(default=0, help_text="admin fee per payment, Rupiah")
    public_key = models.TextField(blank=True, help_text="PEM RSA public key verifying the channel's SNAP token requests")
    service_id = models.CharField(max_length=8, blank=True,
                                  help_text="SNAP partnerServiceId (up to 8 digits; default 88000000 + channel id)")
    system = models.BooleanField(default=False)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("kanal pembayaran")

    def __str__(self):
        return f"{self.code} {self.name}"


class Bill(models.Model):
    """One member's contribution for one month. Amounts after any discount; no late fines ever."""

    class Status(models.TextChoices):
        DUE = "due", _("Belum dibayar")
        PAID = "paid", _("Lunas")
        # a month of a lapsed membership, written off when the member continued by paying (SPEC 2.3):
        # never owed, never covered
        VOID = "void", _("Dihapuskan")

    # indexed by the (member, month) unique constraint; no separate FK index on this hot table
    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="bills", db_index=False,
                               db_constraint=False)
    month = models.DateField(help_text="first day of the contribution month")
    jkk = models.PositiveIntegerField()
    jkm = models.PositiveIntegerField()
    jht = models.PositiveIntegerField(default=0)
    discount = models.PositiveIntegerField(default=0, help_text="Rupiah taken off (PP 50/2025)")
    amount = models.PositiveIntegerField(help_text="jkk + jkm + jht, after discount")
    due_date = models.DateField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DUE)
    # no index: a payment's bills are found by (member, month range); an index here cost every posting
    payment = models.ForeignKey("Payment", null=True, blank=True, on_delete=models.PROTECT, related_name="bills",
                                db_index=False, db_constraint=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["member", "month"]
        constraints = [models.UniqueConstraint(fields=["member", "month"], name="bill_once_per_month")]
        indexes = [models.Index(fields=["month", "status"])]
        verbose_name = _("tagihan")

    def __str__(self):
        return f"{self.member_id} {self.month:%Y-%m} {self.amount} {self.status}"


class Payment(models.Model):
    """Money received for ``months`` consecutive months starting at ``first_month``.

    ``amount`` is the contribution only; ``fee`` the channel's admin fee, recorded apart.
    Unique per (channel, reference): a channel's replay can never post twice.
    """

    class Source(models.TextChoices):
        NOTIFICATION = "notification", _("Notifikasi kanal")
        SETTLEMENT = "settlement", _("Berkas settlement")
        AGENT = "agent", _("Agen")
        SPONSOR = "sponsor", _("Sponsor")
        BRANCH = "branch", _("Kantor cabang")
        SNAP = "snap", _("SNAP (tagihan kanal)")
        PREPAID = "prepaid", _("Saldo prabayar")

    # channel: covered by the (channel, reference) unique constraint; member: by the (member, paid_at) index
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="payments", db_index=False,
                                db_constraint=False)
    reference = models.CharField(max_length=64)
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="payments", db_index=False,
                               db_constraint=False)
    amount = models.PositiveBigIntegerField()
    fee = models.PositiveIntegerField(default=0)
    months = models.PositiveSmallIntegerField()
    first_month = models.DateField()
    paid_at = models.DateTimeField()
    source = models.CharField(max_length=12, choices=Source.choices)
    settlement_file = models.ForeignKey("SettlementFile", null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="payments", db_constraint=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", db_index=False, db_constraint=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # a non-active member's payment continued the membership (SPEC 2.3): the first month it had before
    continued_from = models.DateField(null=True, blank=True)
    reversed_at = models.DateTimeField(null=True, blank=True, help_text="cancelled by the channel the same day")
    reversal_reason = models.CharField(max_length=200, blank=True, default="", db_default="")

    class Meta:
        ordering = ["-paid_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["channel", "reference"], name="payment_once_per_reference")]
        indexes = [models.Index(fields=["member", "paid_at"])]
        verbose_name = _("pembayaran")

    def __str__(self):
        return f"{self.channel_id}/{self.reference} {self.amount}"

    @property
    def last_month(self):
        return add_months(self.first_month, self.months - 1)


class PaymentClaim(models.Model):
    """A channel's reference claimed before anything is priced: the first request inserts it; a concurrent
    retry of the same reference waits on the unique key until the first commits, then answers as the first
    (the claim commits together with its payment, or rolls back with it)."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="+", db_index=False,
                                db_constraint=False)
    reference = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["channel", "reference"], name="claim_once_per_reference")]


class SettlementFile(models.Model):
    """One imported settlement file and its reconciliation: posted + duplicates + rejected = rows,
    and the same for Rupiah amounts."""

    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="settlement_files")
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    rows = models.PositiveIntegerField(default=0)
    posted = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    amount_rows = models.PositiveBigIntegerField(default=0)
    amount_posted = models.PositiveBigIntegerField(default=0)
    amount_duplicates = models.PositiveBigIntegerField(default=0)
    amount_rejected = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["-imported_at", "-id"]
        verbose_name = _("berkas settlement")

    @property
    def reconciled(self) -> bool:
        return (self.posted + self.duplicates + self.rejected == self.rows
                and self.amount_posted + self.amount_duplicates + self.amount_rejected == self.amount_rows)


class SettlementRow(models.Model):
    """A settlement row set aside (rejected), kept with its reason for an officer to follow up."""

    file = models.ForeignKey(SettlementFile, on_delete=models.CASCADE, related_name="rejected_rows")
    line = models.PositiveIntegerField()
    reference = models.CharField(max_length=200, blank=True)
    customer = models.CharField(max_length=200, blank=True)
    amount = models.BigIntegerField(default=0)
    months = models.IntegerField(default=0)
    paid_at = models.CharField(max_length=64, blank=True)
    reason = models.TextField()
    member = models.ForeignKey("members.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["file", "line"]
        verbose_name = _("baris settlement ditolak")


class MemberCoverage(models.Model):
    """Coverage state per member as of the last ``jaring coverage refresh`` (rebuilt set-based)."""

    member = models.OneToOneField("members.Member", on_delete=models.CASCADE, primary_key=True,
                                  related_name="coverage", db_constraint=False)
    # no index: the state is read per member (primary key) or counted over the whole table; an index
    # here made the nightly refresh's million-row insert 1.3x slower (docs/performance.md)
    state = models.CharField(max_length=10)
    paid_through = models.DateField(null=True, blank=True)
    unpaid_months = models.IntegerField(default=0)
    protected = models.BooleanField(default=False)
    as_of = models.DateField()

    class Meta:
        verbose_name = _("status kepesertaan")


class PrepaidBalance(models.Model):
    """A member's prepaid balance (*tabungan iuran*, SPEC 2.9): money waiting to pay whole months.

    The balance is the sum of the member's movements; the row is locked (with the member) while a top-up
    or an application changes it, so two top-ups at the same moment never pay one month twice."""

    member = models.OneToOneField("members.Member", on_delete=models.CASCADE, primary_key=True,
                                  related_name="prepaid", db_constraint=False)
    balance = models.PositiveBigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("saldo prabayar")
        constraints = [models.CheckConstraint(condition=models.Q(balance__gte=0), name="prepaid_never_negative")]


class PrepaidMovement(models.Model):
    """One change of a prepaid balance: a top-up (+, the channel payment that brought it), an application
    (−, the PREPAID payment that paid months) or a reversal of a top-up (−)."""

    class Kind(models.TextChoices):
        TOPUP = "topup", _("Isi saldo")
        APPLICATION = "application", _("Bayar iuran dari saldo")
        REVERSAL = "reversal", _("Pembatalan isi saldo")

    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="prepaid_movements",
                               db_constraint=False)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    amount = models.BigIntegerField(help_text="Rupiah; positive for a top-up, negative when spent or reversed")
    balance_after = models.PositiveBigIntegerField()
    payment = models.ForeignKey(Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="prepaid",
                                db_constraint=False)
    topup = models.ForeignKey(Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="paid_from_topup",
                              db_constraint=False, help_text="for an application: the top-up that completed it")
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("mutasi saldo prabayar")
