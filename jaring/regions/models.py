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
