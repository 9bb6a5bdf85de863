"""Benefits of the BPU programs (SPEC 2.4): JKK, JKM and the scholarship; wage = declared monthly income.

Every figure comes from the effective-dated rows of ``rules/data/benefits.json`` (PP 82/2019,
Permenaker 5/2021, Permenaker 4/2022) through :class:`BenefitTables`; nothing here is a literal.

An :class:`Estimate` holds named components in integer Rupiah; its ``total`` is always the sum of
the components. Amounts that are possible but not certain (the scholarship, paid yearly while the
children are at school) are ``extras`` and never part of the total.

Rounding: percentages are basis points; each component is rounded half-up to whole Rupiah.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from importlib import resources

from .errors import RuleError

BP = 10_000

JKK_CASES = ("death", "total_disability", "partial_disability", "temporary_incapacity")
PROGRAMS = ("JKK", "JKM", "JHT")
SCHOOL_LEVELS = ("TK", "SD", "SMP", "SMA", "PT")


def _date(v) -> date | None:
    if v is None or isinstance(v, date):
        return v
    return date.fromisoformat(v)


def bp_of(amount: int, bp: int) -> int:
    """``bp`` basis points of ``amount``, rounded half-up to whole Rupiah (integers only)."""
    return (amount * bp + BP // 2) // BP


@dataclass(frozen=True)
class BenefitTables:
    """The dated benefit rows; ``row(kind, on)`` picks the one in force on a date."""

    data: dict

    def row(self, kind: str, on: date | None = None) -> dict:
        on = on or date.today()
        for r in self.data.get(kind, []):
            start, end = _date(r["valid_from"]), _date(r.get("valid_to"))
            if start <= on and (end is None or on <= end):
                return r
        msg = f"Belum ada aturan manfaat {kind} yang berlaku pada {on.isoformat()}."
        raise RuleError(msg, {"event_date": msg})

    def jkk(self, on=None) -> dict:
        return self.row("jkk", on)

    def jkm(self, on=None) -> dict:
        return self.row("jkm", on)

    def scholarship(self, on=None) -> dict:
        return self.row("scholarship", on)

    def jht_withdrawal(self, on=None) -> dict:
        return self.row("jht_withdrawal", on)


def default_data() -> dict:
    raw = resources.files("jaring.rules").joinpath("data", "benefits.json").read_text("utf-8")
    return json.loads(raw)


_DEFAULT: BenefitTables | None = None


def default_tables() -> BenefitTables:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = BenefitTables(default_data())
    return _DEFAULT


@dataclass
class Estimate:
    program: str
    case: str
    components: dict[str, int] = field(default_factory=dict)
    extras: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.components.values())

    def as_dict(self) -> dict:
        out = {"program": self.program, "case": self.case, "components": dict(self.components),
               "total": self.total}
        out.update(self.extras)
        if self.notes:
            out["notes"] = list(self.notes)
        return out


# --- input checks ----------------------------------------------------------------------------------

def _int(value, name: str, label: str, minimum: int = 0, maximum: int | None = None) -> int:
    if isinstance(value, bool):
        value = None
    if value is None or value == "":
        msg = f"{label} wajib diisi."
        raise RuleError(msg, {name: msg})
    try:
        if isinstance(value, float) and not value.is_integer():
            raise ValueError
        n = int(value)
    except (TypeError, ValueError):
        msg = f"{label} harus berupa bilangan bulat."
        raise RuleError(msg, {name: msg})
    if n < minimum:
        msg = f"{label} tidak boleh kurang dari {minimum:,}.".replace(",", ".")
        raise RuleError(msg, {name: msg})
    if maximum is not None and n > maximum:
        msg = f"{label} tidak boleh lebih dari {maximum:,}.".replace(",", ".")
        raise RuleError(msg, {name: msg})
    return n


def check_wage(wage) -> int:
    return _int(wage, "wage", "Upah (penghasilan sebulan)", 0)


def check_percent_bp(percent) -> int:
    """A disability percentage 0–100 (decimals allowed) → basis points."""
    try:
        p = float(percent)
    except (TypeError, ValueError):
        msg = "Persentase cacat harus berupa angka 0 sampai 100."
        raise RuleError(msg, {"percent": msg})
    if not 0 <= p <= 100 or p != p:
        msg = "Persentase cacat harus antara 0 dan 100 (persen dari tabel cacat)."
        raise RuleError(msg, {"percent": msg})
    return int(round(p * 100))


def check_children(children) -> int:
    return _int(2 if children is None else children, "children", "Jumlah anak", 0, 20)


# --- JKK -------------------------------------------------------------------------------------------

def scholarship_per_child(tables: BenefitTables, on=None) -> int:
    """The whole scholarship for one child across every level (Rp87,000,000 under PP 82/2019)."""
    row = tables.scholarship(on)
    return sum(lv["per_year"] * lv["max_years"] for lv in row["levels"])


def scholarship_max(tables: BenefitTables, children: int = 2, on=None) -> int:
    """At most ``max_children`` children (2) get the scholarship: Rp174,000,000 for two."""
    row = tables.scholarship(on)
    return scholarship_per_child(tables, on) * min(max(children, 0), row["max_children"])


def jkk_death(wage, tables: BenefitTables | None = None, on=None, children=2) -> Estimate:
    """Death from a work accident: 60% × 80 × wage (= 48×) but never below the JKM lump sum,
    plus funeral and the periodic benefit paid at once; scholarship for up to 2 children."""
    tables = tables or default_tables()
    wage, children = check_wage(wage), check_children(children)
    r = tables.jkk(on)
    formula = bp_of(wage * r["disability_base_months"], r["death_bp"])
    e = Estimate("JKK", "death")
    e.components["lump_sum"] = max(formula, r["death_floor"])
    e.components["funeral"] = r["funeral"]
    e.components["periodic"] = r["periodic"]
    e.extras["scholarship_max"] = scholarship_max(tables, children, on)
    e.extras["scholarship_per_child"] = scholarship_per_child(tables, on)
    if formula < r["death_floor"]:
        e.notes.append("Santunan kematian dinaikkan ke batas bawah santunan JKM.")
    return e


def jkk_total_disability(wage, tables: BenefitTables | None = None, on=None, children=2) -> Estimate:
    """Total permanent disability: 70% × 80 × wage (= 56×) plus the periodic benefit; scholarship."""
    tables = tables or default_tables()
    wage, children = check_wage(wage), check_children(children)
    r = tables.jkk(on)
    e = Estimate("JKK", "total_disability")
    e.components["lump_sum"] = bp_of(wage * r["disability_base_months"], r["total_disability_bp"])
    e.components["periodic"] = r["periodic"]
    e.extras["scholarship_max"] = scholarship_max(tables, children, on)
    e.extras["scholarship_per_child"] = scholarship_per_child(tables, on)
    return e


def jkk_partial_disability(wage, percent, tables: BenefitTables | None = None, on=None) -> Estimate:
    """Partial permanent disability: table % × 80 × wage."""
    tables = tables or default_tables()
    wage, pbp = check_wage(wage), check_percent_bp(percent)
    r = tables.jkk(on)
    e = Estimate("JKK", "partial_disability")
    e.components["lump_sum"] = bp_of(wage * r["disability_base_months"], pbp)
    e.extras["percent_bp"] = pbp
    return e


def jkk_temporary_incapacity(wage, months, tables: BenefitTables | None = None, on=None) -> Estimate:
    """STMB: 100% of the wage for each of the first 12 months, 50% for each month after."""
    tables = tables or default_tables()
    wage = check_wage(wage)
    months = _int(months, "months", "Lama tidak mampu bekerja (bulan)", 0, 600)
    r = tables.jkk(on)
    full = min(months, r["stmb_full_months"])
    after = months - full
    e = Estimate("JKK", "temporary_incapacity")
    e.components["temporary_incapacity"] = (bp_of(wage * full, r["stmb_full_bp"])
                                            + bp_of(wage * after, r["stmb_after_bp"]))
    e.extras["months_full"] = full
    e.extras["months_half"] = after
    return e


def jkk_costs(transport_mode: str | None = None, transport_cost=0, home_care_cost=0, home_care_months=0,
              tables: BenefitTables | None = None, on=None) -> dict[str, int]:
    """Reimbursed JKK costs, each capped: transport Rp5m land/river/lake, Rp2m sea, Rp10m air; home
    care up to Rp20m for at most 12 months (medical care itself has no cap and is paid to the provider)."""
    tables = tables or default_tables()
    r = tables.jkk(on)
    out: dict[str, int] = {}
    cost = _int(transport_cost or 0, "transport_cost", "Biaya transportasi", 0)
    if cost:
        caps = r["transport_max"]
        if transport_mode not in caps:
            msg = f"Pilih moda transportasi: {', '.join(caps)}."
            raise RuleError(msg, {"transport_mode": msg})
        out["transport"] = min(cost, caps[transport_mode])
    care = _int(home_care_cost or 0, "home_care_cost", "Biaya perawatan di rumah", 0)
    if care:
        months = _int(home_care_months or 0, "home_care_months", "Lama perawatan di rumah (bulan)", 0, 600)
        if months > r["home_care_max_months"]:
            msg = f"Perawatan di rumah ditanggung paling lama {r['home_care_max_months']} bulan."
            raise RuleError(msg, {"home_care_months": msg})
        out["home_care"] = min(care, r["home_care_max"])
    return out


# --- JKM -------------------------------------------------------------------------------------------

def jkm_full_entitled(consecutive_paid_months: int, tables: BenefitTables | None = None, on=None) -> bool:
    tables = tables or default_tables()
    return consecutive_paid_months >= tables.jkm(on)["waiting_consecutive_paid_months"]


def jkm_scholarship_entitled(contribution_months: int, tables: BenefitTables | None = None, on=None) -> bool:
    tables = tables or default_tables()
    return contribution_months >= tables.jkm(on)["scholarship_min_contribution_months"]


def jkm_death(consecutive_paid_months, contribution_months=None, tables: BenefitTables | None = None, on=None,
              children=2) -> Estimate:
    """Death not from work: Rp42m (Rp20m lump sum + Rp12m periodic + Rp10m funeral) after 3
    consecutive paid months since registration or continuation; before that Rp10m in all, as Rp8m
    santunan + Rp2m funeral (SPEC 2.4 waiting rule); scholarship after 3 years of contributions."""
    tables = tables or default_tables()
    paid = _int(consecutive_paid_months, "consecutive_paid_months", "Bulan iuran berturut-turut", 0, 1200)
    months = paid if contribution_months is None else _int(contribution_months, "contribution_months",
                                                           "Lama iuran (bulan)", 0, 1200)
    children = check_children(children)
    r = tables.jkm(on)
    e = Estimate("JKM", "death")
    if jkm_full_entitled(paid, tables, on):
        e.components["lump_sum"] = r["lump_sum"]
        e.components["periodic"] = r["periodic"]
        e.components["funeral"] = r["funeral"]
    else:
        e.components["lump_sum"] = r["waiting_santunan"]
        e.components["funeral"] = r["waiting_funeral"]
        total = r["waiting_santunan"] + r["waiting_funeral"]
        e.notes.append(f"Belum {r['waiting_consecutive_paid_months']} bulan iuran berturut-turut sejak mendaftar "
                       f"atau sejak kepesertaan dilanjutkan: manfaat Rp{total:,} (santunan Rp{r['waiting_santunan']:,}"
                       f" dan biaya pemakaman Rp{r['waiting_funeral']:,}).".replace(",", "."))
    e.extras["waiting_period_met"] = jkm_full_entitled(paid, tables, on)
    if jkm_scholarship_entitled(months, tables, on):
        e.extras["scholarship_max"] = scholarship_max(tables, children, on)
    else:
        e.extras["scholarship_max"] = 0
        years = r["scholarship_min_contribution_months"] // 12
        e.notes.append(f"Beasiswa anak baru berlaku setelah {years} tahun masa iuran.")
    e.extras["scholarship_per_child"] = scholarship_per_child(tables, on)
    return e


# --- scholarship schedule ---------------------------------------------------------------------------

@dataclass(frozen=True)
class ScholarshipYear:
    year: int
    level: str
    amount: int


def scholarship_schedule(start_year: int, level: str, years_done: int = 0, birth_date: date | None = None,
                         tables: BenefitTables | None = None, on=None) -> list[ScholarshipYear]:
    """One child's yearly entitlements from ``level`` on (``years_done`` already paid in that level),
    moving up TK → SD → SMP → SMA → PT, each level at most its years, while the child is under the
    age limit (23) on 1 January of the school year."""
    tables = tables or default_tables()
    row = tables.scholarship(on)
    codes = [lv["code"] for lv in row["levels"]]
    level = (level or "").upper()
    if level not in codes:
        msg = f"Jenjang sekolah '{level}' tidak dikenal; pilih: {', '.join(codes)}."
        raise RuleError(msg, {"level": msg})
    out: list[ScholarshipYear] = []
    year = start_year
    for lv in row["levels"][codes.index(level):]:
        skip = years_done if lv["code"] == level else 0
        for _ in range(max(lv["max_years"] - skip, 0)):
            if birth_date is not None:
                age = year - birth_date.year - (1 if (1, 1) < (birth_date.month, birth_date.day) else 0)
                if age >= row["max_child_age"]:
                    return out
            out.append(ScholarshipYear(year, lv["code"], lv["per_year"]))
            year += 1
    return out


# --- the simulation body (POST /api/v1/benefits/estimate) -------------------------------------------

def estimate(body: dict, tables: BenefitTables | None = None, on: date | None = None, jht_rates=None) -> dict:
    """CONTRACT benefit simulation: ``{"program", "case", ...}`` → ``{"components", "total", ...}``.
    ``jht_rates`` (a :class:`jaring.rules.jht.RateTable`) gives the JHT default rate; the shipped data if None."""
    from . import jht

    tables = tables or default_tables()
    program = str(body.get("program") or "").strip().upper()
    if program not in PROGRAMS:
        msg = f"Program '{body.get('program')}' tidak dikenal; pilih JKK, JKM atau JHT."
        raise RuleError(msg, {"program": msg})
    if program == "JKK":
        case = str(body.get("case") or "").strip()
        if case not in JKK_CASES:
            msg = f"Kasus '{body.get('case')}' tidak dikenal; pilih salah satu: {', '.join(JKK_CASES)}."
            raise RuleError(msg, {"case": msg})
        wage = body.get("wage")
        if case == "death":
            e = jkk_death(wage, tables, on, body.get("children"))
        elif case == "total_disability":
            e = jkk_total_disability(wage, tables, on, body.get("children"))
        elif case == "partial_disability":
            e = jkk_partial_disability(wage, body.get("percent"), tables, on)
        else:
            e = jkk_temporary_incapacity(wage, body.get("months"), tables, on)
        return e.as_dict()
    if program == "JKM":
        case = body.get("case")
        if case not in (None, "", "death"):
            msg = f"Kasus JKM '{case}' tidak dikenal; JKM hanya untuk kematian (death)."
            raise RuleError(msg, {"case": msg})
        return jkm_death(body.get("consecutive_paid_months"), body.get("contribution_months"), tables, on,
                         body.get("children")).as_dict()
    return jht.projection_estimate(body, jht_rates)
