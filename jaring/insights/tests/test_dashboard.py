"""Dashboard pages: drill-down scoping by office, exports that open in openpyxl with the same numbers,
the regional summary reproducing the Kalimantan 2024 picture."""

import csv
import io
from datetime import date
from pathlib import Path

import pytest

from jaring.insights.tests.helpers import make_member

pytestmark = pytest.mark.django_db
DAY = date(2026, 5, 20)


@pytest.fixture
def snap():
    from jaring.insights.services import refresh_snapshots

    for status in ["active", "active", "active", "inactive"]:
        make_member("63.71.04.1001", status)
    make_member("63.71.04.1002", "active", registered_on=date(2026, 3, 2))
    make_member("64.71.01.1001", "active")
    make_member("31.71.01.1001", "active")
    refresh_snapshots(DAY)


def _login(client, make_user, name, role, office):
    client.force_login(make_user(name, role, office))
    return client


def test_national_dashboard_drills_down_to_village(client, make_user, snap):
    _login(client, make_user, "nas", "manager", None)
    r = client.get("/insights/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "Kantor Wilayah Kalimantan" in html and "province-tiles" in html
    r = client.get("/insights/", {"level": "regional", "code": "KW-KALIMANTAN"})
    assert "Kantor Cabang Banjarmasin" in r.content.decode()
    r = client.get("/insights/", {"level": "district", "code": "63.71.04"})
    assert r.status_code == 200 and "Alalak Tengah" in r.content.decode()
    r = client.get("/insights/", {"level": "village", "code": "6371041001"})
    assert r.status_code == 200
    assert r.context["total"]["active"] == 3 and r.context["total"]["inactive"] == 1


def test_branch_officer_sees_only_their_branch(client, make_user, snap):
    _login(client, make_user, "kc", "officer", "KC-6371")
    r = client.get("/insights/")
    assert r.context["level"] == "branch" and r.context["code"] == "KC-6371"
    assert r.context["total"]["active"] == 4
    assert [row[0] for row in r.context["tables"]["areas"]["rows"]] == ["63.71"]
    assert client.get("/insights/", {"level": "national"}).status_code == 403
    assert client.get("/insights/", {"level": "regency", "code": "64.71"}).status_code == 403
    assert client.get("/insights/", {"level": "regional", "code": "KW-KALIMANTAN"}).status_code == 403
    assert client.get("/insights/ekspor/areas.csv", {"level": "regency", "code": "31.71"}).status_code == 403
    assert client.get("/insights/", {"level": "regency", "code": "63.71"}).status_code == 200


def test_worker_cannot_open_dashboard(client, make_user, snap):
    _login(client, make_user, "w", "worker", None)
    assert client.get("/insights/").status_code == 403


def test_exports_open_in_openpyxl_with_the_same_numbers(client, make_user, snap):
    from openpyxl import load_workbook

    _login(client, make_user, "kw", "manager", "KW-KALIMANTAN")
    params = {"level": "regional", "code": "KW-KALIMANTAN"}
    page = client.get("/insights/", params).context["tables"]["areas"]
    r = client.get("/insights/ekspor/areas.xlsx", params)
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = [list(row) for row in ws.iter_rows(values_only=True)]
    assert rows[0] == page["headers"]
    assert rows[1:] == page["rows"]
    assert [(x[0], x[2], x[3]) for x in rows[1:]] == [("KC-6371", 4, 1), ("KC-6471", 1, 0)]
    r = client.get("/insights/ekspor/areas.csv", params)
    got = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert got[1][:4] == ["KC-6371", "Kantor Cabang Banjarmasin", "4", "1"]
    for table in ["monthly", "retention", "agents", "campaigns"]:
        r = client.get(f"/insights/ekspor/{table}.xlsx", params)
        assert r.status_code == 200
        ws = load_workbook(io.BytesIO(r.content)).active
        assert [c.value for c in ws[1]] == client.get("/insights/", params).context["tables"][table]["headers"]
    monthly = load_workbook(io.BytesIO(client.get("/insights/ekspor/monthly.xlsx", params).content)).active
    by_month = {row[0]: row[1] for row in monthly.iter_rows(min_row=2, values_only=True)}
    assert by_month["2026-05"] == 5 and by_month["2026-03"] == 1  # registrations in Kalimantan


def test_coverage_rate_uses_the_informal_workforce_data():
    from jaring.insights import selectors

    data = selectors.informal_data()
    assert data["national"]["informal_workers"] == 83_830_000
    assert sum(r["informal_workers"] for r in data["rows"]) == 83_830_000
    assert len(data["rows"]) == 38
    kalsel = selectors.informal_workers("province", "63")
    regencies = sum(selectors.informal_workers("regency", c) for c in
                    __import__("jaring.regions.models", fromlist=["Region"]).Region.objects
                    .filter(level=2, code__startswith="63.").values_list("code", flat=True))
    assert abs(regencies - kalsel) <= 13  # apportioned by villages; rounding per regency only
    assert selectors.target_for("national", "ID")["value"] == 10_000_000


def test_regional_summary_reproduces_kalimantan_2024(client, make_user, snap, capsys):
    from jaring.cli import main

    main(["insights", "import-segments", str(Path(__file__).parents[1] / "data" / "segments_kalimantan_2024.csv")])
    assert '"rows": 10' in capsys.readouterr().out
    _login(client, make_user, "kw", "manager", "KW-KALIMANTAN")
    r = client.get("/insights/ringkasan-wilayah")
    assert r.status_code == 200
    rows = {x["label"]: x["value"] for x in r.context["rows"]}
    assert rows["Cakupan kepesertaan (%)"] == 45.34
    assert rows["Penerima upah (formal)"] == 1_950_000
    assert rows["Bukan penerima upah (informal) — dilaporkan"] == 889_957
    assert rows["Jasa konstruksi"] == 443_402
    assert rows["Proyek jasa konstruksi"] == 17_580 and rows["Perusahaan"] == 63_680
    assert rows["Iuran (Rp)"] == 5_060_000_000_000 and rows["Pertumbuhan iuran (%)"] == 11.72
    assert rows["BPU aktif di Jaring"] == 5  # computed from members: 4 in Banjarmasin, 1 in Balikpapan
    assert client.get("/insights/ringkasan-wilayah", {"office": "KW-DKI"}).status_code == 403
    from openpyxl import load_workbook

    x = client.get("/insights/ringkasan-wilayah", {"format": "xlsx"})
    ws = load_workbook(io.BytesIO(x.content)).active
    assert ws["B2"].value == 45.34 and ws["B4"].value == 1_950_000


def test_import_segments_refuses_bad_rows_with_line_numbers():
    from jaring.core.errors import DomainError
    from jaring.insights.models import SegmentFigure
    from jaring.insights.services import import_segments

    bad = b"office,year,metric,value,source\nKW-KALIMANTAN,2024,companies,63680,x\nKW-MARS,2024,companies,1,x\n" \
          b"KW-KALIMANTAN,2024,unicorns,1,x\nKW-KALIMANTAN,2024,companies,63.680.000,x\n"
    with pytest.raises(DomainError) as e:
        import_segments(io.BytesIO(bad))
    assert set(e.value.errors) == {"baris 3", "baris 4", "baris 5"}
    assert "KW-MARS" in e.value.errors["baris 3"]
    assert SegmentFigure.objects.count() == 0


def test_contributions_yoy_retention_and_agent_leaderboard(client, make_user):
    from jaring.agents.models import Recruitment
    from jaring.agents.services import onboard_agent
    from jaring.insights.services import refresh_snapshots
    from jaring.insights.tests.helpers import pay

    a = make_member("63.71.04.1001", "active", registered_on=date(2025, 5, 2), first_month=date(2025, 5, 1))
    b = make_member("63.71.04.1002", "active", registered_on=date(2025, 5, 9), first_month=date(2025, 5, 1))
    c = make_member("64.71.01.1001", "inactive", registered_on=date(2025, 5, 9), first_month=date(2025, 5, 1))
    for k in range(13):  # a pays May 2025 … May 2026, each month on the 10th
        pay(a, [date(2025 + (4 + k) // 12, (4 + k) % 12 + 1, 1)], amount=36_800)
    pay(b, [date(2025, 5, 1), date(2025, 6, 1), date(2025, 7, 1)])  # three months at once, paid 10 May 2025
    pay(c, [date(2025, 5, 1)])
    agent = onboard_agent({"username": "agen_x", "password": "rahasia-sekali-9", "name": "Agen X",
                           "branch": "KC-6371", "bank_name": "BRI", "bank_account": "1234567890"})
    for m in (a, b):
        Recruitment.objects.create(member=m, agent=agent, recruited_on=m.registered_on)
    result = refresh_snapshots(DAY)
    assert result["contributions_this_month"] == 36_800 and result["agent_rows"] == 1

    client.force_login(make_user("kw", "manager", "KW-KALIMANTAN"))
    tables = client.get("/insights/", {"level": "branch", "code": "KC-6371"}).context["tables"]
    monthly = {r[0]: r for r in tables["monthly"]["rows"]}
    # May 2025: 36,800 (a) + 3 × 16,800 (b) = 87,200; May 2026: 36,800 → growth −57.8%
    assert monthly["2025-05"][1:3] == [2, 87_200]
    assert monthly["2026-05"][2:5] == [36_800, 87_200, -57.8]
    assert monthly["2026-04"][4] is None  # no payments in April 2025 to compare with
    retention = tables["retention"]["rows"]
    assert retention[0][:2] == ["2025-05", 2]
    assert retention[0][2:6] == [100.0, 100.0, 100.0, 50.0]  # month 3 (Aug 2025): only a still pays
    assert tables["agents"]["rows"] == [[agent.code, "Agen X", "KC-6371", 2, 2]]
    r = client.get("/insights/ekspor/agents.csv", {"level": "district", "code": "63.71.04"})
    assert r.content.decode("utf-8-sig").splitlines()[1] == f"{agent.code},Agen X,KC-6371,2,2"


def test_national_targets_vs_achievement(client, make_user, snap):
    from jaring.insights.services import import_segments

    with open(Path(__file__).parents[1] / "data" / "segments_national_2025.csv", "rb") as fh:
        import_segments(fh)
    client.force_login(make_user("nas", "manager", None))
    r = client.get("/insights/")
    assert r.context["protected_target"]["value"] == 70_000_000
    assert r.context["protected"]["value"] == 41_380_000 and r.context["protected"]["pct"] == 59.1
    assert r.context["target"]["value"] == 10_000_000 and r.context["total"]["active"] == 6
    assert r.context["target_pct"] == 0.0
    r = client.get("/insights/", {"level": "regional", "code": "KW-KALIMANTAN"})
    assert r.context["target"]["value"] == 617_731  # assumption: 10m apportioned by informal workforce
    r = client.get("/insights/ringkasan-wilayah", {"office": "ID"})
    rows = {x["label"]: x["value"] for x in r.context["rows"]}
    assert rows["Bukan penerima upah (informal) — dilaporkan"] == 9_580_000
    assert rows["Cakupan kepesertaan (%)"] == 28.61  # 41.38m / 144.64m employed


def test_province_tile_opens_the_province_with_its_regencies(client, make_user, snap):
    client.force_login(make_user("nas", "manager", None))
    r = client.get("/insights/", {"level": "province", "code": "63"})
    assert r.status_code == 200 and r.context["total"]["active"] == 4
    assert [(row[0], row[2]) for row in r.context["tables"]["areas"]["rows"]] == [("63.71", 4)]
    tiles = {t["code"]: t for t in client.get("/insights/").context["tiles"]}
    assert len(tiles) == 38 and tiles["63"]["active"] == 4 and tiles["31"]["active"] == 1
    client.force_login(make_user("kc", "officer", "KC-6371"))
    assert client.get("/insights/", {"level": "province", "code": "63"}).status_code == 403
