"""Small helpers for an app's own set-based SQL."""

from __future__ import annotations

from django.db import connection


def scalar(sql: str, params=()) -> int:
    """The first column of the first row as an int (0 for NULL or no row)."""
    with connection.cursor() as cur:
        cur.execute(sql, list(params))
        row = cur.fetchone()
    return int(row[0] or 0) if row else 0


def moment(dt):
    """A datetime as the database wants it in a raw query's parameters."""
    return connection.ops.adapt_datetimefield_value(dt)
