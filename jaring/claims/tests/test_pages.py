"""Claims pages: filing with uploads, detail with components, officer queue with ageing, paid report."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from jaring.claims import services
from jaring.claims.models import Claim
from jaring.claims.tests.test_workflow import PDF, base_data, paid_member, pdf

pytestmark = pytest.mark.django_db


def login(user):
    c = Client()
    c.force_login(user)
    return c


def test_officer_files_from_the_form_and_sees_components(make_user):
    officer = make_user("ani", "officer", "KC-6371")
    m = paid_member()
    c = login(officer)
    data = base_data(kpj=m.kpj, event_date=timezone.localdate().isoformat())
    data["doc_event"] = SimpleUploadedFile("akta.pdf", PDF, content_type="application/pdf")
    r = c.post("/claims/ajukan", data)
    assert r.status_code == 302, r.content.decode()[:2000]
    claim = Claim.objects.get()
    html = c.get(r["Location"]).content.decode()
    assert "Santunan sekaligus" in html and "Rp20.000.000" in html and "Rp42.000.000" in html
    doc = claim.documents.get()
    assert c.get(f"/claims/{claim.number}/dokumen/{doc.pk}").status_code == 200


def test_form_shows_the_refusal_reason(make_user):
    officer = make_user("ani", "officer", "KC-6371")
    m = paid_member()
    data = base_data(kpj=m.kpj, event_date="2001-01-01")
    data["doc_event"] = SimpleUploadedFile("akta.pdf", PDF, content_type="application/pdf")
    r = login(officer).post("/claims/ajukan", data)
    assert r.status_code == 422 and "sebelum kepesertaan dimulai" in r.content.decode()
    data["doc_event"] = SimpleUploadedFile("foto.gif", b"GIF89a....", content_type="image/gif")
    data["event_date"] = timezone.localdate().isoformat()
    r = login(officer).post("/claims/ajukan", data)
    assert r.status_code == 422 and "bukan PDF, JPEG atau PNG" in r.content.decode()


def test_queue_filters_ageing_and_scope(make_user):
    from datetime import timedelta

    from jaring.regions.models import BranchOffice

    officer = make_user("ani", "officer", "KC-6371")
    m = paid_member(name="Sri Rahayu")
    claim = services.file_claim(m, base_data(event_date=timezone.localdate().isoformat()), [("ktp", pdf())],
                                actor=officer)
    Claim.objects.filter(pk=claim.pk).update(submitted_at=timezone.now() - timedelta(days=9))
    html = login(officer).get("/claims/antrian").content.decode()
    assert claim.number in html and "9 hari" in html
    assert claim.number in login(officer).get("/claims/antrian", {"q": "rahayu"}).content.decode()
    assert claim.number not in login(officer).get("/claims/antrian", {"program": "JKK"}).content.decode()
    far = make_user("jauh", "officer", BranchOffice.objects.exclude(code="KC-6371").first().code)
    assert claim.number not in login(far).get("/claims/antrian").content.decode()
    assert login(far).get(f"/claims/{claim.number}").status_code == 403


def test_member_follows_own_claim_and_manager_report(make_user):
    worker = make_user("wati", "worker", None)
    officer = make_user("ani", "officer", "KC-6371")
    checker = make_user("budi", "officer", "KC-6371")
    manager = make_user("mgr", "manager", None)
    m = paid_member(user=worker)
    claim = services.file_claim(m, base_data(event_date=timezone.localdate().isoformat()), [("ktp", pdf())],
                                actor=officer)
    services.review(claim, actor=officer)
    services.approve(claim, actor=checker)
    services.mark_paid(claim, actor=checker, reference="TRF-1")
    html = login(worker).get("/claims/saya").content.decode()
    assert claim.number in html and "Dibayar" in html
    html = login(manager).get("/claims/laporan").content.decode()
    assert "Kalimantan Selatan" in html.upper().title() or "KALIMANTAN SELATAN" in html.upper()
    assert "Rp42.000.000" in html
    csv_text = login(manager).get("/claims/laporan", {"format": "csv"}).content.decode()
    assert csv_text.splitlines()[1].startswith("63,") and csv_text.splitlines()[1].endswith(",0,0,1,42000000,0,0,1,42000000")
    regencies = login(manager).get("/claims/laporan", {"province": "63", "format": "csv"}).content.decode()
    assert regencies.splitlines()[1].startswith("63.71,")
    other = make_user("lain", "worker", None)
    assert login(other).get(f"/claims/{claim.number}").status_code == 404


def test_nav_items_per_role(make_user):
    from jaring.web.context import nav_items

    labels = lambda u: [str(i["label"]) for i in nav_items(u)]  # noqa: E731
    worker = labels(make_user("w", "worker", None))
    assert {"Klaim saya", "Saldo JHT", "Simulasi manfaat"} <= set(worker)
    assert "Antrian klaim" in labels(make_user("o", "officer", "KC-6371"))
    assert "Klaim dibayar" in labels(make_user("m", "manager", None))


def test_family_files_without_login_and_tracks_it():
    from django.test import Client

    m = paid_member()
    c = Client()
    data = base_data(kpj=m.kpj, nik="1234", event_date=timezone.localdate().isoformat())
    data["doc_event"] = SimpleUploadedFile("akta.pdf", PDF, content_type="application/pdf")
    r = c.post("/claims/keluarga", data)
    assert r.status_code == 422 and "tidak cocok" in r.content.decode()
    data["nik"] = m.nik
    data["doc_event"] = SimpleUploadedFile("akta.pdf", PDF, content_type="application/pdf")
    r = c.post("/claims/keluarga", data)
    assert r.status_code == 302
    claim = Claim.objects.get()
    assert claim.filed_by == "family" and claim.filed_by_user is None and claim.amount == 42_000_000
    html = c.get(r["Location"]).content.decode()
    assert claim.number in html and "Diajukan" in html
    assert "tidak ditemukan" in c.get("/claims/lacak", {"number": claim.number, "kpj": "00000000000"}).content.decode()


def test_simulation_prefilled_from_the_workers_own_record(make_user):
    worker = make_user("wati", "worker", None)
    paid_member(months=2, user=worker, income=2_500_000)
    html = login(worker).get("/claims/simulasi", {"scenario": "jkm_death"}).content.decode()
    assert 'name="wage" min="0" step="100000" inputmode="numeric" value="2500000"' in html
    assert 'name="consecutive_paid_months" min="0" value="2"' in html
    assert "Rp10.000.000" in html  # two paid months: Rp8,000,000 santunan + Rp2,000,000 funeral
    assert "Rp8.000.000" in html and "Rp2.000.000" in html and "Santunan sekaligus" in html
