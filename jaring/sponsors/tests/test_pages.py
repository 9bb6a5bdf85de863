"""Sponsor portal and officers' pages: scoping, upload, invoice, payment form."""

import io

import pytest
from django.test import Client

from jaring.agents.tests.helpers import PASSWORD, register, worker
from jaring.sponsors import services

pytestmark = pytest.mark.django_db


def login(user):
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def two(sponsor_factory):
    a = sponsor_factory("sponsor_a", name="Ibu Ratna Sari")
    b = sponsor_factory("sponsor_b", kind="company", name="PT Maju Bersama")
    wa = register(1, channel="sponsor_import", funding="sponsor")
    wb = register(2, channel="sponsor_import", funding="sponsor")
    return a, b, wa, wb, services.create_invoice(a, [wa], months=3), services.create_invoice(b, [wb], months=3)


def test_sponsor_pages_show_only_its_own_workers_and_invoices(two):
    a, b, wa, wb, ia, ib = two
    c = login(a.user)
    html = c.get("/sponsors/pekerja/").content.decode()
    assert wa.kpj in html and wa.name in html
    assert wb.kpj not in html and wb.name not in html
    html = c.get("/sponsors/tagihan/").content.decode()
    assert ia.number in html and ib.number not in html
    assert c.get(f"/sponsors/tagihan/{ia.number}/").status_code == 200
    assert c.get(f"/sponsors/tagihan/{ib.number}/").status_code == 404
    assert c.get(f"/sponsors/tagihan/{ib.payment_code}/").status_code == 404
    # searching for the other sponsor's worker finds nothing
    html = c.get("/sponsors/pekerja/", {"q": wb.kpj}).content.decode()
    assert wb.name not in html and "Tidak ada pekerja yang cocok." in html
    # ticking another sponsor's worker to bill it is refused
    assert c.post("/sponsors/pekerja/tagihkan/", {"kpj": [wb.kpj], "months": 3}).status_code == 404
    # the member pages follow the same rule
    assert c.get(f"/members/{wa.kpj}/").status_code == 200
    assert c.get(f"/members/{wb.kpj}/").status_code in (403, 404)
    # staff pages are closed to sponsors
    assert c.get("/sponsors/").status_code == 403
    assert c.get(f"/sponsors/{b.pk}/").status_code == 403
    assert c.post(f"/sponsors/tagihan/{ia.number}/bayar/", {"amount": 25_200, "reference": "X"}).status_code == 403


def test_nav_items_per_role(two, make_user):
    a, *_ = two
    html = login(a.user).get("/beranda").content.decode()
    assert "Pekerja saya" in html and "Tagihan" in html and "Sponsor &amp; program" not in html
    officer = make_user("petugas", "officer", "KC-6371", password=PASSWORD)
    html = login(officer).get("/beranda").content.decode()
    assert "Sponsor &amp; program" in html and "Pekerja saya" not in html


def test_upload_page_registers_good_rows_and_lists_bad_ones(sponsor_factory):
    sponsor = sponsor_factory()
    rows = ["nik,name,birth_date,gender,phone,village_code,occupation,income"]
    for i in range(1, 5):
        w = worker(300 + i)
        rows.append(f"{w['nik']},{w['name']},1990-08-15,L,{w['phone']},{w['village_code']},pedagang,1000000")
    rows.append(f"{worker(305)['nik']},Tanpa Penghasilan,1990-08-15,L,081234567890,63.71.04.1001,pedagang,500000")
    f = io.BytesIO("\n".join(rows).encode())
    f.name = "daftar.csv"
    c = login(sponsor.user)
    r = c.post("/sponsors/pekerja/unggah/", {"file": f, "months": "2"})
    html = r.content.decode()
    assert r.status_code == 200
    assert "5 baris dibaca: 4 pekerja didaftarkan dan ditagihkan, 1 baris ditolak." in html
    assert "Tanpa Penghasilan" in html and "Rp1.000.000" in html  # says what to fix
    inv = sponsor.invoices.get()
    assert inv.lines.count() == 4 and inv.payment_code in html
    errors = c.get("/sponsors/pekerja/unggah/ditolak.csv")
    assert errors.status_code == 200 and "Tanpa Penghasilan" in errors.content.decode("utf-8")


def test_add_one_worker_then_officer_records_payment(sponsor_factory, make_user):
    sponsor = sponsor_factory()
    c = login(sponsor.user)
    data = worker(400, income="1000000")
    data.update({"months": "3", "gender": "L"})
    r = c.post("/sponsors/pekerja/tambah/", data)
    assert r.status_code == 302, r.content.decode()[:2000]
    inv = sponsor.invoices.get()
    assert r["Location"] == f"/sponsors/tagihan/{inv.number}/"
    r = c.post("/sponsors/pekerja/tambah/", {**data, "nik": "1234"})
    assert r.status_code == 200 and "NIK" in r.content.decode()
    officer = make_user("petugas", "officer", "KC-6371", password=PASSWORD)
    oc = login(officer)
    assert inv.number in oc.get("/sponsors/tagihan/").content.decode()
    assert inv.number in oc.get("/sponsors/tagihan/", {"q": inv.payment_code}).content.decode()
    assert inv.number not in oc.get("/sponsors/tagihan/", {"q": "SP-1999"}).content.decode()
    r = oc.post(f"/sponsors/tagihan/{inv.number}/bayar/", {"amount": str(inv.amount), "reference": "TRF-77"})
    assert r.status_code == 302
    inv.refresh_from_db()
    assert inv.status == "paid" and inv.paid_amount == inv.amount
    html = oc.get(f"/sponsors/tagihan/{inv.number}/").content.decode()
    assert "Lunas" in html and "TRF-77" in html


def test_officer_overview_and_program_pages(sponsor_factory, make_user):
    s = sponsor_factory("ppu", kind="regional", name="Pemkab Penajam Paser Utara", region="64.09", branch="KC-6471")
    services.create_program(s, {"name": "BPU rentan 2026", "budget": 3_024_000_000, "quota": 15_000,
                                "target_group": "pekerja rentan", "start_month": "2026-01", "end_month": "2026-12"})
    officer = make_user("petugas_ppu", "officer", "KC-6471", password=PASSWORD)
    c = login(officer)
    html = c.get("/sponsors/").content.decode()
    assert "Pemkab Penajam Paser Utara" in html and "BPU rentan 2026" in html and "Rp3.024.000.000" in html
    p = s.programs.get()
    html = c.get(f"/sponsors/program/{p.pk}/").content.decode()
    assert "Rp3.024.000.000" in html and "15.000 pekerja" in html
    other = make_user("petugas_bjm", "officer", "KC-6371", password=PASSWORD)
    assert "Penajam" not in login(other).get("/sponsors/").content.decode()
    assert login(other).get(f"/sponsors/{s.pk}/").status_code == 403
    r = c.post("/sponsors/baru/", {"kind": "company", "name": "PT Borneo Sejahtera", "branch": "KC-6471",
                                   "username": "borneo", "password": PASSWORD})
    assert r.status_code == 302
