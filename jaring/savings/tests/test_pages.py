"""Balance page and yearly statement (HTML and PDF), scoped to the member and staff of the branch."""

from datetime import date

import pytest
from django.test import Client

from jaring.claims.tests.factories import make_bills, make_member
from jaring.savings import services

pytestmark = pytest.mark.django_db


def login(user):
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def saver(make_user):
    user = make_user("siti", "worker", None)
    m = make_member(first_month=date(2021, 1, 1), user=user)
    make_bills(m, date(2021, 1, 1), date(2022, 12, 1))
    services.credit_returns(2021, today=date(2026, 1, 1))
    return user, m


def test_worker_sees_balance_and_statement(saver):
    user, m = saver
    c = login(user)
    r = c.get("/savings/", follow=True)
    html = r.content.decode()
    assert r.status_code == 200 and "Rp486.149" in html  # 480,000 contributions + 6,149 return for 2021 (5.59%, perkiraan)
    r = c.get(f"/savings/peserta/{m.kpj}/laporan/2021")
    assert "Rp246.149" in r.content.decode()  # closing 2021
    r = c.get(f"/savings/peserta/{m.kpj}/laporan/2021.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf" and r.content[:5] == b"%PDF-"


def test_other_worker_and_other_branch_cannot_see(saver, make_user):
    _, m = saver
    other = make_user("budi", "worker", None)
    assert login(other).get(f"/savings/peserta/{m.kpj}").status_code == 404
    far = make_user("petugas_jkt", "officer", "KC-3171" if _branch_exists("KC-3171") else _another_branch())
    assert login(far).get(f"/savings/peserta/{m.kpj}").status_code == 403
    near = make_user("petugas_bjm", "officer", "KC-6371")
    assert login(near).get(f"/savings/peserta/{m.kpj}").status_code == 200


def _branch_exists(code):
    from jaring.regions.models import BranchOffice

    return BranchOffice.objects.filter(code=code).exists()


def _another_branch():
    from jaring.regions.models import BranchOffice

    return BranchOffice.objects.exclude(code="KC-6371").values_list("code", flat=True).first()
