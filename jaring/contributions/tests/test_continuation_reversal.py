"""SPEC 2.3 continuation by paying (every path), same-day reversals (SPEC 2.8), the paid_at window."""

import json
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from jaring.contributions.billing import refresh_coverage
from jaring.contributions.models import Bill, MemberCoverage, Payment
from jaring.ledger.models import Entry
from jaring.ledger.selectors import income, net_by_account
from jaring.contributions.services import post_payment, reverse_payment, sign
from jaring.core.errors import DomainError
from jaring.rules.periods import add_months

pytestmark = pytest.mark.django_db
SECRET = "rahasia-kanal-uji-123"
WIB = timezone.get_default_timezone()


def at(d: date, hour=10) -> datetime:
    return datetime(d.year, d.month, d.day, hour, tzinfo=WIB)


def send(client, url, body: dict, secret=SECRET, channel="BANKUJI"):
    raw = json.dumps(body).encode()
    return client.post(url, raw, content_type="application/json", headers={
        "X-Jaring-Channel": channel, "X-Jaring-Signature": sign(secret, raw)})


# --- continuation month by month --------------------------------------------------------------------------

def test_continuation_month_by_month(make_member, channel):
    """First month January 2026 (APBD: Rp16,800 a month, no discount), January paid. February, March and April
    end unpaid: non-active from 1 May (lapsed in month 4). Paying in June (month 6) continues the membership:
    months 2-5 are never owed, June is covered, and the JKM waiting rule counts from June."""
    from jaring.claims.services import paid_history
    from jaring.contributions.selectors import bills_between, coverage_on, owed

    m = make_member(first_month=date(2026, 1, 1), funding="apbd")
    post_payment(member=m, months=1, amount=16800, channel=channel, reference="JAN", paid_at=at(date(2026, 1, 5)),
                 source="notification")
    from jaring.contributions.billing import run_billing

    for month in ("2026-02", "2026-03", "2026-04"):
        run_billing(month)
    assert refresh_coverage("2026-05-01")["deactivated"] == 1
    m.refresh_from_db()
    assert m.status == "inactive"
    # what a channel is shown in June: June alone
    due = owed(m, date(2026, 6, 10))
    assert (due["continuation"], [(i["month"], i["amount"]) for i in due["items"]]) == (
        True, [(date(2026, 6, 1), 16800)])
    payment, created = post_payment(member=m, months=1, amount=16800, channel=channel, reference="JUN",
                                    paid_at=at(date(2026, 6, 10)), source="notification")
    m.refresh_from_db()
    assert created and payment.first_month == date(2026, 6, 1) and payment.continued_from == date(2026, 1, 1)
    assert (m.status, m.first_month, m.kpj, m.confirm_data) == ("active", date(2026, 6, 1), m.kpj, True)
    # months 2-5: the billed ones written off, none owed, none covered
    assert dict(Bill.objects.filter(member=m).values_list("month", "status")) == {
        date(2026, 1, 1): "paid", date(2026, 2, 1): "void", date(2026, 3, 1): "void", date(2026, 4, 1): "void",
        date(2026, 6, 1): "paid"}
    assert [r["month"] for r in bills_between(m, "2026-01", "2026-07", today=date(2026, 6, 20))] == [
        "2026-06", "2026-07"]
    cov = coverage_on(m, date(2026, 6, 20))
    assert (cov["state"], cov["paid_through"], cov["protected"], cov["unpaid_months"]) == ("active", "2026-06", True, 0)
    row = MemberCoverage.objects.get(member=m)
    assert (row.paid_through, row.as_of) == (date(2026, 6, 1), timezone.localdate())  # rewritten at once
    # JKM waiting rule from the restart: one contribution month, January no longer counts
    assert paid_history(m, date(2026, 6, 20)) == {"consecutive_paid_months": 1, "contribution_months": 1}
    # July is the next month owed, at the normal price
    assert [(i["month"], i["amount"]) for i in owed(m, date(2026, 7, 3))["items"]] == [(date(2026, 7, 1), 16800)]


def test_continuation_through_agent_cash_and_branch_counter(make_member, make_user, client):
    """The other paths post through the same service: no "register again first" refusal anywhere."""
    from jaring.agents.services import collect

    today = timezone.localdate()
    lapsed = make_member(first_month=add_months(today.replace(day=1), -9), status="inactive", funding="apbd")
    officer = make_user("petugas", "officer", "KC-6371")
    client.force_login(officer)
    r = client.post(f"/contributions/loket/{lapsed.kpj}/", {"months": 1, "amount": 16800, "reference": "KC-CONT-1"})
    lapsed.refresh_from_db()
    assert r.status_code == 302 and lapsed.status == "active" and lapsed.first_month == today.replace(day=1)
    assert Payment.objects.get(reference="KC-CONT-1").source == "branch"

    other = make_member(first_month=add_months(today.replace(day=1), -9), status="inactive", funding="apbd")
    from jaring.agents.services import onboard_agent

    agent = onboard_agent({"name": "Agen Uji", "branch": "KC-6371", "bank_name": "BRI", "bank_account": "1234567890",
                           "username": "agen1", "password": "rahasia-agen-123", "phone": "081234567890"})
    col, created = collect(agent, other, 1, amount=16800, reference="A-CONT-1")
    other.refresh_from_db()
    assert created and other.status == "active" and other.confirm_data


def test_non_active_member_notification_continues(client, make_member, channel):
    today = timezone.localdate()
    m = make_member(first_month=add_months(today.replace(day=1), -7), status="inactive", funding="apbd")
    r = send(client, "/api/v1/payments/notifications", {
        "reference": "N-CONT", "customer": m.nik, "amount": 16800, "months": 1,
        "paid_at": timezone.localtime().isoformat(timespec="seconds")})
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "posted" and r.json()["months"] == [f"{today:%Y-%m}"]
    m.refresh_from_db()
    assert m.status == "active" and m.confirm_data


# --- the paid_at window -----------------------------------------------------------------------------------------

def test_paid_at_window_on_notifications(client, make_member, channel):
    m = make_member(first_month=timezone.localdate().replace(day=1), funding="apbd")
    future = (timezone.localtime() + timedelta(days=8)).isoformat(timespec="seconds")
    r = send(client, "/api/v1/payments/notifications", {"reference": "F-1", "customer": m.nik, "amount": 16800,
                                                        "months": 1, "paid_at": future})
    assert r.status_code == 422 and "7 hari" in r.json()["detail"] and "paid_at" in r.json()["errors"]
    before = (add_months(m.first_month, -1) + timedelta(days=3)).isoformat() + "T10:00:00+07:00"
    r = send(client, "/api/v1/payments/notifications", {"reference": "F-2", "customer": m.nik, "amount": 16800,
                                                        "months": 1, "paid_at": before})
    assert r.status_code == 422 and "bulan pertama" in r.json()["detail"]
    within = (timezone.localtime() + timedelta(days=6)).isoformat(timespec="seconds")
    r = send(client, "/api/v1/payments/notifications", {"reference": "F-3", "customer": m.nik, "amount": 16800,
                                                        "months": 1, "paid_at": within})
    assert r.status_code == 200
    assert list(Payment.objects.values_list("reference", flat=True)) == ["F-3"]


def test_paid_at_window_in_settlement_files(make_member, channel):
    from jaring.contributions.settlement import import_settlement
    from jaring.contributions.models import SettlementRow

    m = make_member(first_month=date(2026, 3, 1), funding="apbd")
    future = (timezone.localtime() + timedelta(days=9)).isoformat(timespec="seconds")
    data = ("reference,customer,amount,months,paid_at\n"
            f"W-1,{m.nik},16800,1,{future}\n"
            f"W-2,{m.nik},16800,1,2026-02-20T10:00:00+07:00\n").encode()
    out = import_settlement(data, channel)
    assert (out["posted"], out["rejected"]) == (0, 2)
    reasons = dict(SettlementRow.objects.values_list("reference", "reason"))
    assert "7 hari" in reasons["W-1"] and "bulan pertama" in reasons["W-2"]


# --- reversals --------------------------------------------------------------------------------------------------

URL = "/api/v1/payments/reversals"


@pytest.fixture
def paid_today(make_member, channel):
    today = timezone.localdate()
    m = make_member(first_month=add_months(today.replace(day=1), -1), funding="apbd")
    p, _ = post_payment(member=m, months=2, amount=33600, channel=channel, reference="R-1",
                        paid_at=timezone.now(), source="notification")
    return m, p


def test_reversal_same_day_then_twice(client, paid_today):
    m, p = paid_today
    r = send(client, URL, {"reference": "R-1", "reason": "dibatalkan di kasir"})
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["status"], body["amount"], body["fee"], len(body["months"])) == ("reversed", 33600, 1500, 2)
    # months freed: owed again; every Rupiah reversed; coverage recomputed
    assert not Bill.objects.filter(member=m, status="paid").exists()
    booked, undone = net_by_account(kind="payment"), net_by_account(kind="reversal")
    assert (income(booked), booked["2100"], income(undone), undone["2100"]) == (33600, -1500, -33600, 1500)
    assert MemberCoverage.objects.get(member=m).paid_through is None
    r = send(client, URL, {"reference": "R-1", "reason": "lagi"})
    assert r.status_code == 200 and r.json()["status"] == "already_reversed"
    assert Entry.objects.filter(kind="reversal").count() == 1
    # the months can be paid again with a new reference
    post_payment(member=m, months=2, amount=33600, channel="BANKUJI", reference="R-2", paid_at=timezone.now(),
                 source="notification")
    assert Bill.objects.filter(member=m, status="paid").count() == 2


def test_reversal_next_day_is_409(client, paid_today):
    m, p = paid_today
    tomorrow = timezone.now() + timedelta(days=1)
    with pytest.raises(DomainError) as e:
        reverse_payment(channel="BANKUJI", reference="R-1", now=tomorrow)
    assert e.value.status == 409
    yesterday = make_yesterday_payment(m)
    r = send(client, URL, {"reference": yesterday.reference})
    assert r.status_code == 409 and "hari" in r.json()["detail"]
    assert Payment.objects.get(pk=yesterday.pk).reversed_at is None


def make_yesterday_payment(m):
    m2 = type(m).objects.get(pk=m.pk)
    p, _ = post_payment(member=m2, months=1, amount=16800, channel="BANKUJI", reference="R-Y",
                        paid_at=timezone.now() - timedelta(days=1), source="notification")
    return p


def test_reversal_after_settlement_is_409(client, paid_today):
    from jaring.contributions.settlement import import_settlement

    m, p = paid_today
    paid_at = timezone.localtime(p.paid_at).isoformat()
    out = import_settlement(f"reference,customer,amount,months,paid_at\nR-1,{m.nik},33600,2,{paid_at}\n".encode(),
                            "BANKUJI")
    assert out["duplicates"] == 1
    r = send(client, URL, {"reference": "R-1"})
    assert r.status_code == 409 and "settlement" in r.json()["detail"]
    assert Bill.objects.filter(member=m, status="paid").count() == 2


def test_reversal_unknown_reference_and_bad_signature(client, channel):
    assert send(client, URL, {"reference": "TIDAK-ADA"}).status_code == 404
    assert send(client, URL, {"reference": "TIDAK-ADA"}, secret="salah-salah-salah-1").status_code == 401


def test_reversal_of_a_continuation_makes_the_member_non_active_again(client, make_member, channel):
    today = timezone.localdate()
    first = add_months(today.replace(day=1), -7)
    m = make_member(first_month=first, status="inactive", funding="apbd")
    post_payment(member=m, months=1, amount=16800, channel=channel, reference="C-1", paid_at=timezone.now(),
                 source="notification")
    r = send(client, URL, {"reference": "C-1", "reason": "salah orang"})
    assert r.status_code == 200 and r.json()["status"] == "reversed"
    m.refresh_from_db()
    assert (m.status, m.first_month, m.confirm_data) == ("inactive", first, False)
