"""Benefit explainers: every figure equals the benefit rules for that member (SPEC 2.4, 2.10)."""

from datetime import date

import pytest

from jaring.agents.tests.helpers import register
from jaring.rules import benefits as rules
from jaring.rules import jht

pytestmark = pytest.mark.django_db


def test_member_explainer_equals_the_rules(client, make_user):
    from jaring.communities import literacy
    from jaring.contributions.services import post_payment

    m = register(1, on=date(2026, 6, 10), income=2_500_000, programs="JKK,JKM,JHT")
    post_payment(member=m, months=1, amount=literacy.monthly_contribution(m, date(2026, 6, 1)), channel="BRANCH",
                 reference="LIT-1", paid_at="2026-06-11T09:00:00+07:00", source="branch")
    f = literacy.for_member(m, on=date(2026, 6, 20))
    # June 2026, other sector: JKK 1% = 25,000 and JKM 6,800 halved (PP 50/2025), JHT 2% = 50,000 in full
    assert (f["jkk_contribution"], f["jkm_contribution"], f["jht_contribution"], f["contribution"]) == (
        12_500, 3_400, 50_000, 65_900)
    assert f["jkk_death"] == rules.jkk_death(2_500_000).total == 48 * 2_500_000 + 10_000_000 + 12_000_000
    assert f["jkk_total_disability"] == rules.jkk_total_disability(2_500_000).components["lump_sum"] == 140_000_000
    assert f["jkk_stmb_month"] == 2_500_000
    # one paid month: the JKM waiting rule pays the funeral cost only until 3 consecutive months
    assert f["consecutive_paid_months"] == 1
    assert f["jkm_now"] == rules.jkm_death(1).total == 10_000_000 and f["jkm_full"] == 42_000_000
    _y, rate = jht.default_rates().latest()
    assert f["jht_projection"] == jht.project(0, 50_000, 10, rate)[-1].closing
    text = " ".join(literacy.sentences(f))
    assert "Rp65.900" in text and "Rp142.000.000" in text and "Rp10.000.000" in text
    assert literacy.whatsapp_link(literacy.whatsapp_text(f)).startswith("https://wa.me/?text=Perlindungan%20saya")
    png = literacy.png(f)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_public_explainer_api_says_16800_outside_the_discount(client):
    r = client.get("/api/v1/explainers", {"income": 1_000_000, "month": "2027-01"})
    assert r.status_code == 200
    body = r.json()
    assert body["contribution"] == 16_800 and body["discount"] == 0
    assert body["sentences"][0].startswith("Dengan iuran Rp16.800 sebulan")
    assert body["jkm_full"] == 42_000_000 and body["jkk_death"] == 70_000_000
    assert client.get("/api/v1/explainers", {"income": 500_000}).status_code == 422


def test_radio_script_and_talk_for_a_campaign(api_client, make_user):
    from jaring.outreach.services import create_campaign, create_event

    off = make_user("petugas_radio", "officer", "KC-6371")
    camp = create_campaign({"name": "KKBC Radio Banjarmasin", "kind": "radio", "starts_on": "2026-06-01",
                            "ends_on": "2026-06-30", "branches": ["KC-6371"]}, actor=off)
    ev = create_event(camp, {"name": "Penyuluhan Alalak Tengah", "village_code": "63.71.04.1001",
                             "date": "2026-06-05"}, actor=off)
    r = api_client(off).get(f"/api/v1/campaigns/{camp.code}/radio-script")
    assert r.status_code == 200
    body = r.json()
    # a June 2026 campaign at the minimum income: Rp16,800 halved to Rp8,400 (PP 50/2025)
    assert body["contribution"] == 8_400 and "Rp8.400" in body["script"] and "Rp16.800" in body["script"]
    assert "Alalak Tengah" in body["area"] and body["area"] in body["script"]
    r = api_client(off).post(f"/api/v1/events/{ev.pk}/talk", {"attendance": 47, "given_on": "2026-06-05"},
                             content_type="application/json")
    assert r.status_code == 200 and r.json()["attendance"] == 47
    ev.refresh_from_db()
    assert ev.attendance == 47 and ev.talk_given_on == date(2026, 6, 5)
    far = make_user("petugas_ppu2", "officer", "KC-6471")
    assert api_client(far).post(f"/api/v1/events/{ev.pk}/talk", {"attendance": 5},
                                content_type="application/json").status_code == 403
    assert api_client(far).get(f"/api/v1/campaigns/{camp.code}/radio-script").status_code == 403
