"""SPEC 2.3: after continuing by paying, the member confirms their data at the next sign-in."""

from datetime import date

import pytest
from django.test import Client
from django.utils import timezone

from jaring.contributions.services import post_payment
from jaring.contributions.tests.conftest import make_member  # noqa: F401
from jaring.members.models import Member

pytestmark = pytest.mark.django_db


def test_sign_in_after_continuation_prompts_for_data(make_member, make_user):
    worker = make_user("w-siti", "worker", None, password="rahasia-siti-123")
    m = make_member(first_month=date(2026, 1, 1), status="inactive", funding="apbd", user=worker)
    post_payment(member=m, months=1, amount=16800, channel="BRANCH", reference="KC-9",
                 paid_at=timezone.now(), source="branch")
    c = Client()
    r = c.post("/masuk", {"username": "w-siti", "password": "rahasia-siti-123"}, follow=True)
    assert r.redirect_chain[-1][0] == "/members/konfirmasi-data/"
    page = r.content.decode()
    assert 'data-testid="confirm-prompt"' in page and "Rp1.000.000" in page
    r = c.post("/members/konfirmasi-data/")
    assert r.status_code == 302 and not Member.objects.get(pk=m.pk).confirm_data
    assert c.get("/beranda").status_code == 200  # no prompt any more
