"""Due dates and the status of one month's bill (SPEC 2.3). Pure Python: no Django.

A month's contribution is due by the 15th of that month; when the 15th is not a working day the due
date moves to the next working day. Working days follow the official calendar (SKB 3 Menteri), which
counts *libur nasional* and *cuti bersama* as days off (banks and channels close on both).

The calendar is data: the running app installs the database calendar (``core.Holiday``, loaded from
``core/data/holidays.json`` and extended by an admin each year) with :func:`set_calendar`; without it
lokal-id's years are used. For a year with no calendar loaded only Saturdays and Sundays are skipped —
:func:`has_holiday_calendar` says so, admins are warned, and the billing run refuses such months
rather than guess.

There are no late fines for BPU (SPEC 2.3): a bill's amount never changes after its due date.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Protocol

import lokal

DUE_DAY = 15  # SPEC 2.3 (M): contributions are due by the 15th of the month they are for
DUE = "due"
PAID = "paid"
OVERDUE = "overdue"
UPCOMING = "upcoming"


class HolidayCalendar(Protocol):
    def years(self) -> frozenset[int]: ...

    def is_holiday(self, d: date) -> bool: ...


class LokalCalendar:
    """lokal-id's transcription of the SKBs (the years in ``lokal.HOLIDAY_YEARS``)."""

    def years(self) -> frozenset[int]:
        return frozenset(lokal.HOLIDAY_YEARS)

    def is_holiday(self, d: date) -> bool:
        return d.year in lokal.HOLIDAY_YEARS and d.weekday() < 5 and not lokal.is_working_day(d)


_CALENDAR: HolidayCalendar = LokalCalendar()


def set_calendar(calendar: HolidayCalendar) -> HolidayCalendar:
    """Install the calendar due dates use; returns the previous one (tests restore it)."""
    global _CALENDAR
    previous, _CALENDAR = _CALENDAR, calendar
    return previous


def calendar() -> HolidayCalendar:
    return _CALENDAR


def has_holiday_calendar(year: int) -> bool:
    return year in _CALENDAR.years()


def last_calendar_year() -> int | None:
    years = _CALENDAR.years()
    return max(years) if years else None


def is_working_day(d: date) -> bool:
    """Monday to Friday and not an official holiday (when the year's calendar is loaded)."""
    return d.weekday() < 5 and not _CALENDAR.is_holiday(d)


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
