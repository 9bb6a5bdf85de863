"""Prepaid balance (*tabungan iuran*, SPEC 2.9): how many whole months a balance pays, and the top-up bounds.

Pure functions; the bounds are data (rules/data/prepaid.json, with their source)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)
def limits() -> dict:
    return json.loads((Path(__file__).parent / "data" / "prepaid.json").read_text(encoding="utf-8"))


def months_paid(balance: int, prices: list[int]) -> int:
    """How many of ``prices`` (months in order, oldest unpaid first) ``balance`` pays in whole: a month is
    paid only when the balance covers it entirely, and the months stay in order (never skip one)."""
    n = 0
    for price in prices:
        if price <= 0 or balance < price:
            break
        balance -= price
        n += 1
    return n


def short_by(balance: int, price: int) -> int:
    """Rupiah still missing for a month of ``price``."""
    return max(0, int(price) - int(balance))
