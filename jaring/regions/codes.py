"""Old Kemendagri region codes (before a region was split off) mapped to today's region.

A NIK keeps the region code of its first registration (SPEC 2.6): ``6473…`` (Tarakan before North
Kalimantan, UU 20/2012) or ``9101…`` (Merauke before Papua Selatan, UU 14/2022) are valid NIKs. This
module answers "which region is that today, and which branch serves it" from the
:class:`~jaring.regions.models.RegionCodeChange` table, so such a NIK is accepted, shown with today's
region and served by today's branch.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class CodeChange:
    old_code: str
    new_code: str
    name: str
    year: int
    law: str


def shipped_rows() -> list[dict]:
    text = resources.files("jaring.regions").joinpath("data", "code_changes.csv").read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


def load_code_changes(model=None) -> int:
    """Add the shipped code changes that are missing (an admin's rows and edits are kept)."""
    if model is None:
        from .models import RegionCodeChange as model
    have = set(model.objects.values_list("old_code", flat=True))
    rows = [model(old_code=r["old_code"], new_code=r["new_code"], name=r["name"], year=int(r["year"]),
                  law=r["law"], confidence=r["confidence"], note=r["note"])
            for r in shipped_rows() if r["old_code"] not in have]
    model.objects.bulk_create(rows)
    return len(rows)


# Reference data read on every registration, kept per process (a few hundred rows at most): the table of
# code changes, and the names of provinces, regencies and districts (about 7,800). An admin's edit of a code
# change empties the cache (signals in apps.py); ``jaring migrate`` reloading regions does too.
_cache: dict = {}


def clear_caches(**_kwargs) -> None:
    _cache.clear()


def _changes() -> dict:
    if "changes" not in _cache:
        from .models import RegionCodeChange

        _cache["changes"] = {r.old_code: CodeChange(r.old_code, r.new_code, r.name, r.year, r.law)
                             for r in RegionCodeChange.objects.all() if r.new_code.count(".") == 1}
    return _cache["changes"]


def _upper_names() -> dict:
    if "names" not in _cache:
        from .models import Region

        _cache["names"] = dict(Region.objects.filter(level__lte=3).values_list("code", "name"))  # not villages
    return _cache["names"]


def change_for(code: str) -> CodeChange | None:
    """The regency-level change covering ``code`` (a dotted regency, district or village code), if any."""
    parts = str(code or "").split(".")
    if len(parts) < 2:
        return None
    return _changes().get(".".join(parts[:2]))


def translate(code: str) -> tuple[str, CodeChange | None]:
    """``64.73.01.1001`` → ``("65.71.01.1001", change)``; a code without a change comes back as it is."""
    change = change_for(code)
    if change is None:
        return code, None
    parts = str(code).split(".")
    return ".".join([change.new_code] + parts[2:]), change


@dataclass(frozen=True)
class NikRegion:
    """Where a NIK was first registered, named as the region is today."""

    nik_code: str  # the district code written in the NIK, dotted (64.73.01)
    regency_code: str  # today's regency (65.71)
    regency: str
    province_code: str
    province: str
    district_code: str | None  # today's district when it still exists (65.71.01)
    district: str | None
    old_code: str | None  # the old regency code when it changed (64.73)
    law: str | None
    year: int | None

    @property
    def changed(self) -> bool:
        return self.old_code is not None

    def as_dict(self) -> dict:
        return {"nik_code": self.nik_code, "regency_code": self.regency_code, "regency": self.regency,
                "province_code": self.province_code, "province": self.province,
                "district_code": self.district_code, "district": self.district, "old_code": self.old_code,
                "law": self.law, "year": self.year}

    def explanation(self) -> str:
        """What the registration form says instead of refusing (Bahasa Indonesia)."""
        from django.utils.translation import gettext as _

        if self.changed:
            return _("NIK Anda memakai kode wilayah lama %(old)s, dari sebelum pemekaran (%(law)s, %(year)s). NIK "
                     "tetap berlaku seumur hidup; wilayahnya sekarang %(regency)s, %(province)s (%(code)s).") % {
                "old": self.old_code, "law": self.law, "year": self.year, "regency": self.regency,
                "province": self.province, "code": self.regency_code}
        if self.district_code is None:
            return _("Kode kecamatan %(code)s pada NIK sudah tidak ada di data Kemendagri terbaru (kecamatan "
                     "dimekarkan atau diberi kode baru). NIK tetap berlaku; wilayahnya %(regency)s, %(province)s.") % {
                "code": self.nik_code, "regency": self.regency, "province": self.province}
        return ""


def nik_region(district_code: str) -> NikRegion | None:
    """Today's region for the district code of a NIK (``64.73.01``), or None when the regency is unknown
    both today and in the table of old codes."""
    new_code, change = translate(district_code)
    parts = new_code.split(".")
    regency_code = ".".join(parts[:2])
    upper = _upper_names()
    names = {c: upper[c] for c in (parts[0], regency_code, new_code) if c in upper}
    if regency_code not in names:
        return None
    return NikRegion(district_code, regency_code, names[regency_code], parts[0], names.get(parts[0], ""),
                     new_code if new_code in names else None, names.get(new_code),
                     change.old_code if change else None, change.law if change else None,
                     change.year if change else None)


def nik_region_of(nik: str) -> NikRegion | None:
    """Today's region for a 16-digit NIK (its first six digits), or None when they name no region."""
    digits = str(nik or "")
    if len(digits) < 6 or not digits[:6].isdigit():
        return None
    return nik_region(f"{digits[:2]}.{digits[2:4]}.{digits[4:6]}")


def translator():
    """``translate`` for a batch: the regency-level table read once (the bulk importer)."""
    from .models import RegionCodeChange

    table = {o: n for o, n in RegionCodeChange.objects.values_list("old_code", "new_code") if n.count(".") == 1}

    def _translate(code: str) -> str:
        parts = str(code or "").split(".")
        new = table.get(".".join(parts[:2])) if len(parts) >= 2 else None
        return ".".join([new] + parts[2:]) if new else code
    return _translate
