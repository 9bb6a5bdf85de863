"""Contributions' tables as other apps' set-based SQL may read them (compose, don't name them)."""

from __future__ import annotations

from .models import Bill


def bill_table() -> str:
    """The bills table: (id, member_id, month, jkk, jkm, jht, discount, amount, due_date, status, payment_id)."""
    return Bill._meta.db_table
