"""Contribution periods are calendar months written ``YYYY-MM``; internally the first day of the month."""

from __future__ import annotations

import re
from datetime import date

from .errors import RuleError

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(text: str, field: str = "month") -> date:
    m = _MONTH.match(str(text).strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise RuleError(
            f"Bulan '{text}' tidak valid: tulis sebagai TTTT-BB, misalnya 2026-04.",
            {field: "Format bulan TTTT-BB, misalnya 2026-04."},
        )
    return date(int(m.group(1)), int(m.group(2)), 1)


def month_str(d: date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


def first_of_month(d: date) -> date:
    return d.replace(day=1)


def add_months(d: date, n: int) -> date:
    index = d.year * 12 + (d.month - 1) + n
    return date(index // 12, index % 12 + 1, 1)


def month_index(d: date) -> int:
    """Months since year 0: differences of two indexes count months between periods."""
    return d.year * 12 + (d.month - 1)


def months_between(start: date, end: date) -> int:
    """Whole months from ``start``'s month to ``end``'s month (0 when the same month)."""
    return month_index(end) - month_index(start)


def iter_months(start: date, end: date):
    """Every month from ``start`` to ``end`` inclusive."""
    cur = first_of_month(start)
    last = first_of_month(end)
    while cur <= last:
        yield cur
        cur = add_months(cur, 1)
