"""Snapshot tables: totals equal a direct count of members; the stats API is scoped by office."""

import json
from datetime import date

import pytest

from jaring.insights.tests.helpers import make_member

pytestmark = pytest.mark.django_db

DAY = date(2026, 5, 20)


@pytest.fixture
def fixture_members():
    # Banjarmasin (KC-6371): two villages in 63.71.04, one in 63.71.01
    for status in ["active", "active", "active", "inactive", "pending"]:
        make_member("63.71.04.1001", status)
    make_member("63.71.04.1002", "active", registered_on=date(2026, 2, 3))
    make_member("63.71.04.1002", "inactive", registered_on=date(2025, 11, 3))
    make_member("63.71.01.1001", "active", registered_on=date(2026, 4, 30))
    make_member("63.71.01.1001", "rejected")
    # Balikpapan (KC-6471), same regional office; Jakarta Pusat (KC-3171), another
    make_member("64.71.01.1001", "active")
    make_member("64.71.01.1001", "active", registered_on=date(2026, 5, 21))  # after the snapshot day
    make_member("31.71.01.1001", "active")
    make_member("31.71.01.1001", "pending")


def test_snapshot_totals_equal_a_direct_count(fixture_members):
    from django.db.models import Count

    from jaring.insights.models import AreaSnapshot
    from jaring.insights.services import refresh_snapshots
    from jaring.members.models import Member

    result = refresh_snapshots(DAY)
    direct = dict(Member.objects.filter(registered_on__lte=DAY).values_list("status").annotate(n=Count("id")))
    assert result["active"] == direct["active"] == 7
    assert result["inactive"] == direct["inactive"] == 2
    assert result["pending"] == direct["pending"] == 2
    assert result["new_this_month"] == 8  # registered 1–20 May 2026, not rejected
    assert result["village_rows"] == 5 and result["province_rows"] == 3 and result["regional_rows"] == 2
    for level in ["village", "district", "regency", "province", "branch", "regional"]:
        sums = {m: sum(AreaSnapshot.objects.filter(day=DAY, level=level).values_list(m, flat=True))
                for m in ["active", "inactive", "pending", "new_this_month"]}
        assert sums == {"active": 7, "inactive": 2, "pending": 2, "new_this_month": 8}, level
    v = AreaSnapshot.objects.get(day=DAY, level="village", code="63.71.04.1001")
    assert (v.active, v.inactive, v.pending, v.parent_code, v.branch_code) == (3, 1, 1, "63.71.04", "KC-6371")
    kw = AreaSnapshot.objects.get(day=DAY, level="regional", code="KW-KALIMANTAN")
    assert (kw.active, kw.inactive, kw.pending) == (6, 2, 1)
    # refreshing again replaces the day's rows instead of adding to them
    refresh_snapshots(DAY)
    assert AreaSnapshot.objects.get(day=DAY, level="national").active == 7


def test_snapshots_refresh_cli_prints_counts(fixture_members, capsys):
    from jaring.cli import main

    main(["snapshots", "refresh", "--date", "2026-05-20"])
    out = json.loads(capsys.readouterr().out)
    assert out["date"] == "2026-05-20" and out["active"] == 7 and out["village_rows"] == 5
    with pytest.raises(SystemExit) as e:
        main(["snapshots", "refresh", "--date", "20-05-2026"])
    assert e.value.code == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_coverage_api_drill_down_scoped_by_office(fixture_members, make_user, api_client):
    from jaring.insights.services import refresh_snapshots

    refresh_snapshots(DAY)
    national = api_client(make_user("nas", "manager", None))
    rows = national.get("/api/v1/stats/coverage", {"level": "province"}).json()
    assert {r["code"]: r["active"] for r in rows} == {"31": 1, "63": 5, "64": 1}
    assert {r["code"]: r["name"] for r in rows}["63"] == "Kalimantan Selatan"
    rows = national.get("/api/v1/stats/coverage", {"level": "district", "parent": "6371"}).json()
    assert [(r["code"], r["active"], r["inactive"], r["new_this_month"]) for r in rows] == [
        ("63.71.01", 1, 0, 0), ("63.71.04", 4, 2, 5)]
    rows = national.get("/api/v1/stats/coverage", {"level": "village", "parent": "63.71.04"}).json()
    assert [(r["code"], r["active"]) for r in rows] == [("63.71.04.1001", 3), ("63.71.04.1002", 1)]
    assert set(rows[0]) >= {"code", "name", "active", "inactive", "new_this_month", "contributions_this_month"}

    officer = api_client(make_user("kc", "officer", "KC-6371"))
    rows = officer.get("/api/v1/stats/coverage", {"level": "regency"}).json()
    assert [(r["code"], r["active"]) for r in rows] == [("63.71", 5)]
    rows = officer.get("/api/v1/stats/coverage", {"level": "province"}).json()
    assert [(r["code"], r["active"]) for r in rows] == [("63", 5)]
    assert officer.get("/api/v1/stats/coverage", {"level": "district", "parent": "31.71"}).status_code == 403
    assert officer.get("/api/v1/stats/coverage", {"level": "village", "parent": "64.71.01"}).status_code == 403

    regional = api_client(make_user("kw", "manager", "KW-KALIMANTAN"))
    rows = regional.get("/api/v1/stats/coverage", {"level": "province"}).json()
    assert {r["code"]: r["active"] for r in rows} == {"63": 5, "64": 1}
    rows = regional.get("/api/v1/stats/coverage", {"level": "branch"}).json()
    assert {r["code"]: r["active"] for r in rows} == {"KC-6371": 5, "KC-6471": 1}

    worker = api_client(make_user("w", "worker", None))
    assert worker.get("/api/v1/stats/coverage", {"level": "province"}).status_code == 403
    assert api_client().get("/api/v1/stats/coverage").status_code == 401
    r = national.get("/api/v1/stats/coverage", {"level": "village"})
    assert r.status_code == 422 and "parent" in r.json()["errors"]
    assert national.get("/api/v1/stats/coverage", {"level": "district", "parent": "99.99"}).status_code == 404


def test_worker_refreshes_snapshots_once_a_day(fixture_members, monkeypatch):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    import jaring.insights.jobs  # noqa: F401  (registers the job)
    from jaring.core import jobs
    from jaring.core.jobs import run_due

    # only this job: other apps' daily jobs (e.g. the coverage refresh) would change the fixture first
    monkeypatch.setattr(jobs, "REGISTRY", [j for j in jobs.REGISTRY if j.name == "insights.snapshots"])
    from jaring.insights.models import AreaSnapshot

    now = datetime(2026, 5, 20, 1, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
    done = [name for name, period, _ in run_due(now) if name == "insights.snapshots"]
    assert done == ["insights.snapshots"]
    assert AreaSnapshot.objects.get(day=DAY, level="national").active == 7
    assert "insights.snapshots" not in [name for name, _, _ in run_due(now)]  # same day: not again


def test_contributions_this_month_equal_a_direct_sum_of_payments(fixture_members):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from django.db.models import Sum

    from jaring.contributions.models import Payment
    from jaring.insights.models import AreaSnapshot
    from jaring.insights.services import refresh_snapshots
    from jaring.insights.tests.helpers import pay
    from jaring.members.models import Member

    wib = ZoneInfo("Asia/Jakarta")
    m1, m2, m3 = Member.objects.filter(status="active").order_by("id")[:3]
    pay(m1, [date(2026, 5, 1)], paid_at=datetime(2026, 5, 1, 0, 30, tzinfo=wib))        # first minutes of May (WIB)
    pay(m2, [date(2026, 5, 1), date(2026, 6, 1)], paid_at=datetime(2026, 5, 20, 23, 0, tzinfo=wib))  # the day itself
    pay(m3, [date(2026, 4, 1)], paid_at=datetime(2026, 4, 30, 23, 59, tzinfo=wib))      # April: not counted
    pay(m3, [date(2026, 5, 1)], paid_at=datetime(2026, 5, 21, 8, 0, tzinfo=wib))        # after the day: not counted
    refresh_snapshots(DAY)
    start, end = datetime(2026, 5, 1, tzinfo=wib), datetime(2026, 5, 21, tzinfo=wib)
    direct = Payment.objects.filter(paid_at__gte=start, paid_at__lt=end).aggregate(s=Sum("amount"))["s"]
    assert direct == 3 * 16_800
    assert AreaSnapshot.objects.get(day=DAY, level="national").contributions_this_month == 50_400
    v = AreaSnapshot.objects.get(day=DAY, level="village", code=m1.village_id)
    assert v.contributions_this_month == sum(
        p.amount for p in Payment.objects.filter(member__village_id=m1.village_id, paid_at__gte=start, paid_at__lt=end))


def test_old_daily_snapshots_are_pruned_to_month_ends(fixture_members):
    from jaring.insights.models import AreaSnapshot
    from jaring.insights.services import refresh_snapshots

    for d in (DAY, date(2026, 5, 25), date(2026, 5, 31), date(2026, 6, 2)):
        refresh_snapshots(d)
    result = refresh_snapshots(date(2027, 7, 10))  # keeps 400 days: from 2026-06-05 on, plus month ends
    assert result["pruned_rows"] == 2 * AreaSnapshot.objects.filter(day=date(2026, 5, 31)).count()
    assert sorted(set(AreaSnapshot.objects.values_list("day", flat=True))) == [
        date(2026, 5, 31), date(2026, 6, 2), date(2027, 7, 10)]
