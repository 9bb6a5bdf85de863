"""SNAP biller interface: token, inquiry, payment, status, X-EXTERNAL-ID, every answer a SNAP body.

Months are relative to today (the transport sector's PP 50/2025 discount runs January 2026 – March 2027:
Rp16,800 becomes Rp8,400 a month for a declared income of Rp1,000,000)."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from jaring.contributions.models import Bill, Payment
from jaring.ledger.models import Entry
from jaring.ledger.selectors import income, net_by_account
from jaring.rules.periods import add_months
from jaring.snap import signing
from jaring.snap.models import AccessToken

pytestmark = pytest.mark.django_db


def this_month():
    return timezone.localdate().replace(day=1)


def ym(d):
    return f"{d:%Y-%m}"


@pytest.fixture
def arrears(make_member):
    """Transport worker, first month two months ago, nothing paid: owes 3 × Rp8,400 now."""
    return make_member(sector="transport", first_month=add_months(this_month(), -2))


# --- access token --------------------------------------------------------------------------------------

def test_token_with_good_signature(sim):
    body = sim.get_token()
    assert body["responseCode"] == "2007300" and body["tokenType"] == "Bearer" and body["expiresIn"] == "900"
    row = AccessToken.objects.get()
    assert 899 <= (row.expires_at - row.created_at).total_seconds() <= 901


def test_token_with_bad_signature_or_unknown_client(client, snap_channel):
    other_private, _ = signing.generate_keypair()
    ts = timezone.localtime().isoformat(timespec="seconds")
    r = client.post("/snap/v1.0/access-token/b2b", data=json.dumps({"grantType": "client_credentials"}),
                    content_type="application/json", headers={
                        "X-CLIENT-KEY": "BANKSIM", "X-TIMESTAMP": ts,
                        "X-SIGNATURE": signing.sign_token_request(other_private, "BANKSIM", ts)})
    assert r.status_code == 401 and r.json()["responseCode"] == "4017300"
    r = client.post("/snap/v1.0/access-token/b2b", data=json.dumps({"grantType": "client_credentials"}),
                    content_type="application/json", headers={
                        "X-CLIENT-KEY": "BANKLAIN", "X-TIMESTAMP": ts,
                        "X-SIGNATURE": signing.sign_token_request(other_private, "BANKLAIN", ts)})
    assert r.status_code == 401 and r.json()["responseCode"] == "4017300"
    r = client.post("/snap/v1.0/access-token/b2b", data=json.dumps({"grantType": "password"}),
                    content_type="application/json", headers={"X-CLIENT-KEY": "BANKSIM", "X-TIMESTAMP": ts,
                                                              "X-SIGNATURE": "x"})
    assert r.status_code == 400 and r.json()["responseCode"] == "4007301"
    assert not AccessToken.objects.exists()


def test_expired_token_is_refused(sim, arrears):
    sim.get_token()
    AccessToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    status, body = sim.inquiry(arrears.nik, token=sim.token)
    assert (status, body["responseCode"]) == (401, "4012401")


def test_bad_transaction_signature(sim, arrears):
    status, body = sim.inquiry(arrears.nik, tamper=True)
    assert (status, body["responseCode"]) == (401, "4012400")


# --- inquiry -------------------------------------------------------------------------------------------

def test_inquiry_of_a_member_in_arrears_shows_every_unpaid_month(sim, arrears):
    status, body = sim.inquiry(arrears.nik, "INQ-1")
    assert (status, body["responseCode"]) == (200, "2002400")
    va = body["virtualAccountData"]
    assert va["partnerServiceId"] == sim.service_id.rjust(8) and len(va["partnerServiceId"]) == 8
    assert va["virtualAccountNo"] == sim.service_id.rjust(8) + arrears.nik
    assert va["totalAmount"] == {"value": "25200.00", "currency": "IDR"}
    assert [(b["billNo"], b["billAmount"]["value"]) for b in va["billDetails"]] == [
        (ym(add_months(this_month(), -2)), "8400.00"), (ym(add_months(this_month(), -1)), "8400.00"),
        (ym(this_month()), "8400.00")]
    assert va["feeAmount"] == {"value": "1500.00", "currency": "IDR"}
    assert va["virtualAccountTrxType"] == "C" and va["inquiryRequestId"] == "INQ-1"
    assert va["virtualAccountName"] != arrears.name and va["virtualAccountName"].startswith("P")


def test_inquiry_by_kpj_and_service_id_padding(client, bank_keys, make_member):
    from jaring.contributions.services import create_channel
    from jaring.snap.simulator import ChannelSimulator

    create_channel(code="POSUJI", name="Pos Uji", secret="rahasia-pos-uji-12345", public_key=bank_keys[1],
                   service_id="12345")
    sim = ChannelSimulator.over_client(client, "POSUJI", "rahasia-pos-uji-12345", bank_keys[0], "12345")
    m = make_member(sector="transport", first_month=this_month())
    status, body = sim.inquiry(m.kpj)
    va = body["virtualAccountData"]
    assert status == 200 and va["virtualAccountNo"] == "   12345" + m.kpj and va["customerNo"] == m.kpj
    assert va["totalAmount"]["value"] == "8400.00" and va["feeAmount"]["value"] == "0.00"


def test_inquiry_paid_up_unknown_and_continuation(sim, make_member):
    from jaring.contributions.services import post_payment

    paid = make_member(sector="transport", first_month=this_month())
    post_payment(member=paid, months=1, amount=8400, channel="BRANCH", reference="KC-1", paid_at=timezone.now(),
                 source="branch")
    status, body = sim.inquiry(paid.nik)
    assert (status, body["responseCode"]) == (404, "4042414")
    status, body = sim.inquiry("6371041505909999")
    assert (status, body["responseCode"]) == (404, "4042412")
    lapsed = make_member(sector="transport", first_month=add_months(this_month(), -8), status="inactive")
    status, body = sim.inquiry(lapsed.nik)
    va = body["virtualAccountData"]
    assert status == 200 and [b["billNo"] for b in va["billDetails"]] == [ym(this_month())]
    assert va["totalAmount"]["value"] == "8400.00" and va["additionalInfo"]["continuation"] is True


def test_inquiry_with_a_wrong_virtual_account(sim, arrears):
    payload = {**sim.va(arrears.nik), "inquiryRequestId": "X"}
    payload["virtualAccountNo"] = "99999999" + arrears.nik
    status, body = sim.call("/transfer-va/inquiry", payload)
    assert (status, body["responseCode"]) == (400, "4002401")
    payload = sim.va(arrears.nik)  # no inquiryRequestId
    status, body = sim.call("/transfer-va/inquiry", payload)
    assert (status, body["responseCode"]) == (400, "4002402")
    assert "inquiryRequestId" in body["responseMessage"]


# --- payment and status --------------------------------------------------------------------------------

def test_payment_of_what_the_inquiry_showed_then_status(sim, arrears):
    status, body = sim.status(arrears.nik, "PAY-1")
    assert (status, body["responseCode"], body["virtualAccountData"]["paymentFlagStatus"]) == (200, "2002600", "01")
    sim.inquiry(arrears.nik, "INQ-1")
    status, body = sim.payment(arrears.nik, "25200.00", "PAY-1", "INQ-1")
    assert (status, body["responseCode"]) == (200, "2002500")
    va = body["virtualAccountData"]
    assert va["paymentFlagStatus"] == "00" and va["paidAmount"] == {"value": "25200.00", "currency": "IDR"}
    assert [b["billNo"] for b in va["billDetails"]] == [ym(add_months(this_month(), i)) for i in (-2, -1, 0)]
    p = Payment.objects.get()
    assert (p.reference, p.amount, p.fee, p.months, p.source) == ("PAY-1", 25200, 1500, 3, "snap")
    net = net_by_account(kind="payment")
    assert (income(net), net["2100"]) == (25200, -1500)
    status, body = sim.status(arrears.nik, "PAY-1", "INQ-1")
    va = body["virtualAccountData"]
    assert (status, body["responseCode"], va["paymentFlagStatus"]) == (200, "2002600", "00")
    assert va["paidAmount"]["value"] == "25200.00" and va["referenceNo"] == f"JRG{p.pk:012d}"
    # now paid up
    assert sim.inquiry(arrears.nik)[1]["responseCode"] == "4042414"


def test_payment_with_a_wrong_amount_posts_nothing(sim, arrears):
    sim.inquiry(arrears.nik, "INQ-1")
    status, body = sim.payment(arrears.nik, "8400.00", "PAY-1", "INQ-1")
    assert (status, body["responseCode"]) == (404, "4042413")
    status, body = sim.payment(arrears.nik, "25200.50", "PAY-2")
    assert (status, body["responseCode"]) == (404, "4042413")
    assert not Payment.objects.exists() and not Bill.objects.filter(status="paid").exists()
    # the same request id with the right amount afterwards is a fresh, good payment
    status, body = sim.payment(arrears.nik, "25200.00", "PAY-1", "INQ-1")
    assert (status, body["responseCode"]) == (200, "2002500")


def test_replayed_payment_request_id_gets_the_same_answer(sim, arrears):
    first = sim.payment(arrears.nik, "25200.00", "PAY-1")
    again = sim.payment(arrears.nik, "25200.00", "PAY-1")  # a new X-EXTERNAL-ID, the same paymentRequestId
    assert first == again and first[0] == 200
    assert Payment.objects.count() == 1 and Entry.objects.filter(kind="payment").count() == 1
    assert Bill.objects.filter(status="paid").count() == 3


def test_external_id_reused(sim, arrears):
    ts = timezone.localtime().isoformat(timespec="seconds")
    first = sim.payment(arrears.nik, "25200.00", "PAY-1", external_id="777001", trx_time=ts)
    same = sim.payment(arrears.nik, "25200.00", "PAY-1", external_id="777001", trx_time=ts)
    other = sim.payment(arrears.nik, "8400.00", "PAY-9", external_id="777001", trx_time=ts)
    assert first[0] == 200 and same == first
    assert other[0] == 409 and other[1]["responseCode"] == "4092500"
    assert Payment.objects.count() == 1


def test_external_id_replay_with_identical_body_is_answered_from_the_record(sim, arrears):
    payload = {**sim.va(arrears.nik), "paymentRequestId": "PAY-1", "paidAmount": {"value": "25200.00",
               "currency": "IDR"}, "trxDateTime": timezone.localtime().isoformat(timespec="seconds")}
    a = sim.call("/transfer-va/payment", payload, external_id="55501")
    b = sim.call("/transfer-va/payment", payload, external_id="55501")
    assert a == b and a[1]["responseCode"] == "2002500" and Payment.objects.count() == 1


def test_paid_at_outside_the_window(sim, arrears):
    future = (timezone.localtime() + timedelta(days=8)).isoformat(timespec="seconds")
    status, body = sim.payment(arrears.nik, "25200.00", "PAY-F", trx_time=future)
    assert (status, body["responseCode"]) == (400, "4002501") and "trxDateTime" in body["responseMessage"]
    past = (timezone.localtime() - timedelta(days=200)).isoformat(timespec="seconds")
    status, body = sim.payment(arrears.nik, "25200.00", "PAY-P", trx_time=past)
    assert (status, body["responseCode"]) == (400, "4002501")
    assert not Payment.objects.exists()


# --- every answer a SNAP body --------------------------------------------------------------------------

def test_bad_json_unknown_path_and_wrong_method(client, sim, arrears):
    sim.get_token()
    ts = sim.timestamp()
    raw = b"{not json"
    path = "/snap/v1.0/transfer-va/inquiry"
    headers = {"Authorization": f"Bearer {sim.token}", "X-TIMESTAMP": ts, "X-PARTNER-ID": "BANKSIM",
               "X-EXTERNAL-ID": "1", "CHANNEL-ID": "95221",
               "X-SIGNATURE": signing.sign_transaction(sim.secret, "POST", path, sim.token, raw, ts)}
    r = client.generic("POST", path, raw, content_type="application/json", headers=headers)
    assert r.status_code == 400 and r.json()["responseCode"] == "4002401"
    r = client.get(path)
    assert r.status_code == 405 and r.json()["responseCode"] == "4052400" and r["Content-Type"] == "application/json"
    r = client.post("/snap/v1.0/transfer-va/tidak-ada", data="{}", content_type="application/json")
    assert r.status_code == 404 and r.json()["responseCode"] == "4040000"
    r = client.post(path, data="{}", content_type="application/json")  # no token
    assert r.status_code == 401 and r.json()["responseCode"] == "4012401"


def test_the_simulator_drives_the_whole_exchange(sim, arrears):
    out = sim.pay_bill(arrears.nik)
    assert out["inquiry"][1]["responseCode"] == "2002400"
    assert out["payment"][1]["responseCode"] == "2002500"
    assert out["status"][1]["virtualAccountData"]["paymentFlagStatus"] == "00"
    assert [code for _, _, code in sim.log] == ["2007300", "2002400", "2002500", "2002600"]


def test_cli_creates_a_snap_channel(cli, bank_keys, tmp_path, db):
    pem = tmp_path / "bank.pem"
    pem.write_text(bank_keys[1])
    code, out, err = cli("channels", "create", "--code", "BANKCLI", "--name", "Bank CLI", "--secret",
                         "rahasia-bank-cli-1234", "--fee", "2500", "--public-key", str(pem))
    from jaring.contributions.models import Channel

    ch = Channel.objects.get(code="BANKCLI")
    assert code == 0 and out["service_id"] == str(88_000_000 + ch.pk) and out["public_key"] is True
    code, out, err = cli("channels", "create", "--code", "BANKCLI2", "--name", "Bank CLI", "--secret",
                         "rahasia-bank-cli-1234", "--service-id", "123456789")
    assert code == 2 and "8 digit" in err
    bad = tmp_path / "bad.pem"
    bad.write_text("bukan kunci")
    code, out, err = cli("channels", "create", "--code", "BANKCLI3", "--name", "Bank CLI", "--secret",
                         "rahasia-bank-cli-1234", "--public-key", str(bad))
    assert code == 2 and "PEM" in err


def test_demo_pays_one_bill_through_the_simulator(make_member, tmp_path, monkeypatch):
    from jaring.snap.demo import load

    monkeypatch.chdir(tmp_path)
    make_member(sector="transport", first_month=this_month())
    out = load()
    assert out["snap_demo_exchange"] == ["2007300", "2002400", "2002500", "2002600"]
    assert (tmp_path / "var" / "banksnap-demo-private.pem").read_text().startswith("-----BEGIN PRIVATE KEY")
    assert Payment.objects.get().amount == 8400
    assert load()["snap_demo_channel"] == "BANKSNAP"  # idempotent
    assert Payment.objects.count() == 1
