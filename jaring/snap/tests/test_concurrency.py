"""Three concurrent retries of one SNAP payment and of one signed notification: every answer is the first
answer, and the money is credited once. Real transactions in threads (SQLite and PostgreSQL)."""

import json
import threading

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from jaring.contributions.models import Bill, Payment, PaymentClaim
from jaring.ledger.models import Entry
from jaring.ledger.selectors import income, net_by_account
from jaring.rules.periods import add_months

from .conftest import SECRET

pytestmark = pytest.mark.django_db(transaction=True)
N = 3


def _run_together(fn, n=N):
    barrier = threading.Barrier(n)
    results, errors = [None] * n, []

    def worker(i):
        try:
            barrier.wait()
            results[i] = fn(i)
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(repr(e))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    return results


@pytest.fixture
def real_db(transactional_db, tmp_path):
    """PostgreSQL: the test database as it is. SQLite: the in-memory test database (shared cache) answers a
    second writer with "table is locked" at once instead of waiting, unlike a real SQLite file; so these tests
    run on a migrated SQLite file with the production settings (WAL, BEGIN IMMEDIATE, busy timeout)."""
    if connection.vendor != "sqlite":
        yield
        return
    import sqlite3

    connection.ensure_connection()
    old_name, old_conn = connection.settings_dict["NAME"], connection.connection
    path = str(tmp_path / "race.sqlite3")
    copy = sqlite3.connect(path)
    old_conn.backup(copy)  # schema and reference data, as migrated for this test run
    copy.close()
    connection.connection = None  # keep the in-memory database alive (closing it would drop it)
    connection.settings_dict["NAME"] = path
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = old_name
        connection.connection = old_conn


@pytest.fixture
def member(real_db, make_member):
    return make_member(sector="transport", first_month=add_months(timezone.localdate().replace(day=1), -1))


def test_three_concurrent_retries_of_one_snap_payment(member, snap_channel, bank_keys):
    from jaring.snap.simulator import ChannelSimulator

    token_sim = ChannelSimulator.over_client(Client(), "BANKSIM", SECRET, bank_keys[0], snap_channel.service_id)
    token_sim.get_token()
    ts = timezone.localtime().isoformat(timespec="seconds")

    def pay(i):
        sim = ChannelSimulator.over_client(Client(), "BANKSIM", SECRET, bank_keys[0], snap_channel.service_id,
                                           retries=0)
        sim.token, sim.token_expires = token_sim.token, float("inf")
        # each retry with its own X-EXTERNAL-ID: only the paymentRequestId ties them together
        return sim.payment(member.nik, "16800.00", "PAY-RACE", trx_time=ts, external_id=f"90{i}")

    answers = _run_together(pay)
    assert all(a[0] == 200 for a in answers), answers
    assert answers[0] == answers[1] == answers[2]
    assert answers[0][1]["virtualAccountData"]["paidAmount"]["value"] == "16800.00"
    assert Payment.objects.count() == 1 and PaymentClaim.objects.count() == 1
    assert Entry.objects.filter(kind="payment").count() == 1
    assert Bill.objects.filter(member=member, status="paid").count() == 2


def test_three_concurrent_retries_of_one_notification(member, snap_channel):
    from jaring.contributions.services import sign

    body = json.dumps({"reference": "N-RACE", "customer": member.nik, "amount": 16800, "months": 2,
                       "paid_at": timezone.localtime().isoformat(timespec="seconds")}).encode()
    headers = {"X-Jaring-Channel": "BANKSIM", "X-Jaring-Signature": sign(SECRET, body)}

    def notify(i):
        r = Client().post("/api/v1/payments/notifications", data=body, content_type="application/json",
                          headers=headers)
        return r.status_code, r.json()

    answers = _run_together(notify)
    assert [a[0] for a in answers] == [200, 200, 200], answers
    assert sorted(a[1]["status"] for a in answers) == ["duplicate", "duplicate", "posted"]
    # the same months and money in every answer: the first's
    assert len({json.dumps({k: v for k, v in a[1].items() if k != "status"}) for a in answers}) == 1
    assert Payment.objects.count() == 1
    assert Entry.objects.filter(kind="payment").count() == 1 and income(net_by_account(kind="payment")) == 16800
    assert Bill.objects.filter(member=member, status="paid").count() == 2
