"""What agents tell the ledger: the commission they have earned."""

from __future__ import annotations

from jaring.core.sql import moment, scalar
from jaring.ledger import selectors as ledger


def commission_earned(until) -> int:
    return scalar("SELECT SUM(total) FROM agents_commissionline WHERE computed_at < %s", [moment(until)])


def register() -> None:
    ledger.register_records(ledger.COMMISSION_EARNED, commission_earned)
