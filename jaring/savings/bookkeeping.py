"""What savings tell the ledger: members' JHT balances."""

from __future__ import annotations

from jaring.core.sql import moment, scalar
from jaring.ledger import selectors as ledger


def jht_balances(until) -> int:
    return scalar("""SELECT SUM(CASE WHEN kind = 'withdrawal' THEN -amount ELSE amount END) FROM savings_entry
                     WHERE created_at < %s""", [moment(until)])


def register() -> None:
    ledger.register_records(ledger.JHT_BALANCES, jht_balances)
