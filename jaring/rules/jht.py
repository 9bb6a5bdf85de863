"""JHT (old-age savings): yearly return crediting, balance projection and withdrawal conditions.

Crediting convention (one rule for the projection, the savings ledger and the statement):

* A contribution for month *m* (1 = January) is credited on the last day of month *m*.
* The year's return is credited once, on 31 December, at that year's declared rate ``r``:
  ``return = r × (opening × 12 + Σ amount_m × (12 − m)) / 12`` — the opening balance (everything
  credited up to 31 December of the previous year, returns included) earns a whole year, and each
  entry of the year earns for the whole months left after its month (January's contribution 11/12,
  December's 0/12). A withdrawal in month *m* counts negatively with the same weight.
* The return is rounded half-up to whole Rupiah once per year. Because the next year's opening
  balance includes this return, returns compound on the grown balance.

Rates are basis points (559 = 5.59%), from the dated table ``rules/data/jht_rates.json`` (or the
``savings.ReturnRate`` table in the running app). Each year's row says whether it is a published
figure (confidence H/M) or our assumption (A, shown as *perkiraan*) until the declared rate is entered.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Iterable

from .errors import RuleError

BP = 10_000
MONTHS = 12


def _round_div(num: int, den: int) -> int:
    """``num / den`` rounded half-up (away from zero for negatives), integers only."""
    if num >= 0:
        return (2 * num + den) // (2 * den)
    return -((-2 * num + den) // (2 * den))


def weighted_base(opening: int, entries: Iterable[tuple[int, int]]) -> int:
    """``opening × 12 + Σ amount × (12 − month)`` in Rupiah-months (see the module docstring)."""
    base = opening * MONTHS
    for month, amount in entries:
        if not 1 <= month <= 12:
            raise RuleError(f"Bulan {month} tidak valid.", {"month": "Bulan 1 sampai 12."})
        base += amount * (MONTHS - month)
    return base


def year_return(opening: int, entries: Iterable[tuple[int, int]], rate_bp: int) -> int:
    """The return credited on 31 December: ``rate × weighted_base / 12``, rounded half-up."""
    return _round_div(weighted_base(opening, entries) * rate_bp, MONTHS * BP)


@dataclass(frozen=True)
class ProjectedYear:
    year: int  # 1-based year of the projection
    opening: int
    contributions: int
    returns: int
    closing: int


def project(balance: int, monthly_contribution: int, years: int, rate_bp: int) -> list[ProjectedYear]:
    """Year-by-year balance: 12 monthly contributions each year, the year's return at year end."""
    rows = []
    opening = balance
    entries = [(m, monthly_contribution) for m in range(1, 13)]
    for y in range(1, years + 1):
        ret = year_return(opening, entries, rate_bp)
        contributed = monthly_contribution * MONTHS
        closing = opening + contributed + ret
        rows.append(ProjectedYear(y, opening, contributed, ret, closing))
        opening = closing
    return rows


def rate_to_bp(rate) -> int:
    """``annual_rate`` as a percentage (5.63 = 5.63%); a value below 1 is read as a fraction
    (0.0563 = 5.63%) because no declared JHT return has ever been under 1%."""
    try:
        r = float(rate)
    except (TypeError, ValueError):
        msg = "Tingkat hasil pengembangan harus berupa angka persen, misalnya 5.63."
        raise RuleError(msg, {"annual_rate": msg})
    if r != r or r < 0 or r > 100:
        msg = "Tingkat hasil pengembangan harus antara 0 dan 100 persen setahun."
        raise RuleError(msg, {"annual_rate": msg})
    if 0 < r < 1:
        r *= 100
    return int(round(r * 100))


def _nonneg_int(value, name, label, maximum=None) -> int:
    if isinstance(value, bool):
        value = None
    try:
        if isinstance(value, float) and not value.is_integer():
            raise ValueError
        n = int(value)
    except (TypeError, ValueError):
        msg = f"{label} harus berupa bilangan bulat Rupiah atau tahun."
        raise RuleError(msg, {name: msg})
    if n < 0 or (maximum is not None and n > maximum):
        msg = f"{label} harus antara 0 dan {maximum}." if maximum is not None else f"{label} tidak boleh negatif."
        raise RuleError(msg, {name: msg})
    return n


def projection_estimate(body: dict, rates: "RateTable | None" = None) -> dict:
    """CONTRACT JHT body → ``{"components": {"projected_balance": n}, "total": n, ...}``."""
    balance = _nonneg_int(body.get("balance", 0), "balance", "Saldo awal")
    monthly = _nonneg_int(body.get("monthly_contribution", 0), "monthly_contribution", "Iuran JHT sebulan")
    years = _nonneg_int(body.get("years"), "years", "Lama tahun", 60)
    rate_row = None
    if body.get("annual_rate") is None:
        rate_row = (rates or default_rates()).latest_row()
        rate_bp = rate_row.rate_bp
    else:
        rate_bp = rate_to_bp(body.get("annual_rate"))
    rows = project(balance, monthly, years, rate_bp)
    final = rows[-1].closing if rows else balance
    notes = ["Perkiraan: hasil pengembangan tahun-tahun mendatang belum diketahui; simulasi memakai satu tarif "
             f"tetap {rate_bp // 100},{rate_bp % 100:02d}% setahun."]
    if rate_row is not None:
        if rate_row.is_assumption:
            notes.append(f"Tarif {rate_row.year} ({rate_bp // 100},{rate_bp % 100:02d}%) adalah perkiraan, belum "
                         "tarif yang diumumkan BPJS Ketenagakerjaan.")
        else:
            notes.append(f"Tarif yang dipakai: hasil pengembangan yang diumumkan untuk tahun {rate_row.year}.")
    return {
        "program": "JHT", "case": "projection",
        "components": {"projected_balance": final},
        "total": final,
        "projected_balance": final,
        "contributions": monthly * MONTHS * years,
        "returns": final - balance - monthly * MONTHS * years,
        "annual_rate_bp": rate_bp,
        "years": [{"year": r.year, "opening": r.opening, "contributions": r.contributions, "returns": r.returns,
                   "closing": r.closing} for r in rows],
        "rate_year": rate_row.year if rate_row else None,
        "rate_is_assumption": rate_row.is_assumption if rate_row else None,
        "rate_source": rate_row.source if rate_row else None,
        "notes": notes,
        "convention": ("Iuran bulan ke-m dikreditkan di akhir bulan itu; hasil pengembangan dikreditkan "
                       "31 Desember = tarif × (saldo awal × 12 + Σ iuran × (12 − m)) / 12, dibulatkan ke rupiah; "
                       "saldo tahun berikutnya sudah termasuk hasil itu (majemuk)."),
    }


# --- dated return rates -----------------------------------------------------------------------------

ASSUMPTION = "A"


@dataclass(frozen=True)
class RateRow:
    year: int
    rate_bp: int
    confidence: str  # H/M published, A our assumption (shown as "perkiraan")
    source: str

    @property
    def is_assumption(self) -> bool:
        return self.confidence == ASSUMPTION


@dataclass(frozen=True)
class RateTable:
    rows: tuple[RateRow, ...]

    def row_for(self, year: int) -> RateRow:
        for r in self.rows:
            if r.year == year:
                return r
        msg = f"Tingkat hasil pengembangan JHT tahun {year} belum ditetapkan di tabel tarif."
        raise RuleError(msg, {"year": msg})

    def rate_for(self, year: int) -> int:
        return self.row_for(year).rate_bp

    def latest_row(self) -> RateRow:
        return max(self.rows, key=lambda r: r.year)

    def latest(self) -> tuple[int, int]:
        r = self.latest_row()
        return r.year, r.rate_bp

    @classmethod
    def from_dict(cls, data: dict) -> "RateTable":
        return cls(tuple(RateRow(int(r["year"]), int(r["rate_bp"]), str(r.get("confidence") or ASSUMPTION),
                                 r.get("source", "")) for r in data["rates"]))


def default_rate_data() -> dict:
    return json.loads(resources.files("jaring.rules").joinpath("data", "jht_rates.json").read_text("utf-8"))


def default_rates() -> RateTable:
    return RateTable.from_dict(default_rate_data())


# --- withdrawal conditions (Permenaker 4/2022) -------------------------------------------------------

FULL_REASONS = ("age", "death", "total_disability", "leave_indonesia", "stop_work")
PARTIAL_REASONS = ("partial_housing", "partial_other")
REASONS = FULL_REASONS + PARTIAL_REASONS

REASON_LABELS = {
    "age": "Mencapai usia pensiun (56 tahun)",
    "death": "Peserta meninggal dunia",
    "total_disability": "Cacat total tetap",
    "leave_indonesia": "Meninggalkan Indonesia untuk selamanya",
    "stop_work": "Berhenti bekerja / berhenti usaha",
    "partial_housing": "Sebagian (30%) untuk perumahan",
    "partial_other": "Sebagian (10%) untuk keperluan lain",
}


def _add_months(d: date, n: int) -> date:
    import calendar

    idx = d.year * 12 + d.month - 1 + n
    y, m = idx // 12, idx % 12 + 1
    return date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def age_on(birth_date: date, on: date) -> int:
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


@dataclass(frozen=True)
class Withdrawal:
    reason: str
    amount: int
    full: bool


def withdrawal(reason: str, balance: int, *, claim_date: date, birth_date: date | None = None,
               member_since: date | None = None, event_date: date | None = None,
               partial_taken: bool = False, tables=None) -> Withdrawal:
    """Whether a JHT withdrawal may be paid and how much; refuses with the reason a person can read.

    ``event_date`` is the day work stopped (``stop_work``) or the event itself; ``member_since``
    the first contribution month (membership years for the partial withdrawal)."""
    from .benefits import bp_of, default_tables

    tables = tables or default_tables()
    row = tables.jht_withdrawal(claim_date)
    if reason not in REASONS:
        msg = f"Alasan pencairan JHT '{reason}' tidak dikenal; pilih: {', '.join(REASONS)}."
        raise RuleError(msg, {"case": msg})
    if balance <= 0:
        msg = "Saldo JHT kosong: belum ada iuran JHT yang dibayar."
        raise RuleError(msg, {"case": msg})
    if reason == "age":
        if birth_date is None or age_on(birth_date, claim_date) < row["full_age"]:
            msg = f"JHT penuh karena usia baru dapat dicairkan pada usia {row['full_age']} tahun."
            raise RuleError(msg, {"case": msg})
    if reason == "stop_work":
        if event_date is None:
            msg = "Isi tanggal berhenti bekerja."
            raise RuleError(msg, {"event_date": msg})
        ready = _add_months(event_date, row["stop_work_waiting_months"])
        if claim_date < ready:
            msg = (f"Pencairan karena berhenti bekerja baru dapat diajukan setelah masa tunggu "
                   f"{row['stop_work_waiting_months']} bulan, yaitu mulai {ready.isoformat()}.")
            raise RuleError(msg, {"event_date": msg})
    if reason in PARTIAL_REASONS:
        if partial_taken:
            msg = "Pencairan sebagian JHT hanya boleh satu kali dan sudah pernah diambil."
            raise RuleError(msg, {"case": msg})
        years = row["partial_min_years"]
        if member_since is None or _add_months(member_since, years * 12) > claim_date:
            msg = f"Pencairan sebagian JHT baru dapat diajukan setelah {years} tahun kepesertaan."
            raise RuleError(msg, {"case": msg})
        bp = row["partial_housing_bp"] if reason == "partial_housing" else row["partial_other_bp"]
        return Withdrawal(reason, bp_of(balance, bp), False)
    return Withdrawal(reason, balance, True)
