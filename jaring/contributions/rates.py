"""The contribution schedule as database rows (admin-editable), loaded from the shipped JSON."""

from __future__ import annotations

import json
import threading
import time

from jaring.rules.contributions import Schedule, default_data


def load_schedule_rows(ContributionRate=None, IncomeBand=None, ContributionDiscount=None) -> int:
    """Insert the shipped rows that are missing (never overwrites an administrator's edits)."""
    if ContributionRate is None:
        from .models import ContributionDiscount, ContributionRate, IncomeBand  # noqa: F811
    data = default_data()
    added = 0
    for r in data["rates"]:
        _, c = ContributionRate.objects.get_or_create(
            program=r["program"], valid_from=r["valid_from"],
            defaults={"basis": r["basis"], "value": r["value"], "valid_to": r["valid_to"], "source": r["source"]})
        added += c
    for b in data["income_bands"]:
        _, c = IncomeBand.objects.get_or_create(
            valid_from=b["valid_from"],
            defaults={"minimum": b["minimum"], "maximum": b["maximum"], "valid_to": b["valid_to"],
                      "steps": b.get("steps", []), "source": b["source"]})
        added += c
    for d in data["discounts"]:
        _, c = ContributionDiscount.objects.get_or_create(
            name=d["name"], defaults={k: d[k] for k in ("programs", "percent_bp", "sectors", "from_month",
                                                           "to_month", "excluded_funding", "source")})
        added += c
    return added


SCHEDULE_SQL = """
SELECT 'r', program, basis, CAST(value AS text), CAST(valid_from AS text), CAST(valid_to AS text), source,
       NULL, NULL FROM contributions_contributionrate
UNION ALL
SELECT 'b', CAST(minimum AS text), CAST(maximum AS text), CAST(steps AS text), CAST(valid_from AS text),
       CAST(valid_to AS text), source, NULL, NULL FROM contributions_incomeband
UNION ALL
SELECT 'd', name, CAST(programs AS text), CAST(percent_bp AS text), CAST(sectors AS text), from_month, to_month,
       CAST(excluded_funding AS text), source FROM contributions_contributiondiscount"""

_lock = threading.Lock()
_cache: dict = {"rows": None, "schedule": None, "checked": 0.0}
_dirty_connections: set[int] = set()  # this thread's connection changed the schedule in an open transaction


def _conn_key() -> int:
    from django.db import DEFAULT_DB_ALIAS, connections

    return id(connections[DEFAULT_DB_ALIAS])  # one wrapper per thread


def _json(text):
    return json.loads(text) if isinstance(text, str) else (text or [])


def _schedule_from_rows(rows) -> Schedule:
    """The three tables, read as text by SCHEDULE_SQL, in the models' order."""
    rates = sorted(({"program": r[1], "basis": r[2], "value": int(r[3]), "valid_from": r[4], "valid_to": r[5],
                     "source": r[6]} for r in rows if r[0] == "r"), key=lambda x: (x["program"], x["valid_from"]))
    bands = sorted(({"minimum": int(r[1]), "maximum": int(r[2]), "steps": _json(r[3]), "valid_from": r[4],
                     "valid_to": r[5], "source": r[6]} for r in rows if r[0] == "b"), key=lambda x: x["valid_from"])
    discounts = sorted(({"name": r[1], "programs": _json(r[2]), "percent_bp": int(r[3]), "sectors": _json(r[4]),
                         "from_month": r[5], "to_month": r[6], "excluded_funding": _json(r[7]), "source": r[8]}
                        for r in rows if r[0] == "d"), key=lambda x: (x["from_month"], x["name"]))
    return Schedule.from_dict({"rates": rates, "income_bands": bands, "discounts": discounts})


def _read_rows() -> tuple:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(SCHEDULE_SQL)
        return tuple(sorted((tuple(r) for r in cur.fetchall()),
                            key=lambda r: tuple("" if v is None else str(v) for v in r)))


def current_schedule() -> Schedule:
    """The schedule as the database holds it, cached per process.

    The rows are read in one query (``SCHEDULE_SQL``) at most every ``JARING_SCHEDULE_CHECK_SECONDS``
    (default 10; 0 = every call) and the schedule is rebuilt only when they differ from the cached ones
    (the version check: another process or machine changed a rate). A rate, income band or discount saved
    or deleted in this process empties the cache at once and again when its transaction commits
    (signals in ``apps.py``); while that transaction is open, this connection reads its own uncommitted
    rows and never caches them.
    """
    from django.conf import settings
    from django.db import connection

    ttl = float(getattr(settings, "JARING_SCHEDULE_CHECK_SECONDS", 10))
    now = time.monotonic()
    if _conn_key() in _dirty_connections:
        if connection.in_atomic_block:  # this transaction changed the schedule: its own rows, uncached
            return _schedule_from_rows(_read_rows())
        _dirty_connections.discard(_conn_key())
    with _lock:
        if _cache["schedule"] is not None and ttl > 0 and now - _cache["checked"] < ttl:
            return _cache["schedule"]
    rows = _read_rows()
    with _lock:
        if rows != _cache["rows"] or _cache["schedule"] is None:
            _cache["schedule"] = _schedule_from_rows(rows)
            _cache["rows"] = rows
        _cache["checked"] = time.monotonic()
        return _cache["schedule"]


def forget_schedule(**_kwargs) -> None:
    """Empty the cache (signal receiver for rate, band and discount saves and deletes)."""
    from django.db import connection, transaction

    with _lock:
        _cache.update(rows=None, schedule=None, checked=0.0)
    if connection.in_atomic_block:
        _dirty_connections.add(_conn_key())
        transaction.on_commit(_forget_after_commit)


def _forget_after_commit() -> None:
    with _lock:
        _cache.update(rows=None, schedule=None, checked=0.0)


def clear_schedule_cache() -> None:
    """Start again from nothing (tests)."""
    _forget_after_commit()
    _dirty_connections.clear()
