"""Partner bundles (SPEC 2.10): buying a bundle at a channel pays the member's months as an ordinary payment and
issues an entitlement signed for the partner; the partner verifies it with its own key, another partner cannot."""

import json
from datetime import date

import pytest

from jaring.agents.tests.helpers import register

pytestmark = pytest.mark.django_db

ON = date(2026, 6, 10)


@pytest.fixture
def setup(make_user):
    from jaring.contributions.services import create_channel
    from jaring.partners import services

    boss = make_user("manajer_mitra", "manager", None)
    sehat, sehat_key = services.create_partner({"code": "SEHATKU", "name": "SehatKu", "kind": "health_app"},
                                               actor=boss)
    tel, tel_key = services.create_partner({"code": "TELKOMSEL", "name": "Operator Seluler",
                                            "kind": "mobile_operator"}, actor=boss)
    bundle = services.create_bundle(sehat, {"product_code": "COMBOFIT-3", "name": "ComboFit 3 bulan", "months": 3,
                                            "benefit": "Premium SehatKu 3 bulan + kuota 10 GB",
                                            "partner_price": 25_000}, actor=boss)
    channel = create_channel(code="BANKKALSEL", name="Bank Kalsel", secret="rahasia-kanal-bank-kalsel", fee=2_500)
    member = register(1, on=ON)
    return {"boss": boss, "sehat": sehat, "sehat_key": sehat_key, "tel": tel, "tel_key": tel_key, "bundle": bundle,
            "channel": channel, "member": member}


def _buy(client, s, reference="BK-0001", amount=25_200):
    from jaring.contributions.services import sign

    body = json.dumps({"partner": "SEHATKU", "product_code": "COMBOFIT-3", "customer": s["member"].nik,
                       "reference": reference, "paid_at": "2026-06-12T09:00:00+07:00", "amount": amount}).encode()
    return client.post("/api/v1/partner-bundles/purchases", body, content_type="application/json",
                       headers={"X-Jaring-Channel": "BANKKALSEL",
                                "X-Jaring-Signature": sign("rahasia-kanal-bank-kalsel", body)})


def test_bundle_payment_pays_months_and_partner_verifies(client, setup):
    from jaring.contributions.models import Bill, Payment
    from jaring.partners import services

    s = setup
    # 3 months June-August 2026 at Rp8,400 (PP 50/2025: half of Rp16,800)
    r = _buy(client, s)
    assert r.status_code == 201, r.content
    ent = r.json()["entitlement"]
    assert (ent["contribution"], ent["months"], ent["valid_from"], ent["valid_until"]) == (25_200, 3, "2026-06",
                                                                                           "2026-08")
    assert ent["qr"].startswith(f"JRG1|{ent['code']}|SEHATKU|COMBOFIT-3|{s['member'].kpj}|2026-06|2026-08|")
    paid = Bill.objects.filter(member=s["member"], status="paid")
    assert list(paid.values_list("month", "amount")) == [(date(2026, 6, 1), 8_400), (date(2026, 7, 1), 8_400),
                                                         (date(2026, 8, 1), 8_400)]
    p = Payment.objects.get(reference="BK-0001")
    assert (p.amount, p.fee, p.channel.code) == (25_200, 2_500, "BANKKALSEL")  # an ordinary payment, fee apart
    # the partner verifies with its own key, including the signature read from the QR
    v = client.get(f"/api/v1/partner/entitlements/{ent['code']}", {"signature": ent["signature"]},
                   headers={"X-Partner-Key": s["sehat_key"]})
    assert v.status_code == 200 and v.json()["valid"] is True and v.json()["signature_valid"] is True
    assert v.json()["kpj"] == s["member"].kpj
    # the signature is HMAC-SHA256 of the QR's fields under the partner's signing secret
    import hashlib
    import hmac
    fields = ent["qr"].rsplit("|", 1)[0]
    assert hmac.new(s["sehat"].signing_secret.encode(), fields.encode(), hashlib.sha256).hexdigest() == ent["signature"]
    tampered = client.get(f"/api/v1/partner/entitlements/{ent['code']}", {"signature": "0" * 64},
                          headers={"X-Partner-Key": s["sehat_key"]})
    assert tampered.json()["valid"] is False and tampered.json()["signature_valid"] is False
    # another partner cannot see it; no key is 401
    assert client.get(f"/api/v1/partner/entitlements/{ent['code']}",
                      headers={"X-Partner-Key": s["tel_key"]}).status_code == 404
    assert client.get(f"/api/v1/partner/entitlements/{ent['code']}").status_code == 401
    assert client.get("/api/v1/partner/entitlements", headers={"X-Partner-Key": s["tel_key"]}).json()["count"] == 0
    listed = client.get("/api/v1/partner/entitlements", headers={"X-Partner-Key": s["sehat_key"]}).json()
    assert listed["count"] == 1 and listed["results"][0]["code"] == ent["code"]
    # the same purchase again: same entitlement, nothing posted twice
    again = _buy(client, s)
    assert again.status_code == 200 and again.json()["entitlement"]["code"] == ent["code"]
    assert Payment.objects.filter(member=s["member"]).count() == 1
    # revoke: another partner cannot, the owner can; verification then says not valid
    assert client.post(f"/api/v1/partner/entitlements/{ent['code']}/revoke", {"reason": "penipuan"},
                       content_type="application/json", headers={"X-Partner-Key": s["tel_key"]}).status_code == 404
    rv = client.post(f"/api/v1/partner/entitlements/{ent['code']}/revoke", {"reason": "dibatalkan pelanggan"},
                     content_type="application/json", headers={"X-Partner-Key": s["sehat_key"]})
    assert rv.status_code == 200 and rv.json()["status"] == "revoked"
    v = client.get(f"/api/v1/partner/entitlements/{ent['code']}", headers={"X-Partner-Key": s["sehat_key"]}).json()
    assert v["valid"] is False and v["status"] == "revoked"
    assert Bill.objects.filter(member=s["member"], status="paid").count() == 3  # the contribution stays paid
    assert services.get_for_partner(s["sehat"], ent["code"]).status == "revoked"


def test_wrong_amount_or_signature_posts_nothing(client, setup):
    from jaring.contributions.models import Payment

    r = _buy(client, setup, amount=50_400)
    assert r.status_code == 422 and "Rp25.200" in r.json()["detail"]
    from jaring.contributions.services import sign  # noqa: F401

    body = b'{"partner":"SEHATKU"}'
    bad = client.post("/api/v1/partner-bundles/purchases", body, content_type="application/json",
                      headers={"X-Jaring-Channel": "BANKKALSEL", "X-Jaring-Signature": "sha256=00"})
    assert bad.status_code in (401, 422)
    assert not Payment.objects.exists()


def test_ordinary_payment_reference_cannot_become_a_bundle(setup):
    from jaring.contributions.services import post_payment
    from jaring.core.errors import Conflict
    from jaring.partners import services

    s = setup
    post_payment(member=s["member"], months=3, amount=25_200, channel=s["channel"], reference="BK-9",
                 paid_at="2026-06-12T09:00:00+07:00", source="notification")
    with pytest.raises(Conflict):
        services.purchase(s["bundle"], s["member"], channel=s["channel"], reference="BK-9",
                          paid_at="2026-06-12T09:00:00+07:00", amount=25_200)


def test_only_managers_register_partners(make_user, api_client):
    officer = make_user("petugas_x", "officer", "KC-6371")
    r = api_client(officer).post("/api/v1/partners", {"code": "XL", "name": "XL Axiata", "kind": "mobile_operator"},
                                 content_type="application/json")
    assert r.status_code == 403
    boss = make_user("manajer_y", "manager", None)
    r = api_client(boss).post("/api/v1/partners", {"code": "XL", "name": "XL Axiata", "kind": "mobile_operator"},
                              content_type="application/json")
    assert r.status_code == 201 and r.json()["api_key"].startswith("jpk_")


def test_cli_creates_a_partner_and_prints_its_key_once(db, capsys):
    import json as _json

    from jaring.cli import main
    from jaring.partners.services import partner_for_key

    main(["partners", "create", "--code", "sinyalku", "--name", "SinyalKu", "--kind", "mobile_operator"])
    out = _json.loads(capsys.readouterr().out)
    assert out["code"] == "SINYALKU" and partner_for_key(out["api_key"]).code == "SINYALKU"
    with pytest.raises(SystemExit) as e:
        main(["partners", "create", "--code", "X", "--name", "", "--kind", "satelit"])
    assert e.value.code == 2 and "kode mitra" in capsys.readouterr().err.lower()
