"""Pages for every role: the treasurer's round (tick, total, record), the branch's collective page, explainers,
campaign material; a treasurer never reaches a non-member."""

from datetime import date

import pytest
from django.test import Client

from jaring.agents.tests.helpers import PASSWORD, register

from .helpers import ON, collective, fill, officer

pytestmark = pytest.mark.django_db


def signed_in(user):
    c = Client()
    c.force_login(user)
    return c


def test_treasurer_round_and_branch_pages():
    off = officer()
    c = collective(off)
    members = fill(c, 4)
    t = signed_in(c.treasurer)
    r = t.get("/communities/wadah-saya/", {"month": "2026-06"})
    assert r.status_code == 200 and "Rp8.400" in r.content.decode() and members[0].kpj in r.content.decode()
    r = t.post("/communities/wadah-saya/bayar/", {"month": "2026-06", "kpj": [m.kpj for m in members[:3]]})
    assert r.status_code == 200 and "Rp25.200" in r.content.decode()
    r = t.post("/communities/wadah-saya/bayar/", {"month": "2026-06", "kpj": [m.kpj for m in members[:3]],
                                                  "confirm": "1", "reference": "TRF-PAGE", "total": "25000",
                                                  "method": "transfer"})
    assert r.status_code == 200 and "Seharusnya Rp25.200." in r.content.decode()  # nothing posted on a wrong total
    r = t.post("/communities/wadah-saya/bayar/", {"month": "2026-06", "kpj": [m.kpj for m in members[:3]],
                                                  "confirm": "1", "reference": "TRF-PAGE", "total": "25.200",
                                                  "method": "transfer"})
    assert r.status_code == 302
    page = t.get("/communities/wadah-saya/", {"month": "2026-06"}).content.decode()
    assert 'data-testid="paid-count">3<' in page and "75,0%" in page
    outsider = register(700, on=ON)
    assert t.get(f"/communities/manfaat/peserta/{outsider.kpj}/").status_code == 404
    assert t.get(f"/communities/manfaat/peserta/{members[0].kpj}/").status_code == 200
    assert t.get(f"/communities/manfaat/peserta/{members[0].kpj}/gambar.png")["Content-Type"] == "image/png"
    assert t.get(f"/members/{outsider.kpj}/").status_code in (403, 404)
    assert t.get("/communities/").status_code == 403  # the branch pages are not the treasurer's
    o = signed_in(off)
    assert o.get("/communities/", {"month": "2026-06"}).status_code == 200
    d = o.get(f"/communities/wadah/{c.code}/", {"month": "2026-06"}).content.decode()
    assert members[3].kpj in d and "TRF-PAGE" in d
    r = o.post(f"/communities/wadah/{c.code}/pembayaran/TRF-PAGE/cocokkan/", {"amount": "25200"})
    assert r.status_code == 302
    from jaring.communities.models import GroupPayment
    assert GroupPayment.objects.get(reference="TRF-PAGE").reconciled
    assert o.post(f"/communities/wadah/{c.code}/pengingat/", {"month": "2026-06"}).status_code == 302
    assert c.notices.get().unpaid == 1
    assert o.get("/communities/baru/").status_code == 200
    assert o.get("/communities/penyuluhan/").status_code == 200


def test_worker_explainer_and_public_explainer(client):
    from jaring.members.services import register_self

    from jaring.agents.tests.helpers import worker
    m = register_self(worker(5), PASSWORD, on=date.today())
    w = signed_in(m.user)
    r = w.get("/communities/manfaat-saya/")
    assert r.status_code == 200 and "wa.me" in r.content.decode()
    assert w.get("/communities/manfaat-saya/gambar.png").content[:4] == b"\x89PNG"
    assert w.get("/partners/saya/").status_code == 200
    assert client.get("/communities/manfaat/", {"income": "1000000", "month": "2027-01"}).status_code == 200
    assert "Rp16.800" in client.get("/communities/manfaat/", {"income": "1000000", "month": "2027-01"}).content.decode()
