from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionalOffice(models.Model):
    """Kantor Wilayah (11)."""

    code = models.CharField(max_length=20, primary_key=True)
    name = models.CharField(max_length=120)
    city_code = models.CharField(max_length=13, help_text="Kemendagri code of the seat city")

    class Meta:
        ordering = ["code"]
        verbose_name = _("kantor wilayah")

    def __str__(self):
        return self.name


class BranchOffice(models.Model):
    """Kantor Cabang (122); each regency/city is served by exactly one."""

    code = models.CharField(max_length=20, primary_key=True)
    name = models.CharField(max_length=120)
    regional_office = models.ForeignKey(RegionalOffice, on_delete=models.PROTECT, related_name="branches")
    city_code = models.CharField(max_length=13)

    class Meta:
        ordering = ["code"]
        verbose_name = _("kantor cabang")

    def __str__(self):
        return self.name


class Region(models.Model):
    """Kemendagri region: province (1), regency/city (2), district (3), village (4). Dotted codes."""

    PROVINCE, REGENCY, DISTRICT, VILLAGE = 1, 2, 3, 4
    LEVELS = {"province": 1, "regency": 2, "district": 3, "village": 4}

    code = models.CharField(max_length=13, primary_key=True)
    name = models.CharField(max_length=120, db_index=True)
    level = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=16)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children",
                               db_column="parent_code")
    postal_code = models.CharField(max_length=5, blank=True)
    # Set on regencies (level 2) only: the branch serving it.
    branch = models.ForeignKey(BranchOffice, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="regencies")
    # Set on provinces (level 1) only.
    regional_office = models.ForeignKey(RegionalOffice, null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="provinces")

    class Meta:
        ordering = ["code"]
        indexes = [models.Index(fields=["parent", "name"]), models.Index(fields=["level", "name"])]
        verbose_name = _("wilayah")

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def regency_code(self) -> str:
        return ".".join(self.code.split(".")[:2])

    @property
    def province_code(self) -> str:
        return self.code[:2]


class RegionCodeChange(models.Model):
    """A Kemendagri code that changed when a region was split off (pemekaran): ``old_code`` → ``new_code``.

    A NIK keeps the code of its first registration for life (SPEC 2.6), so a NIK issued in Tarakan before
    2012 starts ``6473`` although Tarakan is ``65.71`` today. Regency rows (``64.73``) map NIKs and
    addresses to today's region; province rows (``32`` → ``36``) record a split whose regencies were
    recoded before NIKs carried Kemendagri codes. Shipped from ``regions/data/code_changes.csv``; an admin
    may add rows (their edits are never overwritten)."""

    old_code = models.CharField(max_length=13, unique=True)
    new_code = models.CharField(max_length=13)
    name = models.CharField(max_length=120, help_text="today's name of the region")
    year = models.PositiveSmallIntegerField(help_text="year the new code took effect")
    law = models.CharField(max_length=200, help_text="the law that created the new region")
    confidence = models.CharField(max_length=1, default="M", help_text="H several sources, M one source/inferred")
    note = models.TextField(blank=True, help_text="where the codes come from")

    class Meta:
        ordering = ["old_code"]
        verbose_name = _("perubahan kode wilayah")

    def __str__(self):
        return f"{self.old_code} → {self.new_code} {self.name}"
