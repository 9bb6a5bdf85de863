"""POST /api/v1/payments/notifications: HMAC signature, idempotent replay, conflicting replay, amount check."""

import json
from datetime import date

import pytest

from jaring.contributions.models import Bill, Payment
from jaring.ledger.selectors import income, net_by_account
from jaring.contributions.services import sign

pytestmark = pytest.mark.django_db
URL = "/api/v1/payments/notifications"
SECRET = "rahasia-kanal-uji-123"


def send(client, body: dict, secret=SECRET, channel="BANKUJI"):
    raw = json.dumps(body).encode()
    return client.post(URL, raw, content_type="application/json", headers={
        "X-Jaring-Channel": channel, "X-Jaring-Signature": sign(secret, raw)})


def test_notification_posts_then_replay_is_duplicate(client, make_member, channel):
    m = make_member(first_month=date(2026, 4, 1))
    body = {"reference": "BUJ-0001", "customer": m.nik, "amount": 25200, "months": 3,
            "paid_at": "2026-04-10T09:30:00+07:00"}
    r = send(client, body)
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "posted"
    assert r.json()["months"] == ["2026-04", "2026-05", "2026-06"] and r.json()["fee"] == 1500
    r2 = send(client, body)
    assert r2.status_code == 200 and r2.json()["status"] == "duplicate"
    assert Payment.objects.count() == 1
    assert Bill.objects.filter(member=m, status="paid").count() == 3
    # one journal entry: the channel holds Rp26,700 = contribution Rp25,200 (3 x Rp8,400) + its fee Rp1,500,
    # which is the channel's (account 2100), never contribution income
    net = net_by_account(Payment.objects.get())
    assert net["1100-" + channel.code] == 26700 and income(net) == 25200 and net["2100"] == -1500


def test_replay_with_different_content_is_409(client, make_member, channel):
    m = make_member(first_month=date(2026, 4, 1))
    body = {"reference": "BUJ-0002", "customer": m.kpj, "amount": 8400, "months": 1, "paid_at": "2026-04-10T09:30:00"}
    assert send(client, body).json()["status"] == "posted"
    r = send(client, {**body, "amount": 16800, "months": 2})
    assert r.status_code == 409 and "reference" in r.json()["errors"]
    assert Bill.objects.filter(member=m, status="paid").count() == 1


def test_bad_signature_is_401_and_changes_nothing(client, make_member, channel):
    m = make_member(first_month=date(2026, 4, 1))
    body = {"reference": "BUJ-0003", "customer": m.nik, "amount": 8400, "months": 1, "paid_at": "2026-04-10T09:30:00"}
    assert send(client, body, secret="bukan-rahasia-yang-benar").status_code == 401
    assert send(client, body, channel="TIDAKADA").status_code == 401
    raw = json.dumps(body).encode()
    r = client.post(URL, raw, content_type="application/json", headers={"X-Jaring-Channel": "BANKUJI"})
    assert r.status_code == 401
    # signature over a different body (tampered amount)
    tampered = json.dumps({**body, "amount": 1}).encode()
    r = client.post(URL, tampered, content_type="application/json",
                    headers={"X-Jaring-Channel": "BANKUJI", "X-Jaring-Signature": sign(SECRET, raw)})
    assert r.status_code == 401
    assert Payment.objects.count() == 0


def test_amount_not_matching_months_is_422(client, make_member, channel):
    m = make_member(first_month=date(2026, 3, 1))
    # March 2026 is before the other-sector discount (Rp16,800), April is discounted (Rp8,400): Rp25,200
    r = send(client, {"reference": "BUJ-0004", "customer": m.nik, "amount": 16800, "months": 2,
                      "paid_at": "2026-04-01T08:00:00+07:00"})
    assert r.status_code == 422
    assert r.json()["errors"]["amount"] == "Seharusnya Rp25.200."
    r = send(client, {"reference": "BUJ-0004", "customer": m.nik, "amount": 25200, "months": 13,
                      "paid_at": "2026-04-01T08:00:00+07:00"})
    assert r.status_code == 422 and "months" in r.json()["errors"]
    assert Payment.objects.count() == 0


def test_unknown_customer_is_404(client, channel):
    r = send(client, {"reference": "BUJ-0005", "customer": "6371041505909999", "amount": 8400, "months": 1,
                      "paid_at": "2026-04-01T08:00:00+07:00"})
    assert r.status_code == 404


def test_channels_create_cli(cli, db):
    code, out, err = cli("channels", "create", "--code", "bankdua", "--name", "Bank Dua", "--secret",
                         "rahasia-bank-dua-xyz", "--fee", "2500")
    from jaring.contributions.models import Channel

    pk = Channel.objects.get(code="BANKDUA").pk
    assert code == 0 and out == {"code": "BANKDUA", "name": "Bank Dua", "fee": 2500,
                                 "service_id": str(88_000_000 + pk), "public_key": False}
    code, out, err = cli("channels", "create", "--code", "BANKDUA", "--name", "Bank Dua", "--secret",
                         "rahasia-bank-dua-xyz")
    assert code == 2 and "sudah dipakai" in err
    code, out, err = cli("channels", "create", "--code", "B3", "--name", "Bank", "--secret", "pendek")
    assert code == 2 and "16" in err


def test_system_channels_exist(db):
    from jaring.contributions.models import Channel

    assert {"AGENT", "SPONSOR", "BRANCH"} <= set(Channel.objects.filter(system=True).values_list("code", flat=True))


def test_openapi_lists_contribution_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/payments/notifications" in paths
    assert "/api/v1/members/{kpj}/coverage" in paths and "/api/v1/members/{kpj}/bills" in paths
