"""Foundation: health, quote API/CLI, regions, roles and scoping, login lockout."""

import json

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_health_names_the_database(client, settings):
    from django.db import connection

    r = client.get("/health")
    assert r.status_code == 200
    assert r.json() == {"status": "ok", "database": "postgresql" if connection.vendor == "postgresql" else "sqlite"}


def test_quote_api_published_figures(client):
    r = client.get("/api/v1/quote", {"income": 1000000, "programs": "JKK,JKM,JHT", "month": "2025-06"})
    assert r.status_code == 200
    assert r.json() == {"month": "2025-06", "jkk": 10000, "jkm": 6800, "jht": 20000, "total": 36800, "discount": 0}
    r = client.get("/api/v1/quote", {"income": 1000000, "programs": "JKK,JKM", "month": "2026-05"})
    assert r.json()["total"] == 8400 and r.json()["discount"] == 8400
    r = client.get("/api/v1/quote", {"income": 1000000, "programs": "JKK,JKM", "month": "2026-05", "funding": "apbd"})
    assert r.json()["total"] == 16800


@pytest.mark.parametrize("params,field", [
    ({"income": 500000, "programs": "JKK,JKM"}, "income"),
    ({"income": 1000000, "programs": "JKK"}, "programs"),
    ({"income": 1000000, "programs": "JKK,JKM", "sector": "laut"}, "sector"),
    ({"income": "satu juta", "programs": "JKK,JKM"}, "income"),
])
def test_quote_api_refuses_with_field_errors(client, params, field):
    r = client.get("/api/v1/quote", params)
    assert r.status_code == 422
    body = r.json()
    assert body["detail"] and field in body["errors"]


def test_openapi_schema_lists_contract_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/quote" in paths and "/api/v1/regions" in paths


def test_region_counts_from_kemendagri():
    from jaring.regions.models import BranchOffice, Region, RegionalOffice

    assert Region.objects.filter(level=1).count() == 38
    assert Region.objects.filter(level=2).count() == 514
    assert Region.objects.filter(level=3).count() == 7285
    assert Region.objects.filter(level=4).count() == 83762
    assert RegionalOffice.objects.count() == 11
    assert BranchOffice.objects.count() == 122
    # every regency is served by exactly one branch
    assert Region.objects.filter(level=2, branch__isnull=True).count() == 0
    assert Region.objects.get(code="63.71").branch.name == "Kantor Cabang Banjarmasin"
    assert Region.objects.get(code="64").regional_office_id == "KW-KALIMANTAN"


def test_regions_api_children(client):
    r = client.get("/api/v1/regions")
    assert len(r.json()) == 38
    r = client.get("/api/v1/regions", {"parent": "6371"})
    codes = [x["code"] for x in r.json()]
    assert "63.71.04" in codes and all(c.startswith("63.71.") for c in codes)
    r = client.get("/api/v1/regions", {"parent": "63.71.04"})
    assert all(x["level"] == 4 for x in r.json()) and len(r.json()) > 0
    assert client.get("/api/v1/regions", {"parent": "99.99"}).status_code == 404


def test_scoping_by_office(make_user):
    from jaring.accounts.scoping import scope_for

    officer = make_user("petugas1", "officer", "KC-6371")
    regional = make_user("kanwil1", "manager", "KW-KALIMANTAN")
    national = make_user("nasional", "manager", None)
    worker = make_user("warga", "worker", None)
    s = scope_for(officer)
    assert s.kind == "branch" and s.allows_branch("KC-6371") and not s.allows_branch("KC-3171")
    s = scope_for(regional)
    assert s.kind == "regional" and s.allows_branch("KC-6371") and s.allows_branch("KC-6471")
    assert not s.allows_branch("KC-3171")
    assert scope_for(national).national
    assert scope_for(worker).kind == "none"


def test_officer_needs_office_and_unknown_office_refused(make_user):
    from jaring.core.errors import DomainError

    with pytest.raises(DomainError, match="--office"):
        make_user("p2", "officer", None)
    with pytest.raises(DomainError, match="tidak dikenal"):
        make_user("p3", "officer", "KC-0000")


def test_passwords_hashed_with_default_hasher(make_user):
    u = make_user("petugas9", "officer", "KC-6371")
    assert u.password.startswith("pbkdf2_sha256$")


def test_login_lockout_after_five_failures(make_user):
    make_user("petugas5", "officer", "KC-6371", password="benar-sekali-99")
    c = Client()
    for _ in range(5):
        r = c.post("/masuk", {"username": "petugas5", "password": "salah"})
    r = c.post("/masuk", {"username": "petugas5", "password": "benar-sekali-99"})
    assert r.status_code == 429
    assert "dikunci" in r.content.decode()


def test_login_then_home_shows_role(make_user):
    make_user("petugas6", "officer", "KC-6371", password="benar-sekali-99")
    c = Client()
    r = c.post("/masuk", {"username": "petugas6", "password": "benar-sekali-99"})
    assert r.status_code == 302
    r = c.get("/beranda")
    assert r.status_code == 200 and "Petugas cabang" in r.content.decode()
    assert "Kantor Cabang Banjarmasin" in r.content.decode()


def test_home_requires_login(client):
    r = client.get("/beranda")
    assert r.status_code == 302 and "/masuk" in r["Location"]


def test_calculator_page_and_htmx_quote(client):
    r = client.get("/")
    assert r.status_code == 200 and "Rp16.800" in r.content.decode().replace(",", ".") or "Rp8.400" in r.content.decode()
    r = client.get("/kalkulator/hitung", {"income": "1000000", "jht": "1", "month": "2025-06", "sector": "other"})
    assert "Rp36,800" in r.content.decode() or "Rp36.800" in r.content.decode()


def test_english_switch(client):
    r = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert r.status_code == 302
    assert client.cookies["django_language"].value == "en"


def test_api_token_auth(make_user, api_client):
    from jaring.accounts.services import user_for_token

    u = make_user("petugas7", "officer", "KC-6371")
    from jaring.accounts.services import create_token

    token = create_token("petugas7")
    assert token.startswith("jrg_") and user_for_token(token) == u
    assert user_for_token("jrg_nope") is None


class CliResult:
    def __init__(self, returncode, stdout, stderr):
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


@pytest.fixture
def cli(capsys):
    """Runs ``jaring ARGS`` in-process against the test database."""
    from jaring.cli import main

    def run(*args):
        code = 0
        try:
            main(list(args))
        except SystemExit as e:
            code = e.code
        out = capsys.readouterr()
        return CliResult(code, out.out, out.err)
    return run


def test_cli_quote_contract(cli):
    r = cli("quote", "--income", "1000000", "--programs", "JKK,JKM,JHT", "--month", "2025-06")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == {"month": "2025-06", "jkk": 10000, "jkm": 6800, "jht": 20000, "total": 36800,
                                    "discount": 0}
    r = cli("quote", "--income", "1000000", "--programs", "JKK,JKM", "--month", "2026-02", "--sector", "transport")
    assert json.loads(r.stdout)["total"] == 8400


@pytest.mark.parametrize("args,needle", [
    (["--income", "999999", "--programs", "JKK,JKM"], "Penghasilan"),
    (["--income", "1000000", "--programs", "JKM"], "JKK dan JKM"),
    (["--income", "1000000", "--programs", "JKK,JKM", "--sector", "laut"], "Sektor"),
])
def test_cli_quote_refuses_with_exit_2(cli, args, needle):
    r = cli("quote", *args)
    assert r.returncode == 2
    assert needle in r.stderr and r.stderr.count("\n") == 1 and r.stdout == ""


def test_cli_users_and_tokens(cli):
    r = cli("users", "create", "--username", "op1", "--password", "kuat-sekali-123", "--role", "officer",
            "--office", "KC-6371")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == {"username": "op1", "role": "officer", "office": "KC-6371"}
    r = cli("tokens", "create", "--username", "op1")
    token = json.loads(r.stdout)["token"]
    c = Client(headers={"Authorization": f"Bearer {token}"})
    assert c.get("/api/v1/regions").status_code == 200
    r = cli("users", "create", "--username", "op1", "--password", "kuat-sekali-123", "--role", "officer",
            "--office", "KC-6371")
    assert r.returncode == 2 and "sudah dipakai" in r.stderr


def test_indonesian_by_default_even_for_english_browsers(client):
    r = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="id"' in r.content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    r = client.get("/", HTTP_ACCEPT_LANGUAGE="id")
    assert '<html lang="en"' in r.content.decode()
