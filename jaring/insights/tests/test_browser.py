"""Browser: the national dashboard, drilled down to a village, with an export downloaded; screenshots for the
README are written to docs/screenshots/."""

import random
from pathlib import Path

import pytest

from jaring.insights.tests.helpers import make_member, pay
from jaring.rules.periods import add_months

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DOCS_SHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"


def shots_dir(tmp_path) -> Path:
    """README screenshots are rewritten only with JARING_UPDATE_SCREENSHOTS=1 (else into the test's tmp dir),
    so that an ordinary test run leaves the working tree clean."""
    import os

    return DOCS_SHOTS if os.environ.get("JARING_UPDATE_SCREENSHOTS") == "1" else tmp_path
VILLAGES = ["63.71.04.1001", "63.71.04.1002", "63.71.04.1003", "63.71.01.1001", "64.71.01.1001", "64.71.01.1002",
            "31.71.01.1001", "32.73.01.1001", "35.78.01.1001", "11.71.01.1001", "53.71.01.1001", "73.71.01.1001"]


def _data():
    from django.utils import timezone

    from jaring.insights.services import import_segments, refresh_snapshots

    rnd = random.Random(7)
    today = timezone.localdate()
    this_month = today.replace(day=1)
    from jaring.regions.models import Region

    from jaring.agents.models import Recruitment
    from jaring.agents.services import onboard_agent
    from jaring.outreach import services as outreach
    from jaring.outreach.models import Lead

    agents = [onboard_agent({"username": f"agen{k}", "password": "rahasia-sekali-9", "name": name, "branch": "KC-6371",
                             "bank_name": "BRI", "bank_account": f"12345678{k}"})
              for k, name in enumerate(["Rina Wati", "Budi Hartono", "Yusuf Maulana"])]
    officer = __import__("jaring.accounts.services", fromlist=["create_user"]).create_user(
        "petugas_demo", "rahasia-sekali-9", "officer", "KC-6371")
    campaigns = []
    for name, kind in [("KKBC Masuk Desa Banjarmasin", "kkbc_desa"), ("Kunjungan Pasar Lama", "market"),
                       ("Siaran Radio Banjar", "radio")]:
        c = outreach.create_campaign({"name": name, "kind": kind, "starts_on": add_months(this_month, -16),
                                      "ends_on": today, "branches": ["KC-6371"]}, actor=officer)
        campaigns.append(outreach.create_event(c, {"name": f"Kegiatan {name}", "village_code": "6371041001",
                                                   "date": add_months(this_month, -16), "agents": "agen0,agen1,agen2"},
                                               actor=officer))
    villages = [v for v in VILLAGES if Region.objects.filter(code=v).exists()]
    for i in range(90):
        v = villages[i % len(villages)] if i % 3 else "63.71.04.1001"
        first = add_months(this_month, -rnd.randint(0, 16))
        status = rnd.choice(["active"] * 6 + ["inactive", "pending"])
        m = make_member(v, status, registered_on=min(first.replace(day=5), today), first_month=first)
        if v.startswith("63.71"):
            Recruitment.objects.create(member=m, agent=agents[i % 3 if i % 5 else 0], recruited_on=m.registered_on)
            ev = campaigns[i % 3 if i % 4 else 0]
            Lead.objects.create(event=ev, campaign=ev.campaign, agent=agents[i % 3].user, name=m.name,
                                phone=f"+628125{i:07d}", occupation="pedagang", village_id=v, consent=True,
                                member=m, status="registered")
            for j in range(i % 3):
                Lead.objects.create(event=ev, campaign=ev.campaign, agent=agents[j].user, name=f"Calon {i}-{j}",
                                    phone=f"+628126{i:05d}{j:02d}", occupation="petani", village_id=v, consent=True)
        paid = rnd.randint(0, 17)
        for k in range(paid):
            month = add_months(first, k)
            if month > this_month:
                break
            pay(m, [month])
    with open(Path(__file__).parents[1] / "data" / "segments_kalimantan_2024.csv", "rb") as fh:
        import_segments(fh)
    refresh_snapshots(today)


def test_national_dashboard_drill_down_to_village_and_export(live_server, page, phone_page, make_user, tmp_path):
    _data()
    make_user("manajer_nas", "manager", None, password="benar-sekali-99")
    page.goto(live_server.url + "/masuk?next=/insights/")
    page.fill("input[name=username]", "manajer_nas")
    page.fill("input[name=password]", "benar-sekali-99")
    page.click("[data-testid=login-submit]")
    page.wait_for_selector("[data-testid=dashboard-title]")
    assert page.inner_text("[data-testid=dashboard-title]") == "Indonesia"
    page.wait_for_selector("[data-testid=province-tiles] a.tile")
    page.locator("#chart-monthly").scroll_into_view_if_needed()  # charts load when they come into view
    page.wait_for_selector("#chart-monthly canvas")
    SHOTS = shots_dir(tmp_path)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "dashboard-national.png"), full_page=True)

    for name in ["Kantor Wilayah Kalimantan", "Kantor Cabang Banjarmasin", "Kota Banjarmasin",
                 "Banjarmasin Utara", "Alalak Tengah"]:
        page.click(f"[data-testid=areas-table] a:text-is('{name}')")
        page.wait_for_selector(f"[data-testid=dashboard-title]:text-is('{name}')")
        if name == "Kantor Cabang Banjarmasin":
            page.screenshot(path=str(SHOTS / "dashboard-branch.png"), full_page=True)
    crumbs = page.inner_text("[data-testid=crumbs]")
    assert "Indonesia" in crumbs and "Banjarmasin Utara" in crumbs and "Alalak Tengah" in crumbs
    active = int(page.inner_text("[data-testid=kpi-active]").replace(".", "").replace(",", ""))
    from jaring.members.models import Member

    assert active == Member.objects.filter(village_id="63.71.04.1001", status="active").count()
    page.screenshot(path=str(SHOTS / "dashboard-village.png"), full_page=True)

    with page.expect_download() as dl:
        page.click("[data-testid=export-monthly-xlsx]")
    path = tmp_path / "monthly.xlsx"
    dl.value.save_as(path)
    from openpyxl import load_workbook

    ws = load_workbook(path).active
    assert ws["A1"].value == "Bulan" and ws.max_row == 25  # header + 24 months

    page.goto(live_server.url + "/insights/ringkasan-wilayah?office=KW-KALIMANTAN")
    assert page.inner_text("[data-testid=summary-coverage]").replace(",", ".") == "45.34%"
    page.screenshot(path=str(SHOTS / "regional-summary-kalimantan.png"), full_page=True)

    # the same dashboard on a phone: tables scroll sideways, cards stack
    phone_page.goto(live_server.url + "/masuk?next=/insights/%3Flevel%3Dbranch%26code%3DKC-6371")
    phone_page.fill("input[name=username]", "manajer_nas")
    phone_page.fill("input[name=password]", "benar-sekali-99")
    phone_page.click("[data-testid=login-submit]")
    phone_page.wait_for_selector("[data-testid=dashboard-title]:text-is('Kantor Cabang Banjarmasin')")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400  # nothing wider than the phone's screen
    phone_page.screenshot(path=str(SHOTS / "dashboard-phone.png"), full_page=True)
