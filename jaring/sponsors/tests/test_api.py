"""Sponsors' API: a sponsor sees only its own workers and invoices; officers record payments."""

import io

import pytest

from jaring.agents.tests.helpers import register
from jaring.sponsors import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_sponsors(sponsor_factory):
    a = sponsor_factory("sponsor_a", name="Ibu Ratna Sari")
    b = sponsor_factory("sponsor_b", kind="company", name="PT Maju Bersama")
    wa = register(1, channel="sponsor_import", funding="sponsor")
    wb = register(2, channel="sponsor_import", funding="sponsor")
    ia = services.create_invoice(a, [wa], months=3)
    ib = services.create_invoice(b, [wb], months=3)
    return a, b, wa, wb, ia, ib


def test_sponsor_sees_only_its_own_workers_and_invoices(api_client, two_sponsors):
    a, b, wa, wb, ia, ib = two_sponsors
    c = api_client(a.user)
    assert c.get("/api/v1/sponsors/me").json()["id"] == a.pk
    assert [s["id"] for s in c.get("/api/v1/sponsors").json()] == [a.pk]
    page = c.get(f"/api/v1/sponsors/{a.pk}/workers").json()
    assert page["count"] == 1 and [w["kpj"] for w in page["results"]] == [wa.kpj]
    assert page["results"][0]["sponsored_until"] == "2026-07"
    assert c.get(f"/api/v1/sponsors/{a.pk}/workers/{wa.kpj}").status_code == 200
    # another sponsor's worker, workers list, invoice: all 404, nothing revealed
    assert c.get(f"/api/v1/sponsors/{a.pk}/workers/{wb.kpj}").status_code == 404
    assert c.get(f"/api/v1/sponsors/{b.pk}/workers").status_code == 404
    assert c.get(f"/api/v1/sponsors/{b.pk}/invoices").status_code == 404
    assert c.get(f"/api/v1/invoices/{ib.number}").status_code == 404
    assert c.get(f"/api/v1/invoices/{ib.payment_code}").status_code == 404
    # nor through the members API
    assert c.get(f"/api/v1/members/{wb.kpj}").status_code in (403, 404)
    # and cannot bill a worker who is not its own
    r = c.post(f"/api/v1/sponsors/{a.pk}/invoices", {"kpjs": [wb.kpj], "months": 3}, content_type="application/json")
    assert r.status_code == 404
    inv = c.get(f"/api/v1/invoices/{ia.number}").json()
    assert inv["amount"] == 3 * 8_400 and [ln["kpj"] for ln in inv["lines"]] == [wa.kpj]


def test_unauthenticated_and_other_roles(api_client, make_user, two_sponsors):
    a, *_ = two_sponsors
    assert api_client().get(f"/api/v1/sponsors/{a.pk}/workers").status_code == 401
    worker = make_user("warga", "worker", None)
    assert api_client(worker).get(f"/api/v1/sponsors/{a.pk}/workers").status_code == 403
    other_branch = make_user("petugas_jkt", "officer", "KC-3171")
    assert api_client(other_branch).get(f"/api/v1/sponsors/{a.pk}/workers").status_code == 403
    assert api_client(other_branch).get("/api/v1/sponsors").json() == []


def test_officer_records_payments_partial_then_full(api_client, make_user, sponsor_factory, trio):
    officer = make_user("petugas", "officer", "KC-6371")
    sponsor = sponsor_factory()
    budi, dewi, siti = trio()
    inv = services.create_invoice(sponsor, [budi, dewi, siti], months=12)
    c = api_client(officer)
    url = f"/api/v1/invoices/{inv.payment_code}/payments"
    r = c.post(url, {"amount": 250_000, "reference": "TRF-A", "paid_at": "2026-05-12T10:00:00+07:00"},
               content_type="application/json")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["credited"] == [dewi.kpj, siti.kpj] and body["not_credited"][0]["kpj"] == budi.kpj
    assert (body["applied"], body["unapplied"], body["status"], body["duplicate"]) == (243_600, 6_400, "partial", False)
    assert c.post(url, {"amount": 250_000, "reference": "TRF-A"}, content_type="application/json").json()["duplicate"]
    assert c.post(url, {"amount": 1, "reference": "TRF-A"}, content_type="application/json").status_code == 409
    r = c.post(url, {"amount": 688_000, "reference": "TRF-B"}, content_type="application/json")
    assert r.json()["status"] == "paid" and r.json()["credited"] == [budi.kpj]
    # a sponsor cannot record its own payment
    assert api_client(sponsor.user).post(url, {"amount": 1, "reference": "X"},
                                         content_type="application/json").status_code == 403


def test_sponsor_uploads_a_csv_and_gets_one_invoice_for_the_good_rows(api_client, sponsor_factory):
    from jaring.agents.tests.helpers import worker

    sponsor = sponsor_factory()
    rows = ["nik,name,birth_date,gender,phone,village_code,occupation,income"]
    for i in range(1, 6):
        w = worker(200 + i)
        rows.append(f"{w['nik']},{w['name']},1990-08-15,L,{w['phone']},{w['village_code']},pedagang,1000000")
    rows.append("1234,Tanpa NIK Benar,1990-08-15,L,081234567890,63.71.04.1001,pedagang,1000000")
    f = io.BytesIO("\n".join(rows).encode())
    f.name = "pekerja.csv"
    r = api_client(sponsor.user).post(f"/api/v1/sponsors/{sponsor.pk}/imports", {"file": f, "months": "1"})
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["total"], body["imported"], body["rejected"]) == (6, 5, 1)
    assert body["errors"][0]["row"] == 7 and "nik" in body["errors"][0]["errors"]
    assert body["invoice"]["workers"] == 5 and len(body["invoice"]["lines"]) == 5


def test_program_api_shows_consumption(api_client, make_user, sponsor_factory):
    officer = make_user("petugas_ppu", "officer", "KC-6471")
    sponsor = sponsor_factory("ppu", kind="regional", name="Pemkab Penajam Paser Utara", region="6409",
                              branch="KC-6471")
    c = api_client(officer)
    r = c.post(f"/api/v1/sponsors/{sponsor.pk}/programs",
               {"name": "BPU rentan 2026", "budget": 3_024_000_000, "quota": 15_000, "target_group": "pekerja rentan",
                "start_month": "2026-01", "end_month": "2026-12"}, content_type="application/json")
    assert r.status_code == 201, r.content
    p = r.json()
    assert (p["estimate_full_quota"], p["remaining_budget"], p["remaining_quota"]) == (3_024_000_000, 3_024_000_000,
                                                                                        15_000)
    assert api_client(sponsor.user).get(f"/api/v1/programs/{p['id']}").json()["budget"] == 3_024_000_000
    r = c.post(f"/api/v1/sponsors/{sponsor.pk}/programs", {"name": "x", "budget": 0, "quota": 0, "target_group": "",
                                                            "start_month": "2026-13", "end_month": "2026-12"},
               content_type="application/json")
    assert r.status_code == 422 and {"budget", "quota", "target_group"} <= set(r.json()["errors"])


def test_openapi_documents_sponsor_and_agent_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for p in ("/api/v1/sponsors/{sponsor_id}/workers", "/api/v1/sponsors/{sponsor_id}/imports",
              "/api/v1/invoices/{number}/payments", "/api/v1/programs/{program_id}", "/api/v1/agents/me/follow-up",
              "/api/v1/agents/me/collections", "/api/v1/commissions/run"):
        assert p in paths


def test_officer_cancels_an_unpaid_invoice_and_the_worker_may_be_billed_again(api_client, make_user, two_sponsors):
    from jaring.members.models import Member

    a, b, wa, wb, ia, ib = two_sponsors
    officer = make_user("petugas", "officer", "KC-6371")
    assert api_client(a.user).post(f"/api/v1/invoices/{ia.number}/cancel").status_code == 403
    r = api_client(officer).post(f"/api/v1/invoices/{ia.number}/cancel")
    assert r.status_code == 200 and r.json()["status"] == "cancelled"
    assert Member.objects.get(pk=wa.pk).funding == "self"
    assert api_client(officer).post(f"/api/v1/invoices/{ia.number}/cancel").status_code == 422
    # the worker is free again: sponsor B may now take them on
    services.create_invoice(b, [wa], months=1)
    # an invoice that has received money cannot be cancelled
    services.pay_invoice(ib, amount=1, reference="T1")
    assert api_client(officer).post(f"/api/v1/invoices/{ib.number}/cancel").status_code == 422


def test_worker_registered_through_members_api_appears_unbilled_and_can_be_billed(api_client, sponsor_factory):
    from jaring.agents.tests.helpers import worker

    sponsor = sponsor_factory()
    c = api_client(sponsor.user)
    data = worker(700)
    data["birth_date"] = "1990-08-15"
    r = c.post("/api/v1/members", data, content_type="application/json")
    assert r.status_code == 201, r.content
    kpj = r.json()["kpj"]
    page = c.get(f"/api/v1/sponsors/{sponsor.pk}/workers", {"status": "unbilled"}).json()
    assert [w["kpj"] for w in page["results"]] == [kpj] and page["results"][0]["sponsored_until"] is None
    r = c.post(f"/api/v1/sponsors/{sponsor.pk}/invoices", {"kpjs": [kpj], "months": 2},
               content_type="application/json")
    assert r.status_code == 201 and r.json()["workers"] == 1
    assert c.get(f"/api/v1/sponsors/{sponsor.pk}/workers", {"status": "unbilled"}).json()["count"] == 0


def test_regional_government_uploads_an_excel_list_into_its_apbd_programme(api_client, sponsor_factory):
    """Pemda send Excel: 3 workers into the APBD programme — Rp16,800 a month each, no PP 50/2025 discount."""
    import openpyxl

    from jaring.agents.tests.helpers import worker

    sponsor = sponsor_factory("ppu", kind="regional", name="Pemkab Penajam Paser Utara", region="64.09",
                              branch="KC-6471")
    program = services.create_program(sponsor, {"name": "BPU rentan", "budget": 3_024_000_000, "quota": 15_000,
                                                "target_group": "nelayan", "start_month": "2026-01",
                                                "end_month": "2027-12"})
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["NIK", "Nama", "Tanggal Lahir", "Jenis Kelamin", "No HP", "Kode Desa", "Pekerjaan", "Penghasilan"])
    for i in range(3):
        w = worker(900 + i, nik=f"640901150890{900 + i:04d}", village_code="64.09.01.1001")
        ws.append([w["nik"], w["name"], "1990-08-15", "L", w["phone"], w["village_code"], "nelayan", 1_000_000])
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "pekerja-rentan.xlsx"
    r = api_client(sponsor.user).post(f"/api/v1/sponsors/{sponsor.pk}/imports",
                                      {"file": buf, "months": "2", "program_id": str(program.pk)})
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["imported"], body["rejected"]) == (3, 0), body["errors"]
    assert body["invoice"]["program_id"] == program.pk
    assert [ln["monthly"][0][1] for ln in body["invoice"]["lines"]] == [16_800] * 3
    assert body["invoice"]["amount"] == 3 * 2 * 16_800
    assert services.program_usage(program)["remaining_quota"] == 14_997
