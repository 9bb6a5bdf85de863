"""Prepaid balance (SPEC 2.9): small top-ups pay whole months, oldest unpaid first, and never one month twice."""

import threading
from datetime import date

import pytest
from django.db import close_old_connections, connection

from jaring.contributions.models import Bill, Payment, PrepaidBalance, PrepaidMovement
from jaring.contributions.prepaid import apply_after_billing, balance_of, top_up
from jaring.core.errors import DomainError
from jaring.ledger.selectors import trial_balance

JUNE = date(2026, 6, 20)   # PP 50/2025: JKK+JKM on Rp1,000,000 is Rp8,400 (other sectors, April–December 2026)


def _paid(member):
    return list(Bill.objects.filter(member=member, status="paid").order_by("month").values_list("month", "amount"))


def _ok(tb):
    return tb["balanced"] and all(c["ok"] for c in tb["checks"])


def test_three_small_topups_pay_one_month_and_leave_600(make_member, channel):
    m = make_member(first_month=date(2026, 6, 1))
    for i in range(3):
        top_up(member=m, amount=3000, channel=channel, reference=f"TU-{i}", source="notification", today=JUNE)
    assert _paid(m) == [(date(2026, 6, 1), 8400)]
    assert balance_of(m, JUNE) == {"balance": 600, "next_month": "2026-07", "next_amount": 8400, "short_by": 7800}
    kinds = list(PrepaidMovement.objects.filter(member=m).order_by("id").values_list("kind", "amount", "balance_after"))
    assert kinds == [("topup", 3000, 3000), ("topup", 3000, 6000), ("topup", 3000, 9000), ("application", -8400, 600)]
    pay = Payment.objects.get(member=m, source="prepaid")
    assert (pay.channel.code, pay.months, pay.amount, pay.first_month) == ("PREPAID", 1, 8400, date(2026, 6, 1))
    tb = trial_balance(JUNE.replace(day=30))
    assert _ok(tb), tb["checks"]
    prepaid_check = next(c for c in tb["checks"] if "prabayar" in c["name"].lower() or "prepaid" in c["name"].lower())
    assert prepaid_check["difference"] == 0


def test_a_balance_covering_two_months_pays_both_in_order(make_member, channel):
    m = make_member(first_month=date(2026, 5, 1))
    top_up(member=m, amount=20000, channel=channel, reference="TU-BIG", source="notification", today=JUNE)
    assert _paid(m) == [(date(2026, 5, 1), 8400), (date(2026, 6, 1), 8400)]
    assert balance_of(m, JUNE)["balance"] == 3200
    # the July bill is created by the billing run; the balance is short, so it waits
    assert apply_after_billing(date(2026, 7, 1), today=date(2026, 7, 2))["payments"] == 0


def test_the_billing_run_pays_the_new_month_from_the_balance(make_member, channel):
    m = make_member(first_month=date(2026, 6, 1))
    top_up(member=m, amount=17000, channel=channel, reference="TU-2M", source="notification", today=JUNE)
    assert _paid(m) == [(date(2026, 6, 1), 8400)] and balance_of(m, JUNE)["balance"] == 8600
    Bill.objects.create(member=m, month=date(2026, 7, 1), jkk=5000, jkm=3400, discount=8400, amount=8400,
                        due_date=date(2026, 7, 15))
    out = apply_after_billing(date(2026, 7, 1), today=date(2026, 7, 1))
    assert out == {"members": 1, "payments": 1, "amount": 8400}
    assert _paid(m)[-1] == (date(2026, 7, 1), 8400) and balance_of(m, date(2026, 7, 1))["balance"] == 200


def test_topup_below_1000_is_refused_in_bahasa_indonesia(make_member, channel):
    m = make_member(first_month=date(2026, 6, 1))
    with pytest.raises(DomainError) as e:
        top_up(member=m, amount=999, channel=channel, reference="TU-KECIL", source="notification", today=JUNE)
    assert "paling sedikit Rp1.000" in e.value.message and "amount" in e.value.errors
    assert not Payment.objects.filter(reference="TU-KECIL").exists()


def test_topup_replay_posts_nothing(make_member, channel):
    m = make_member(first_month=date(2026, 6, 1))
    p1, c1, paid1 = top_up(member=m, amount=9000, channel=channel, reference="TU-R", source="notification", today=JUNE)
    p2, c2, paid2 = top_up(member=m, amount=9000, channel=channel, reference="TU-R", source="notification", today=JUNE)
    assert (c1, c2, p1.pk == p2.pk, len(paid1), paid2) == (True, False, True, 1, [])
    assert PrepaidBalance.objects.get(member=m).balance == 600
    from jaring.core.errors import Conflict

    with pytest.raises(Conflict):
        top_up(member=m, amount=5000, channel=channel, reference="TU-R", source="notification", today=JUNE)


@pytest.mark.django_db(transaction=True)
def test_concurrent_topups_never_pay_one_month_twice(make_member, channel):
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent transactions (PostgreSQL); SQLite serialises writers")
    m = make_member(first_month=date(2026, 6, 1))
    errors = []

    def go(i):
        try:
            top_up(member=m, amount=5000, channel=channel, reference=f"TU-C{i}", source="notification", today=JUNE)
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=go, args=(i,)) for i in range(6)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert errors == []
    # 6 × 5,000 = 30,000 pays June only (months up to this month); 21,600 waits
    assert _paid(m) == [(date(2026, 6, 1), 8400)]
    assert PrepaidBalance.objects.get(member=m).balance == 21600
    assert Payment.objects.filter(member=m, source="prepaid").count() == 1


def test_balance_api_and_member_page(make_member, channel, api_client, make_user, client):
    from django.utils import timezone

    from jaring.contributions.services import cost_of_months

    this_month = timezone.localdate().replace(day=1)
    user = make_user("pekerja1", role="worker", office=None)
    m = make_member(first_month=this_month, user=user)
    price = cost_of_months(m, 1)[0][1]
    top_up(member=m, amount=1000, channel=channel, reference="TU-API", source="notification")
    r = api_client(user).get(f"/api/v1/members/{m.kpj}/balance")
    assert r.status_code == 200
    assert r.json() == {"balance": 1000, "next_month": f"{this_month:%Y-%m}", "next_amount": price,
                        "short_by": price - 1000}
    officer = make_user("ptgs-jkt", role="officer", office="KC-3171")
    assert api_client(officer).get(f"/api/v1/members/{m.kpj}/balance").status_code == 403
    assert api_client().get(f"/api/v1/members/{m.kpj}/balance").status_code == 401
    client.force_login(user)
    body = client.get("/contributions/").content.decode()
    assert "Saldo prabayar" in body and "Rp1.000" in body


def test_branch_counter_takes_cash_into_the_balance_and_the_receipt_names_the_month(make_member, make_user, client):
    from django.utils import timezone

    from jaring.contributions.services import cost_of_months

    this_month = timezone.localdate().replace(day=1)
    m = make_member(first_month=this_month)
    price = cost_of_months(m, 1)[0][1]
    client.force_login(make_user("ptgs", role="officer", office="KC-6371"))
    r = client.post(f"/contributions/loket/{m.kpj}/", {"action": "topup", "amount": str(price + 100),
                                                       "reference": "KAS-001"})
    assert r.status_code == 302
    receipt = client.get(r["Location"]).content.decode()
    assert "Setoran ke saldo prabayar" in receipt and "melengkapi saldo" in receipt
    assert PrepaidBalance.objects.get(member=m).balance == 100
    r = client.post(f"/contributions/loket/{m.kpj}/", {"action": "topup", "amount": "500", "reference": "KAS-002"},
                    follow=True)
    assert "paling sedikit Rp1.000" in r.content.decode()


def test_agent_cash_topup_goes_into_the_balance_and_not_twice_into_commission(make_member):
    from django.utils import timezone

    from jaring.agents.models import Collection
    from jaring.agents.services import attribute_member, collect, onboard_agent, run_commissions
    from jaring.contributions.services import cost_of_months

    agent = onboard_agent({"username": "agen-saldo", "password": "rahasia-sekali-9", "name": "Agen Saldo",
                           "phone": "+6281299990000", "branch": "KC-6371", "bank_name": "BANK",
                           "bank_account": "1234567890", "bank_holder": "Agen Saldo"})
    this_month = timezone.localdate().replace(day=1)
    m = make_member(first_month=this_month)
    attribute_member(m, agent)
    price = cost_of_months(m, 1)[0][1]
    col, created = collect(agent, m, 0, amount=price + 500, reference="TAB-1")
    assert created and col.months == 0 and PrepaidBalance.objects.get(member=m).balance == 500
    assert Collection.objects.get(pk=col.pk).amount == price + 500
    with pytest.raises(DomainError, match="paling sedikit Rp1.000"):
        collect(agent, m, 0, amount=999, reference="TAB-2")
    out = run_commissions(f"{this_month:%Y-%m}")
    # 7.5% of the month's contribution paid from the balance (Rp8,400 → Rp630); the top-up is not counted again
    assert out["commission"] == price * 75 // 1000


# --- through the channels' API (months: 0) and reversals ---------------------------------------------------

def _send(client, url, body, secret="rahasia-kanal-uji-123", channel="BANKUJI"):
    import json

    from jaring.contributions.services import sign

    raw = json.dumps(body).encode()
    return client.post(url, raw, content_type="application/json",
                       headers={"X-Jaring-Channel": channel, "X-Jaring-Signature": sign(secret, raw)})


def test_notification_with_months_0_tops_up_and_pays_a_month_when_covered(make_member, channel, client):
    from django.utils import timezone

    from jaring.contributions.services import cost_of_months

    this_month = timezone.localdate().replace(day=1)
    m = make_member(first_month=this_month)
    price = cost_of_months(m, 1)[0][1]
    now = timezone.localtime().isoformat(timespec="seconds")
    answers = [_send(client, "/api/v1/payments/notifications",
                     {"reference": f"N-TU-{i}", "customer": m.nik, "amount": 3000, "months": 0, "paid_at": now})
               for i in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 200]
    bodies = [a.json() for a in answers]
    assert bodies[0]["months"] == [] and bodies[0]["balance"] == 3000 and bodies[0]["fee"] == 1500
    assert bodies[2]["months"] == ([f"{this_month:%Y-%m}"] if 9000 >= price else [])
    assert bodies[2]["balance"] == (9000 - price if 9000 >= price else 9000)
    again = _send(client, "/api/v1/payments/notifications",
                  {"reference": "N-TU-0", "customer": m.nik, "amount": 3000, "months": 0, "paid_at": now})
    assert again.status_code == 200 and again.json()["status"] == "duplicate"
    small = _send(client, "/api/v1/payments/notifications",
                  {"reference": "N-TU-X", "customer": m.nik, "amount": 500, "months": 0, "paid_at": now})
    assert small.status_code == 422 and "paling sedikit Rp1.000" in small.json()["detail"]
    tb = trial_balance(timezone.localdate())
    assert _ok(tb), [c for c in tb["checks"] if not c["ok"]]


def test_a_topup_for_a_non_active_member_continues_the_membership(make_member, channel):
    from django.utils import timezone

    from jaring.contributions.services import cost_of_months

    this_month = timezone.localdate().replace(day=1)
    from jaring.rules.periods import add_months

    m = make_member(first_month=add_months(this_month, -6), status="inactive")
    price = cost_of_months(m, 1, start=this_month)[0][1]
    _p, _c, paid = top_up(member=m, amount=price, channel=channel, reference="TU-LANJUT", source="notification")
    m.refresh_from_db()
    assert m.status == "active" and m.first_month == this_month            # continued from this month (SPEC 2.3)
    assert [(q.first_month, q.months, q.amount) for q in paid] == [(this_month, 1, price)]
    assert balance_of(m)["balance"] == 0


def test_reversing_a_topup_the_same_day_undoes_the_month_it_paid(make_member, channel, client):
    from django.utils import timezone

    from jaring.contributions.services import cost_of_months

    this_month = timezone.localdate().replace(day=1)
    m = make_member(first_month=this_month)
    price = cost_of_months(m, 1)[0][1]
    now = timezone.localtime().isoformat(timespec="seconds")
    r = _send(client, "/api/v1/payments/notifications",
              {"reference": "N-REV", "customer": m.nik, "amount": price + 700, "months": 0, "paid_at": now})
    assert r.json()["months"] == [f"{this_month:%Y-%m}"] and r.json()["balance"] == 700
    r = _send(client, "/api/v1/payments/reversals", {"reference": "N-REV", "reason": "batal di kasir"})
    assert r.status_code == 200 and r.json()["status"] == "reversed"
    assert not Bill.objects.filter(member=m, status="paid").exists()
    assert balance_of(m)["balance"] == 0
    again = _send(client, "/api/v1/payments/reversals", {"reference": "N-REV", "reason": "lagi"})
    assert again.status_code == 200 and again.json()["status"] == "already_reversed"
    tb = trial_balance(timezone.localdate())
    assert _ok(tb), [c for c in tb["checks"] if not c["ok"]]
