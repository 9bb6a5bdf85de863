"""The members table as other apps' set-based SQL may read it, and the set-based writes they may ask for.

Other apps compose these fragments (``FROM ({member_rows_sql()}) m``) instead of naming the table, so the
members app can change its table without hunting for raw SQL elsewhere.
"""

from __future__ import annotations

from jaring.core import audit

from .models import Member

# the columns other apps read: the member's id, status and what prices and bills them
COLUMNS = ("id", "status", "first_month", "sector", "funding", "jht", "programs", "income", "branch_id",
           "registered_on", "updated_at")


def table() -> str:
    return Member._meta.db_table


def member_rows_sql(columns=COLUMNS) -> str:
    """``SELECT <columns> FROM <members>``: use as a subquery (``FROM (…) m``); no parameters."""
    return f"SELECT {', '.join(columns)} FROM {table()}"


def deactivate(cur, ids_sql: str, params, *, reason: str, at, note: str) -> int:
    """Set-based: members selected by ``ids_sql`` (a SELECT of member ids, with ``params``) who are active
    become ``inactive`` with ``reason``; each gets a system audit event ``member.deactivate``. Returns how
    many were deactivated. Runs in the caller's transaction, on its cursor."""
    cur.execute(f"""UPDATE {table()} SET status = 'inactive', status_reason = %s, updated_at = %s
                    WHERE status = 'active' AND id IN ({ids_sql})""", [reason, at, *params])
    done = max(cur.rowcount, 0)
    if done:
        audit.record_set(cur, "member.deactivate", "members.member",
                         f"""SELECT id FROM {table()} WHERE status = 'inactive' AND updated_at = %s
                             AND id IN ({ids_sql})""", [at, *params],
                         at=at, changes='{"status": ["active", "inactive"]}', note=note)
    return done
