"""Generate N synthetic members with 12 months of payment history (bulk inserts; COPY on PostgreSQL).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jaring_bench .venv/bin/python bench/generate.py 1000000
    .venv/bin/python bench/generate.py 100000            # SQLite: var/bench.sqlite3

Members are written straight into members_member with COPY (PostgreSQL) or executemany (SQLite) in
chunks; the history (bills, payments, ledger) comes from jaring.contributions.seed.seed_history, which
is INSERT ... SELECT inside the database. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from datetime import date, datetime, timezone as dt_tz

from _setup import err, vendor

from django.core.management import call_command
from django.db import connection, transaction

from jaring.contributions.sqlutil import bulk_load
from jaring.members.models import Member
from jaring.rules.identifiers import make_kpj
from jaring.rules.periods import add_months

INCOMES = [1_000_000, 1_000_000, 1_500_000, 2_000_000, 2_500_000, 3_000_000, 5_000_000]
OCC = [("petani", "other"), ("pedagang", "other"), ("nelayan", "other"), ("ojek_online", "transport"),
       ("sopir", "transport"), ("usaha_mikro", "other"), ("prt", "other"), ("kurir", "transport")]
SERIAL_BASE = 5_000_000_000  # KPJ serials far from the app's own


def villages(limit=3000):
    from jaring.regions.models import Region

    regency_branch = dict(Region.objects.filter(level=2).values_list("code", "branch_id"))
    rows = list(Region.objects.filter(level=4).order_by("code").values_list("code", flat=True)[::25][:limit])
    return [(v, v[:8], v[:5], v[:2], regency_branch[v[:5]]) for v in rows]


def member_rows(n: int, start_serial: int, today: date, vill: list):
    rnd = random.Random(42 + start_serial)
    fields = [f for f in Member._meta.concrete_fields if not f.primary_key]
    now = datetime.now(dt_tz.utc)
    this_month = today.replace(day=1)
    for i in range(n):
        serial = start_serial + i
        v = vill[rnd.randrange(len(vill))]
        occ, sector = OCC[rnd.randrange(len(OCC))]
        first = add_months(this_month, -rnd.randint(12, 30))
        gender = "L" if rnd.random() < 0.6 else "P"
        day = rnd.randint(1, 28) + (40 if gender == "P" else 0)
        birth = date(rnd.randint(1965, 2004), rnd.randint(1, 12), day % 40 or 1)
        nik = f"{v[0][:2]}{v[0][3:5]}{v[0][6:8]}{serial:010d}"  # region prefix + unique serial
        values = {
            "kpj": make_kpj(SERIAL_BASE + serial), "nik": nik, "name": f"Peserta {serial}",
            "birth_date": birth.replace(day=min(birth.day, 28)), "gender": gender, "phone": "", "whatsapp": "",
            "village": v[0], "address": "", "district_code": v[1], "regency_code": v[2], "province_code": v[3],
            "branch": v[4], "occupation": occ, "second_occupation": "", "sector": sector,
            "income": INCOMES[rnd.randrange(len(INCOMES))], "jht": rnd.random() < 0.3,
            "funding": "apbd" if rnd.random() < 0.08 else ("sponsor" if rnd.random() < 0.05 else "self"),
            "channel": "branch", "status": "active", "status_reason": "", "registered_at": now,
            "registered_on": first, "first_month": first, "user": None, "created_by": None, "updated_at": now,
        }
        row = []
        for f in fields:
            if f.name in values:
                row.append(values[f.name])
            elif f.has_default():
                row.append(f.get_default())
            else:
                row.append(None if f.null else "")
        yield tuple(row)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("members", type=int)
    ap.add_argument("--months", type=int, default=12)
    ap.add_argument("--chunk", type=int, default=100_000)
    args = ap.parse_args()
    t0 = time.perf_counter()
    err(f"[{vendor()}] migrate…")
    call_command("migrate", interactive=False, verbosity=0)
    from jaring.contributions.rates import load_schedule_rows
    from jaring.regions.loader import load_regions

    load_regions()
    load_schedule_rows()
    with connection.cursor() as cur:
        cur.execute("SELECT COALESCE(MAX(id), 0) FROM members_member")
        start = cur.fetchone()[0] + 1
    fields = [f for f in Member._meta.concrete_fields if not f.primary_key]
    cols = [f.column for f in fields]
    today = date.today()
    vill = villages()  # read before COPY starts: the connection is busy during COPY
    made = 0
    while made < args.members:
        n = min(args.chunk, args.members - made)
        rows = member_rows(n, start + made, today, vill)
        if vendor() == "sqlite":
            from django.db.models.fields import DateField, DateTimeField

            def adapt(rows):
                for r in rows:
                    yield tuple(connection.ops.adapt_datetimefield_value(v) if isinstance(f, DateTimeField)
                                else (v.isoformat() if isinstance(f, DateField) and v else v)
                                for f, v in zip(fields, r))
            rows = adapt(rows)
        with transaction.atomic(), connection.cursor() as cur:
            bulk_load(cur, "members_member", cols, rows)
        made += n
        err(f"  {made}/{args.members} peserta ({time.perf_counter() - t0:.0f} s)")
    t1 = time.perf_counter()
    from jaring.contributions.seed import seed_history

    if vendor() == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE members_member")
    history = seed_history(None, args.months, progress=err)
    if vendor() == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    t2 = time.perf_counter()
    print(json.dumps({"database": vendor(), "members": made, "members_seconds": round(t1 - t0, 1),
                      "history_seconds": round(t2 - t1, 1), **history}))


if __name__ == "__main__":
    main()
