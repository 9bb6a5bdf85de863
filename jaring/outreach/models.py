"""Campaigns ("Kerja Keras Bebas Cemas"), events in villages and markets, leads captured there, and the
reminder outbox."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CampaignKind(models.TextChoices):
    KKBC = "kkbc", _("KKBC (Kerja Keras Bebas Cemas)")
    KKBC_DESA = "kkbc_desa", _("KKBC Masuk Desa")
    MARKET = "market", _("Kunjungan pasar")
    RADIO = "radio", _("Radio")
    OTHER = "other", _("Lainnya")


class Campaign(models.Model):
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=12, choices=CampaignKind.choices)
    starts_on = models.DateField()
    ends_on = models.DateField()
    branches = models.ManyToManyField("regions.BranchOffice", related_name="campaigns")
    target_leads = models.PositiveIntegerField(default=0)
    target_registrations = models.PositiveIntegerField(default=0)
    description = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "code"]
        verbose_name = _("kampanye")
        constraints = [models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                              name="campaign_period_order")]

    def __str__(self):
        return self.name


class EventKind(models.TextChoices):
    VILLAGE = "village", _("Desa")
    MARKET = "market", _("Pasar")
    OTHER = "other", _("Lainnya")


class Event(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="events")
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=10, choices=EventKind.choices, default=EventKind.VILLAGE)
    village = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", db_column="village_code")
    place = models.CharField(max_length=120, blank=True, help_text="e.g. Pasar Lama, balai desa")
    date = models.DateField()
    branch = models.ForeignKey("regions.BranchOffice", on_delete=models.PROTECT, related_name="outreach_events")
    officers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="outreach_events_as_officer", blank=True)
    agents = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="outreach_events_as_agent", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # the benefit talk (financial literacy, SPEC 2.10): given on which day, to how many people
    talk_given_on = models.DateField(null=True, blank=True)
    attendance = models.PositiveIntegerField(null=True, blank=True)
    talk_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                         related_name="+")

    class Meta:
        ordering = ["-date", "name"]
        verbose_name = _("kegiatan")

    def __str__(self):
        return f"{self.name} ({self.date})"


class LeadStatus(models.TextChoices):
    NEW = "new", _("Baru")
    REGISTERED = "registered", _("Terdaftar")
    DECLINED = "declined", _("Tidak berminat")


class Lead(models.Model):
    """A worker met at an event who agreed (consent) to be contacted and registered."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="leads")
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="leads")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="outreach_leads", help_text="the agent credited with the lead")
    captured_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    name = models.CharField(max_length=120)
    phone = models.CharField(max_length=20, help_text="E.164")
    occupation = models.CharField(max_length=20)
    village = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", db_column="village_code")
    consent = models.BooleanField(default=False)
    consent_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=LeadStatus.choices, default=LeadStatus.NEW, db_index=True)
    member = models.OneToOneField("members.Member", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="lead")
    converted_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("prospek")
        constraints = [models.UniqueConstraint(fields=["event", "phone"], name="lead_once_per_event")]

    def __str__(self):
        return f"{self.name} {self.phone}"


# --- reminders ---------------------------------------------------------------------------------------

class MessageKind(models.TextChoices):
    BEFORE_DUE = "before_due", _("Sebelum jatuh tempo")
    ARREARS = "arrears", _("Tunggakan")
    LAST_WARNING = "last_warning", _("Peringatan terakhir sebelum nonaktif")
    PAY_AHEAD = "pay_ahead", _("Bayar di muka (musim panen)")
    RECOVERY = "recovery", _("Kode masuk / lupa kata sandi")
    ACTIVATION = "activation", _("Cara masuk (peserta baru)")


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("Antre")
    SENDING = "sending", _("Sedang dikirim")
    SENT = "sent", _("Terkirim")
    FAILED = "failed", _("Gagal")
    CANCELLED = "cancelled", _("Dibatalkan")


class Message(models.Model):
    """The outbox: one reminder per (member, kind, period) — a unique key, so a second worker run or a
    retry never sends the same reminder twice."""

    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=14, choices=MessageKind.choices)
    period = models.CharField(max_length=7, help_text="the contribution month the reminder is about, YYYY-MM")
    channel = models.CharField(max_length=10, default="sms")
    to = models.CharField(max_length=20)
    body = models.TextField()
    status = models.CharField(max_length=10, choices=MessageStatus.choices, default=MessageStatus.QUEUED,
                              db_index=True)
    gateway = models.CharField(max_length=20, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["member", "kind", "period"], name="message_once")]


class OptOut(models.Model):
    """A member who asked not to receive reminders (honoured before queueing and before sending)."""

    member = models.OneToOneField("members.Member", on_delete=models.CASCADE, related_name="reminder_opt_out")
    reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")


# --- reminder experiments ------------------------------------------------------------------------------

class ExperimentStatus(models.TextChoices):
    RUNNING = "running", _("Berjalan")
    FINISHED = "finished", _("Selesai")


class ReminderWording(models.TextChoices):
    STANDARD = "standard", _("Standar")
    FRIENDLY = "friendly", _("Ramah (manfaat)")
    LOSS = "loss", _("Risiko kehilangan perlindungan")


class Experiment(models.Model):
    """A measured reminder policy for one contribution month: members are assigned to arms
    deterministically (rules.experiments.assign_arm) and each arm's outcomes are compared to control."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    month = models.DateField(help_text="the contribution month whose before-due reminder is tested (first day)")
    branch = models.ForeignKey("regions.BranchOffice", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", help_text="only members of this branch (empty: all)")
    status = models.CharField(max_length=10, choices=ExperimentStatus.choices, default=ExperimentStatus.RUNNING)
    members = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-month", "code"]
        verbose_name = _("eksperimen pengingat")

    def __str__(self):
        return self.code


class ExperimentArm(models.Model):
    """One reminder policy: days before the due date (0 = no before-due reminder), channel and wording."""

    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="arms")
    code = models.SlugField(max_length=20)
    control = models.BooleanField(default=False)
    weight = models.PositiveSmallIntegerField(default=1)
    days_before_due = models.PositiveSmallIntegerField(default=3)
    channel = models.CharField(max_length=10, default="sms")
    wording = models.CharField(max_length=10, choices=ReminderWording.choices, default=ReminderWording.STANDARD)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["experiment", "position"]
        constraints = [models.UniqueConstraint(fields=["experiment", "code"], name="experiment_arm_once")]

    def __str__(self):
        return f"{self.experiment_id}/{self.code}"


class ExperimentAssignment(models.Model):
    """A member's arm in an experiment and, once known, the outcomes: paid the month by its due date;
    still active 90 days after the due date (null until that day has come)."""

    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="assignments",
                                   db_index=False)
    arm = models.ForeignKey(ExperimentArm, on_delete=models.CASCADE, related_name="assignments", db_index=False)
    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="experiment_assignments",
                               db_constraint=False)
    paid_by_due = models.BooleanField(null=True)
    active_after_90 = models.BooleanField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["experiment", "member"], name="experiment_member_once")]
        indexes = [models.Index(fields=["arm", "member"])]


class PayAheadMonth(models.Model):
    """A month of the year (1–12) in which a member prefers to pay ahead, e.g. at harvest (SPEC 2.9):
    reminders then suggest paying up to the next chosen month at once."""

    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="pay_ahead_months",
                               db_constraint=False)
    month = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["member", "month"]
        constraints = [models.UniqueConstraint(fields=["member", "month"], name="pay_ahead_month_once"),
                       models.CheckConstraint(condition=models.Q(month__gte=1, month__lte=12),
                                              name="pay_ahead_month_1_12")]
        indexes = [models.Index(fields=["month"])]
