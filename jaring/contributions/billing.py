"""The monthly billing run and the coverage refresh: set-based SQL, no Python loop over members.

Both are idempotent: bills are unique per (member, month) (``ON CONFLICT DO NOTHING``), and the
coverage table is rebuilt from the bills each time. Both run on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import date

from django.db import connection, transaction
from django.utils import timezone

from jaring.core.calendar import require_calendar
from jaring.core.errors import DomainError
from jaring.members import services as members_services, sql as members_sql
from jaring.rules.billing import due_date
from jaring.rules.coverage import INACTIVE_AFTER
from jaring.rules.periods import month_index, month_str, parse_month

from . import prepaid
from .pricing import PRICE_TABLE, base_sql, create_price_table, month_index_sql, price_columns
from .sqlutil import drop_temp, is_pg, now_param, tune_bulk

DEACTIVATION_REASON = members_services.DEACTIVATION_REASON  # the members app owns the status reason


def run_billing(month: str, progress=None) -> dict:
    """Create ``month``'s bill for every active member whose first contribution month has begun. Refuses a
    month whose year has no holiday calendar loaded: its due date would be a guess (SPEC 2.3)."""

    say = progress or (lambda msg: None)
    m = parse_month(month)
    require_calendar(m)
    with transaction.atomic(), connection.cursor() as cur:
        tune_bulk(cur)
        schedule = create_price_table(m, m)
        cols = price_columns(base_sql(schedule, m), "m.jht", "p")
        say(f"Membuat tagihan {month_str(m)} untuk peserta aktif…")
        cur.execute(f"""INSERT INTO contributions_bill
                (member_id, month, jkk, jkm, jht, discount, amount, due_date, status, payment_id, created_at)
            SELECT m.id, p.month, {cols['jkk']}, {cols['jkm']}, {cols['jht']},
                   {cols['discount']}, {cols['amount']}, p.due_date, 'due', NULL, %s
            FROM {members_sql.table()} m
            JOIN {PRICE_TABLE} p ON p.midx = %s AND p.sector = m.sector AND p.funding = m.funding
            WHERE m.status = 'active' AND m.first_month <= %s
            ON CONFLICT (member_id, month) DO NOTHING""", [now_param(), month_index(m), m])
        created = max(cur.rowcount, 0)
        say(f"{created} tagihan baru; menghitung ringkasan…")
        cur.execute("""SELECT COUNT(*), COALESCE(SUM(amount), 0), COALESCE(SUM(discount), 0),
                              COALESCE(SUM(CASE WHEN status = 'paid' THEN 1 ELSE 0 END), 0)
                       FROM contributions_bill WHERE month = %s""", [m])
        bills, amount, discount, paid = cur.fetchone()
        cur.execute(f"SELECT COUNT(*) FROM {members_sql.table()} WHERE status = 'active' AND first_month <= %s",
                    [m])
        active = cur.fetchone()[0]
        drop_temp(cur, PRICE_TABLE)
    # prepaid balances pay the new month at once (SPEC 2.9); only members whose balance covers a bill are visited
    from_balance = prepaid.apply_after_billing(m)
    return {"month": month_str(m), "due_date": due_date(m).isoformat(), "active_members": int(active),
            "bills_created": created, "bills_total": int(bills), "already_paid": int(paid),
            "amount_billed": int(amount), "discount": int(discount),
            "paid_from_prepaid": from_balance["payments"], "amount_from_prepaid": from_balance["amount"]}

def coverage_select_sql() -> str:
    """SELECT of (member_id, state, paid_through, unpaid_months, protected, as_of) for every member.

    Parameters: as_of (date), the as-of month index, the as-of date, its month's due date.
    Mirrors rules.coverage exactly (tested against it). Each month index is computed once per row."""
    fidx = month_index_sql("m.first_month")
    pidx = month_index_sql("b.paid")
    # PostgreSQL would pull the subqueries up and repeat every CASE per reference; OFFSET 0 keeps each
    # level computed once per row (SQLite computes subqueries as written)
    fence = "OFFSET 0" if is_pg() else ""
    return f"""
        SELECT y.id AS member_id, CASE WHEN y.status = 'pending' THEN 'pending'
                          WHEN y.status IN ('inactive', 'rejected') OR y.unpaid >= {INACTIVE_AFTER} THEN 'inactive'
                          WHEN y.unpaid > 0 THEN 'arrears' ELSE 'active' END AS state,
               y.paid_through, y.unpaid AS unpaid_months,
               CASE WHEN y.status NOT IN ('active') OR y.unpaid >= {INACTIVE_AFTER} THEN FALSE
                    WHEN y.start_idx > y.cur THEN TRUE
                    WHEN y.start_idx = y.cur AND y.on_date <= y.due AND y.cur > y.fidx THEN TRUE
                    ELSE FALSE END AS protected,
               y.as_of
        FROM (
            SELECT x.*, CASE WHEN x.status = 'pending' OR x.cur <= x.start_idx THEN 0
                             ELSE x.cur - x.start_idx END AS unpaid
            FROM (
                SELECT z.*, CASE WHEN z.pidx IS NULL OR z.pidx < z.fidx THEN z.fidx ELSE z.pidx + 1 END AS start_idx,
                       CASE WHEN z.pidx >= z.fidx THEN z.paid END AS paid_through
                FROM (
                    SELECT m.id, m.status, {fidx} AS fidx, b.paid, {pidx} AS pidx,
                           %s AS as_of, %s AS cur, %s AS on_date, %s AS due
                    FROM {members_sql.table()} m
                    LEFT JOIN (SELECT member_id, MAX(month) AS paid FROM contributions_bill
                               WHERE status = 'paid' GROUP BY member_id) b ON b.member_id = m.id
                    {fence}
                ) z {fence}
            ) x {fence}
        ) y"""

def refresh_coverage(on: str | date | None = None, progress=None) -> dict:
    """Rebuild MemberCoverage for every member as of ``on`` and deactivate members with 3+ consecutive
    unpaid months (status ``inactive``; reactivation is a new registration)."""
    say = progress or (lambda msg: None)
    if on is None:
        on = timezone.localdate()
    elif isinstance(on, str):
        try:
            on = date.fromisoformat(on.strip())
        except ValueError:
            raise DomainError(f"Tanggal '{on}' tidak valid: tulis TTTT-BB-HH, misalnya 2026-05-01.",
                              {"date": "Format TTTT-BB-HH."})
    cur_idx = month_index(on)
    due = due_date(on.replace(day=1))
    params = [on, cur_idx, on, due]
    with transaction.atomic(), connection.cursor() as cur:
        tune_bulk(cur)
        say("Menghitung ulang status kepesertaan semua peserta…")
        # PostgreSQL: TRUNCATE (transactional) leaves no million dead rows behind; readers of the coverage
        # table wait for this transaction (seconds, nightly). SQLite optimises DELETE without WHERE alike.
        cur.execute("TRUNCATE contributions_membercoverage" if is_pg() else "DELETE FROM contributions_membercoverage")
        cur.execute("INSERT INTO contributions_membercoverage "
                    "(member_id, state, paid_through, unpaid_months, protected, as_of) "
                    + coverage_select_sql(), params)
        say("Menonaktifkan peserta dengan 3 bulan berturut-turut tidak membayar…")
        # the members app deactivates them (and audits each), set-based, in this transaction
        deactivated = members_sql.deactivate(
            cur, "SELECT member_id FROM contributions_membercoverage WHERE unpaid_months >= %s", [INACTIVE_AFTER],
            reason=DEACTIVATION_REASON, at=now_param(), note=f"coverage refresh {on.isoformat()}")
        cur.execute("SELECT state, COUNT(*), SUM(CASE WHEN protected THEN 1 ELSE 0 END) "
                    "FROM contributions_membercoverage GROUP BY state")
        rows = cur.fetchall()
        counts = {s: int(n) for s, n, _ in rows}
        protected = sum(int(p or 0) for _, _, p in rows)
    out = {"date": on.isoformat(), "members": sum(counts.values())}
    for state in ("active", "arrears", "inactive", "pending"):
        out[state] = counts.get(state, 0)
    out["protected"] = protected
    out["deactivated"] = deactivated
    return out
