"""Bad input gets a clear answer: no 500s, bounded uploads, no leaks, tokens that expire (issue 15)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client

from jaring.insights.tests.test_dashboard import snap  # noqa: F401  (fixture)
from jaring.sponsors.tests.conftest import sponsor_factory, trio  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db
NUL_TEXT = "Karakter NUL (\\0) tidak boleh ada"
ROOT = Path(__file__).resolve().parents[3]


def _member(n=1):
    from jaring.agents.tests.helpers import register

    return register(n)


# --- NUL and control characters: one guard for API, pages and CLI -------------------------------------

def test_nul_in_api_query_is_422_naming_the_field_even_without_login(client):
    r = client.get("/api/v1/regions?q=a%00b")
    assert r.status_code == 422
    body = r.json()
    assert NUL_TEXT in body["detail"] and NUL_TEXT in body["errors"]["q"]


def test_nul_in_json_body_and_path_is_422(api_client, make_user):
    officer = make_user("kc", "officer", "KC-6371")
    m = _member()
    c = api_client(officer)
    r = c.patch(f"/api/v1/members/{m.kpj}", {"address": "Jl. A\x00B"}, content_type="application/json")
    assert r.status_code == 422 and NUL_TEXT in r.json()["errors"]["address"]
    r = c.get("/api/v1/claims/KL%00X")
    assert r.status_code == 422 and NUL_TEXT in r.json()["detail"]
    unchanged = c.get(f"/api/v1/members/{m.kpj}").json()
    assert "\x00" not in json.dumps(unchanged)


def test_nul_on_pages_is_a_styled_400(client, make_user):
    r = client.get("/", {"income": "1\x00"})
    assert r.status_code == 400
    html = r.content.decode()
    assert 'data-testid="error-page"' in html and NUL_TEXT in html and "Traceback" not in html
    client.force_login(make_user("kc2", "officer", "KC-6371"))
    r = client.post("/members/", {"q": "x\x00"})
    assert r.status_code == 400 and NUL_TEXT in r.content.decode()


def test_cli_refuses_nul_in_arguments(capsys):
    from jaring.cli import main

    with pytest.raises(SystemExit) as e:
        main(["quote", "--income", "1000000", "--programs", "JKK,JKM\x00"])
    assert e.value.code == 2
    assert "karakter NUL" in capsys.readouterr().err


# --- other former 500s --------------------------------------------------------------------------------

@pytest.mark.parametrize("year", ["0", "-1", "10000"])
def test_jht_statement_year_out_of_range_is_422(api_client, make_user, year):
    m = _member()
    r = api_client(make_user("kc", "officer", "KC-6371")).get(f"/api/v1/members/{m.kpj}/jht/statement",
                                                              {"year": year})
    assert r.status_code == 422, r.content
    assert r.json()["errors"]["year"] in ("Paling kecil 1977.", "Paling besar 2100.")


def test_jht_statement_page_year_out_of_range_is_a_styled_422(make_user):
    from datetime import date

    from jaring.claims.tests.factories import make_bills, make_member

    user = make_user("siti", "worker", None)
    m = make_member(first_month=date(2021, 1, 1), user=user)
    make_bills(m, date(2021, 1, 1), date(2022, 12, 1))
    from jaring.savings import services

    services.credit_returns(2021, today=date(2026, 1, 1))
    c = Client()
    c.force_login(user)
    assert c.get(f"/savings/peserta/{m.kpj}/laporan/2021").status_code == 200
    for url in (f"/savings/peserta/{m.kpj}/laporan/10000", f"/savings/peserta/{m.kpj}/laporan/0.pdf"):
        r = c.get(url)
        html = r.content.decode()
        assert r.status_code == 422, url
        assert 'data-testid="error-page"' in html and "Traceback" not in html
        assert "Tahun laporan harus angka empat digit antara 1977 dan 2100." in html


def test_multipart_without_boundary_is_400(api_client, make_user, sponsor_factory):  # noqa: F811
    sponsor = sponsor_factory()
    m = _member()
    c = api_client(make_user("kc", "officer", "KC-6371"))
    for url, who in ((f"/api/v1/members/{m.kpj}/claims", c), (f"/api/v1/sponsors/{sponsor.pk}/imports",
                                                                api_client(sponsor.user))):
        r = who.post(url, data=b"--x\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--x--\r\n",
                     content_type="multipart/form-data")
        assert r.status_code == 400, (url, r.content)
        assert "multipart tanpa boundary" in r.json()["detail"]


def test_json_body_over_20_mb_is_413(client):
    big = b'{"income": 1, "pad": "' + b"a" * (20 * 1024 * 1024) + b'"}'
    r = client.post("/api/v1/benefits/estimate", data=big, content_type="application/json")
    assert r.status_code == 413
    assert r.json()["detail"] == "Data terlalu besar: paling banyak 20 MB per permintaan."


def test_invoice_payment_of_2_pow_63_is_422(api_client, make_user, sponsor_factory, trio):  # noqa: F811
    from jaring.sponsors import services

    sponsor = sponsor_factory()
    budi, dewi, siti = trio()
    inv = services.create_invoice(sponsor, [siti], months=1)
    c = api_client(make_user("kc", "officer", "KC-6371"))
    r = c.post(f"/api/v1/invoices/{inv.number}/payments", {"amount": 2 ** 63, "reference": "TRF-1"},
               content_type="application/json")
    assert r.status_code == 422
    assert r.json()["errors"]["amount"] == "Paling besar 999999999999."
    with pytest.raises(Exception) as e:
        services.pay_invoice(inv, amount=2 ** 63, reference="TRF-2")
    assert e.value.status == 422 and "terlalu besar" in e.value.message


def test_areas_xlsx_for_a_branch_officer_has_a_valid_sheet_title(client, make_user, snap):  # noqa: F811
    from openpyxl import load_workbook

    client.force_login(make_user("kc", "officer", "KC-6371"))
    r = client.get("/insights/ekspor/areas.xlsx")
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.content)).active
    assert not set(ws.title) & set("[]:*?/\\") and 0 < len(ws.title) <= 31


def test_sheet_title_helper():
    from jaring.core.spreadsheets import sheet_title

    assert sheet_title("Wilayah/Kabupaten: [Banjar]?") == "Wilayah-Kabupaten- -Banjar--"
    assert sheet_title("") == "Data" and len(sheet_title("x" * 50)) == 31


def test_missing_stats_scope_is_403_and_no_credentials_is_401(api_client, make_user, snap):  # noqa: F811
    c = api_client(make_user("kc", "officer", "KC-6371"))
    r = c.get("/api/v1/stats/coverage", {"level": "regency", "parent": "31"})
    assert r.status_code == 403 and r.json()["detail"] == "Provinsi ini di luar wilayah kantor Anda."
    r = c.get("/api/v1/stats/coverage", {"level": "regency", "parent": "63"})
    assert r.status_code == 200 and [row["code"] for row in r.json()] == ["63.71"]
    r = c.get("/api/v1/stats/coverage", {"level": "branch", "parent": "KW-SUMBAGUT"})
    assert r.status_code == 403
    r = Client().post("/api/v1/members", {"nik": "1"}, content_type="application/json")
    assert r.status_code == 401
    assert r.json()["detail"] == "Perlu masuk: kirim Authorization: Bearer <token>."


# --- errors: JSON shape on the API, styled pages elsewhere, never a traceback ---------------------------

def test_unexpected_api_error_is_json_500_without_traceback(api_client, make_user, monkeypatch, caplog):
    def boom(*a, **k):
        raise RuntimeError("secret internals")

    monkeypatch.setattr("jaring.regions.api.children", boom)
    c = Client(raise_request_exception=False)
    r = c.get("/api/v1/regions", {"parent": "63"})
    assert r.status_code == 500 and r["Content-Type"].startswith("application/json")
    body = r.json()
    assert body["errors"] == {} and body["detail"].startswith("Maaf, terjadi kesalahan di server")
    assert "secret internals" not in r.content.decode() and "Traceback" not in r.content.decode()
    assert sum("Internal Server Error: /api/v1/regions" in rec.getMessage() for rec in caplog.records) == 1


def test_pages_404_403_500_are_styled_in_the_app_frame(client, make_user):
    r = client.get("/tidak-ada-halaman-ini")
    html = r.content.decode()
    assert r.status_code == 404 and 'data-testid="error-page"' in html and "Halaman tidak ditemukan" in html
    assert "Jaring" in html and "topbar" in html  # inside base.html
    r = client.get("/api/v1/tidak-ada")
    assert r.status_code == 404 and r.json() == {"detail": "Data tidak ditemukan.", "errors": {}}
    client.force_login(make_user("w", "worker", None))
    r = client.get("/insights/")
    assert r.status_code == 403 and "Traceback" not in r.content.decode()
    from django.test import RequestFactory

    from jaring.core.guard import page_500

    r = page_500(RequestFactory().get("/beranda"))
    assert r.status_code == 500 and "Terjadi kesalahan di server" in r.content.decode()
    r = page_500(RequestFactory().get("/api/v1/x"))
    assert r.status_code == 500 and json.loads(r.content)["detail"].startswith("Maaf")


def _run(args, env_extra, cwd):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JARING_", "DATABASE_URL", "DJANGO_"))}
    env.update(env_extra)
    return subprocess.run([sys.executable, "-m", "jaring", *args], capture_output=True, text=True, env=env,
                          cwd=cwd, timeout=120)


def test_debug_is_off_unless_set_and_production_needs_a_long_secret(tmp_path):
    probe = "from django.conf import settings; import django; django.setup(); print(settings.DEBUG)"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JARING_", "DJANGO_"))}
    env["DJANGO_SETTINGS_MODULE"] = "jaring.settings"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert out.stdout.strip() == "False", out.stderr
    assert len((tmp_path / "var" / "secret_key").read_text().strip()) >= 32
    db = f"sqlite:///{tmp_path}/x.sqlite3"
    r = _run(["quote", "--income", "1000000", "--programs", "JKK,JKM"],
             {"JARING_DEBUG": "0", "JARING_SECRET_KEY": "x", "DATABASE_URL": db}, tmp_path)
    assert r.returncode == 2 and r.stderr.count("\n") == 1
    assert "JARING_SECRET_KEY terlalu pendek (1 karakter): minimal 32" in r.stderr and "Traceback" not in r.stderr
    r = _run(["quote", "--income", "1000000", "--programs", "JKK,JKM"],
             {"JARING_DEBUG": "0", "DATABASE_URL": db}, tmp_path)
    assert r.returncode == 2 and "JARING_SECRET_KEY wajib diisi bila JARING_DEBUG=0" in r.stderr


def test_command_on_a_never_migrated_database_says_to_migrate(tmp_path):
    r = _run(["tokens", "create", "--username", "siapa"], {"DATABASE_URL": f"sqlite:///{tmp_path}/kosong.sqlite3"},
             tmp_path)
    assert r.returncode == 2, r.stderr
    assert r.stderr == "jaring: database belum disiapkan: jalankan `jaring migrate` dulu.\n"


def test_server_log_lines_are_printed_once(tmp_path):
    code = ("import django, logging; django.setup(); "
            "logging.getLogger('django.request').warning('satu-baris-saja')")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JARING_", "DJANGO_"))}
    env.update({"DJANGO_SETTINGS_MODULE": "jaring.settings", "JARING_DEBUG": "1"})
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert out.stderr.count("satu-baris-saja") == 1, out.stderr


# --- security headers -----------------------------------------------------------------------------------

def test_hsts_on_https_and_a_csp_with_a_nonce_that_the_inline_scripts_carry(client):
    r = client.get("/", secure=True)
    assert r["Strict-Transport-Security"] == "max-age=31536000"
    csp = r["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp and "frame-ancestors 'none'" in csp and "unsafe-eval" not in csp
    r = client.get("/members/daftar/", follow=True)
    nonce = r["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    html = r.content.decode()
    assert f'<script nonce="{nonce}">' in html
    import re

    inline = [m for m in re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)]
    assert inline and all(f'nonce="{nonce}"' in attrs for attrs in inline)
    assert not re.search(r"\son(click|change|submit|input|load)=", html)


def test_no_template_has_an_inline_handler_or_a_script_without_nonce():
    import re

    bad = []
    for path in (ROOT / "jaring").rglob("templates/**/*.html"):
        text = path.read_text()
        for m in re.finditer(r"<script(?![^>]*\bsrc=)([^>]*)>", text):
            if "csp_nonce" not in m.group(1):
                bad.append(f"{path}: <script{m.group(1)}>")
        if re.search(r"\son(click|change|submit|input|load|keyup|keydown)=\"", text):
            bad.append(f"{path}: inline event handler")
    assert bad == []


# --- tokens ---------------------------------------------------------------------------------------------

def test_tokens_expire_after_their_days(make_user):
    from django.utils import timezone

    from jaring.accounts.models import ApiToken
    from jaring.accounts.services import create_token

    make_user("kc", "officer", "KC-6371")
    token = create_token("kc")
    row = ApiToken.objects.get()
    assert abs(row.expires_at - (timezone.now() + timedelta(days=90))) < timedelta(minutes=1)
    c = Client(headers={"Authorization": f"Bearer {token}"})
    assert c.get("/api/v1/members").status_code == 200
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    r = c.get("/api/v1/members")
    assert r.status_code == 401 and r.json()["detail"] == "Perlu masuk: kirim Authorization: Bearer <token>."
    create_token("kc", days=7)
    assert ApiToken.objects.filter(expires_at__gt=timezone.now() + timedelta(days=6, hours=23)).count() == 1


def test_cli_tokens_create_with_days_and_revoke(make_user, capsys):
    from jaring.accounts.models import ApiToken
    from jaring.cli import main

    make_user("kc", "officer", "KC-6371")
    main(["tokens", "create", "--username", "kc", "--days", "30"])
    token = json.loads(capsys.readouterr().out)["token"]
    c = Client(headers={"Authorization": f"Bearer {token}"})
    assert c.get("/api/v1/members").status_code == 200
    main(["tokens", "revoke", "--username", "kc"])
    assert json.loads(capsys.readouterr().out) == {"username": "kc", "revoked": 1}
    assert c.get("/api/v1/members").status_code == 401
    assert ApiToken.objects.filter(revoked=False).count() == 0
    for days in ("0", "-5", "4000"):
        with pytest.raises(SystemExit) as e:
            main(["tokens", "create", "--username", "kc", "--days", days])
        assert e.value.code == 2
        assert "--days harus bilangan bulat 1 sampai 3650" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["tokens", "revoke", "--username", "tidak-ada"])
    assert "Pengguna 'tidak-ada' tidak ditemukan." in capsys.readouterr().err


def test_tokens_refused_for_inactive_and_locked_out_users(make_user, settings):
    from jaring.accounts.services import create_token

    u = make_user("kc", "officer", "KC-6371")
    token = create_token("kc")
    c = Client(headers={"Authorization": f"Bearer {token}"})
    assert c.get("/api/v1/members").status_code == 200
    for _ in range(settings.AXES_FAILURE_LIMIT):
        Client().post("/masuk", {"username": "kc", "password": "salah-sekali"})
    assert c.get("/api/v1/members").status_code == 401
    from axes.utils import reset

    reset(username="kc")
    assert c.get("/api/v1/members").status_code == 200
    u.is_active = False
    u.save()
    assert c.get("/api/v1/members").status_code == 401


# --- CSV injection --------------------------------------------------------------------------------------

def test_formula_cells_are_escaped_in_every_file_we_write():
    from jaring.core.spreadsheets import safe_cell
    from jaring.members.importer import errors_csv

    assert [safe_cell(v) for v in ("=1+1", "+62", "-3", "@SUM(A1)", "\tx", "\rx", "Budi", 5, -5, None)] == [
        "'=1+1", "'+62", "'-3", "'@SUM(A1)", "'\tx", "'\rx", "Budi", 5, -5, None]
    body = errors_csv([(2, {"name": '=HYPERLINK("http://x","klik")', "nik": "1"}, {"nik": "salah"})]).decode()
    assert "'=HYPERLINK" in body and ',=HYPERLINK' not in body and '"=HYPERLINK' not in body


def test_rejected_rows_file_from_a_sponsor_upload_is_escaped(client, sponsor_factory):  # noqa: F811
    sponsor = sponsor_factory()
    client.force_login(sponsor.user)
    f = io.BytesIO(b"nik,name,birth_date,gender,phone,village_code,occupation,income\n"
                   b'1234,"=HYPERLINK(""http://x"",""klik"")",1990-08-15,L,0812,63.71.04.1001,pedagang,1000000\n')
    f.name = "pekerja.csv"
    client.post("/sponsors/pekerja/unggah/", {"file": f, "months": "1"})
    r = client.get("/sponsors/pekerja/unggah/ditolak.csv")
    assert r.status_code == 200
    assert "'=HYPERLINK" in r.content.decode("utf-8-sig")


# --- spreadsheet bombs ----------------------------------------------------------------------------------

def _xlsx_declaring(ref: str) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["nik", "name", "birth_date", "gender", "phone", "village_code", "occupation", "income"])
    ws.append(["1234", "Budi", "1990-08-15", "L", "0812", "63.71.04.1001", "pedagang", 1000000])
    buf = io.BytesIO()
    wb.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                start = text.index('<dimension ref="') + len('<dimension ref="')
                text = text[:start] + ref + text[text.index('"', start):]
                data = text.encode()
            dst.writestr(item, data)
    return out.getvalue()


def _xlsx_with_rows(n: int, cells: bool = True, ref: str | None = None) -> bytes:
    """A sheet of ``n`` rows: one number each, or (``cells=False``) empty rows as a spreadsheet tool writes
    them after formatting a whole column (2 million of those compress to a few hundred KB)."""
    rows = "".join((f'<row r="{i}"><c r="A{i}"><v>1</v></c></row>' if cells or i == 1 else f'<row r="{i}"/>')
                   for i in range(1, n + 1))
    sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats'
             f'.org/spreadsheetml/2006/main"><dimension ref="{ref or f"A1:A{n}"}"/><sheetData>{rows}</sheetData></worksheet>')
    from openpyxl import Workbook

    buf = io.BytesIO()
    Workbook().save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, sheet if item.filename == "xl/worksheets/sheet1.xml" else src.read(item.filename))
    return out.getvalue()


PEAK_PROBE = """
import io, sys, django
django.setup()
from jaring.core.errors import DomainError
from jaring.core.spreadsheets import read_rows
data = open(sys.argv[1], "rb").read()
try:
    read_rows(io.BytesIO(data), "x.xlsx")
    print("read")
except DomainError as e:
    print(e.status)
# VmHWM: this process's own peak (ru_maxrss would include the parent's peak copied at fork)
print(next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM")) // 1024)
"""


def _peak_mb(data: bytes, tmp_path) -> tuple[str, int]:
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(data)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JARING_", "DJANGO_"))}
    env["DJANGO_SETTINGS_MODULE"] = "jaring.settings"
    out = subprocess.run([sys.executable, "-c", PEAK_PROBE, str(path)], capture_output=True, text=True, env=env,
                         cwd=tmp_path, timeout=60)
    status, mb = out.stdout.split()
    return status, int(mb)


@pytest.mark.parametrize("kind", ["declared-A1:XFD60000", "two-million-rows", "two-million-empty-rows",
                                  "two-million-empty-rows-declaring-A1"])
def test_xlsx_bombs_are_refused_fast_with_bounded_memory(api_client, sponsor_factory, tmp_path, kind):  # noqa: F811
    if kind.startswith("declared"):
        data = _xlsx_declaring("A1:XFD60000")
    else:
        data = _xlsx_with_rows(2_000_000, cells=kind == "two-million-rows",
                               ref="A1" if kind.endswith("declaring-A1") else None)
    if kind.startswith("declared"):
        assert len(data) < 12_000
    sponsor = sponsor_factory()
    f = io.BytesIO(data)
    f.name = "bom.xlsx"
    t0 = time.monotonic()
    r = api_client(sponsor.user).post(f"/api/v1/sponsors/{sponsor.pk}/imports", {"file": f, "months": "1"})
    elapsed = time.monotonic() - t0
    assert elapsed < 5, elapsed
    if kind.startswith("declared"):
        assert r.status_code == 422, r.content
        assert r.json()["detail"] == ("Lembar pertama menyatakan 16.384 kolom; paling banyak 64 kolom. Hapus kolom "
                                      "kosong di kanan data lalu simpan ulang.")
    else:
        assert 400 <= r.status_code < 500
        assert "Berkas" in r.json()["detail"] or "XLSX" in r.json()["detail"]
    status, mb = _peak_mb(data, tmp_path)
    assert mb < 200, mb


def test_declared_range_is_never_padded_to(tmp_path):
    """Within the limits, a declared range larger than the data is not trusted: only real rows come back."""
    from jaring.core.spreadsheets import read_rows

    rows = read_rows(io.BytesIO(_xlsx_declaring("A1:BL40000")), "x.xlsx")
    assert len(rows) == 2 and rows[1][:2] == ["1234", "Budi"] and len(rows[1]) == 8
    with pytest.raises(Exception) as e:
        read_rows(io.BytesIO(_xlsx_declaring("A1:H60000")), "x.xlsx")
    assert e.value.message == "Berkas terlalu besar: paling banyak 50.000 baris sekali impor; pecah berkasnya."


def test_row_limit_is_checked_while_reading(settings):
    from jaring.core.errors import DomainError
    from jaring.core.spreadsheets import read_rows

    data = _xlsx_with_rows(60_000, ref="A1:A2")  # a dimension that lies: the rows are counted while read
    t0 = time.monotonic()
    with pytest.raises(DomainError) as e:
        read_rows(io.BytesIO(data), "x.xlsx", limit=50_000)
    assert time.monotonic() - t0 < 5
    assert e.value.status == 422
    assert e.value.message == "Berkas terlalu besar: paling banyak 50.000 baris sekali impor; pecah berkasnya."


def test_upload_over_the_size_limit_is_413_before_reading(api_client, sponsor_factory, settings):  # noqa: F811
    settings.JARING_MAX_UPLOAD_BYTES = 1024 * 1024
    sponsor = sponsor_factory()
    f = io.BytesIO(b"nik,name\n" + b"1,a\n" * 400_000)
    f.name = "besar.csv"
    r = api_client(sponsor.user).post(f"/api/v1/sponsors/{sponsor.pk}/imports", {"file": f, "months": "1"})
    assert r.status_code == 413
    assert r.json()["detail"] == "Berkas terlalu besar (2 MB): paling besar 1 MB. Pecah berkasnya menjadi beberapa bagian."


# --- OpenAPI --------------------------------------------------------------------------------------------

def test_schema_states_errors_and_constraints(client):
    schema = client.get("/api/v1/openapi.json").json()
    ops = [(p, m, op) for p, methods in schema["paths"].items() for m, op in methods.items()]
    assert len(ops) >= 40
    for path, method, op in ops:
        assert "422" in op["responses"], (method, path)
        assert op["responses"]["422"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/ErrorOut"}
        if op.get("security"):
            assert {"401", "403"} <= op["responses"].keys(), (method, path)
    post_members = schema["paths"]["/api/v1/members"]["post"]
    assert {"401", "403", "413", "422"} <= post_members["responses"].keys()
    year = next(p for p in schema["paths"]["/api/v1/members/{kpj}/jht/statement"]["get"]["parameters"]
                if p["name"] == "year")
    assert (year["schema"]["minimum"], year["schema"]["maximum"]) == (1977, 2100)
    notif = schema["paths"]["/api/v1/payments/notifications"]["post"]
    for p in notif["parameters"]:
        assert json.dumps(p, ensure_ascii=False).isascii(), p


def test_settlement_file_with_nul_is_refused_whole():
    from jaring.contributions.settlement import import_settlement
    from jaring.core.errors import DomainError

    data = ("reference,customer,amount,months,paid_at\n"
            "R1,6371041508900001,36800,1,2026-05-10T09:30:00+07:00\n"
            "R2\x00,6371041508900001,36800,1,2026-05-10T09:30:00+07:00\n").encode()
    with pytest.raises(DomainError) as e:
        import_settlement(data, _any_channel())
    assert "karakter NUL (\\0) di baris 3" in e.value.message


def _any_channel():
    from jaring.contributions.models import Channel

    from jaring.contributions.services import create_channel

    ch = Channel.objects.first() or create_channel(code="BANKX", name="Bank X", secret="rahasia-kanal-panjang-sekali")
    return ch.code
