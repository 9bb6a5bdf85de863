"""The agent's workspace pages and officers' agent pages."""

from datetime import date

import pytest
from django.test import Client
from django.utils import timezone

from jaring.agents import services
from jaring.agents.models import Agent, Collection

from .helpers import at, make_agent, register

pytestmark = pytest.mark.django_db


def login(user):
    c = Client()
    c.force_login(user)
    return c


def test_agent_workspace_pages():
    agent = make_agent()
    a = register(1, channel="agent", actor=agent.user, on=date(2026, 5, 10))
    c = login(agent.user)
    html = c.get("/agents/").content.decode()
    assert a.name in html and a.kpj in html
    summary = c.get("/agents/").context["summary"]
    assert (summary["follow_up"], summary["collected_today"], summary["last_commission"]) == (1, 0, None)
    html = c.get("/agents/tindak-lanjut/").content.decode()
    assert a.name in html and f"https://wa.me/{a.whatsapp}?text=" in html
    # collection: KPJ + months → the amount to take → confirm
    html = c.get("/agents/setoran/", {"kpj": a.kpj, "months": 2}).content.decode()
    assert "Rp16.800" in html  # May + June 2026 at Rp8,400 (PP 50/2025)
    r = c.post("/agents/setoran/", {"kpj": a.kpj, "months": 2, "amount": 16_800, "reference": "abc123"})
    assert r.status_code == 302
    r = c.post("/agents/setoran/", {"kpj": a.kpj, "months": 2, "amount": 16_800, "reference": "abc123"})
    assert Collection.objects.count() == 1  # a double tap does not post twice
    html = c.get("/agents/setoran/").content.decode()
    assert a.name in html and "Rp16.800" in html
    # wrong amount says the right one
    r = c.post("/agents/setoran/", {"kpj": a.kpj, "months": 1, "amount": 1_000}, follow=True)
    assert "Rp8.400" in r.content.decode()
    services.run_commissions("2026-05", today=date(2026, 6, 2))
    html = c.get("/agents/komisi/").content.decode()
    assert "05/2026" in html
    html = c.get("/agents/komisi/", {"bulan": "2026-05"}).content.decode()
    assert "Laporan bulan" in html


def test_workspace_is_for_onboarded_agents_only(make_user):
    plain = make_user("agen_belum", "agent", "KC-6371")
    assert login(plain).get("/agents/").status_code == 403
    officer = make_user("petugas", "officer", "KC-6371")
    assert login(officer).get("/agents/").status_code == 403


def test_officer_ranking_detail_onboard_and_rejoin(make_user):
    officer = make_user("petugas", "officer", "KC-6371")
    jkt = make_user("petugas_jkt", "officer", "KC-3171")
    agent = make_agent()
    register(1, channel="agent", actor=agent.user, on=timezone.localdate())
    c = login(officer)
    html = c.get("/agents/daftar/").content.decode()
    assert agent.code in html and "Siti Rahmah" in html
    assert agent.code not in login(jkt).get("/agents/daftar/").content.decode()
    assert login(jkt).get(f"/agents/{agent.code}/").status_code == 403
    assert c.get(f"/agents/{agent.code}/").status_code == 200
    r = c.post("/agents/baru/", {"username": "agen_baru", "password": "rahasia-sekali-9", "name": "Rudi Hartono",
                                 "branch": "KC-6371", "bank_name": "BNI", "bank_account": "1234567890"})
    assert r.status_code == 302
    from datetime import timedelta

    today = timezone.localdate()
    Agent.objects.filter(pk=agent.pk).update(status="suspended", suspended_on=today - timedelta(days=200),
                                             rejoin_on=today + timedelta(days=1))
    c.post(f"/agents/{agent.code}/aktifkan/")
    agent.refresh_from_db()
    assert agent.status == "suspended"  # not before its rejoin date
    Agent.objects.filter(pk=agent.pk).update(rejoin_on=today)
    r = c.post(f"/agents/{agent.code}/aktifkan/", follow=True)
    agent.refresh_from_db()
    assert agent.status == "active"


def test_nav_for_agent_and_officer(make_user):
    agent = make_agent()
    html = login(agent.user).get("/beranda").content.decode()
    for label in ("Rekrutan saya", "Tindak lanjut", "Setoran", "Komisi"):
        assert label in html
    officer = make_user("petugas", "officer", "KC-6371")
    html = login(officer).get("/beranda").content.decode()
    assert 'href="/agents/daftar/"' in html


def test_commission_payout_csv_for_finance_scoped_by_office(make_user):
    officer = make_user("petugas", "officer", "KC-6371")
    jkt = make_user("petugas_jkt", "officer", "KC-3171")
    agent = make_agent()
    members = [register(30 + i, channel="agent", actor=agent.user, on=date(2026, 5, 10)) for i in range(2)]
    for m in members:
        services.collect(agent, m, 1, amount=8_400, now=at(2026, 5, 20))
    services.run_commissions("2026-05", today=date(2026, 6, 2))
    body = login(officer).get("/agents/komisi/2026-05.csv").content.decode("utf-8-sig").splitlines()
    # 7.5% of 2 × Rp8,400 = Rp1,260
    assert body[1] == f"{agent.code},Siti Rahmah,KC-6371,BRI,012301000111509,Siti Rahmah,2026-05,2,16800,1260,0,1260"
    assert len(login(jkt).get("/agents/komisi/2026-05.csv").content.decode("utf-8-sig").splitlines()) == 1
