from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Occupation(models.TextChoices):
    """BPU economic activities (SPEC 2.1, 2.7): agriculture, trade, manufacturing/crafts, transport, …"""

    FARMER = "petani", _("Petani / pekebun")
    FISHER = "nelayan", _("Nelayan")
    TRADER = "pedagang", _("Pedagang")
    ONLINE_OJEK = "ojek_online", _("Ojek online")
    BASE_OJEK = "ojek_pangkalan", _("Ojek pangkalan")
    DRIVER = "sopir", _("Sopir")
    COURIER = "kurir", _("Kurir")
    DOMESTIC = "prt", _("Pekerja rumah tangga")
    MICRO_BUSINESS = "usaha_mikro", _("Pemilik usaha mikro")
    CRAFTS = "pengrajin", _("Pengrajin / industri rumahan")
    CONSTRUCTION = "tukang", _("Tukang / buruh bangunan harian")
    OTHER = "lainnya", _("Lainnya")


TRANSPORT_OCCUPATIONS = {Occupation.ONLINE_OJEK, Occupation.BASE_OJEK, Occupation.DRIVER, Occupation.COURIER}


class Sector(models.TextChoices):
    TRANSPORT = "transport", _("Transportasi")
    OTHER = "other", _("Lainnya")


class Funding(models.TextChoices):
    SELF = "self", _("Mandiri")
    SPONSOR = "sponsor", _("Sponsor (Sertakan)")
    APBD = "apbd", _("APBD (pemerintah daerah)")
    APBN = "apbn", _("APBN")


class Channel(models.TextChoices):
    SELF = "self", _("Daftar sendiri")
    AGENT = "agent", _("Agen Perisai")
    BRANCH = "branch", _("Kantor cabang")
    SPONSOR_IMPORT = "sponsor_import", _("Impor sponsor")


class Status(models.TextChoices):
    PENDING = "pending", _("Menunggu verifikasi")
    ACTIVE = "active", _("Aktif")
    INACTIVE = "inactive", _("Nonaktif")
    REJECTED = "rejected", _("Ditolak")


class Gender(models.TextChoices):
    MALE = "L", _("Laki-laki")
    FEMALE = "P", _("Perempuan")


class Member(models.Model):
    """A BPU worker. The KPJ number identifies the member in paths; the NIK is unique (DB constraint)."""

    kpj = models.CharField(max_length=11, unique=True)
    nik = models.CharField(max_length=16, unique=True)
    name = models.CharField(max_length=120)
    birth_date = models.DateField()
    gender = models.CharField(max_length=1, choices=Gender.choices)
    phone = models.CharField(max_length=20, blank=True, help_text="E.164, e.g. +6281234567890")
    whatsapp = models.CharField(max_length=20, blank=True, help_text="digits for wa.me, e.g. 6281234567890")
    village = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+",
                                db_column="village_code")
    address = models.CharField(max_length=200, blank=True)
    # Denormalised from the village for fast, set-based reports and scoping.
    district_code = models.CharField(max_length=8, db_index=True)
    regency_code = models.CharField(max_length=5, db_index=True)
    province_code = models.CharField(max_length=2, db_index=True)
    branch = models.ForeignKey("regions.BranchOffice", on_delete=models.PROTECT, related_name="members")
    occupation = models.CharField(max_length=20, choices=Occupation.choices)
    second_occupation = models.CharField(max_length=20, choices=Occupation.choices, blank=True)
    sector = models.CharField(max_length=10, choices=Sector.choices, default=Sector.OTHER)
    income = models.BigIntegerField(help_text="declared monthly income, whole Rupiah")
    jht = models.BooleanField(default=False, help_text="JHT chosen on top of JKK + JKM")
    funding = models.CharField(max_length=8, choices=Funding.choices, default=Funding.SELF)
    channel = models.CharField(max_length=16, choices=Channel.choices, default=Channel.SELF)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    status_reason = models.TextField(blank=True)
    correction_requested = models.BooleanField(
        default=False, help_text="an officer asked the worker to correct the data (status stays pending)")
    confirm_data = models.BooleanField(
        default=False, help_text="continued by paying after non-active (SPEC 2.3): confirm data at next sign-in")
    registered_at = models.DateTimeField(auto_now_add=True, db_index=True)
    registered_on = models.DateField(db_index=True, help_text="local date of registration")
    first_month = models.DateField(help_text="first contribution month (first day of the month)")
    user = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="member")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["branch", "status"]),
            models.Index(fields=["name"]),
        ]
        verbose_name = _("peserta")

    def __str__(self):
        return f"{self.kpj} {self.name}"

    @property
    def programs(self) -> list[str]:
        return ["JKK", "JKM"] + (["JHT"] if self.jht else [])

    @property
    def programs_csv(self) -> str:
        return ",".join(self.programs)


class KpjSerial(models.Model):
    """The last KPJ serial issued (one row). Numbers are taken under a row lock and never reused."""

    last = models.BigIntegerField(default=0)


class ImportJob(models.Model):
    """One uploaded member list: previewed, then imported chunk by chunk (the page polls the progress).

    The parsed rows are kept here until the job is done so that a large file is processed in chunks, each in
    its own transaction; every row ends up either imported or in ``errors`` with its reasons.
    """

    class State(models.TextChoices):
        PREVIEW = "preview", _("Pratinjau")
        RUNNING = "running", _("Sedang diimpor")
        DONE = "done", _("Selesai")
        CANCELLED = "cancelled", _("Dibatalkan")

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    filename = models.CharField(max_length=200)
    channel = models.CharField(max_length=16, choices=Channel.choices)
    funding = models.CharField(max_length=8, choices=Funding.choices, default=Funding.SELF)
    defaults = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PREVIEW)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0, help_text="rows handled so far (the cursor)")
    imported = models.PositiveIntegerField(default=0)
    preview_errors = models.PositiveIntegerField(default=0)
    rows = models.JSONField(default=list, blank=True)
    errors = models.JSONField(default=list, blank=True, help_text="[row_number, row, {field: message}]")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("impor peserta")

    @property
    def percent(self) -> int:
        return 100 if not self.total else self.processed * 100 // self.total
