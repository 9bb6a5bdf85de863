"""Due dates and the status of one month's bill (SPEC 2.3). Pure Python: no Django.

A month's contribution is due by the 15th of that month; when the 15th is not a working day the due
date moves to the next working day. Working days come from lokal-id's official calendar (SKB 3
Menteri), which counts *libur nasional* and *cuti bersama* as days off (banks and channels close on
both). lokal-id holds the calendar for the years in :data:`lokal.HOLIDAY_YEARS` (2026 and 2027 at
the time of writing); for any other year only Saturdays and Sundays are skipped, because no official
list exists yet. Update lokal-id when the next SKB is published and the dates follow, no code change.

There are no late fines for BPU (SPEC 2.3): a bill's amount never changes after its due date.
"""

from __future__ import annotations

from datetime import date, timedelta

import lokal

DUE_DAY = 15  # SPEC 2.3 (M): contributions are due by the 15th of the month they are for
DUE = "due"
PAID = "paid"
OVERDUE = "overdue"
UPCOMING = "upcoming"


def has_holiday_calendar(year: int) -> bool:
    return year in lokal.HOLIDAY_YEARS


def is_working_day(d: date) -> bool:
    """A working day per the official calendar; outside the calendar's years, Monday to Friday."""
    if has_holiday_calendar(d.year):
        return lokal.is_working_day(d)
    return d.weekday() < 5


def due_date(month: date) -> date:
    """The due date of a contribution month: the 15th, or the next working day after it."""
    d = date(month.year, month.month, DUE_DAY)
    while not is_working_day(d):
        d += timedelta(days=1)
    return d


def bill_status(month: date, paid: bool, today: date, member_since: date | None = None) -> str:
    """``paid``; ``upcoming`` (a later month); ``due`` (unpaid, due date not passed); ``overdue``.

    A month is overdue only after its due date *and* only when the person was already a member on that
    due date (``member_since``: the registration date, or the reactivation date). A worker who registers on
    the 26th owes that month's contribution, but it was never "late": it stays ``due``.
    """
    if paid:
        return PAID
    month = month.replace(day=1)
    if month > today.replace(day=1):
        return UPCOMING
    due = due_date(month)
    if today <= due:
        return DUE
    if member_since is not None and member_since > due:
        return DUE
    return OVERDUE
