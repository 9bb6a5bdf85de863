from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render

from jaring.accounts.permissions import role_required
from jaring.accounts.policy import STAFF
from jaring.accounts.scoping import scope_for
from jaring.core import exports
from jaring.core.errors import DomainError
from jaring.core.replica import reads_from_replica
from jaring.regions.models import BranchOffice, RegionalOffice
from jaring.regions.selectors import normalize_code

from . import selectors
from .models import SegmentFigure

LEVELS = ("national", "regional", "branch", "province", "regency", "district", "village")


def _area(request):
    level = request.GET.get("level") or ""
    code = (request.GET.get("code") or "").strip()
    if not level:
        level, code = selectors.home_area(request.user)
    if level not in LEVELS:
        raise Http404("tingkat tidak dikenal")
    if level == "national":
        code = "ID"
    elif level in ("province", "regency", "district", "village"):
        code = normalize_code(code)
    return level, code

def _guard(request):
    try:
        level, code = _area(request)
        selectors.check_area(scope_for(request.user), level, code)
    except DomainError as e:
        if e.status == 404:
            raise Http404(e.message) from None
        raise PermissionDenied(e.message) from None
    return level, code

@role_required(*STAFF)
@reads_from_replica
def dashboard(request):
    level, code = _guard(request)
    scope = scope_for(request.user)
    day = selectors.latest_day()
    total = selectors.area_total(level, code, day)
    informal = selectors.informal_workers(level, code)
    tables = selectors.dashboard_tables(request.user, level, code)
    target = selectors.target_for(level, code)
    protected_target = next((t for t in selectors.targets_data()["national"] if t["metric"] == "protected_workers"),
                            None) if level == "national" else None
    protected = None
    if protected_target:
        fig = (SegmentFigure.objects.filter(office="ID", metric="active_total").order_by("-year").first())
        if fig:
            protected = {"value": int(fig.value), "year": fig.year, "source": fig.source,
                         "pct": round(100 * float(fig.value) / protected_target["value"], 1)}
    monthly = [dict(zip(["month", "registrations", "contributions", "last_year", "yoy"], r))
               for r in tables["monthly"]["rows"]]
    charts = {
        "months": [m["month"] for m in monthly],
        "registrations": [m["registrations"] for m in monthly],
        "contributions": [m["contributions"] for m in monthly],
        "yoy": [m["yoy"] for m in monthly],
        "cohorts": [{"name": r[0], "data": [v for v in r[2:] if v is not None]}
                    for r in tables["retention"]["rows"][-6:]],
        "areas": [{"name": r[1], "active": r[2], "inactive": r[3]} for r in tables.get("areas", {}).get("rows", [])][:30],
    }
    ctx = {
        "level": level, "code": code, "level_label": selectors.LEVEL_LABEL[level], "total": total,
        "day": day, "informal": informal,
        "coverage_pct": selectors.pct_of(total["active"], informal),
        "target": target, "target_pct": round(100 * total["active"] / target["value"], 1) if target else None,
        "protected_target": protected_target, "protected": protected, "breadcrumb": selectors.breadcrumb(scope, level, code),
        "tables": tables, "charts": charts,
        "tiles": selectors.province_tiles(scope, day) if level == "national" else [],
        "informal_source": selectors.informal_data()["national"]["source"],
        "refresh": selectors.last_refresh(),
    }
    return render(request, "insights/dashboard.html", ctx)

@role_required(*STAFF)
@reads_from_replica
def export(request, table, fmt):
    level, code = _guard(request)
    tables = selectors.dashboard_tables(request.user, level, code)
    if table not in tables or fmt not in ("csv", "xlsx"):
        raise Http404("tabel tidak dikenal")
    t = tables[table]
    filename = f"jaring-{table}-{level}-{code}".replace(".", "")
    return exports.respond(fmt, filename, t["headers"], t["rows"], t["title"])

@role_required(*STAFF)
@reads_from_replica
def regional_summary(request):
    scope = scope_for(request.user)
    offices = list(RegionalOffice.objects.all())
    default = scope.regional_code or ("KW-KALIMANTAN" if scope.national else None)
    if scope.kind == "branch":
        default = BranchOffice.objects.get(code=sorted(scope.branch_codes)[0]).regional_office_id
    office = request.GET.get("office") or default
    if not scope.national and office != default:
        raise PermissionDenied("Ringkasan kantor wilayah lain di luar wewenang Anda.")
    if office not in {o.code for o in offices} | {"ID"}:
        raise Http404("kantor wilayah tidak dikenal")
    try:
        year = int(request.GET.get("year") or 0) or None
    except ValueError:
        year = None
    summary = selectors.regional_summary(office, year)
    rows = selectors.summary_rows(summary)
    if request.GET.get("format") in ("csv", "xlsx"):
        return exports.respond(request.GET["format"], f"jaring-ringkasan-{office}-{summary.year}",
                               ["Ukuran", "Nilai", "Sumber"], [[r["label"], r["value"], r["source"]] for r in rows],
                               "Ringkasan")
    return render(request, "insights/regional_summary.html", {
        "summary": summary, "rows": rows, "national_option": scope.national,
        "trillions": (f"{rows[7]['value'] / 1e12:.2f}".replace(".", ",") if (rows[7]["value"] or 0) >= 1e12 else None), "offices": offices if scope.national else
        [o for o in offices if o.code == office], "office": office})
