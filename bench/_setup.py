"""Shared bench setup: Django against DATABASE_URL (default: SQLite file var/bench.sqlite3)."""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jaring.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402


def vendor() -> str:
    return connection.vendor


def err(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def timed(fn, *args, **kw):
    t = time.perf_counter()
    out = fn(*args, **kw)
    return time.perf_counter() - t, out


def median(xs):
    return statistics.median(xs)


def member_count() -> int:
    with connection.cursor() as cur:
        cur.execute("SELECT COUNT(*) FROM members_member")
        return cur.fetchone()[0]
