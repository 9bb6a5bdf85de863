"""Sertakan and government programmes (SPEC 2.5), pure Python.

- :func:`allocate_whole` — a group payment credits whole workers only: in invoice order, every worker
  whose full amount still fits in the money available is taken; what fits nobody is left over.
- :func:`programme_cost` — what a programme costs at full quota over its months, from the dated
  contribution schedule (APBD/APBN-funded months get no PP 50/2025 discount: the schedule's own rule).
"""

from __future__ import annotations

from datetime import date
from typing import Sequence

from .contributions import Schedule, quote
from .errors import RuleError
from .periods import iter_months


def allocate_whole(amounts: Sequence[int], available: int) -> tuple[list[int], int]:
    """Indexes of the workers credited (in order) and the Rupiah left over.

    >>> allocate_whole([694_400, 109_200, 134_400], 250_000)
    ([1, 2], 6400)
    """
    if available < 0 or any(a <= 0 for a in amounts):
        raise RuleError("Jumlah pembayaran dan tagihan per pekerja harus Rupiah positif.")
    chosen, left = [], int(available)
    for i, amount in enumerate(amounts):
        if amount <= left:
            chosen.append(i)
            left -= amount
    return chosen, left


def programme_cost(schedule: Schedule, workers: int, start: date, end: date, *, income: int | None = None,
                   programs: str = "JKK,JKM", funding: str = "apbd", sector: str = "other") -> dict:
    """Cost of ``workers`` workers for every month from ``start`` to ``end`` at ``income`` (default: the
    minimum declared income of the first month). Returns per-month and total Rupiah."""
    if workers < 0:
        raise RuleError("Jumlah pekerja tidak boleh negatif.", {"quota": "Isi 0 atau lebih."})
    months = list(iter_months(start, end))
    if not months:
        raise RuleError("Bulan akhir tidak boleh sebelum bulan awal.", {"end_month": "Sebelum bulan awal."})
    income = income or schedule.band(months[0]).minimum
    monthly = [quote(schedule, income, programs, m, sector, funding).total for m in months]
    return {"months": len(months), "monthly_first": monthly[0], "per_worker": sum(monthly), "workers": workers,
            "total": sum(monthly) * workers}
