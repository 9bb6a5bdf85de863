"""Benchmark (b): importing a settlement file of 1,000,000 rows, next to a hand-written SQL baseline.

    .venv/bin/python bench/bench_settlement.py --rows 1000000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jaring_bench .venv/bin/python bench/bench_settlement.py

Needs members from bench/generate.py (one row per member: its next unpaid month at the right amount;
about 1% wrong amounts and 1% unknown NIKs; deactivated members' rows are rejected). Every run is
rolled back afterwards, so each run posts the same file on the same data. The baseline does the
same posting work with the minimum of hand-written SQL and no checks: bulk-load the raw rows (COPY /
executemany), one INSERT ... SELECT of payments joined to members by NIK, one INSERT of the bills
(upsert), one journal entry with its lines summed in SQL. Prints one line.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import tempfile
from datetime import datetime, time, timedelta, timezone as dt_timezone

from _setup import err, median, member_count, timed, vendor

from django.db import connection, transaction
from django.utils import timezone

from jaring.contributions.pricing import PRICE_TABLE, base_sql, create_price_table, month_index_sql, price_columns
from jaring.contributions.settlement import import_settlement
from jaring.contributions.sqlutil import bulk_load, drop_temp, is_pg, now_param, tune_bulk
from jaring.rules.periods import add_months

CHANNEL = "BENCHBANK"


def ensure_channel():
    from jaring.contributions.models import Channel

    Channel.objects.get_or_create(code=CHANNEL, defaults={"name": "Bench bank", "secret": "x" * 32, "fee": 1500})


def make_file(rows: int, path: str) -> int:
    """One row per member: the first unpaid month and what it costs (computed set-based)."""
    today = timezone.localdate()
    lo, hi = add_months(today.replace(day=1), -40), add_months(today.replace(day=1), 2)
    with connection.cursor() as cur:
        schedule = create_price_table(lo, hi)
        cols = price_columns(base_sql(schedule, today), "m.jht")
        fidx, pidx = month_index_sql("m.first_month"), month_index_sql("b.paid")
        cur.execute(f"""SELECT m.nik, COALESCE(bb.amount, {cols['amount']})
            FROM members_member m
            LEFT JOIN (SELECT member_id, MAX(month) AS paid FROM contributions_bill WHERE status = 'paid'
                       GROUP BY member_id) b ON b.member_id = m.id
            JOIN {PRICE_TABLE} p ON p.sector = m.sector AND p.funding = m.funding
                 AND p.midx = CASE WHEN b.paid IS NULL OR {pidx} < {fidx} THEN {fidx} ELSE {pidx} + 1 END
            LEFT JOIN contributions_bill bb ON bb.member_id = m.id AND bb.month = p.month
            ORDER BY m.id LIMIT %s""", [rows])
        data = cur.fetchall()
        drop_temp(cur, PRICE_TABLE)
    start = datetime.combine(today, time(0, 0), tzinfo=dt_timezone(timedelta(hours=7)))
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["reference", "customer", "amount", "months", "paid_at"])
        for i, (nik, amount) in enumerate(data):
            if i % 100 == 37:
                amount += 1  # wrong amount: rejected
            if i % 100 == 73:
                nik = "9" + nik[1:]  # unknown NIK: rejected
            paid_at = start + timedelta(seconds=i * 86400 // len(data))  # spread over the day, like a real file
            w.writerow([f"BB-{i:08d}", nik, amount, 1, paid_at.isoformat()])
    return len(data)


def vacuum():
    """Untimed, between runs: every run is rolled back, and on PostgreSQL a rolled-back million rows stay
    behind as dead tuples and dead index entries (the next run's unique checks would visit them). In
    production nothing is rolled back; VACUUM gives each run the table a real day starts with."""
    if is_pg():
        with connection.cursor() as cur:
            cur.execute("VACUUM contributions_payment, contributions_bill, contributions_settlementrow")


def ours(path):
    with transaction.atomic():
        out = import_settlement(path, CHANNEL)
        transaction.set_rollback(True)
    return out


def baseline(path):
    """Hand-written: raw bulk load, then payments, bills, the journal as INSERT ... SELECT (no validation)."""
    with transaction.atomic(), connection.cursor() as cur:
        from jaring.contributions.models import Channel

        ch = Channel.objects.get(code=CHANNEL)
        tune_bulk(cur)  # the same session settings as ours
        drop_temp(cur, "bench_stage")
        ts = "timestamp with time zone" if is_pg() else "text"
        cur.execute(f"CREATE TEMPORARY TABLE bench_stage (reference varchar(64), customer varchar(16), amount bigint, "
                    f"months integer, paid_at {ts})")
        with open(path, newline="") as fh:
            r = csv.reader(fh)
            next(r)
            if is_pg():
                bulk_load(cur, "bench_stage", ["reference", "customer", "amount", "months", "paid_at"], r)
            else:
                from datetime import datetime, timezone as tz

                bulk_load(cur, "bench_stage", ["reference", "customer", "amount", "months", "paid_at"],
                          ((a, b, int(c), int(d), datetime.fromisoformat(e).astimezone(tz.utc).replace(tzinfo=None)
                            .isoformat(" ")) for a, b, c, d, e in r))
        now = now_param()
        today = timezone.localdate().replace(day=1)
        cur.execute("""INSERT INTO contributions_payment (channel_id, reference, member_id, amount, fee, months,
                           first_month, paid_at, source, settlement_file_id, created_by_id, created_at)
                       SELECT %s, s.reference, m.id, s.amount, %s, s.months, %s, s.paid_at, 'settlement', NULL, NULL, %s
                       FROM bench_stage s JOIN members_member m ON m.nik = s.customer""",
                    [ch.pk, ch.fee, today, now])
        cur.execute("""INSERT INTO contributions_bill (member_id, month, jkk, jkm, jht, discount, amount, due_date,
                           status, payment_id, created_at)
                       SELECT p.member_id, p.first_month, 0, 0, 0, 0, p.amount, p.first_month, 'paid', p.id, %s
                       FROM contributions_payment p WHERE p.channel_id = %s
                       ON CONFLICT (member_id, month) DO UPDATE SET status = 'paid', payment_id = excluded.payment_id""",
                    [now, ch.pk])
        # the journal: one entry for the file, its lines summed over the payments (jaring.ledger)
        cur.execute("INSERT INTO ledger_entry (kind, booked_on, memo, ref_type, created_at) VALUES "
                    "('bench', %s, '', '', %s)", [connection.ops.adapt_datefield_value(timezone.localdate()), now])
        cur.execute("SELECT MAX(id) FROM ledger_entry")
        entry_id = cur.fetchone()[0]
        cur.execute("""INSERT INTO ledger_line (entry_id, account_id, debit, credit)
                       SELECT %s, a.id, CASE WHEN a.code = '1000' THEN t.s ELSE 0 END,
                              CASE WHEN a.code = '4100' THEN t.s ELSE 0 END
                       FROM (SELECT SUM(amount) AS s FROM contributions_payment WHERE channel_id = %s) t
                       JOIN ledger_account a ON a.code IN ('1000', '4100')""", [entry_id, ch.pk])
        transaction.set_rollback(True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    ensure_channel()
    from jaring.contributions.billing import refresh_coverage
    from jaring.contributions.models import MemberCoverage

    if MemberCoverage.objects.count() < member_count():
        # as in production, where the nightly refresh has run: members 3+ months behind are deactivated
        # (their rows are rejected), the rest are billed and payable
        err(f"[{vendor()}] coverage refresh (untimed)…")
        refresh_coverage(timezone.localdate())
    fd, path = tempfile.mkstemp(suffix=".csv", prefix="settlement-")
    os.close(fd)
    try:
        err(f"[{vendor()}] menyiapkan berkas {args.rows} baris…")
        n = make_file(args.rows, path)
        if n < args.rows:
            err(f"  hanya {n} peserta: berkas {n} baris (jalankan bench/generate.py dengan lebih banyak peserta)")
        times, base = [], []
        out = None
        for i in range(args.runs):
            vacuum()
            t, out = timed(ours, path)
            times.append(t)
            vacuum()
            t, _ = timed(baseline, path)
            base.append(t)
            err(f"  run {i + 1}: {times[-1]:.2f} s (baseline {base[-1]:.2f} s) posted={out['posted']} "
                f"rejected={out['rejected']}")
        m, b = median(times), median(base)
        print(f"bench_settlement {vendor()} rows={n}: import median {m:.2f} s = {n / m:,.0f} rows/s "
              f"(baseline {b:.2f} s, ratio {m / b:.2f}); posted={out['posted']} duplicates={out['duplicates']} "
              f"rejected={out['rejected']} amount_posted={out['amount_posted']}")
    finally:
        os.unlink(path)


if __name__ == "__main__":
    main()
