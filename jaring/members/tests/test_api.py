"""POST/GET /api/v1/members per CONTRACT.md, with scoping and NIK masking."""

import json

import pytest
from django.utils import timezone

from jaring.members import services
from jaring.members.models import Member

from .conftest import FEMALE_NIK, JAKARTA_VILLAGE, MALE_NIK, worker_data

pytestmark = pytest.mark.django_db


def post(client, body):
    return client.post("/api/v1/members", data=json.dumps(body), content_type="application/json")


def expected_total(programs, sector="other"):
    from jaring.contributions.services import quote_contribution

    return quote_contribution(1_000_000, programs, None, sector).total


def test_officer_registers_member_201(make_user, api_client):
    officer = make_user("petugas1", "officer", "KC-6371")
    r = post(api_client(officer), worker_data(programs="JKK,JKM,JHT"))
    assert r.status_code == 201, r.content
    body = r.json()
    assert len(body["kpj"]) == 11 and body["status"] == "active" and body["channel"] == "branch"
    assert body["nik"] == MALE_NIK  # the registering officer's scope covers the member
    assert body["quote"]["month"] == timezone.localdate().strftime("%Y-%m")
    # JKK 1% of 1,000,000 + JKM 6,800 + JHT 2% = Rp36,800 before any PP 50/2025 discount
    assert body["quote"]["jkk"] + body["quote"]["jkm"] + body["quote"]["jht"] == body["monthly_contribution"]
    gross = 10_000 + 6_800 + 20_000
    assert body["monthly_contribution"] == gross - body["quote"]["discount"] == expected_total("JKK,JKM,JHT")


def test_agent_registration_is_pending(make_user, api_client):
    agent = make_user("agen1", "agent", "KC-6371")
    r = post(api_client(agent), worker_data())
    assert r.status_code == 201 and r.json()["status"] == "pending" and r.json()["channel"] == "agent"


def test_worker_registers_self_once(make_user, api_client):
    worker = make_user("w1", "worker", None)
    c = api_client(worker)
    r = post(c, worker_data())
    assert r.status_code == 201 and r.json()["channel"] == "self"
    assert Member.objects.get(kpj=r.json()["kpj"]).user == worker
    r = c.get(f"/api/v1/members/{r.json()['kpj']}")
    assert r.status_code == 200 and r.json()["nik"] == MALE_NIK  # the worker sees their own NIK
    assert post(c, worker_data(nik=FEMALE_NIK, gender="P")).status_code == 409


def test_validation_errors_422_per_field(make_user, api_client):
    officer = make_user("petugas1", "officer", "KC-6371")
    r = post(api_client(officer), worker_data(nik=FEMALE_NIK, gender="L", income=500_000))
    assert r.status_code == 422
    assert set(r.json()["errors"]) >= {"gender", "income"}
    assert "Rp1.000.000" in r.json()["errors"]["income"]


def test_duplicate_nik_409(make_user, api_client):
    c = api_client(make_user("petugas1", "officer", "KC-6371"))
    assert post(c, worker_data()).status_code == 201
    r = post(c, worker_data(name="Orang Lain"))
    assert r.status_code == 409 and "nik" in r.json()["errors"]


def test_unauthenticated_401():
    from django.test import Client

    assert post(Client(), worker_data()).status_code == 401


def test_officer_of_banjarmasin_cannot_read_jakarta_member(make_user, api_client):
    """Scoping: an officer of KC-6371 cannot read a member served by the Jakarta Pusat branch."""
    jakarta = services.register_member(worker_data(village_code=JAKARTA_VILLAGE), channel="branch")
    assert jakarta.branch_id != "KC-6371"
    officer = make_user("petugas1", "officer", "KC-6371")
    c = api_client(officer)
    assert c.get(f"/api/v1/members/{jakarta.kpj}").status_code == 403
    assert c.get("/api/v1/members?q=" + MALE_NIK).json()["count"] == 0
    home = make_user("petugas2", "officer", jakarta.branch_id)
    r = api_client(home).get(f"/api/v1/members/{jakarta.kpj}")
    assert r.status_code == 200 and r.json()["nik"] == MALE_NIK


def test_national_manager_sees_all_but_agent_sees_only_own(make_user, api_client):
    m = services.register_member(worker_data(), channel="branch")
    manager = make_user("manajer", "manager", None)
    assert api_client(manager).get(f"/api/v1/members/{m.kpj}").status_code == 200
    agent = make_user("agen1", "agent", "KC-6371")
    assert api_client(agent).get(f"/api/v1/members/{m.kpj}").status_code == 404


def test_unknown_and_malformed_kpj_404(make_user, api_client):
    c = api_client(make_user("petugas1", "officer", "KC-6371"))
    assert c.get("/api/v1/members/12345678901").status_code == 404
    assert c.get("/api/v1/members/abc").status_code == 404


def test_search_by_nik_kpj_name_masks_nik(make_user, api_client):
    officer = make_user("petugas1", "officer", "KC-6371")
    a = services.register_member(worker_data(), channel="branch")
    services.register_member(worker_data(nik=FEMALE_NIK, gender="P", name="Siti Aminah"), channel="branch")
    c = api_client(officer)
    for q, n in [(MALE_NIK, 1), (a.kpj, 1), ("siti", 1), ("6371", 2), ("", 2), ("Budi", 0)]:
        body = c.get("/api/v1/members", {"q": q}).json()
        assert body["count"] == n, q
    row = c.get("/api/v1/members", {"q": "ahmad"}).json()["results"][0]
    assert row["nik"] == "6371********0001" and row["kpj"] == a.kpj


def test_search_paginates_25(make_user, api_client):
    officer = make_user("petugas1", "officer", "KC-6371")
    for i in range(1, 28):
        services.register_member(worker_data(nik=f"63710415089{i:05d}"), channel="branch")
    body = api_client(officer).get("/api/v1/members", {"page": 2}).json()
    assert (body["count"], body["pages"], body["page"], len(body["results"])) == (27, 2, 2, 2)


def test_verify_and_patch_over_api(make_user, api_client):
    officer = make_user("petugas1", "officer", "KC-6371")
    c = api_client(officer)
    m = services.register_member(worker_data())
    r = c.post(f"/api/v1/members/{m.kpj}/reject", data=json.dumps({"reason": "x"}), content_type="application/json")
    assert r.status_code == 422
    r = c.post(f"/api/v1/members/{m.kpj}/approve")
    assert r.status_code == 200 and r.json()["status"] == "active"
    r = c.patch(f"/api/v1/members/{m.kpj}", data=json.dumps({"income": 3_000_000}),
                content_type="application/json")
    assert r.status_code == 200 and r.json()["income"] == 3_000_000


def test_openapi_lists_member_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/members", "/api/v1/members/{kpj}"} <= set(paths)


def test_sponsor_registers_through_the_sponsors_app(make_user, api_client):
    """A regional government's account registers a worker: channel sponsor_import, active, funded by APBD."""
    from jaring.sponsors.services import create_sponsor

    create_sponsor({"kind": "regional", "name": "Pemkot Banjarmasin", "branch": "KC-6371", "region": "63.71",
                    "username": "pemda", "password": "rahasia-sekali-9"})
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="pemda")
    r = post(api_client(user), worker_data())
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["channel"], body["status"], body["funding"]) == ("sponsor_import", "active", "apbd")


def test_public_card_check_shows_only_masked_data():
    from django.test import Client

    m = services.register_member(worker_data(nik=FEMALE_NIK, gender="P", name="Siti Aminah",
                                             programs="JKK,JKM,JHT"), channel="branch")
    r = Client().get(f"/api/v1/members/{m.kpj}/verify")
    assert r.status_code == 200
    body = r.json()
    assert body["name"] == "S*** A*****" and body["programs"] == ["JKK", "JKM", "JHT"]
    assert set(body) == {"kpj", "name", "programs", "protected", "state"}
    assert Client().get("/api/v1/members/00000000000/verify").status_code == 404
