"""Benchmark (a): the billing run and the coverage refresh, next to a hand-written single-SQL baseline.

    .venv/bin/python bench/bench_billing.py                       # SQLite var/bench.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jaring_bench .venv/bin/python bench/bench_billing.py

Needs members from bench/generate.py. Each measurement is the median of --runs runs. The billing run
is timed on next month (its bills are deleted, untimed, before every run); the coverage refresh is
timed after one untimed warm-up run (which also deactivates the members 3+ months behind). The
baseline does the same work as ONE statement each: an INSERT ... SELECT of the month's bills with the
prices written inline, and a CREATE TABLE AS SELECT of every member's coverage state.
Prints one line.
"""

from __future__ import annotations

import argparse
from datetime import date

from _setup import err, median, member_count, timed, vendor

from django.db import connection, transaction
from django.utils import timezone

from jaring.contributions.billing import coverage_select_sql, refresh_coverage, run_billing
from jaring.contributions.rates import current_schedule
from jaring.contributions.sqlutil import tune_bulk
from jaring.rules.billing import due_date
from jaring.rules.contributions import FUNDING, SECTORS
from jaring.rules.periods import add_months, month_index, month_str


def delete_month(m: date):
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("DELETE FROM contributions_bill WHERE month = %s AND status = 'due'", [m])


def baseline_billing(m: date):
    """One hand-written INSERT ... SELECT with the month's prices inline (CASE on sector and funding)."""
    s = current_schedule()
    jkk, jkm, jht = (s.rate(p, m) for p in ("JKK", "JKM", "JHT"))

    def off(prog):
        cases = " ".join(
            f"WHEN m.sector = '{sec}' AND m.funding = '{fu}' THEN {d.percent_bp}"
            for sec in SECTORS for fu in FUNDING if (d := s.discount_for(prog, m, sec, fu)))
        return f"(CASE {cases} ELSE 0 END)" if cases else "0"
    g_jkk = f"((m.income * {jkk.value} + 5000) / 10000)"
    g_jkm = f"{jkm.value}"
    g_jht = f"(CASE WHEN m.jht THEN (m.income * {jht.value} + 5000) / 10000 ELSE 0 END)"
    o_jkk = f"(({g_jkk} * {off('JKK')} + 5000) / 10000)"
    o_jkm = f"(({g_jkm} * {off('JKM')} + 5000) / 10000)"
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with transaction.atomic(), connection.cursor() as cur:
        tune_bulk(cur)  # the same session settings as ours: a fair comparison
        cur.execute(f"""INSERT INTO contributions_bill
                (member_id, month, jkk, jkm, jht, discount, amount, due_date, status, payment_id, created_at)
            SELECT m.id, %s, {g_jkk} - {o_jkk}, {g_jkm} - {o_jkm}, {g_jht}, {o_jkk} + {o_jkm},
                   {g_jkk} - {o_jkk} + {g_jkm} - {o_jkm} + {g_jht}, %s, 'due', NULL, %s
            FROM members_member m WHERE m.status = 'active' AND m.first_month <= %s
            ON CONFLICT (member_id, month) DO NOTHING""", [m, due_date(m), now, m])
        return cur.rowcount


def baseline_coverage(on: date):
    """The same state computation as one CREATE TABLE AS SELECT (no delete, no deactivation, no counts)."""
    with transaction.atomic(), connection.cursor() as cur:
        tune_bulk(cur)
        cur.execute("DROP TABLE IF EXISTS bench_coverage")
        cur.execute("CREATE TABLE bench_coverage AS " + coverage_select_sql(),
                    [on, month_index(on), on, due_date(on.replace(day=1))])
    with connection.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS bench_coverage")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    n = member_count()
    today = timezone.localdate()
    month = add_months(today.replace(day=1), 1)
    err(f"[{vendor()}] {n} peserta; billing {month_str(month)}, coverage {today}")
    ours, base = [], []
    created = 0
    for i in range(args.runs):
        delete_month(month)
        t, out = timed(run_billing, month_str(month))
        created = out["bills_created"]
        ours.append(t)
        delete_month(month)
        t, _ = timed(baseline_billing, month)
        base.append(t)
        err(f"  billing run {i + 1}: {ours[-1]:.2f} s (baseline {base[-1]:.2f} s), {created} tagihan")
    delete_month(month)
    t_first, first = timed(refresh_coverage, today)
    err(f"  coverage refresh (first, deactivates {first['deactivated']}): {t_first:.2f} s")
    cov, cov_base = [], []
    for i in range(args.runs):
        t, out = timed(refresh_coverage, today)
        cov.append(t)
        t, _ = timed(baseline_coverage, today)
        cov_base.append(t)
        err(f"  coverage refresh {i + 1}: {cov[-1]:.2f} s (baseline {cov_base[-1]:.2f} s)")
    b, bb, c, cb = median(ours), median(base), median(cov), median(cov_base)
    print(f"bench_billing {vendor()} members={n} bills={created}: billing run median {b:.2f} s "
          f"(baseline {bb:.2f} s, ratio {b / bb:.2f}); coverage refresh median {c:.2f} s "
          f"(baseline {cb:.2f} s, ratio {c / cb:.2f}); first refresh {t_first:.2f} s")


if __name__ == "__main__":
    main()
