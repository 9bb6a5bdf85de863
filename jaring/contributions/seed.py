"""Synthetic payment history for ``jaring seed`` and the benchmarks: set-based, no loop over members.

Each member gets bills for the last ``months`` months (from their first month on) and one payment per
paid month, through the system BRANCH channel with references ``SEED-<member>-<month index>``. Who
pays is deterministic from the member id, like a real portfolio: 70% paid up, 10% one month behind,
10% two months behind (arrears), 10% stopped five months ago (deactivated by the next coverage refresh).
Idempotent: payments are unique per (channel, reference), bills per (member, month).
"""

from __future__ import annotations

from datetime import datetime, time

from django.db import connection, transaction
from django.utils import timezone

from jaring.ledger import services as ledger
from jaring.members import sql as members_sql
from jaring.rules.periods import add_months, iter_months, month_index

from .pricing import PRICE_TABLE, base_sql, create_price_table, month_index_sql, price_columns
from .sqlutil import bulk_load, drop_temp, is_pg, now_param

IDS = "jaring_seed_ids"
MONTHS = "jaring_seed_months"
# lag (months not paid before this month) by member id % 10
LAG_SQL = "CASE WHEN {id} %% 10 <= 6 THEN 0 WHEN {id} %% 10 = 7 THEN 1 WHEN {id} %% 10 = 8 THEN 2 ELSE 5 END"


def seed_history(member_ids=None, months: int = 12, progress=None, today=None) -> dict:
    """Bills and payments for ``member_ids`` (an iterable of ids; ``None`` = every active member)."""
    from .models import Channel

    say = progress or (lambda msg: None)
    months = max(1, min(int(months or 12), 120))
    today = today or timezone.localdate()
    this_month = today.replace(day=1)
    start = add_months(this_month, -(months - 1))
    channel = Channel.objects.get(code="BRANCH")
    tz = timezone.get_default_timezone()
    month_rows = []
    for m in iter_months(start, this_month):
        paid_at = timezone.make_aware(datetime.combine(m.replace(day=10), time(10, 0)), tz)
        month_rows.append((month_index(m), connection.ops.adapt_datetimefield_value(paid_at)))
    with transaction.atomic(), connection.cursor() as cur:
        drop_temp(cur, IDS, MONTHS)
        cur.execute(f"CREATE TEMPORARY TABLE {IDS} (id bigint PRIMARY KEY)")
        if member_ids is None:
            cur.execute(f"INSERT INTO {IDS} (id) SELECT id FROM {members_sql.table()} "
                        "WHERE status IN ('active', 'inactive')")
        else:
            bulk_load(cur, IDS, ["id"], ((int(i),) for i in member_ids))
        ts = "timestamp with time zone" if is_pg() else "text"
        cur.execute(f"CREATE TEMPORARY TABLE {MONTHS} (midx integer PRIMARY KEY, paid_at {ts})")
        cur.executemany(f"INSERT INTO {MONTHS} (midx, paid_at) VALUES (%s, %s)", month_rows)
        schedule = create_price_table(start, this_month)
        cols = price_columns(base_sql(schedule, this_month), "m.jht")
        fidx = month_index_sql("m.first_month")
        lag = LAG_SQL.format(id="m.id")
        cur_idx = month_index(this_month)
        now = now_param()
        ref = ("'SEED-' || CAST(m.id AS varchar(20)) || '-' || CAST(p.midx AS varchar(8))")
        paid_cond = f"p.midx >= {fidx} AND p.midx <= %s - ({lag})"
        say(f"Riwayat iuran {months} bulan: pembayaran…")
        cur.execute(f"""INSERT INTO contributions_payment
                (channel_id, reference, member_id, amount, fee, months, first_month, paid_at, source,
                 settlement_file_id, created_by_id, created_at)
            SELECT %s, {ref}, m.id, {cols['amount']}, 0, 1, p.month, sm.paid_at, 'branch', NULL, NULL, %s
            FROM {IDS} i JOIN {members_sql.table()} m ON m.id = i.id
            JOIN {PRICE_TABLE} p ON p.sector = m.sector AND p.funding = m.funding
            JOIN {MONTHS} sm ON sm.midx = p.midx
            WHERE {paid_cond}
            ON CONFLICT (channel_id, reference) DO NOTHING""", [channel.pk, now, cur_idx])
        payments = max(cur.rowcount, 0)
        say(f"{payments} pembayaran; tagihan…")
        cur.execute(f"""INSERT INTO contributions_bill
                (member_id, month, jkk, jkm, jht, discount, amount, due_date, status, payment_id, created_at)
            SELECT m.id, p.month, {cols['jkk']}, {cols['jkm']}, {cols['jht']}, {cols['discount']}, {cols['amount']},
                   p.due_date, CASE WHEN pay.id IS NULL THEN 'due' ELSE 'paid' END, pay.id, %s
            FROM {IDS} i JOIN {members_sql.table()} m ON m.id = i.id
            JOIN {PRICE_TABLE} p ON p.sector = m.sector AND p.funding = m.funding
            LEFT JOIN contributions_payment pay ON pay.channel_id = %s AND pay.reference = {ref}
            WHERE p.midx >= {fidx}
            ON CONFLICT (member_id, month) DO NOTHING""", [now, channel.pk])
        bills = max(cur.rowcount, 0)
        say(f"{bills} tagihan; jurnal…")
        # the journal (jaring.ledger): the history's payments as one balanced entry, summed set-based over
        # the bills the payments inserted just now (same timestamp) paid
        cur.execute("""SELECT COALESCE(SUM(b.jkk), 0), COALESCE(SUM(b.jkm), 0), COALESCE(SUM(b.jht), 0)
            FROM contributions_payment pay JOIN contributions_bill b ON b.payment_id = pay.id
            WHERE pay.channel_id = %s AND pay.created_at = %s AND pay.reference LIKE 'SEED-%%'""", [channel.pk, now])
        jkk, jkm, jht = (int(v) for v in cur.fetchone())

        ledger.post("payment_history", ledger.payment_lines(channel.code, jkk=jkk, jkm=jkm, jht=jht, fee=0),
                    memo=f"Riwayat iuran sintetis {payments} pembayaran")
        drop_temp(cur, IDS, MONTHS, PRICE_TABLE)
    return {"history_payments": payments, "history_bills": bills}

def on_members_seeded(ids, months, progress=None) -> dict:
    """``jaring seed --months``: the members app publishes the members it made; this seeds their history."""
    return seed_history(ids, months, progress)
