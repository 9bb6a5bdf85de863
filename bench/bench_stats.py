"""p95 of GET /api/v1/stats/coverage and the dashboard pages at N members (default 1,000,000).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jaring_bench .venv/bin/python bench/bench_stats.py
    .venv/bin/python bench/bench_stats.py --members 100000          # SQLite: var/bench.sqlite3

Reuses the members already in the database; when there are fewer than --members it runs
bench/generate.py for the rest (bulk inserts + set-based payment history). Then it rebuilds the snapshot
tables once (timed), and measures in the same run, through Django's full request stack (middleware, auth,
templates), p95 latency of:
  - the stats API at every level (province, regency under a province, district under a regency,
    village under a district) for a national manager, and regency level for a branch officer;
  - the dashboard page (national, regional office, branch, district);
  - the baseline: a bare SELECT of one level's rows from the snapshot table (cursor, no Django stack).
Prints one line: p95s in ms and the ratio of each to the baseline.
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import time
from pathlib import Path

from _setup import err, vendor

from django.core.management import call_command
from django.db import connection


def p95(xs):
    xs = sorted(xs)
    return xs[max(0, math.ceil(0.95 * len(xs)) - 1)]


def timed_many(fn, n):
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--members", type=int, default=1_000_000)
    ap.add_argument("--requests", type=int, default=60, help="requests per URL")
    ap.add_argument("--no-generate", action="store_true")
    args = ap.parse_args()

    call_command("migrate", interactive=False, verbosity=0)
    with connection.cursor() as cur:
        cur.execute("SELECT COUNT(*) FROM members_member")
        have = cur.fetchone()[0]
    if have < args.members and not args.no_generate:
        err(f"[{vendor()}] {have} members; generating {args.members - have} more with bench/generate.py…")
        subprocess.run([sys.executable, str(Path(__file__).parent / "generate.py"), str(args.members - have)],
                       check=True)
        with connection.cursor() as cur:
            cur.execute("SELECT COUNT(*) FROM members_member")
            have = cur.fetchone()[0]

    from django.test import Client
    from django.utils import timezone

    from jaring.accounts.services import create_token, create_user
    from jaring.insights.services import refresh_snapshots

    day = timezone.localdate()
    err(f"[{vendor()}] {have} members: rebuilding snapshots for {day}…")
    t = time.perf_counter()
    counts = refresh_snapshots(day)
    refresh_s = time.perf_counter() - t
    err(f"  refresh {refresh_s:.1f} s: {json.dumps({k: counts[k] for k in ('active', 'village_rows', 'monthly_rows')})}")

    users = {}
    for name, role, office in (("bench_nasional", "manager", None), ("bench_cabang", "officer", "KC-6371")):
        from django.contrib.auth import get_user_model

        u = get_user_model().objects.filter(username=name).first() or create_user(name, "bench-sandi-123456", role,
                                                                                  office)
        users[name] = u
    api_n = Client(headers={"Authorization": f"Bearer {create_token('bench_nasional')}"})
    api_b = Client(headers={"Authorization": f"Bearer {create_token('bench_cabang')}"})
    page = Client()
    page.force_login(users["bench_nasional"])

    # pick a busy province / regency / district from the snapshot itself
    with connection.cursor() as cur:
        cur.execute("SELECT code FROM insights_areasnapshot WHERE day = %s AND level = 'district' "
                    "ORDER BY active DESC LIMIT 1", [day])
        row = cur.fetchone()
    district = row[0] if row else "63.71.04"
    regency, province = district[:5], district[:2]
    api_urls = [(api_n, "/api/v1/stats/coverage?level=province"),
                (api_n, f"/api/v1/stats/coverage?level=regency&parent={province}"),
                (api_n, f"/api/v1/stats/coverage?level=district&parent={regency}"),
                (api_n, f"/api/v1/stats/coverage?level=village&parent={district}"),
                (api_b, "/api/v1/stats/coverage?level=regency")]
    page_urls = ["/insights/", "/insights/?level=regional&code=KW-KALIMANTAN", "/insights/?level=branch&code=KC-6371",
                 f"/insights/?level=district&code={district}"]

    def get(client, url):
        def f():
            r = client.get(url)
            assert r.status_code == 200, (url, r.status_code)
        return f

    for c, u in api_urls:  # warm caches (reference lookups are per process)
        get(c, u)()
    for u in page_urls:
        get(page, u)()
    api = sum((timed_many(get(c, u), args.requests) for c, u in api_urls), [])
    pages = sum((timed_many(get(page, u), max(10, args.requests // 3)) for u in page_urls), [])

    def bare():
        with connection.cursor() as cur:
            cur.execute("SELECT code, active, inactive, new_this_month, contributions_this_month "
                        "FROM insights_areasnapshot WHERE day = %s AND level = %s AND parent_code = %s",
                        [day, "regency", province])
            cur.fetchall()
    base = timed_many(bare, args.requests * 5)
    result = {"database": vendor(), "members": have, "refresh_s": round(refresh_s, 1),
              "api_p95_ms": round(p95(api), 1), "dashboard_p95_ms": round(p95(pages), 1),
              "baseline_p95_ms": round(p95(base), 2),
              "api_ratio": round(p95(api) / p95(base), 1), "dashboard_ratio": round(p95(pages) / p95(base), 1)}
    print(f"bench_stats {vendor()} members={have} refresh={result['refresh_s']}s "
          f"stats_coverage_p95={result['api_p95_ms']}ms dashboard_p95={result['dashboard_p95_ms']}ms "
          f"baseline_select_p95={result['baseline_p95_ms']}ms ratio_api={result['api_ratio']}x "
          f"ratio_dashboard={result['dashboard_ratio']}x")
    err(json.dumps(result))


if __name__ == "__main__":
    main()
