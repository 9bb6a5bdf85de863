"""Perisai agent commission and activity rules (SPEC 2.5), pure Python.

Figures are data: :class:`Terms` rows come from ``rules/data/commission.json`` (effective-dated,
sourced). Money is whole Rupiah; the commission is rounded half-up on the month's total collected.

Activity: an agent is *idle* in a month with no new recruit and no contribution collected from its
recruits. After ``idle_months`` consecutive idle months the agent is suspended on the first day of
the following month; it may rejoin ``rejoin_after_months`` months after the suspension date.
"""

from __future__ import annotations

import calendar
import json
from dataclasses import dataclass
from datetime import date
from importlib import resources

from .contributions import percent_of
from .errors import RuleError
from .periods import add_months, first_of_month, month_str


@dataclass(frozen=True)
class Terms:
    valid_from: date
    valid_to: date | None
    collection_bp: int  # basis points of the contributions collected from the agent's recruits
    bonus_threshold: int  # new recruits in one month that earn the bonus
    bonus_amount: int  # Rupiah
    idle_months: int  # consecutive months without acquisition or collection before suspension
    rejoin_after_months: int  # months after the suspension date before the agent may rejoin
    source: str = ""

    def covers(self, month: date) -> bool:
        return self.valid_from <= month and (self.valid_to is None or month <= self.valid_to)


@dataclass(frozen=True)
class Commission:
    month: str
    recruits: int
    collected: int
    commission: int
    bonus: int

    @property
    def total(self) -> int:
        return self.commission + self.bonus


def _d(v):
    return None if v is None else (v if isinstance(v, date) else date.fromisoformat(v))


def terms_from_dict(data: dict) -> tuple[Terms, ...]:
    return tuple(
        Terms(_d(t["valid_from"]), _d(t.get("valid_to")), int(t["collection_bp"]), int(t["bonus_threshold"]),
              int(t["bonus_amount"]), int(t["idle_months"]), int(t["rejoin_after_months"]), t.get("source", ""))
        for t in data["terms"]
    )


def default_terms() -> tuple[Terms, ...]:
    raw = resources.files("jaring.rules").joinpath("data", "commission.json").read_text("utf-8")
    return terms_from_dict(json.loads(raw))


def terms_for(month: date, table: tuple[Terms, ...] | None = None) -> Terms:
    month = first_of_month(month)
    for t in table if table is not None else default_terms():
        if t.covers(month):
            return t
    raise RuleError(f"Belum ada ketentuan komisi agen untuk bulan {month_str(month)}.",
                    {"month": "Ketentuan komisi belum ada untuk bulan ini."})


def commission_for(month: date, recruits: int, collected: int, terms: Terms | None = None) -> Commission:
    """The month's commission of one agent: a share of ``collected`` plus the bonus at the threshold."""
    if recruits < 0 or collected < 0:
        raise RuleError("Jumlah rekrutan dan setoran tidak boleh negatif.")
    terms = terms or terms_for(month)
    commission = percent_of(int(collected), terms.collection_bp)
    bonus = terms.bonus_amount if recruits >= terms.bonus_threshold else 0
    return Commission(month_str(month), int(recruits), int(collected), commission, bonus)


def add_months_to_date(d: date, n: int) -> date:
    """The same day ``n`` months later (clamped to the month's last day: 31 Aug + 6 → 28/29 Feb)."""
    first = add_months(d.replace(day=1), n)
    return first.replace(day=min(d.day, calendar.monthrange(first.year, first.month)[1]))


def idle_window(month: date, terms: Terms) -> tuple[date, date]:
    """The ``idle_months`` months ending with ``month`` (first days): the window checked at its close."""
    month = first_of_month(month)
    return add_months(month, -(terms.idle_months - 1)), month


def rejoin_date(suspended_on: date, terms: Terms) -> date:
    """The first day a suspended agent may rejoin."""
    return add_months_to_date(suspended_on, terms.rejoin_after_months)
