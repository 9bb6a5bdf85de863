"""Agents' API: the agent's own workspace and staff rankings."""

from datetime import date

import pytest
from django.utils import timezone

from jaring.agents import services

from .helpers import at, make_agent, register

pytestmark = pytest.mark.django_db


def test_agent_workspace_recruits_follow_up_and_collection(api_client):
    agent = make_agent()
    today = timezone.localdate()
    a = register(1, channel="agent", actor=agent.user, on=date(2026, 5, 10))
    b = register(2, channel="agent", actor=agent.user, on=date(2026, 5, 11))
    c = api_client(agent.user)
    page = c.get("/api/v1/agents/me/recruits").json()
    assert page["count"] == 2 and [r["kpj"] for r in page["results"]] == [b.kpj, a.kpj]
    # both owe every month since May 2026: the follow-up list has them, with a WhatsApp link
    fu = c.get("/api/v1/agents/me/follow-up").json()
    assert fu["count"] == 2
    assert all(r["whatsapp_link"].startswith("https://wa.me/62812") for r in fu["results"])
    # pay up to this month for one of them through the agent
    months = (today.year - 2026) * 12 + today.month - 5 + 1
    if months <= 12:
        r = c.post("/api/v1/agents/me/collections", {"kpj": a.kpj, "months": months, "reference": "r1"},
                   content_type="application/json")
        assert r.status_code == 201, r.content
        assert r.json()["reference"] == f"{agent.code}-r1"
        assert c.post("/api/v1/agents/me/collections", {"kpj": a.kpj, "months": months, "reference": "r1"},
                      content_type="application/json").json()["duplicate"] is True
        fu = c.get("/api/v1/agents/me/follow-up").json()
        assert [r["kpj"] for r in fu["results"]] == [b.kpj]
        today_rows = c.get("/api/v1/agents/me/collections").json()
        assert today_rows["count"] == 1 and today_rows["total"] == r.json()["amount"]


def test_agent_cannot_collect_outside_its_branch_and_recruits(api_client):
    agent = make_agent()
    stranger = register(3, village_code="31.71.01.1001", nik="3171011508900003", on=date(2026, 5, 10))
    r = api_client(agent.user).post("/api/v1/agents/me/collections", {"kpj": stranger.kpj, "months": 1},
                                    content_type="application/json")
    assert r.status_code == 403


def test_non_agent_has_no_workspace(api_client, make_user):
    officer = make_user("petugas", "officer", "KC-6371")
    assert api_client(officer).get("/api/v1/agents/me").status_code == 403


def test_staff_ranking_scoped_by_office(api_client, make_user):
    officer = make_user("petugas", "officer", "KC-6371")
    jkt = make_user("petugas_jkt", "officer", "KC-3171")
    a1 = make_agent("agen1")
    a2 = make_agent("agen2")
    m1 = [register(10 + i, channel="agent", actor=a1.user, on=date(2026, 5, 10)) for i in range(3)]
    register(20, channel="agent", actor=a2.user, on=date(2026, 5, 10))
    services.collect(a1, m1[0], 1, now=at(2026, 5, 20))
    services.collect(a1, m1[1], 1, now=at(2026, 5, 20))
    rows = api_client(officer).get("/api/v1/agents", {"month_from": "2026-05", "month_to": "2026-05"}).json()
    assert [(r["rank"], r["code"], r["recruits"], r["collected"], r["retained"], r["retention_pct"]) for r in rows] == [
        (1, a1.code, 3, 16_800, 2, 66.7), (2, a2.code, 1, 0, 0, 0.0)]
    by_ret = api_client(officer).get("/api/v1/agents", {"month_to": "2026-05", "sort": "retention"}).json()
    assert by_ret[0]["code"] == a1.code
    assert api_client(jkt).get("/api/v1/agents").json() == []
    assert api_client(jkt).post(f"/api/v1/agents/{a1.code}/rejoin").status_code == 403


def test_onboarding_and_commission_run_over_http(api_client, make_user):
    officer = make_user("petugas", "officer", "KC-6371")
    manager = make_user("manajer", "manager", None)
    r = api_client(officer).post("/api/v1/agents", {
        "username": "agen_baru", "password": "rahasia-sekali-9", "name": "Rudi Hartono", "branch": "KC-6371",
        "bank_name": "BNI", "bank_account": "1234567890"}, content_type="application/json")
    assert r.status_code == 201 and r.json()["code"].startswith("PRS-")
    r = api_client(officer).post("/api/v1/agents", {"username": "x", "name": "", "branch": "KC-6371",
                                                    "bank_name": "", "bank_account": "1"},
                                 content_type="application/json")
    assert r.status_code == 422 and {"name", "bank_name", "bank_account"} <= set(r.json()["errors"])
    month = timezone.localdate().strftime("%Y-%m")
    assert api_client(officer).post(f"/api/v1/commissions/run?month={month}").status_code == 403
    out = api_client(manager).post(f"/api/v1/commissions/run?month={month}").json()
    assert (out["month"], out["agents"], out["total"]) == (month, 1, 0)  # the new agent, nothing earned yet
    # an agent who joins later is not in an earlier month's ledger
    assert api_client(manager).post("/api/v1/commissions/run?month=2026-05").json()["agents"] == 0
