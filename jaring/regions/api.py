from ninja import Router, Schema

from jaring.api.errors import errors
from jaring.core.errors import NotFound
from jaring.regions.models import Region

from .selectors import children, normalize_code, search_villages

router = Router(tags=["regions"])


class RegionOut(Schema):
    code: str
    name: str
    level: int
    kind: str
    branch: str | None = None

@router.get("/regions", response={200: list[RegionOut], **errors(404)}, auth=None, summary="Child regions of a Kemendagri code")
def list_regions(request, parent: str | None = None, q: str | None = None):
    """Without ``parent``: the 38 provinces. With ``parent``: its direct children (``63`` → regencies,
    ``63.71`` → districts, ``63.71.04`` → villages). With ``q`` (3+ letters): villages whose name
    contains it, for pickers."""
    if q:
        rows = search_villages(q)
    else:
        if parent and not children(parent).exists():
            if not Region.objects.filter(code=normalize_code(parent)).exists():
                raise NotFound(f"Kode wilayah '{parent}' tidak dikenal.")
        rows = children(parent)
    return [RegionOut(code=r.code, name=r.name, level=r.level, kind=r.kind, branch=r.branch_id) for r in rows]
