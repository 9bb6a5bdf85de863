"""Campaigns, events and leads; the funnel on a known fixture with exact counts; conversion attribution."""

from datetime import date

import pytest

from jaring.insights.tests.helpers import make_member, pay
from jaring.rules.periods import add_months

pytestmark = pytest.mark.django_db
JAN = date(2025, 1, 1)


@pytest.fixture
def campaign(make_user):
    from jaring.outreach import services

    officer = make_user("petugas", "officer", "KC-6371")
    make_user("agen_a", "agent", "KC-6371")
    make_user("agen_b", "agent", "KC-6371")
    c = services.create_campaign({"name": "KKBC Masuk Desa Banjarmasin", "kind": "kkbc_desa",
                                  "starts_on": "2025-01-01", "ends_on": "2025-12-31", "branches": ["KC-6371"],
                                  "target_leads": 100, "target_registrations": 50}, actor=officer)
    ev1 = services.create_event(c, {"name": "Pasar Lama", "kind": "market", "village_code": "6371041001",
                                    "date": "2025-01-10", "officers": "petugas", "agents": "agen_a,agen_b"},
                                actor=officer)
    ev2 = services.create_event(c, {"name": "Balai Desa Alalak Utara", "village_code": "63.71.04.1002",
                                    "date": "2025-01-20", "agents": "agen_b"}, actor=officer)
    return officer, c, ev1, ev2


def _lead(ev, n, agent):
    from django.contrib.auth.models import User

    from jaring.outreach.models import Lead

    return Lead.objects.create(event=ev, campaign=ev.campaign, agent=User.objects.get(username=agent),
                               name=f"Calon {n}", phone=f"+62812000000{n:02d}", occupation="pedagang",
                               village_id=ev.village_id, consent=True)


def test_funnel_counts_on_a_known_fixture(campaign):
    from jaring.outreach.models import Lead
    from jaring.outreach.selectors import funnel

    _, c, ev1, ev2 = campaign
    # 10 leads: 7 at the market (agen_a 4, agen_b 3), 3 at the village (agen_b)
    leads = [_lead(ev1, i, "agen_a") for i in range(4)] + [_lead(ev1, i, "agen_b") for i in range(4, 7)] + \
            [_lead(ev2, i, "agen_b") for i in range(7, 10)]
    # paid months since the first month January 2025 (age 0 = January):
    history = {0: range(0, 13),   # paid every month: first, 3, 6 and 12
               1: range(0, 7),    # first, 3, 6
               4: range(0, 4),    # first, 3
               5: [0],            # first only
               7: [1, 2, 3],      # skipped the first month, paid month 3
               8: []}             # registered, never paid
    for i, months in history.items():
        m = make_member("63.71.04.1001", "active", registered_on=JAN, first_month=JAN)
        Lead.objects.filter(pk=leads[i].pk).update(member=m, status="registered")
        if months:
            pay(m, [add_months(JAN, k) for k in months])

    overall = funnel(Lead.objects.filter(campaign=c))[0]
    assert {k: overall[k] for k in ("leads", "registered", "first_paid", "paying_3", "paying_6", "paying_12")} == \
        {"leads": 10, "registered": 6, "first_paid": 4, "paying_3": 4, "paying_6": 2, "paying_12": 1}
    assert overall["conversion_pct"] == 60.0
    by_event = {r["label"]: r for r in funnel(Lead.objects.filter(campaign=c), "event")}
    assert [by_event["Pasar Lama"][k] for k in ("leads", "registered", "first_paid", "paying_3", "paying_6",
                                               "paying_12")] == [7, 4, 4, 3, 2, 1]
    assert [by_event["Balai Desa Alalak Utara"][k] for k in ("leads", "registered", "first_paid", "paying_3")] == \
        [3, 2, 0, 1]
    by_agent = {r["label"]: r for r in funnel(Lead.objects.filter(campaign=c), "agent")}
    assert (by_agent["agen_a"]["leads"], by_agent["agen_a"]["registered"], by_agent["agen_a"]["paying_6"]) == (4, 2, 2)
    assert (by_agent["agen_b"]["leads"], by_agent["agen_b"]["registered"], by_agent["agen_b"]["first_paid"]) == (6, 4, 2)


def test_campaign_page_and_funnel_export(client, campaign):
    import io

    from openpyxl import load_workbook

    officer, c, ev1, _ = campaign
    _lead(ev1, 1, "agen_a")
    client.force_login(officer)
    r = client.get(f"/outreach/kampanye/{c.code}/")
    assert r.status_code == 200 and "KKBC Masuk Desa Banjarmasin" in r.content.decode()
    assert r.context["lead_pct"] == 1.0 and r.context["reg_pct"] == 0.0  # 1 of 100 leads, 0 of 50 registrations
    r = client.get(f"/outreach/kampanye/{c.code}/funnel.xlsx", {"by": "agent"})
    ws = load_workbook(io.BytesIO(r.content)).active
    assert [c.value for c in ws[2]][:3] == ["agen_a", 1, 0]
    assert client.get("/outreach/", {"q": "Banjar"}).status_code == 200


def test_validation_messages_say_what_to_fix(campaign, make_user):
    from jaring.core.errors import DomainError
    from jaring.outreach import services

    officer, c, ev1, _ = campaign
    with pytest.raises(DomainError) as e:
        services.create_campaign({"name": "X", "kind": "tv", "starts_on": "2025-05-01", "ends_on": "2025-04-01",
                                  "branches": ["KC-3171"]}, actor=officer)
    assert set(e.value.errors) == {"name", "kind", "ends_on", "branches"}
    with pytest.raises(DomainError) as e:
        services.create_event(c, {"name": "Di luar", "village_code": "3171011001", "date": "2026-01-01"},
                              actor=officer)
    assert "periode kampanye" in e.value.errors["date"] and "village_code" in e.value.errors
    with pytest.raises(DomainError) as e:
        services.capture_lead(ev1, {"name": "Siti", "phone": "12345", "occupation": "pedagang"}, actor=officer)
    assert set(e.value.errors) == {"phone", "consent"}
    other = make_user("petugas_jkt", "officer", "KC-3171")
    with pytest.raises(DomainError) as e:
        services.capture_lead(ev1, {"name": "Siti", "phone": "081234567890", "occupation": "pedagang",
                                    "consent": "1"}, actor=other)
    assert e.value.status == 403


def test_agent_captures_a_lead_and_registers_it_with_attribution(campaign, client):
    from django.contrib.auth.models import User

    from jaring.outreach import services
    from jaring.outreach.models import Lead

    _, c, ev1, _ = campaign
    agent = User.objects.get(username="agen_a")
    from jaring.agents.services import onboard_agent

    perisai = onboard_agent({"username": "agen_a", "name": "Agen A", "branch": "KC-6371", "bank_name": "BRI",
                             "bank_account": "1234567890"})
    client.force_login(agent)
    r = client.post(f"/outreach/kegiatan/{ev1.pk}/", {"name": "Siti Aminah", "phone": "0812-3456-7890",
                                                      "occupation": "pedagang", "village_code": "6371041001",
                                                      "consent": "1"})
    assert r.status_code == 302
    lead = Lead.objects.get(phone="+6281234567890")
    assert lead.agent == agent and lead.campaign == c and lead.consent_at is not None
    r = client.post(f"/outreach/kegiatan/{ev1.pk}/", {"name": "Siti Aminah", "phone": "081234567890",
                                                      "occupation": "pedagang", "consent": "1"})
    assert "sudah dicatat" in r.content.decode()  # one lead per phone per event
    member = services.convert_lead(lead, {"nik": "6371044101900001", "birth_date": "1990-01-01", "gender": "P",
                                          "income": "1000000", "programs": "JKK,JKM"}, actor=agent)
    lead.refresh_from_db()
    assert lead.member == member and lead.status == "registered"
    assert member.channel == "agent" and member.status == "pending" and member.village_id == "63.71.04.1001"
    assert member.recruitment.agent == perisai  # attributed to the agent through agents.attribute_member
    from jaring.core.errors import Conflict

    with pytest.raises(Conflict):
        services.convert_lead(lead, {"nik": "6371044101900002"}, actor=agent)


def test_outreach_api_capture_funnel_and_risk(campaign, make_user, api_client):
    officer, c, ev1, _ = campaign
    agent = api_client(__import__("django.contrib.auth.models", fromlist=["User"]).User.objects.get(username="agen_a"))
    body = {"name": "Rudi", "phone": "0813-5000-1111", "occupation": "nelayan", "consent": True}
    r = agent.post(f"/api/v1/outreach/events/{ev1.pk}/leads", body, content_type="application/json")
    assert r.status_code == 201 and r.json()["phone"] == "+6281350001111" and r.json()["agent"] == "agen_a"
    assert agent.post(f"/api/v1/outreach/events/{ev1.pk}/leads", body,
                      content_type="application/json").status_code == 409
    r = agent.post(f"/api/v1/outreach/events/{ev1.pk}/leads", {**body, "phone": "081350002222", "consent": False},
                   content_type="application/json")
    assert r.status_code == 422 and "consent" in r.json()["errors"]
    off = api_client(officer)
    r = off.get(f"/api/v1/outreach/campaigns/{c.code}/funnel", {"by": "agent"})
    assert r.json() == [{"label": "agen_a", "leads": 1, "registered": 0, "first_paid": 0, "paying_3": 0,
                         "paying_6": 0, "paying_12": 0, "conversion_pct": 0.0}]
    assert agent.get(f"/api/v1/outreach/campaigns/{c.code}/funnel").status_code == 403
    other = api_client(make_user("kc_jkt", "officer", "KC-3171"))
    assert other.get(f"/api/v1/outreach/campaigns/{c.code}/funnel").status_code == 403
    assert off.get("/api/v1/outreach/lapse-risk").json() == []
    paths = off.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/stats/coverage" in paths and "/api/v1/outreach/events/{event_id}/leads" in paths
