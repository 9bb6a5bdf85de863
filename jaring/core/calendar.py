"""The official holiday calendar as data: ``core.HolidayYear`` + ``core.Holiday``.

Shipped years come from ``core/data/holidays.json`` (the SKB 3 Menteri for 2026 and 2027, with decree
numbers and sources); an admin adds the next year when its SKB is published (Django admin, or
``jaring holidays load FILE``). :class:`DatabaseCalendar` is installed into :mod:`jaring.rules.billing`
when the app starts, so every due date follows the table. It keeps the whole table in memory (a few
dozen rows a year) and reloads it after a save or delete in this process, or after ``TTL`` seconds for
changes made by another process (the web server vs the worker).
"""

from __future__ import annotations

import csv
import io
import json
import time
from datetime import date
from importlib import resources

from django.db import transaction

from jaring.rules.billing import LokalCalendar, has_holiday_calendar, last_calendar_year, set_calendar
from jaring.rules.errors import RuleError

TTL = 60.0
KINDS = ("libur_nasional", "cuti_bersama")


def shipped_data() -> dict:
    return json.loads(resources.files("jaring.core").joinpath("data", "holidays.json").read_text("utf-8"))

def load_shipped(HolidayYear=None, Holiday=None) -> int:
    """Add the shipped years that are missing (a year an admin loaded or corrected is kept). Returns the
    number of years added."""
    if HolidayYear is None:
        from .models import Holiday, HolidayYear  # noqa: F811
    have = set(HolidayYear.objects.values_list("year", flat=True))
    added = 0
    for y in shipped_data()["years"]:
        if y["year"] in have:
            continue
        cal = HolidayYear.objects.create(year=y["year"], decree=y["decree"], source=y["source"])
        Holiday.objects.bulk_create([Holiday(calendar=cal, date=date.fromisoformat(h["date"]), name=h["name"],
                                             kind=h["kind"]) for h in y["holidays"]])
        added += 1
    return added

class DatabaseCalendar:
    def __init__(self):
        self._years: frozenset[int] | None = None
        self._days: frozenset[date] = frozenset()
        self._at = 0.0

    def clear(self) -> None:
        self._years = None

    def _fresh(self) -> bool:
        """Load the table when needed; False when the database cannot be read (before ``jaring migrate``, or
        code with no database at all): then lokal-id's years answer, and the next call tries again."""
        if self._years is not None and time.monotonic() - self._at < TTL:
            return True
        from django.db import DatabaseError

        from .models import Holiday, HolidayYear

        try:
            years = frozenset(HolidayYear.objects.values_list("year", flat=True))
            days = frozenset(Holiday.objects.values_list("date", flat=True))
        except (DatabaseError, RuntimeError):  # RuntimeError: database access not allowed here (pure tests)
            return False
        self._years, self._days, self._at = years, days, time.monotonic()
        return True

    def years(self) -> frozenset[int]:
        return self._years if self._fresh() else LokalCalendar().years()

    def is_holiday(self, d: date) -> bool:
        return d in self._days if self._fresh() else LokalCalendar().is_holiday(d)

CALENDAR = DatabaseCalendar()


def install() -> None:
    from django.db.models.signals import post_delete, post_save

    from .models import Holiday, HolidayYear

    set_calendar(CALENDAR)
    for model in (Holiday, HolidayYear):
        post_save.connect(_changed, sender=model, dispatch_uid=f"calendar-{model.__name__}-save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"calendar-{model.__name__}-delete")

def _changed(**kwargs) -> None:
    CALENDAR.clear()
    transaction.on_commit(CALENDAR.clear)

def missing_years(today: date) -> list[int]:
    """This year and next year when their calendar is not loaded (what the admin notice lists)."""

    return [y for y in (today.year, today.year + 1) if not has_holiday_calendar(y)]

def require_calendar(month: date) -> None:
    """Refuse to work out a month's due date when its year's calendar is missing (the billing run)."""

    if not has_holiday_calendar(month.year):
        last = last_calendar_year()
        msg = (f"Kalender libur {month.year} belum dimuat (SKB libur nasional dan cuti bersama"
               f"{'; kalender terakhir ' + str(last) if last else ''}): tambahkan lewat Admin > Kalender libur atau "
               f"'jaring holidays load FILE' sebelum menagih bulan {month:%Y-%m}, agar jatuh tempo tidak ditebak.")
        raise RuleError(msg, {"month": msg})

@transaction.atomic
def load_year_file(text: str, *, year: int, decree: str, source: str) -> dict:
    """Load (or replace) one year's calendar from CSV text ``date,name,kind`` (kind: libur_nasional or
    cuti_bersama). Every row must lie in ``year``; nothing is saved when a row is wrong."""
    from .models import Holiday, HolidayYear

    if not 1990 <= year <= 2200:
        raise RuleError(f"Tahun '{year}' tidak valid.", {"year": "TTTT"})
    if not decree.strip() or not source.strip():
        msg = "Isi nomor SKB dan sumbernya (alamat pengumuman)."
        raise RuleError(msg, {"decree": msg})
    rows = []
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if not reader.fieldnames or not {"date", "name", "kind"} <= set(reader.fieldnames):
        msg = "Berkas libur harus CSV dengan kolom date,name,kind."
        raise RuleError(msg, {"file": msg})
    for n, r in enumerate(reader, start=2):
        try:
            d = date.fromisoformat((r.get("date") or "").strip())
        except ValueError:
            d = None
        kind = (r.get("kind") or "").strip()
        name = (r.get("name") or "").strip()
        if d is None or d.year != year or kind not in KINDS or not name:
            msg = (f"Baris {n}: tanggal TTTT-BB-HH di tahun {year}, nama libur, dan jenis libur_nasional atau "
                   "cuti_bersama.")
            raise RuleError(msg, {"file": msg})
        rows.append((d, name[:120], kind))
    if not rows:
        raise RuleError("Berkas libur kosong.", {"file": "Berkas libur kosong."})
    HolidayYear.objects.filter(year=year).delete()
    cal = HolidayYear.objects.create(year=year, decree=decree.strip()[:200], source=source.strip()[:300])
    Holiday.objects.bulk_create([Holiday(calendar=cal, date=d, name=nm, kind=k) for d, nm, k in sorted(set(rows))])
    return {"year": year, "holidays": len(set(rows)),
            "libur_nasional": sum(1 for r in set(rows) if r[2] == "libur_nasional"),
            "cuti_bersama": sum(1 for r in set(rows) if r[2] == "cuti_bersama")}
