"""Small helpers for the set-based statements (the same SQL on SQLite and PostgreSQL)."""

from __future__ import annotations

from django.db import connection
from django.utils import timezone


def now_param():
    """``timezone.now()`` as the database stores a DateTimeField (naive UTC text on SQLite)."""
    return connection.ops.adapt_datetimefield_value(timezone.now())


def is_pg() -> bool:
    return connection.vendor == "postgresql"


def drop_temp(cur, *names):
    for n in names:
        cur.execute(f"DROP TABLE IF EXISTS {n}")


def bulk_load(cur, table: str, columns: list[str], rows) -> None:
    """Fast bulk load into ``table``: COPY on PostgreSQL, executemany on SQLite."""
    cols = ", ".join(columns)
    if is_pg():
        raw = cur.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(f"COPY {table} ({cols}) FROM STDIN") as cp:
            for row in rows:
                cp.write_row(row)
    else:
        cur.executemany(f"INSERT INTO {table} ({cols}) VALUES ({', '.join(['%s'] * len(columns))})", rows)


def create_seq(cur, name: str = "jaring_seq", n: int = 12):
    cur.execute(f"DROP TABLE IF EXISTS {name}")
    cur.execute(f"CREATE TEMPORARY TABLE {name} (k integer PRIMARY KEY)")
    cur.executemany(f"INSERT INTO {name} (k) VALUES (%s)", [(i,) for i in range(n)])


BULK_WORK_MEM = "256MB"
SQLITE_BULK_CACHE_KIB = 262144


def tune_bulk(cur) -> None:
    """Session settings for one big set-based statement (PostgreSQL: for the current transaction only):
    enough work_mem to hash a million groups in memory instead of spilling to disk, and no JIT
    (compiling the query costs ~2 s and gains nothing on these simple expressions)."""
    if is_pg():
        cur.execute(f"SET LOCAL work_mem = '{BULK_WORK_MEM}'")
        cur.execute("SET LOCAL jit = off")
    else:
        # SQLite's page cache is 2 MB by default: a million index probes would re-read pages from the OS
        # cache. This connection may keep up to 256 MB (freed when the connection closes).
        cur.execute(f"PRAGMA cache_size = -{SQLITE_BULK_CACHE_KIB}")
