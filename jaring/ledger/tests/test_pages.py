"""Finance pages (officers, managers, admins): trial balance by date, an account's lines with drill-down
to the business record, exports; the daily job keeps a difference in front of admins."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jaring.ledger.models import Entry, TrialBalanceRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(member, bank):
    from jaring.contributions.services import post_payment

    m = member()
    payment, _ = post_payment(member=m, months=1, amount=16_800, channel=bank, reference="N-PAGE",
                              paid_at="2026-01-03T09:00", source="notification")
    return m, payment


def test_officer_sees_the_trial_balance_and_drills_down_to_the_payment(client, make_user, paid):
    m, payment = paid
    client.force_login(make_user("keu", "officer", "KC-6371"))
    r = client.get("/ledger/")
    body = r.content.decode()
    assert r.status_code == 200 and 'data-testid="checks"' in body and ("Rp18.300" in body or "Rp18,300" in body)
    assert "paid_bills_equal_contribution_income" in body
    r = client.get("/ledger/akun/1100-BANKUJI/")
    body = r.content.decode()
    assert r.status_code == 200 and f"/members/{m.kpj}/" in body  # the line links to the member's payment
    entry = Entry.objects.get(kind="payment")
    r = client.get(f"/ledger/jurnal/{entry.pk}/")
    assert r.status_code == 200 and 'data-testid="record-link"' in r.content.decode()
    r = client.get("/ledger/?format=csv")
    text = b"".join(r.streaming_content if r.streaming else [r.content]).decode("utf-8-sig")
    assert r.status_code == 200 and "1100-BANKUJI" in text and "18300" in text
    r = client.get("/ledger/akun/4100/?format=xlsx&dari=2000-01-01")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    r = client.get("/ledger/akun/4100/?dari=31-12-2026")
    assert r.status_code == 200 and "tidak valid" in r.content.decode()


def test_finance_pages_are_staff_only(client, make_user):
    client.force_login(make_user("pekerja", "worker", None))
    assert client.get("/ledger/").status_code == 403
    client.logout()
    assert client.get("/ledger/").status_code == 302


def test_daily_job_keeps_a_difference_in_front_of_admins(client, make_user, paid, caplog):
    from django.db import connection

    from jaring.ledger.jobs import trial_balance_job

    today = timezone.localdate()
    assert trial_balance_job(today.isoformat())["ok"] is True
    with connection.cursor() as cur:  # a fee line booked on the wrong account: fees no longer tie
        cur.execute("""UPDATE ledger_line SET account_id = (SELECT id FROM ledger_account WHERE code = '3000')
                       WHERE account_id = (SELECT id FROM ledger_account WHERE code = '2100')""")
    with caplog.at_level("ERROR", logger="jaring.ledger"):
        out = trial_balance_job((today + timedelta(days=1)).isoformat())
    assert out["ok"] is False and out["failed"] == [{"name": "channel_fees_equal_payment_fees", "difference": -1500}]
    assert "TIDAK SEIMBANG" in caplog.text
    assert TrialBalanceRun.objects.filter(ok=False).count() == 1
    client.force_login(make_user("admin1", "admin", None))
    body = client.get("/ledger/").content.decode()
    assert 'data-testid="ledger-alert"' in body and 'data-testid="failed-runs"' in body
