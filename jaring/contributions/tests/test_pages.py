"""Member pages (owed, pay with NIK + QRIS, history, receipts) and the officers' reconciliation pages."""

from datetime import date

import pytest
from django.test import Client

from jaring.contributions.services import post_payment

pytestmark = pytest.mark.django_db
PASSWORD = "rahasia-sekali-9"


def login(user):
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def worker_member(make_user, make_member):
    user = make_user("warga-iuran", "worker", None)
    return user, make_member(first_month=date(2026, 9, 1), user=user)


def test_owed_pay_history_receipt(worker_member, channel):
    from lokal import parse_qris

    user, m = worker_member
    c = login(user)
    r = c.get("/contributions/")
    assert r.status_code == 200
    body = r.content.decode()
    assert "Yang harus dibayar" in body and m.kpj in body
    r = c.get("/contributions/bayar/", {"bulan": 4})
    body = r.content.decode()
    # Sep-Dec 2026, other sector, discounted: 4 x Rp8,400 = Rp33,600
    assert r.status_code == 200 and "Rp33.600" in body and m.nik in body and "<svg" in body
    payload = r.context["payload"]
    info = parse_qris(payload)
    assert info.valid and info.amount == "33600" and info.additional.bill_number == m.nik
    assert c.get("/contributions/bayar/", {"bulan": 13}).context["error"]

    p, _ = post_payment(member=m, months=2, amount=16800, channel=channel, reference="PG-1",
                        paid_at="2026-09-03T10:00:00+07:00", source="notification")
    r = c.get("/contributions/riwayat/")
    assert r.status_code == 200 and "Rp16.800" in r.content.decode()
    r = c.get(f"/contributions/kuitansi/{p.pk}/")
    body = r.content.decode()
    assert r.status_code == 200 and "Rp18.300" in body  # Rp16,800 + Rp1,500 channel fee
    r = c.get(f"/contributions/kuitansi/{p.pk}.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf" and r.content[:5] == b"%PDF-"


def test_someone_elses_receipt_is_hidden(worker_member, make_user, channel):
    user, m = worker_member
    p, _ = post_payment(member=m, months=1, amount=8400, channel=channel, reference="PG-2",
                        paid_at="2026-09-03T10:00:00+07:00", source="notification")
    other = make_user("warga-lain", "worker", None)
    assert login(other).get(f"/contributions/kuitansi/{p.pk}/").status_code == 404
    officer = make_user("petugas-bjm", "officer", "KC-6371")
    assert login(officer).get(f"/contributions/kuitansi/{p.pk}/").status_code == 200
    assert login(other).get("/contributions/rekonsiliasi/").status_code == 403


def test_worker_without_membership_sees_empty_state(make_user):
    user = make_user("warga-baru", "worker", None)
    r = login(user).get("/contributions/")
    assert r.status_code == 200 and "belum terhubung" in r.content.decode()


def test_officer_sees_rejected_rows(make_user, make_member, channel):
    from jaring.contributions.settlement import import_settlement

    m = make_member(first_month=date(2026, 9, 1))
    data = (f"reference,customer,amount,months,paid_at\nR-1,{m.nik},8400,1,2026-09-02T10:00:00+07:00\n"
            f"R-2,{m.nik},1,1,2026-09-02T10:00:00+07:00\nR-3,6371041505909999,8400,1,2026-09-02T10:00:00\n").encode()
    out = import_settlement(data, channel, filename="bank-0902.csv")
    officer = make_user("petugas-rekon", "officer", "KC-6371")
    c = login(officer)
    r = c.get("/contributions/rekonsiliasi/")
    assert r.status_code == 200 and "bank-0902.csv" in r.content.decode()
    r = c.get(f"/contributions/rekonsiliasi/{out['file_id']}/")
    body = r.content.decode()
    assert "Tidak ada peserta" in body and "R-3" in body and "R-1" not in body
    r = c.get(f"/contributions/rekonsiliasi/{out['file_id']}/", {"q": "R-3"})
    assert "R-3" in r.content.decode() and "R-2" not in r.content.decode()
    assert "/contributions/rekonsiliasi/" in c.get("/beranda").content.decode()  # nav item for officers


def test_officer_uploads_a_settlement_file(make_user, make_member, channel):
    from django.core.files.uploadedfile import SimpleUploadedFile

    m = make_member(first_month=date(2026, 9, 1))
    officer = make_user("petugas-unggah", "officer", "KC-6371")
    c = login(officer)
    data = f"reference,customer,amount,months,paid_at\nU-1,{m.nik},8400,1,2026-09-02T10:00:00+07:00\n".encode()
    r = c.post("/contributions/rekonsiliasi/", {"channel": "BANKUJI",
                                               "file": SimpleUploadedFile("bank.csv", data, "text/csv")}, follow=True)
    assert r.status_code == 200 and "1 diposting" in r.content.decode()
    from jaring.core.models import AuditEvent

    assert AuditEvent.objects.filter(action="settlement.import", actor=officer).count() == 1
    r = c.post("/contributions/rekonsiliasi/", {"channel": "BANKUJI",
                                               "file": SimpleUploadedFile("bad.csv", b"a,b\n1,2\n", "text/csv")},
               follow=True)
    assert "reference" in r.content.decode()


def test_branch_counter_records_a_cash_payment(make_user, make_member):
    from jaring.contributions.models import Payment
    from jaring.core.models import AuditEvent

    m = make_member(first_month=date(2026, 3, 1))
    officer = make_user("petugas-loket", "officer", "KC-6371")
    c = login(officer)
    r = c.get("/contributions/loket/", {"q": m.nik})
    assert r.status_code == 302 and r["Location"].endswith(f"/loket/{m.kpj}/")
    r = c.get(f"/contributions/loket/{m.kpj}/", {"bulan": 2})
    assert r.status_code == 200 and r.context["total"] == 16800 + 8400  # March full, April discounted
    r = c.post(f"/contributions/loket/{m.kpj}/", {"months": 2, "amount": 25200, "reference": "KAS-001"})
    p = Payment.objects.get(reference="KAS-001")
    assert r.status_code == 302 and p.channel.code == "BRANCH" and p.source == "branch" and p.created_by == officer
    assert AuditEvent.objects.filter(action="payment.post", object_id=str(p.pk)).exists()
    # a stale amount is refused with the right figure
    r = c.post(f"/contributions/loket/{m.kpj}/", {"months": 1, "amount": 16800, "reference": "KAS-002"}, follow=True)
    assert "Rp8.400" in r.content.decode() and not Payment.objects.filter(reference="KAS-002").exists()
    # another branch's officer cannot open this member
    other = make_user("petugas-samarinda", "officer", "KC-6471")
    assert login(other).get(f"/contributions/loket/{m.kpj}/").status_code == 403
    assert login(other).get("/contributions/loket/", {"q": m.kpj}).status_code == 200
