"""Partner pages: a manager registers a partner (key shown once) and a bundle; an officer sells it at the
branch counter; the worker sees the entitlement with its QR; a manager revokes it."""

import pytest
from django.test import Client

from jaring.agents.tests.helpers import register

pytestmark = pytest.mark.django_db


def login(user):
    c = Client()
    c.force_login(user)
    return c


def test_manager_officer_worker_pages(make_user):
    from datetime import date

    from jaring.partners.models import Entitlement

    boss = login(make_user("manajer_p", "manager", None))
    r = boss.post("/partners/baru/", {"code": "SEHATKU", "name": "SehatKu", "kind": "health_app"})
    assert r.status_code == 302
    page = boss.get("/partners/").content.decode()
    assert 'data-testid="api-key">jpk_' in page
    assert 'data-testid="api-key"' not in boss.get("/partners/").content.decode()  # shown once
    r = boss.post("/partners/mitra/SEHATKU/", {"product_code": "COMBOFIT-3", "name": "ComboFit 3 bulan", "months": "3",
                                               "benefit": "Premium 3 bulan + kuota 10 GB", "partner_price": "30000"})
    assert r.status_code == 302
    m = register(3, on=date(2026, 6, 10))
    officer = login(make_user("petugas_p", "officer", "KC-6371"))
    quote = officer.post("/partners/jual/", {"customer": m.nik, "bundle": "SEHATKU/COMBOFIT-3"}).content.decode()
    assert "Rp25.200" in quote  # June-August 2026 at Rp8,400 (PP 50/2025)
    done = officer.post("/partners/jual/", {"customer": m.nik, "bundle": "SEHATKU/COMBOFIT-3", "confirm": "1"})
    assert done.status_code == 200 and "<svg" in done.content.decode()
    e = Entitlement.objects.get()
    assert (e.contribution, e.months, e.payment.channel.code) == (25_200, 3, "BRANCH")
    assert e.code in boss.get("/partners/mitra/SEHATKU/").content.decode()
    assert boss.post(f"/partners/mitra/SEHATKU/hak/{e.code}/cabut/", {"reason": "salah paket"}).status_code == 302
    e.refresh_from_db()
    assert e.status == "revoked"
    far = login(make_user("petugas_far", "officer", "KC-6471"))
    assert "luar wilayah" in far.post("/partners/jual/", {"customer": m.nik, "bundle": "SEHATKU/COMBOFIT-3"}).content.decode()
    assert officer.get("/partners/mitra/SEHATKU/").status_code == 403
