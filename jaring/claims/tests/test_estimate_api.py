"""POST /api/v1/benefits/estimate (CONTRACT) and the public simulation page."""

import pytest

pytestmark = pytest.mark.django_db

URL = "/api/v1/benefits/estimate"


def post(client, body):
    return client.post(URL, body, content_type="application/json")


def test_jkk_death_at_1_million_and_5_million(client):
    r = post(client, {"program": "JKK", "case": "death", "wage": 1_000_000})
    assert r.status_code == 200
    body = r.json()
    assert body["components"] == {"lump_sum": 48_000_000, "funeral": 10_000_000, "periodic": 12_000_000}
    assert body["total"] == 70_000_000 == sum(body["components"].values())
    assert body["scholarship_max"] == 174_000_000  # extra, not in total
    body = post(client, {"program": "JKK", "case": "death", "wage": 5_000_000}).json()
    assert body["components"]["lump_sum"] == 240_000_000 and body["total"] == 262_000_000


def test_jkk_other_cases(client):
    assert post(client, {"program": "JKK", "case": "total_disability", "wage": 1_000_000}).json()["components"] == {
        "lump_sum": 56_000_000, "periodic": 12_000_000}
    assert post(client, {"program": "JKK", "case": "partial_disability", "wage": 1_000_000,
                         "percent": 25}).json()["total"] == 20_000_000
    assert post(client, {"program": "JKK", "case": "temporary_incapacity", "wage": 1_000_000,
                         "months": 14}).json()["components"] == {"temporary_incapacity": 13_000_000}


def test_jkm_waiting_rule_and_scholarship(client):
    full = post(client, {"program": "JKM", "consecutive_paid_months": 3, "contribution_months": 36}).json()
    assert full["components"] == {"lump_sum": 20_000_000, "periodic": 12_000_000, "funeral": 10_000_000}
    assert full["total"] == 42_000_000 and full["scholarship_max"] == 174_000_000
    early = post(client, {"program": "JKM", "consecutive_paid_months": 2, "contribution_months": 2}).json()
    assert early["components"] == {"lump_sum": 8_000_000, "funeral": 2_000_000} and early["total"] == 10_000_000
    assert early["waiting_period_met"] is False and full["waiting_period_met"] is True
    assert early["scholarship_max"] == 0


def test_jht_projection(client):
    body = post(client, {"program": "JHT", "balance": 0, "monthly_contribution": 20_000, "years": 3,
                         "annual_rate": 5.63}).json()
    assert body["components"] == {"projected_balance": 780_942} and body["total"] == 780_942


@pytest.mark.parametrize("body,field", [
    ({"program": "JKK", "case": "flu", "wage": 1_000_000}, "case"),
    ({"program": "JKK", "case": "death", "wage": -1}, "wage"),
    ({"program": "JKK", "case": "partial_disability", "wage": 1_000_000, "percent": 120}, "percent"),
    ({"program": "JKK", "case": "death"}, "wage"),
    ({"program": "XYZ"}, "program"),
])
def test_invalid_bodies_are_422_with_the_field(client, body, field):
    r = post(client, body)
    assert r.status_code == 422
    assert field in r.json()["errors"] and r.json()["detail"]


def test_estimate_is_in_openapi(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "post" in paths["/api/v1/benefits/estimate"]
    assert "31 December" in paths["/api/v1/benefits/estimate"]["post"]["description"]


def test_simulation_page_without_login(client):
    r = client.get("/claims/simulasi")
    assert r.status_code == 200
    assert "Rp48.000.000" in r.content.decode() or "Rp48,000,000" in r.content.decode()
    r = client.get("/claims/simulasi/hitung", {"scenario": "jkm_death", "consecutive_paid_months": 1})
    html = r.content.decode()
    assert "10.000.000" in html.replace(",", ".") and "data-testid=\"estimate-total\"" in html
    r = client.get("/claims/simulasi/hitung", {"scenario": "jkk_death", "wage": "-5"})
    assert "estimate-error" in r.content.decode()
