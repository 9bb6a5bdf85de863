"""Writes of the insights app: rebuilding the snapshot tables and importing segment figures.

All bulk work is set-based SQL that runs on SQLite and PostgreSQL alike: one ``INSERT ... SELECT ...
GROUP BY`` over members (and payments) for villages, then each higher level is rolled up from the
rows of the level below it, never from the member table again.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from django.apps import apps
from django.db import connection, transaction
from django.utils import timezone

from jaring.core.audit import record
from jaring.core.errors import DomainError
from jaring.members import sql as members_sql
from jaring.members.models import Member
from jaring.regions.models import BranchOffice, Region, RegionalOffice
from jaring.rules.periods import add_months

from .models import AgentStat, AreaSnapshot, CohortStat, MonthlyStat, RefreshLog, SegmentFigure

COHORT_MONTHS = 24  # retention curves cover cohorts of the last two years
KEEP_DAYS = 400  # daily snapshots older than this are pruned, except those of the last day of each month


def _model(label: str):
    try:
        return apps.get_model(label)
    except LookupError:
        return None

def payment_source():
    """(table, member column, amount column, paid_at column) of C's Payment, or None before it exists."""
    Payment = _model("contributions.Payment")
    if Payment is None:
        return None
    f = Payment._meta.get_field
    return Payment._meta.db_table, f("member").column, f("amount").column, f("paid_at").column

def bill_source():
    """(table, member column, month column, status column, due_date column) of C's Bill, or None."""
    Bill = _model("contributions.Bill")
    if Bill is None:
        return None
    f = Bill._meta.get_field
    return Bill._meta.db_table, f("member").column, f("month").column, f("status").column, f("due_date").column

def _q(name: str) -> str:
    return connection.ops.quote_name(name)

def _d(value: date):
    return connection.ops.adapt_datefield_value(value)

def _dt(value: datetime):
    return connection.ops.adapt_datetimefield_value(value)

def month_of(column: str, local_datetime: bool = False) -> str:
    """SQL for the first day of the month of ``column`` (a date, or an aware datetime read in WIB)."""
    if connection.vendor == "postgresql":
        if local_datetime:
            return f"CAST(date_trunc('month', {column} AT TIME ZONE 'Asia/Jakarta') AS date)"
        return f"CAST(date_trunc('month', {column}) AS date)"
    if local_datetime:
        return f"date({column}, '+7 hours', 'start of month')"
    return f"date({column}, 'start of month')"

def _local_midnight(d: date) -> datetime:
    return timezone.make_aware(datetime.combine(d, time.min))

# Roll-up recipes: (level, from level, code expression, parent expression, branch expression, join)
def _rollups(table: str):
    bo = _q(BranchOffice._meta.db_table)
    rg = _q(Region._meta.db_table)
    return [
        ("district", "village", "s.parent_code", "SUBSTR(s.parent_code, 1, 5)", "s.branch_code", ""),
        ("regency", "district", "s.parent_code", "SUBSTR(s.parent_code, 1, 2)", "s.branch_code", ""),
        ("province", "regency", "s.parent_code", "'ID'", "''", ""),
        ("branch", "regency", "s.branch_code", f"COALESCE(o.regional_office_id, '')", "s.branch_code",
         f"LEFT JOIN {bo} o ON o.code = s.branch_code"),
        ("regional", "province", f"COALESCE(r.regional_office_id, '')", "'ID'", "''",
         f"LEFT JOIN {rg} r ON r.code = s.code"),
        ("national", "province", "'ID'", "''", "''", ""),
    ]

def _roll_up(cursor, table: str, key: str, key_value, metrics: list[str]) -> None:
    t = _q(table)
    sums = ", ".join(f"SUM(s.{m})" for m in metrics)
    cols = ", ".join(metrics)
    for level, source, code, parent, branch, join in _rollups(table):
        # PostgreSQL refuses a literal in GROUP BY: group by the expressions only
        group = ", ".join([f"s.{key}"] + [e for e in (code, parent, branch) if not e.startswith("'")])
        cursor.execute(
            f"INSERT INTO {t} ({key}, level, code, parent_code, branch_code, {cols}) "
            f"SELECT s.{key}, %s, {code}, {parent}, {branch}, {sums} FROM {t} s {join} "
            f"WHERE s.{key} = %s AND s.level = %s GROUP BY {group}",
            [level, key_value, source])

def refresh_area_snapshots(day: date) -> dict:
    """Rebuild the rows of ``day``: members by status, new this month and contributions paid this month."""
    month_start = day.replace(day=1)
    next_month = add_months(month_start, 1)
    m = _q(members_sql.table())
    metrics = ["active", "inactive", "pending", "new_this_month", "contributions_this_month"]
    params: list = [_d(day), _d(month_start), _d(day)]
    payments_sql = ""
    src = payment_source()
    if src:
        table, member_col, amount_col, paid_col = src
        payments_sql = (f" UNION ALL SELECT mm.village_code, mm.district_code, mm.branch_id, 0, 0, 0, 0, "
                        f"p.{_q(amount_col)} FROM {_q(table)} p JOIN {m} mm ON mm.id = p.{_q(member_col)} "
                        f"WHERE p.{_q(paid_col)} >= %s AND p.{_q(paid_col)} < %s")
        params += [_dt(_local_midnight(month_start)), _dt(_local_midnight(min(next_month, day + _one_day())))]
    t = _q(AreaSnapshot._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        AreaSnapshot.objects.filter(day=day).delete()
        cursor.execute(
            f"INSERT INTO {t} (day, level, code, parent_code, branch_code, {', '.join(metrics)}) "
            f"SELECT %s, 'village', x.v, x.d, x.b, SUM(x.a), SUM(x.i), SUM(x.p), SUM(x.n), SUM(x.c) FROM ("
            f"SELECT village_code AS v, district_code AS d, branch_id AS b, "
            f"CASE WHEN status = 'active' THEN 1 ELSE 0 END AS a, "
            f"CASE WHEN status = 'inactive' THEN 1 ELSE 0 END AS i, "
            f"CASE WHEN status = 'pending' THEN 1 ELSE 0 END AS p, "
            f"CASE WHEN registered_on >= %s AND status <> 'rejected' THEN 1 ELSE 0 END AS n, "
            f"CAST(0 AS BIGINT) AS c FROM {m} WHERE registered_on <= %s"
            f"{payments_sql}) x GROUP BY x.v, x.d, x.b",
            params)
        _roll_up(cursor, AreaSnapshot._meta.db_table, "day", _d(day), metrics)
    counts = {lv: AreaSnapshot.objects.filter(day=day, level=lv).count()
              for lv in ("village", "district", "regency", "province", "branch", "regional")}
    return counts

def _one_day():
    from datetime import timedelta

    return timedelta(days=1)

def refresh_monthly(day: date) -> int:
    """Rebuild registrations and contributions per village per month up to ``day``, then roll up."""
    m = _q(members_sql.table())
    reg_month = month_of("registered_on")
    payments_sql = ""
    params = [_d(day)]
    src = payment_source()
    if src:
        table, member_col, amount_col, paid_col = src
        pm = month_of(f"p.{_q(paid_col)}", local_datetime=True)
        payments_sql = (f" UNION ALL SELECT {pm}, mm.village_code, mm.district_code, mm.branch_id, 0, "
                        f"p.{_q(amount_col)} FROM {_q(table)} p JOIN {m} mm ON mm.id = p.{_q(member_col)} "
                        f"WHERE p.{_q(paid_col)} < %s")
        params.append(_dt(_local_midnight(day + _one_day())))
    t = _q(MonthlyStat._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        MonthlyStat.objects.all().delete()
        cursor.execute(
            f"INSERT INTO {t} (month, level, code, parent_code, branch_code, registrations, contributions) "
            f"SELECT x.mo, 'village', x.v, x.d, x.b, SUM(x.r), SUM(x.c) FROM ("
            f"SELECT {reg_month} AS mo, village_code AS v, district_code AS d, branch_id AS b, 1 AS r, "
            f"CAST(0 AS BIGINT) AS c FROM {m} WHERE registered_on <= %s AND status <> 'rejected'"
            f"{payments_sql}) x GROUP BY x.mo, x.v, x.d, x.b", params)
        months = list(MonthlyStat.objects.filter(level="village").values_list("month", flat=True).distinct())
        for mo in months:
            _roll_up(cursor, MonthlyStat._meta.db_table, "month", _d(mo), ["registrations", "contributions"])
    return MonthlyStat.objects.count()

def refresh_cohorts(day: date) -> int:
    """Retention by first contribution month and branch: members in the cohort, and how many paid each
    later month's bill (age 0 = the first month itself)."""
    from django.db.models import Count

    first = add_months(day.replace(day=1), -(COHORT_MONTHS - 1))
    sizes = (Member.objects.exclude(status="rejected").filter(first_month__gte=first, first_month__lte=day)
             .values("branch_id", "first_month").annotate(n=Count("id")))
    paid: dict[tuple, int] = {}
    src = bill_source()
    if src:
        table, member_col, month_col, status_col, _due = src
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT mm.branch_id, mm.first_month, b.{_q(month_col)}, COUNT(*) FROM {_q(table)} b "
                f"JOIN {_q(members_sql.table())} mm ON mm.id = b.{_q(member_col)} "
                f"WHERE b.{_q(status_col)} = 'paid' AND mm.first_month >= %s AND b.{_q(month_col)} <= %s "
                f"AND mm.status <> 'rejected' GROUP BY mm.branch_id, mm.first_month, b.{_q(month_col)}",
                [_d(first), _d(day)])
            for branch, cohort, month, n in cursor.fetchall():
                cohort, month = _as_date(cohort), _as_date(month)
                age = (month.year - cohort.year) * 12 + month.month - cohort.month
                if age >= 0:
                    paid[(branch, cohort, age)] = paid.get((branch, cohort, age), 0) + n
    rows = []
    current = day.replace(day=1)
    for s in sizes:
        cohort = s["first_month"]
        max_age = (current.year - cohort.year) * 12 + current.month - cohort.month
        for age in range(0, max_age + 1):
            rows.append(CohortStat(cohort=cohort, age=age, branch_code=s["branch_id"], members=s["n"],
                                   paying=paid.get((s["branch_id"], cohort, age), 0)))
    with transaction.atomic():
        CohortStat.objects.all().delete()
        CohortStat.objects.bulk_create(rows, batch_size=2000)
    return len(rows)

def refresh_agent_stats(day: date) -> int:
    """Members recruited per agent and regency (INSERT ... SELECT ... GROUP BY over recruitments)."""
    Recruitment, Agent = _model("agents.Recruitment"), _model("agents.Agent")
    AgentStat.objects.filter(day=day).delete()
    if Recruitment is None or Agent is None:
        return 0
    r, a = Recruitment._meta, Agent._meta
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_q(AgentStat._meta.db_table)} (day, agent_code, agent_name, branch_code, regency_code, "
            f"recruited, active) SELECT %s, a.code, a.name, a.{_q(a.get_field('branch').column)}, mm.regency_code, "
            f"COUNT(*), SUM(CASE WHEN mm.status = 'active' THEN 1 ELSE 0 END) "
            f"FROM {_q(r.db_table)} rr JOIN {_q(a.db_table)} a ON a.id = rr.{_q(r.get_field('agent').column)} "
            f"JOIN {_q(members_sql.table())} mm ON mm.id = rr.{_q(r.get_field('member').column)} "
            f"WHERE rr.{_q(r.get_field('recruited_on').column)} <= %s "
            f"GROUP BY a.code, a.name, a.{_q(a.get_field('branch').column)}, mm.regency_code", [_d(day), _d(day)])
    return AgentStat.objects.filter(day=day).count()

def _as_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])

def refresh_snapshots(day: date | None = None) -> dict:
    """``jaring snapshots refresh``: every snapshot table as of ``day`` (default today, WIB)."""
    day = day or timezone.localdate()
    counts = refresh_area_snapshots(day)
    national = AreaSnapshot.objects.filter(day=day, level="national").first()
    result = {"date": day.isoformat(), **{f"{k}_rows": v for k, v in counts.items()},
              "monthly_rows": refresh_monthly(day), "cohort_rows": refresh_cohorts(day),
              "agent_rows": refresh_agent_stats(day),
              "active": national.active if national else 0,
              "inactive": national.inactive if national else 0,
              "pending": national.pending if national else 0,
              "new_this_month": national.new_this_month if national else 0,
              "contributions_this_month": national.contributions_this_month if national else 0,
              "payments_included": payment_source() is not None}
    result["pruned_rows"] = prune_snapshots(day)
    RefreshLog.objects.create(day=day, counts=result)
    return result

def prune_snapshots(day: date) -> int:
    """Keep every day of the last KEEP_DAYS, and month-end days before that (one row set per month)."""
    from datetime import timedelta

    old_days = set(AreaSnapshot.objects.filter(day__lt=day - timedelta(days=KEEP_DAYS))
                   .values_list("day", flat=True).distinct())
    month_ends = {max(d for d in old_days if (d.year, d.month) == (x.year, x.month)) for x in old_days}
    drop = sorted(old_days - month_ends)
    if not drop:
        return 0
    deleted, _ = AreaSnapshot.objects.filter(day__in=drop).delete()
    return deleted

# --- segment figures (regional summary) ----------------------------------------------------------

SEGMENT_METRICS = {
    "workforce": "pekerja (penduduk bekerja) di wilayah",
    "coverage_pct": "cakupan kepesertaan yang dilaporkan, persen",
    "active_total": "peserta aktif seluruh segmen",
    "active_formal": "peserta aktif penerima upah (PU)",
    "active_informal": "peserta aktif bukan penerima upah (BPU) yang dilaporkan",
    "active_construction": "pekerja jasa konstruksi aktif",
    "construction_projects": "proyek jasa konstruksi",
    "companies": "perusahaan (pemberi kerja) terdaftar",
    "contributions": "iuran diterima, Rupiah",
    "contributions_growth_pct": "pertumbuhan iuran terhadap tahun sebelumnya, persen",
}
SEGMENT_COLUMNS = ["office", "year", "metric", "value", "source"]


def import_segments(fileobj, *, actor=None) -> dict:
    """Import aggregate figures (CSV: office,year,metric,value,source). Re-importing replaces the value of
    the same (office, year, metric). Every bad row is reported with its line number; nothing is saved
    when any row is bad."""

    text = fileobj.read()
    if isinstance(text, bytes):
        text = text.decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in SEGMENT_COLUMNS[:4] if c not in (reader.fieldnames or [])]
    if missing:
        raise DomainError(f"Kolom wajib tidak ada: {', '.join(missing)}. Header harus: "
                          f"{','.join(SEGMENT_COLUMNS)}.", {"file": "kolom kurang"})
    offices = set(RegionalOffice.objects.values_list("code", flat=True)) | {"ID"}
    rows, errors = [], {}
    for n, row in enumerate(reader, start=2):
        office = (row.get("office") or "").strip()
        metric = (row.get("metric") or "").strip()
        try:
            year = int(row.get("year") or "")
        except ValueError:
            errors[f"baris {n}"] = "tahun harus angka, mis. 2024"
            continue
        if office not in offices:
            errors[f"baris {n}"] = f"kantor wilayah '{office}' tidak dikenal (pakai kode KW-… atau ID)"
            continue
        if metric not in SEGMENT_METRICS:
            errors[f"baris {n}"] = f"metrik '{metric}' tidak dikenal; pilihan: {', '.join(SEGMENT_METRICS)}"
            continue
        try:
            value = Decimal((row.get("value") or "").replace("_", "").strip())
        except InvalidOperation:
            errors[f"baris {n}"] = "nilai harus angka tanpa pemisah ribuan, mis. 889957"
            continue
        if value < 0:
            errors[f"baris {n}"] = "nilai tidak boleh negatif"
            continue
        rows.append((office, year, metric, value, (row.get("source") or "").strip()))
    if errors:
        raise DomainError("Berkas tidak diimpor; perbaiki baris yang disebut.", errors)
    created = updated = 0
    with transaction.atomic():
        for office, year, metric, value, source in rows:
            _, was_created = SegmentFigure.objects.update_or_create(
                office=office, year=year, metric=metric, defaults={"value": value, "source": source})
            created += was_created
            updated += not was_created
        record(actor, "insights.import_segments", object_type="insights.segmentfigure", object_id="*",
               note=f"{len(rows)} baris: {created} baru, {updated} diperbarui")
    return {"rows": len(rows), "created": created, "updated": updated}
