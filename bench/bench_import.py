#!/usr/bin/env python
"""Bulk member import benchmark: 10,000 valid rows through ``importer.import_rows`` (validation of every row,
duplicate checks, one KPJ block, bulk_create, audit rows) against a baseline measured in the same run: plain
``bulk_create`` of the same members without any validation.

    .venv/bin/python bench/bench_import.py [--rows 10000] [--repeat 3]

Uses a throw-away SQLite database unless DATABASE_URL is set (then that database: use a scratch one).
Prints one line: rows, median import time, median baseline time, ratio, rows per second, database.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    tmp = None
    if not os.environ.get("DATABASE_URL"):
        tmp = tempfile.TemporaryDirectory(prefix="jaring-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp.name}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jaring.settings")
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from jaring.core.models import AuditEvent
    from jaring.members import importer, services, synthetic
    from jaring.members.models import Member

    print("menyiapkan database…", file=sys.stderr)
    call_command("migrate", interactive=False, verbosity=0)
    rows = synthetic.import_rows_for_bench(args.rows, seed=42)

    def clear():
        Member.objects.all().delete()
        AuditEvent.objects.filter(action="member.register").delete()

    def baseline():
        places = importer.PlaceCache(r["village_code"] for r in rows)
        today = services.today()
        with transaction.atomic():
            kpjs = services.allocate_kpj(len(rows))
            members = [Member(kpj=k, nik=r["nik"], name=r["name"], birth_date=r["birth_date"], gender=r["gender"],
                              phone="+62" + r["phone"][1:], whatsapp="62" + r["phone"][1:],
                              village_id=r["village_code"], district_code=places(r["village_code"]).district_code,
                              regency_code=places(r["village_code"]).regency_code,
                              province_code=r["village_code"][:2], branch_id=places(r["village_code"]).branch_id,
                              occupation=r["occupation"], income=int(r["income"]), jht="JHT" in r["programs"],
                              channel="branch", status="active", registered_on=today, first_month=today.replace(day=1))
                       for r, k in zip(rows, kpjs)]
            Member.objects.bulk_create(members, batch_size=importer.CHUNK)
        return len(members)

    def full():
        result = importer.import_rows(rows, actor=None, channel="branch", funding="self")
        assert not result.errors, result.errors[:3]
        return len(result.imported)

    base_times, import_times = [], []
    for i in range(args.repeat):
        clear()
        t = time.perf_counter()
        assert baseline() == args.rows
        base_times.append(time.perf_counter() - t)
        clear()
        t = time.perf_counter()
        assert full() == args.rows
        import_times.append(time.perf_counter() - t)
        print(f"  ulang {i + 1}: impor {import_times[-1]:.2f}s, dasar {base_times[-1]:.2f}s", file=sys.stderr)
    clear()
    imp, base = statistics.median(import_times), statistics.median(base_times)
    print(f"bench_import rows={args.rows} import_median={imp:.2f}s baseline_bulk_create_median={base:.2f}s "
          f"ratio={imp / base:.1f}x rows_per_s={args.rows / imp:,.0f} db={connection.vendor}")
    if tmp:
        tmp.cleanup()


if __name__ == "__main__":
    main()
