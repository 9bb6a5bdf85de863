"""Monthly BPU contribution: JKK + JKM (+ JHT), with the effective-dated PP 50/2025 discount.

Figures are never literals here: they come in through a :class:`Schedule` built from dated rows
(``rules/data/contributions.json`` by default, the database tables in the running app).

Rounding: each component is rounded half-up to whole Rupiah on its own (percent of the base,
then the discount on that component), and the total is the sum of the rounded components, so
the parts always add up to the total.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from typing import Iterable

from .errors import RuleError
from .periods import month_str, parse_month

REQUIRED_PROGRAMS = ("JKK", "JKM")  # the minimum BPU package (SPEC 2.1)
OPTIONAL_PROGRAMS = ("JHT",)
NOT_FOR_BPU = ("JP", "JKP")
PROGRAMS = REQUIRED_PROGRAMS + OPTIONAL_PROGRAMS
SECTORS = ("transport", "other")
FUNDING = ("self", "sponsor", "apbd", "apbn")
BP = 10_000  # basis points in one whole (1% = 100 bp)


def _date(v) -> date | None:
    if v is None or isinstance(v, date):
        return v
    return date.fromisoformat(v)


def _in_window(d: date, start: date, end: date | None) -> bool:
    return start <= d and (end is None or d <= end)


def percent_of(amount: int, bp: int) -> int:
    """``bp`` basis points of ``amount`` in whole Rupiah, rounded half-up (integers only)."""
    return (amount * bp + BP // 2) // BP


@dataclass(frozen=True)
class Rate:
    program: str
    basis: str  # "percent_bp": value is basis points of the base; "flat": value is Rupiah
    value: int
    valid_from: date
    valid_to: date | None = None
    source: str = ""

    def amount(self, base: int) -> int:
        return percent_of(base, self.value) if self.basis == "percent_bp" else self.value


@dataclass(frozen=True)
class IncomeBand:
    minimum: int
    maximum: int
    valid_from: date
    valid_to: date | None = None
    source: str = ""
    # Optional official step table: (lower bound, nominal base). Empty: the base is the income.
    steps: tuple[tuple[int, int], ...] = ()

    def base_for(self, income: int) -> int:
        base = income
        for lower, nominal in sorted(self.steps):
            if income >= lower:
                base = nominal
        return base


@dataclass(frozen=True)
class Discount:
    name: str
    programs: frozenset[str]
    percent_bp: int
    sectors: frozenset[str]
    from_month: date
    to_month: date
    excluded_funding: frozenset[str] = frozenset()
    source: str = ""

    def applies(self, month: date, sector: str, funding: str) -> bool:
        return (
            sector in self.sectors
            and funding not in self.excluded_funding
            and self.from_month <= month <= self.to_month
        )


@dataclass(frozen=True)
class Schedule:
    rates: tuple[Rate, ...]
    bands: tuple[IncomeBand, ...]
    discounts: tuple[Discount, ...] = ()

    def rate(self, program: str, month: date) -> Rate:
        for r in self.rates:
            if r.program == program and _in_window(month, r.valid_from, r.valid_to):
                return r
        raise RuleError(f"Tidak ada tarif {program} yang berlaku untuk bulan {month_str(month)}.",
                        {"month": f"Tarif {program} belum ada untuk bulan ini."})

    def band(self, month: date) -> IncomeBand:
        for b in self.bands:
            if _in_window(month, b.valid_from, b.valid_to):
                return b
        raise RuleError(f"Tidak ada batas penghasilan yang berlaku untuk bulan {month_str(month)}.",
                        {"month": "Batas penghasilan belum ada untuk bulan ini."})

    def discount_for(self, program: str, month: date, sector: str, funding: str) -> Discount | None:
        for d in self.discounts:
            if program in d.programs and d.applies(month, sector, funding):
                return d
        return None

    @classmethod
    def from_dict(cls, data: dict) -> "Schedule":
        rates = tuple(
            Rate(r["program"], r["basis"], int(r["value"]), _date(r["valid_from"]), _date(r.get("valid_to")),
                 r.get("source", ""))
            for r in data["rates"]
        )
        bands = tuple(
            IncomeBand(int(b["minimum"]), int(b["maximum"]), _date(b["valid_from"]), _date(b.get("valid_to")),
                       b.get("source", ""), tuple((int(lo), int(nom)) for lo, nom in b.get("steps", [])))
            for b in data["income_bands"]
        )
        discounts = tuple(
            Discount(d["name"], frozenset(d["programs"]), int(d["percent_bp"]), frozenset(d["sectors"]),
                     parse_month(d["from_month"]), parse_month(d["to_month"]),
                     frozenset(d.get("excluded_funding", [])), d.get("source", ""))
            for d in data.get("discounts", [])
        )
        return cls(rates, bands, discounts)


def default_data() -> dict:
    """The shipped, sourced schedule (``rules/data/contributions.json``)."""
    raw = resources.files("jaring.rules").joinpath("data", "contributions.json").read_text("utf-8")
    return json.loads(raw)


def default_schedule() -> Schedule:
    return Schedule.from_dict(default_data())


@dataclass(frozen=True)
class Quote:
    month: str
    jkk: int
    jkm: int
    jht: int
    total: int
    discount: int
    base: int = 0
    gross: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"month": self.month, "jkk": self.jkk, "jkm": self.jkm, "jht": self.jht,
                "total": self.total, "discount": self.discount}


def parse_programs(programs: str | Iterable[str]) -> tuple[str, ...]:
    """``"JKK,JKM,JHT"`` or a list → a normalised tuple; refuses packages BPU cannot have."""
    if isinstance(programs, str):
        items = [p for p in (x.strip().upper() for x in programs.split(",")) if p]
    else:
        items = [str(p).strip().upper() for p in programs if str(p).strip()]
    unknown = [p for p in items if p not in PROGRAMS]
    if unknown:
        not_bpu = [p for p in unknown if p in NOT_FOR_BPU]
        if not_bpu:
            msg = f"Program {', '.join(not_bpu)} tidak tersedia untuk pekerja BPU; pilih JKK, JKM dan boleh JHT."
        else:
            msg = f"Program tidak dikenal: {', '.join(unknown)}. Pilih JKK, JKM dan boleh JHT."
        raise RuleError(msg, {"programs": msg})
    missing = [p for p in REQUIRED_PROGRAMS if p not in items]
    if missing:
        msg = "JKK dan JKM wajib diikuti bersama; JHT boleh ditambahkan."
        raise RuleError(msg, {"programs": msg})
    return tuple(p for p in PROGRAMS if p in items)


def check_choice(value: str, allowed: tuple[str, ...], field_name: str, label: str) -> str:
    v = (value or "").strip().lower()
    if v not in allowed:
        msg = f"{label} '{value}' tidak dikenal; pilih salah satu: {', '.join(allowed)}."
        raise RuleError(msg, {field_name: msg})
    return v


def check_income(schedule: Schedule, income: int, month: date) -> int:
    band = schedule.band(month)
    if income < band.minimum or income > band.maximum:
        msg = (f"Penghasilan sebulan harus antara Rp{band.minimum:,} dan Rp{band.maximum:,}"
               .replace(",", ".") + f"; yang diisi Rp{income:,}.".replace(",", "."))
        raise RuleError(msg, {"income": msg})
    return band.base_for(income)


def quote(schedule: Schedule, income: int, programs, month: date | str,
          sector: str = "other", funding: str = "self") -> Quote:
    """What one member pays for one contribution month, per program, after any discount."""
    if isinstance(month, str):
        month = parse_month(month)
    month = month.replace(day=1)
    try:
        income = int(income)
    except (TypeError, ValueError):
        raise RuleError("Penghasilan harus berupa angka Rupiah bulat.", {"income": "Isi angka Rupiah bulat."})
    chosen = parse_programs(programs)
    sector = check_choice(sector, SECTORS, "sector", "Sektor")
    funding = check_choice(funding, FUNDING, "funding", "Sumber dana")
    base = check_income(schedule, income, month)
    net: dict[str, int] = {}
    gross: dict[str, int] = {}
    off_total = 0
    for program in PROGRAMS:
        if program not in chosen:
            net[program] = gross[program] = 0
            continue
        amount = schedule.rate(program, month).amount(base)
        d = schedule.discount_for(program, month, sector, funding)
        off = percent_of(amount, d.percent_bp) if d else 0
        gross[program] = amount
        net[program] = amount - off
        off_total += off
    return Quote(month_str(month), net["JKK"], net["JKM"], net["JHT"],
                 net["JKK"] + net["JKM"] + net["JHT"], off_total, base, gross)
