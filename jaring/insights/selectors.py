"""Reads for dashboards, exports and the stats API — from the snapshot tables only, never the member table."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from django.db.models import F, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jaring.accounts.scoping import Scope, scope_for
from jaring.core.errors import DomainError, Forbidden, NotFound
from jaring.outreach.selectors import campaign_leaderboard as board
from jaring.regions.models import BranchOffice, Region, RegionalOffice
from jaring.regions.selectors import branch_for_region, normalize_code
from jaring.rules.periods import add_months

from .models import AreaSnapshot, CohortStat, MonthlyStat, RefreshLog, SegmentFigure

DATA = Path(__file__).parent / "data"
METRICS = ["active", "inactive", "pending", "new_this_month", "contributions_this_month"]
CHILD_LEVEL = {"national": "regional", "regional": "branch", "branch": "regency", "regency": "district",
               "district": "village", "village": None, "province": "regency"}
PARENT_LEVEL = {"regional": "national", "branch": "regional", "regency": "branch", "district": "regency",
                "village": "district"}
LEVEL_LABEL = {"national": gettext_lazy("Nasional"), "regional": gettext_lazy("Kantor wilayah"),
               "branch": gettext_lazy("Kantor cabang"), "province": gettext_lazy("Provinsi"),
               "regency": gettext_lazy("Kabupaten/kota"), "district": gettext_lazy("Kecamatan"),
               "village": gettext_lazy("Desa/kelurahan")}

# --- reference figures -----------------------------------------------------------------------------

@lru_cache(maxsize=1)
def informal_data() -> dict:
    return json.loads((DATA / "informal_workers.json").read_text(encoding="utf-8"))

@lru_cache(maxsize=1)
def targets_data() -> dict:
    return json.loads((DATA / "targets.json").read_text(encoding="utf-8"))

@lru_cache(maxsize=1)
def _village_counts() -> dict[str, int]:
    """Villages per province, regency and district code (for apportioning the informal workforce)."""
    from django.db.models import Count
    from django.db.models.functions import Substr

    counts: dict[str, int] = {}
    for length in (2, 5, 8):
        qs = (Region.objects.filter(level=4).annotate(p=Substr("code", 1, length)).values("p")
              .annotate(n=Count("code")))
        counts.update({r["p"]: r["n"] for r in qs})
    return counts

@lru_cache(maxsize=1)
def _office_maps() -> tuple[dict, dict]:
    regencies_of_branch: dict[str, list[str]] = {}
    for code, branch in Region.objects.filter(level=2).values_list("code", "branch_id"):
        regencies_of_branch.setdefault(branch, []).append(code)
    provinces_of_regional: dict[str, list[str]] = {}
    for code, ro in Region.objects.filter(level=1).values_list("code", "regional_office_id"):
        provinces_of_regional.setdefault(ro, []).append(code)
    regional_of_branch = dict(BranchOffice.objects.values_list("code", "regional_office_id"))
    return regencies_of_branch, provinces_of_regional | {"__branch__": regional_of_branch}

def informal_workers(level: str, code: str) -> int:
    """Estimated informal workers in an area (see data/informal_workers.json for source and method)."""
    prov = {r["province_code"]: r["informal_workers"] for r in informal_data()["rows"]}
    if level == "national":
        return informal_data()["national"]["informal_workers"]
    if level == "province":
        return prov.get(code, 0)
    if level in ("regency", "district", "village"):
        counts = _village_counts()
        in_province = counts.get(code[:2], 0)
        if not in_province:
            return 0
        share = 1 if level == "village" else counts.get(code, 0)
        return round(prov.get(code[:2], 0) * share / in_province)
    regencies_of_branch, maps = _office_maps()
    if level == "branch":
        return sum(informal_workers("regency", r) for r in regencies_of_branch.get(code, []))
    if level == "regional":
        return sum(prov.get(p, 0) for p in maps.get(code, []))
    return 0

def target_for(level: str, code: str) -> dict | None:
    t = targets_data()
    if level == "national":
        return next((x for x in t["national"] if x["metric"] == "active_bpu"), None)
    if level == "regional":
        return next((x for x in t["regional"] if x["office"] == code), None)
    return None

# --- snapshot reads --------------------------------------------------------------------------------

def latest_day(on: date | None = None) -> date | None:
    qs = AreaSnapshot.objects.filter(level="national")
    if on:
        qs = qs.filter(day__lte=on)
    return qs.order_by("-day").values_list("day", flat=True).first()

def last_refresh():
    return RefreshLog.objects.first()

def _names(level: str, codes: list[str]) -> dict[str, str]:
    if level == "national":
        return {"ID": "Indonesia"}
    if level == "branch":
        return dict(BranchOffice.objects.filter(code__in=codes).values_list("code", "name"))
    if level == "regional":
        return dict(RegionalOffice.objects.filter(code__in=codes).values_list("code", "name"))
    return dict(Region.objects.filter(code__in=codes).values_list("code", "name"))

def area_name(level: str, code: str) -> str:
    return _names(level, [code]).get(code, code)

def _row(r: dict, name: str) -> dict:
    return {"code": r["code"], "name": name, **{m: int(r.get(m) or 0) for m in METRICS}}

def _region_branch(code: str) -> str | None:
    b = branch_for_region(code)
    return b.code if b else None

def check_area(scope: Scope, level: str, code: str) -> None:
    """Refuse (403) an area outside the caller's scope; 404 for an unknown one."""

    if scope.kind == "none":
        raise Forbidden("Dasbor hanya untuk petugas dan manajer kantor.")
    exists = {"national": lambda: code == "ID",
              "regional": lambda: RegionalOffice.objects.filter(code=code).exists(),
              "branch": lambda: BranchOffice.objects.filter(code=code).exists()}.get(
        level, lambda: Region.objects.filter(code=code, level=Region.LEVELS.get(level, 0)).exists())
    if not exists():
        raise NotFound(f"Wilayah/kantor '{code}' tidak dikenal untuk tingkat {LEVEL_LABEL.get(level, level)}.")
    if scope.national:
        return
    if level in ("national", "province"):
        allowed = False
    elif level == "regional":
        allowed = scope.regional_code == code
    elif level == "branch":
        allowed = scope.allows_branch(code)
    else:
        allowed = scope.allows_branch(_region_branch(code))
    if not allowed:
        raise Forbidden("Wilayah ini di luar kantor Anda.")

def home_area(user) -> tuple[str, str]:
    """Where a user's dashboard starts: the nation, their regional office, or their branch."""
    scope = scope_for(user)
    if scope.national:
        return "national", "ID"
    if scope.kind == "regional":
        return "regional", scope.regional_code
    if scope.kind == "branch" and scope.branch_codes:
        return "branch", sorted(scope.branch_codes)[0]
    raise Forbidden("Dasbor hanya untuk petugas dan manajer kantor.")

def area_total(level: str, code: str, day: date | None) -> dict:
    if day is None:
        return {"code": code, "name": area_name(level, code), **{m: 0 for m in METRICS}}
    if level == "national":
        code = "ID"
    r = AreaSnapshot.objects.filter(day=day, level=level, code=code).values("code", *METRICS).first()
    return _row(r or {"code": code}, area_name(level, code))

def child_rows(scope: Scope, level: str, code: str, day: date | None) -> tuple[str | None, list[dict]]:
    """The rows one level below an area (regional offices of the nation, branches of an office, …)."""
    child = CHILD_LEVEL.get(level)
    if child is None or day is None:
        return child, []
    qs = AreaSnapshot.objects.filter(day=day, level=child)
    if level == "branch":
        qs = qs.filter(branch_code=code)
    elif level != "national":
        qs = qs.filter(parent_code=code)
    if not scope.national and child in ("branch", "regency", "district", "village"):
        qs = scope.filter(qs, "branch_code")
    elif not scope.national and child == "regional":
        qs = qs.filter(code=scope.regional_code or "")
    rows = list(qs.order_by("code").values("code", *METRICS))
    names = _names(child, [r["code"] for r in rows])
    return child, [_row(r, names.get(r["code"], r["code"])) for r in rows]

def coverage_rows(user, level: str, parent: str | None = None, day: date | None = None) -> list[dict]:
    """``GET /api/v1/stats/coverage``: rows per area of ``level`` under ``parent`` within the caller's scope."""
    scope = scope_for(user)
    if scope.kind == "none":
        raise Forbidden("Statistik cakupan hanya untuk petugas dan manajer kantor.")
    levels = ("province", "regency", "district", "village", "branch", "regional")
    if level not in levels:
        raise DomainError("Tingkat tidak dikenal.", {"level": f"pilih salah satu: {', '.join(levels)}"})
    if level in ("regency", "district", "village", "province") and parent:
        parent = normalize_code(parent)
        plevel = {"regency": "province", "district": "regency", "village": "district", "province": None}[level]
        if plevel is None:
            raise DomainError("Provinsi tidak punya induk wilayah.", {"parent": "kosongkan untuk tingkat province"})
        if len(parent.split(".")) != {"province": 1, "regency": 2, "district": 3}[plevel]:
            raise DomainError("Kode induk tidak cocok dengan tingkat.",
                              {"parent": f"untuk level={level} isi kode {LEVEL_LABEL[plevel].lower()}"})

        if not Region.objects.filter(code=parent).exists():
            raise NotFound(f"Kode wilayah '{parent}' tidak dikenal.")
        if not scope.national and plevel != "province":
            check_area(scope, plevel, parent)
        elif not scope.national and not Region.objects.filter(
                level=Region.REGENCY, code__startswith=parent + ".", branch_id__in=list(scope.branch_codes or [])
        ).exists():
            raise Forbidden("Provinsi ini di luar wilayah kantor Anda.")
    if level == "branch" and parent and not scope.national and parent != scope.regional_code:
        if not BranchOffice.objects.filter(regional_office_id=parent, code__in=list(scope.branch_codes or [])).exists():
            raise Forbidden("Kantor wilayah ini di luar kantor Anda.")
    if level == "village" and not parent:
        raise DomainError("Untuk tingkat desa isi kode kecamatan induk.", {"parent": "wajib untuk level=village"})
    day = day or latest_day()
    if day is None:
        return []
    if level == "province" and not scope.national:
        # a province's totals include other offices' branches: add up only the regencies in scope
        qs = scope.filter(AreaSnapshot.objects.filter(day=day, level="regency"), "branch_code")
        rows = list(qs.values(code_=F("parent_code"))
                    .annotate(**{m: Sum(m) for m in METRICS}).order_by("code_"))
        rows = [{"code": r.pop("code_"), **r} for r in rows]
    else:
        qs = AreaSnapshot.objects.filter(day=day, level=level)
        if parent:
            qs = qs.filter(parent_code=normalize_code(parent) if level != "branch" else parent)
        if not scope.national:
            if level == "regional":
                qs = qs.filter(code=scope.regional_code or "")
            else:
                qs = scope.filter(qs, "branch_code")
        rows = list(qs.order_by("code").values("code", *METRICS))
    names = _names(level, [r["code"] for r in rows])
    return [_row(r, names.get(r["code"], r["code"])) for r in rows]

def with_coverage(level: str, rows: list[dict]) -> list[dict]:
    """Add informal workforce (estimate) and coverage % of active BPU members to each row."""
    out = []
    for r in rows:
        informal = informal_workers(level, r["code"])
        pct = pct_of(r["active"], informal)
        out.append({**r, "informal_workers": informal, "coverage_pct": pct})
    return out

def pct_of(part: int, whole: int) -> float | None:
    """A percentage with 2 decimals, or 4 when it is tiny (a village's first members)."""
    if not whole:
        return None
    pct = 100 * part / whole
    return round(pct, 2) if pct >= 0.1 or pct == 0 else round(pct, 4)

# --- series --------------------------------------------------------------------------------------

def monthly_series(level: str, code: str, day: date, months: int = 24, scope: Scope | None = None) -> list[dict]:
    """Registrations and contributions per month with year-on-year growth of contributions."""
    end = day.replace(day=1)
    start = add_months(end, -(months - 1) - 12)
    qs = MonthlyStat.objects.filter(level=level, code="ID" if level == "national" else code,
                                    month__gte=start, month__lte=end)
    data = {r["month"]: r for r in qs.values("month", "registrations", "contributions")}
    out = []
    for i in range(months):
        mo = add_months(end, -(months - 1) + i)
        cur = data.get(mo, {"registrations": 0, "contributions": 0})
        prev = data.get(add_months(mo, -12), {"contributions": 0})["contributions"]
        growth = round(100 * (cur["contributions"] - prev) / prev, 2) if prev else None
        out.append({"month": f"{mo.year:04d}-{mo.month:02d}", "registrations": cur["registrations"],
                    "contributions": cur["contributions"], "contributions_last_year": prev, "yoy_pct": growth})
    return out

def branch_codes_of(level: str, code: str) -> list[str] | None:
    """Branches that make up an office area (None = all, for the nation)."""
    if level == "national":
        return None
    if level == "branch":
        return [code]
    if level == "regional":
        return [b for b, ro in _office_maps()[1]["__branch__"].items() if ro == code]
    return [_region_branch(code) or ""]

def retention(level: str, code: str, max_age: int = 12) -> list[dict]:
    """Retention curves by cohort (first contribution month): % of the cohort paying at age 0..max_age.
    Kept per branch: regency and lower areas show their branch's curves."""
    qs = CohortStat.objects.filter(age__lte=max_age)
    branches = branch_codes_of(level, code)
    if branches is not None:
        qs = qs.filter(branch_code__in=branches)
    rows = qs.values("cohort", "age").annotate(members=Sum("members"), paying=Sum("paying")).order_by("cohort", "age")
    cohorts: dict = {}
    for r in rows:
        c = cohorts.setdefault(r["cohort"], {"cohort": f"{r['cohort']:%Y-%m}", "members": r["members"], "points": []})
        c["points"].append({"age": r["age"], "paying": r["paying"],
                            "pct": round(100 * r["paying"] / r["members"], 1) if r["members"] else 0})
    return list(cohorts.values())

# the usual short names of the provinces, shown on the tile map (the full name is its label and in the list)
PROVINCE_SHORT = {
    "11": "Aceh", "12": "Sumut", "13": "Sumbar", "14": "Riau", "15": "Jambi", "16": "Sumsel", "17": "Bkl",
    "18": "Lpg", "19": "Babel", "21": "Kepri", "31": "DKI", "32": "Jabar", "33": "Jateng", "34": "DIY",
    "35": "Jatim", "36": "Banten", "51": "Bali", "52": "NTB", "53": "NTT", "61": "Kalbar", "62": "Kalteng",
    "63": "Kalsel", "64": "Kaltim", "65": "Kaltara", "71": "Sulut", "72": "Sulteng", "73": "Sulsel",
    "74": "Sultra", "75": "Gtlo", "76": "Sulbar", "81": "Maluku", "82": "Malut", "91": "Papua", "92": "Pabar",
    "93": "Pasel", "94": "Pateng", "95": "Papeg", "96": "PBD",
}


def province_tiles(scope: Scope, day: date | None) -> list[dict]:
    """38 provinces on a tile grid (approximate geography), coloured by coverage of the informal workforce."""

    rows = {}
    if day is not None and scope.national:
        rows = {r["code"]: r for r in AreaSnapshot.objects.filter(day=day, level="province").values("code", "active")}
    names = dict(Region.objects.filter(level=1).values_list("code", "name"))
    tiles = []
    for code, (x, y) in TILE_GRID.items():
        active = int(rows.get(code, {}).get("active", 0))
        informal = informal_workers("province", code)
        pct = pct_of(active, informal) or 0
        tiles.append({"code": code, "name": names.get(code, code), "short_name": PROVINCE_SHORT.get(code, code),
                      "x": x, "y": y, "active": active,
                      "informal_workers": informal, "coverage_pct": pct})
    top = max((t["coverage_pct"] for t in tiles), default=0) or 1
    for t in tiles:
        t["shade"] = min(5, int(5 * t["coverage_pct"] / top)) if t["coverage_pct"] else 0
    return tiles

# column, row on a 15-wide grid, west to east, north to south
TILE_GRID = {
    "11": (0, 0), "12": (1, 0), "13": (1, 1), "14": (2, 1), "21": (3, 1), "15": (2, 2), "19": (3, 2),
    "16": (2, 3), "17": (1, 2), "18": (2, 4), "36": (3, 5), "31": (4, 5), "32": (4, 6), "33": (5, 6),
    "34": (5, 7), "35": (6, 6), "51": (7, 7), "52": (8, 7), "53": (9, 7), "61": (5, 2), "62": (6, 3),
    "63": (7, 4), "64": (7, 2), "65": (7, 1), "71": (10, 1), "75": (9, 1), "72": (9, 2), "76": (8, 3),
    "73": (8, 4), "74": (9, 4), "82": (11, 2), "81": (11, 4), "96": (12, 2), "92": (13, 2), "94": (13, 3),
    "91": (14, 2), "95": (14, 3), "93": (14, 4),
}


# --- regional summary ------------------------------------------------------------------------------

@dataclass
class RegionalSummary:
    office: str
    name: str
    year: int
    figures: dict
    sources: dict
    bpu_active: int
    bpu_inactive: int
    bpu_new: int
    informal_workers: int
    years: list

def regional_summary(office: str, year: int | None = None) -> RegionalSummary:
    figures_qs = SegmentFigure.objects.filter(office=office)
    years = sorted(set(figures_qs.values_list("year", flat=True)), reverse=True)
    year = year or (years[0] if years else date.today().year)
    figs = {f.metric: f for f in figures_qs.filter(year=year)}
    day = latest_day()
    level = "national" if office == "ID" else "regional"
    total = area_total(level, office, day)
    return RegionalSummary(
        office=office, name=area_name(level, office), year=year,
        figures={k: v.value for k, v in figs.items()}, sources={k: v.source for k, v in figs.items()},
        bpu_active=total["active"], bpu_inactive=total["inactive"], bpu_new=total["new_this_month"],
        informal_workers=informal_workers(level, office), years=years)

# --- dashboard ------------------------------------------------------------------------------------

def breadcrumb(scope: Scope, level: str, code: str) -> list[dict]:
    """The chain nation → regional office → branch → regency → district → village down to the area,
    keeping only the links the user may open."""

    chain: list[tuple[str, str]] = []
    if level in ("village", "district", "regency"):
        parts = code.split(".")
        chain = [(lv, ".".join(parts[:n])) for lv, n in (("regency", 2), ("district", 3), ("village", 4))
                 if n <= len(parts)]
        branch = Region.objects.filter(code=".".join(parts[:2])).values_list("branch_id", flat=True).first()
        chain.insert(0, ("branch", branch))
        level_b, code_b = "branch", branch
    else:
        level_b, code_b = level, code
        if level == "province":
            chain = [("province", code)]
    if level_b == "branch":
        if level == "branch":
            chain = [("branch", code)]
        ro = BranchOffice.objects.filter(code=code_b).values_list("regional_office_id", flat=True).first()
        chain.insert(0, ("regional", ro))
    elif level == "regional":
        chain = [("regional", code)]
    chain.insert(0, ("national", "ID"))
    out = []
    for lv, c in chain:
        try:
            check_area(scope, lv, c)
        except Exception:  # outside scope: shown without a link
            out.append({"level": lv, "code": c, "name": area_name(lv, c), "link": False})
            continue
        out.append({"level": lv, "code": c, "name": area_name(lv, c), "link": True})
    return out

def agent_leaderboard(level: str, code: str, limit: int = 10) -> list[dict]:
    """Agents ranked by members recruited (and how many are still active), from the daily AgentStat rows:
    offices by the agents' branches, regencies and below by the recruited members' regency."""
    from .models import AgentStat

    day = AgentStat.objects.order_by("-day").values_list("day", flat=True).first()
    if day is None:
        return []
    qs = AgentStat.objects.filter(day=day)
    branches = branch_codes_of(level, code)
    if level in ("regency", "district", "village"):
        qs = qs.filter(regency_code=code[:5])
    elif branches is not None:
        qs = qs.filter(branch_code__in=branches)
    rows = (qs.values("agent_code", "agent_name", "branch_code")
            .annotate(n=Sum("recruited"), a=Sum("active")).order_by("-n", "agent_code")[:limit])
    return [{"code": r["agent_code"], "name": r["agent_name"], "branch": r["branch_code"],
             "recruited": r["n"], "active": r["a"]} for r in rows]

def campaign_leaderboard(level: str, code: str, limit: int = 10) -> list[dict]:
    return board(branch_codes_of(level, code), limit)

def dashboard_tables(user, level: str, code: str) -> dict:
    """Every table of the dashboard: {key: {"title", "headers", "rows"}} — the page and the exports share it."""
    scope = scope_for(user)
    check_area(scope, level, code)
    day = latest_day()
    child, children = child_rows(scope, level, code, day)
    tables: dict = {}
    if child:
        rows = with_coverage(child, children)
        tables["areas"] = {
            "title": str(LEVEL_LABEL[child]), "child_level": child,
            "headers": [_("Kode"), _("Nama"), _("Aktif"), _("Nonaktif"), _("Menunggu verifikasi"), _("Baru bulan ini"),
                        _("Iuran bulan ini (Rp)"), _("Pekerja informal (perkiraan)"), _("Cakupan (%)")],
            "rows": [[r["code"], r["name"], r["active"], r["inactive"], r["pending"], r["new_this_month"],
                      r["contributions_this_month"], r["informal_workers"], r["coverage_pct"]] for r in rows]}
    series = monthly_series(level, code, day or date.today())
    tables["monthly"] = {
        "title": _("Pendaftaran dan iuran per bulan"),
        "headers": [_("Bulan"), _("Pendaftaran baru"), _("Iuran (Rp)"), _("Iuran bulan sama tahun lalu (Rp)"),
                    _("Pertumbuhan tahunan (%)")],
        "rows": [[s["month"], s["registrations"], s["contributions"], s["contributions_last_year"], s["yoy_pct"]]
                 for s in series]}
    cohorts = retention(level, code)
    ages = list(range(0, 13))
    tables["retention"] = {
        "title": _("Retensi per kohort (% yang membayar bulan ke-n)"),
        "headers": [_("Kohort (bulan iuran pertama)"), _("Peserta")] + [_("Bulan %(n)s") % {"n": a} for a in ages],
        "rows": [[c["cohort"], c["members"]] + [next((p["pct"] for p in c["points"] if p["age"] == a), None)
                                               for a in ages] for c in cohorts]}
    tables["agents"] = {
        "title": _("Peringkat agen Perisai"), "text_columns": 3,
        "headers": [_("Kode agen"), _("Nama"), _("Kantor cabang"), _("Peserta direkrut"), _("Masih aktif")],
        "rows": [[a["code"], a["name"], a["branch"], a["recruited"], a["active"]]
                 for a in agent_leaderboard(level, code)]}
    tables["campaigns"] = {
        "title": _("Peringkat kampanye"), "text_columns": 2,
        "headers": [_("Kampanye"), _("Jenis"), _("Prospek"), _("Terdaftar"), _("Bayar bulan pertama"), _("Konversi (%)")],
        "rows": [[c["name"], c["kind"], c["leads"], c["registered"], c["first_paid"], c["conversion_pct"]]
                 for c in campaign_leaderboard(level, code)]}
    return tables

def summary_rows(s: RegionalSummary) -> list[dict]:
    """The regional summary as labelled rows (page and export): imported segment figures beside BPU members
    computed from Jaring's own members."""
    f, src = s.figures, s.sources

    def num(key):
        v = f.get(key)
        return None if v is None else (int(v) if v == int(v) else float(v))

    segments = [num("active_formal"), num("active_informal"), num("active_construction")]
    total = num("active_total") or (sum(v for v in segments if v is not None) if any(segments) else None)
    workforce = num("workforce")
    computed_cov = round(100 * total / workforce, 2) if total and workforce else None
    rows = [
        (_("Cakupan kepesertaan (%)"), num("coverage_pct") if num("coverage_pct") is not None else computed_cov,
         src.get("coverage_pct", "dihitung: peserta aktif / pekerja")),
        (_("Peserta aktif seluruh segmen"), total, src.get("active_total", "")),
        (_("Penerima upah (formal)"), num("active_formal"), src.get("active_formal", "")),
        (_("Bukan penerima upah (informal) — dilaporkan"), num("active_informal"), src.get("active_informal", "")),
        (_("Jasa konstruksi"), num("active_construction"), src.get("active_construction", "")),
        (_("Proyek jasa konstruksi"), num("construction_projects"), src.get("construction_projects", "")),
        (_("Perusahaan"), num("companies"), src.get("companies", "")),
        (_("Iuran (Rp)"), num("contributions"), src.get("contributions", "")),
        (_("Pertumbuhan iuran (%)"), num("contributions_growth_pct"), src.get("contributions_growth_pct", "")),
        (_("Pekerja (penduduk bekerja)"), workforce, src.get("workforce", "")),
        (_("BPU aktif di Jaring"), s.bpu_active, "dihitung dari data peserta Jaring (snapshot harian)"),
        (_("BPU nonaktif di Jaring"), s.bpu_inactive, "dihitung dari data peserta Jaring (snapshot harian)"),
        (_("Pekerja informal (perkiraan)"), s.informal_workers, "BPS Sakernas Agustus 2024, dibagi per provinsi "
                                                            "(lihat insights/data/informal_workers.json)"),
        (_("Cakupan BPU Jaring terhadap pekerja informal (%)"),
         pct_of(s.bpu_active, s.informal_workers), "dihitung"),
    ]
    return [{"label": a, "value": b, "source": c} for a, b, c in rows]
