"""The collectives API: scope (treasurer: own collective and members only), the group payment, reconciliation."""

import pytest

from jaring.agents.tests.helpers import register, worker

from .helpers import ON, collective, fill, officer

pytestmark = pytest.mark.django_db


def test_group_payment_over_the_api(api_client, make_user):
    off = officer()
    c = collective(off)
    members = fill(c, 6)
    outsider = register(800, on=ON)
    t = api_client(c.treasurer)
    r = t.get(f"/api/v1/collectives/{c.code}/members", {"month": "2026-06"})
    assert r.status_code == 200 and r.json()["count"] == 6
    row = r.json()["results"][0]
    assert (row["paid"], row["months_due"], row["amount_due"], row["monthly_contribution"]) == (False, 1, 8_400,
                                                                                               8_400)
    assert t.get(f"/api/v1/collectives/{c.code}/members/{outsider.kpj}").status_code == 404
    assert t.get(f"/api/v1/members/{outsider.kpj}").status_code == 404
    assert t.get(f"/api/v1/explainers/members/{outsider.kpj}").status_code == 404
    body = {"reference": "TRF-API-1", "total": 5 * 8_400, "month": "2026-06", "paid_at": "2026-06-12T10:00:00+07:00",
            "members": [{"kpj": m.kpj} for m in members[:5]]}
    r = t.post(f"/api/v1/collectives/{c.code}/payments", body, content_type="application/json")
    assert r.status_code == 201, r.content
    assert r.json()["total"] == 42_000 and len(r.json()["lines"]) == 5
    assert t.post(f"/api/v1/collectives/{c.code}/payments", body, content_type="application/json").status_code == 200
    r = t.post(f"/api/v1/collectives/{c.code}/payments", {**body, "total": 50_400,
                                                          "members": [{"kpj": m.kpj} for m in members]},
               content_type="application/json")
    assert r.status_code == 409
    summary = t.get(f"/api/v1/collectives/{c.code}", {"month": "2026-06"}).json()["summary"]
    assert (summary["size"], summary["paid"], summary["paid_rate"], summary["amount_paid"]) == (6, 5, 83.3, 42_000)
    lapses = t.get(f"/api/v1/collectives/{c.code}/lapses", {"month": "2026-06"}).json()
    assert [x["kpj"] for x in lapses] == [members[5].kpj]
    # the treasurer cannot reconcile the bank credit; the branch does
    rec = {"amount": 42_000, "bank_date": "2026-06-12", "bank_reference": "MUT-1"}
    assert t.post(f"/api/v1/collectives/{c.code}/payments/TRF-API-1/reconcile", rec,
                  content_type="application/json").status_code == 403
    r = api_client(off).post(f"/api/v1/collectives/{c.code}/payments/TRF-API-1/reconcile", rec,
                             content_type="application/json")
    assert r.status_code == 200 and r.json()["reconciled"] is True and r.json()["difference"] == 0
    # the treasurer registers a worker with the agents' checks: a bad NIK is refused with the field named
    bad = api_client(c.treasurer).post(f"/api/v1/collectives/{c.code}/members",
                                       {**worker(50), "nik": "123"}, content_type="application/json")
    assert bad.status_code == 422 and "nik" in bad.json()["errors"]
    ok = api_client(c.treasurer).post(f"/api/v1/collectives/{c.code}/members", worker(51),
                                      content_type="application/json")
    assert ok.status_code == 201 and ok.json()["status"] == "pending"
    # another branch's officer: 403; another treasurer: 404
    far = make_user("petugas_jauh", "officer", "KC-6471")
    assert api_client(far).get(f"/api/v1/collectives/{c.code}").status_code == 403
    assert api_client(far).get("/api/v1/collectives").json()["count"] == 0
    listed = api_client(off).get("/api/v1/collectives", {"month": "2026-06"}).json()
    assert listed["count"] == 1 and listed["results"][0]["summary"]["paid"] == 5
    other = collective(off, username="bendahara9", name="Kelompok Tani Makmur")
    assert api_client(other.treasurer).get(f"/api/v1/collectives/{c.code}").status_code == 404


def test_create_collective_needs_staff(api_client, make_user):
    agent = make_user("agen_wdh", "agent", "KC-6371")
    data = {"name": "Paguyuban Pedagang Pasar Lama", "kind": "pedagang", "branch": "KC-6371",
            "treasurer_username": "bendahara_pl", "treasurer_password": "rahasia-sekali-9",
            "treasurer_name": "Hj. Masitah", "treasurer_phone": "081255500222"}
    assert api_client(agent).post("/api/v1/collectives", data, content_type="application/json").status_code == 403
    off = officer()
    r = api_client(off).post("/api/v1/collectives", data, content_type="application/json")
    assert r.status_code == 201 and r.json()["code"].startswith("WDH-") and r.json()["treasurer"] == "bendahara_pl"


def test_openapi_lists_communities_partners_and_explainers(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for p in ("/api/v1/collectives", "/api/v1/collectives/{code}/payments",
              "/api/v1/collectives/{code}/payments/{reference}/reconcile", "/api/v1/collectives/{code}/lapses",
              "/api/v1/partner-bundles/purchases", "/api/v1/partner/entitlements/{code}", "/api/v1/explainers",
              "/api/v1/campaigns/{code}/radio-script", "/api/v1/events/{event_id}/talk"):
        assert p in paths, p
