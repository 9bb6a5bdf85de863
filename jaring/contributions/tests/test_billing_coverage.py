"""Billing run and coverage refresh (set-based), month by month incl. the 4th-month deactivation; the API."""

from datetime import date

import pytest

from jaring.contributions.billing import refresh_coverage, run_billing
from jaring.contributions.models import Bill, MemberCoverage
from jaring.contributions.services import post_payment

pytestmark = pytest.mark.django_db


def test_billing_run_amounts_due_dates_and_idempotence(make_member):
    other = make_member(sector="other", first_month=date(2026, 1, 1))
    transport = make_member(sector="transport", first_month=date(2026, 1, 1))
    apbd = make_member(sector="other", funding="apbd", first_month=date(2026, 1, 1))
    jht = make_member(sector="other", jht=True, income=2_000_000, first_month=date(2026, 1, 1))
    make_member(status="pending")
    make_member(first_month=date(2026, 6, 1))  # starts later: not billed for May
    out = run_billing("2026-05")
    assert out["bills_created"] == 4 and out["active_members"] == 4
    assert out["due_date"] == "2026-05-18"  # 15 May 2026 cuti bersama, then the weekend
    amounts = dict(Bill.objects.filter(month=date(2026, 5, 1)).values_list("member_id", "amount"))
    # other and transport: Rp8,400 (PP 50/2025); APBD: Rp16,800; JHT at Rp2m: 10,000 + 3,400 + 40,000
    assert amounts == {other.pk: 8400, transport.pk: 8400, apbd.pk: 16800, jht.pk: 53400}
    assert set(Bill.objects.values_list("due_date", flat=True)) == {date(2026, 5, 18)}
    again = run_billing("2026-05")
    assert again["bills_created"] == 0 and again["bills_total"] == 4
    # February: only transport discounted; due 18 Feb (Imlek)
    run_billing("2026-02")
    feb = dict(Bill.objects.filter(month=date(2026, 2, 1)).values_list("member_id", "amount"))
    assert feb[other.pk] == 16800 and feb[transport.pk] == 8400
    assert Bill.objects.filter(month=date(2026, 2, 1)).first().due_date == date(2026, 2, 18)


def _state(member, on):
    refresh_coverage(on)
    c = MemberCoverage.objects.get(member=member)
    return c.state, c.unpaid_months, c.protected


def test_coverage_month_by_month_and_deactivation_in_month_4(make_member):
    m = make_member(first_month=date(2026, 1, 1))
    paid = make_member(first_month=date(2026, 1, 1))
    pending = make_member(first_month=date(2026, 1, 1), status="pending")
    post_payment(member=m, months=1, amount=16800, channel="BRANCH", reference="J-1", paid_at="2026-01-05T10:00",
                 source="branch")
    post_payment(member=paid, months=12, amount=3 * 16800 + 9 * 8400, channel="BRANCH", reference="J-2",
                 paid_at="2026-01-05T10:00", source="branch")
    expected = [
        ("2026-01-20", ("active", 0, True)),
        ("2026-02-10", ("active", 0, True)),     # within February's window (due 18 Feb)
        ("2026-02-19", ("active", 0, False)),    # February overdue: not protected, not arrears yet
        ("2026-03-01", ("arrears", 1, False)),
        ("2026-04-01", ("arrears", 2, False)),
        ("2026-04-30", ("arrears", 2, False)),
        ("2026-05-01", ("inactive", 3, False)),  # deactivated in month 4
    ]
    for on, want in expected:
        assert _state(m, on) == want, on
        assert _state(paid, on) == ("active", 0, True)
        assert _state(pending, on)[0] == "pending"
    m.refresh_from_db()
    assert m.status == "inactive" and "3 bulan" in m.status_reason
    from jaring.core.models import AuditEvent

    assert AuditEvent.objects.filter(action="member.deactivate", object_id=str(m.pk)).count() == 1
    out = refresh_coverage("2026-05-01")
    assert (out["active"], out["inactive"], out["pending"], out["deactivated"]) == (1, 1, 1, 0)
    # a late payment does not bring the member back: reactivation is a new registration
    assert _state(m, "2026-06-01")[0] == "inactive"


def test_refresh_matches_the_pure_rule(make_member):
    """The SQL refresh and rules.coverage agree for members with different histories."""
    from jaring.contributions.selectors import coverage_on

    members = []
    for first, months in [(date(2025, 11, 1), 0), (date(2026, 1, 1), 2), (date(2025, 12, 1), 1), (date(2026, 6, 1), 0)]:
        mm = make_member(first_month=first, funding="apbd")
        if months:
            post_payment(member=mm, months=months, amount=16800 * months, channel="BRANCH", reference=f"R-{mm.pk}",
                         paid_at="2026-01-02T10:00", source="branch")
        members.append(mm)
    for on in [date(2026, 1, 10), date(2026, 3, 1), date(2026, 3, 20), date(2026, 5, 31)]:
        refresh_coverage(on.isoformat())
        for mm in members:
            mm.refresh_from_db()
            c = MemberCoverage.objects.get(member=mm)
            rule = coverage_on(mm, on)
            got = {"state": c.state, "unpaid_months": c.unpaid_months, "protected": c.protected,
                   "paid_through": c.paid_through.strftime("%Y-%m") if c.paid_through else None}
            assert got == rule, (mm.first_month, on)


def test_cli_billing_and_coverage(make_member, cli):
    make_member(first_month=date(2026, 1, 1))
    code, out, err = cli("billing", "run", "--month", "2026-03")
    assert code == 0 and out["bills_created"] == 1 and out["amount_billed"] == 16800 and "tagihan" in err
    code, out, err = cli("billing", "run", "--month", "2026-13")
    assert code == 2 and "TTTT-BB" in err
    code, out, err = cli("coverage", "refresh", "--date", "2026-03-02")
    assert code == 0 and out["arrears"] == 1 and out["members"] == 1
    code, out, err = cli("coverage", "refresh", "--date", "kemarin")
    assert code == 2


def test_coverage_and_bills_api(make_member, make_user, api_client):
    from django.contrib.auth import get_user_model

    worker = make_user("warga1", "worker", None)
    m = make_member(first_month=date(2026, 3, 1), user=worker)
    post_payment(member=m, months=2, amount=16800 + 8400, channel="BRANCH", reference="A-1",
                 paid_at="2026-03-03T10:00", source="branch")
    c = api_client(worker)
    r = c.get(f"/api/v1/members/{m.kpj}/coverage", {"date": "2026-04-10"})
    assert r.status_code == 200
    assert r.json() == {"state": "active", "paid_through": "2026-04", "protected": True, "unpaid_months": 0}
    r = c.get(f"/api/v1/members/{m.kpj}/coverage", {"date": "2026-07-01"})
    assert r.json() == {"state": "arrears", "paid_through": "2026-04", "protected": False, "unpaid_months": 2}
    r = c.get(f"/api/v1/members/{m.kpj}/bills", {"from": "2026-01", "to": "2026-07"})
    assert r.status_code == 200
    rows = r.json()
    assert [x["month"] for x in rows] == ["2026-03", "2026-04", "2026-05", "2026-06", "2026-07"]
    assert rows[0] == {"month": "2026-03", "amount": 16800, "due_date": "2026-03-16", "status": "paid"}
    assert rows[1]["amount"] == 8400 and rows[1]["status"] == "paid"
    assert rows[2]["due_date"] == "2026-05-18"
    assert c.get(f"/api/v1/members/{m.kpj}/bills", {"from": "2024-01", "to": "2027-01"}).status_code == 422
    # someone else's worker account cannot read this member; staff of another branch get 403
    other = make_user("warga2", "worker", None)
    assert api_client(other).get(f"/api/v1/members/{m.kpj}/coverage").status_code in (403, 404)
    officer_elsewhere = make_user("petugas-lain", "officer", "KC-6471")
    assert api_client(officer_elsewhere).get(f"/api/v1/members/{m.kpj}/coverage").status_code == 403
    assert api_client(None).get(f"/api/v1/members/{m.kpj}/coverage").status_code == 401
    assert get_user_model().objects.count() >= 3


def test_seed_history_is_set_based_and_idempotent(make_member):
    from jaring.contributions.models import Payment
    from jaring.contributions.seed import seed_history

    members = [make_member(first_month=date(2025, 1, 1), funding="apbd") for _ in range(10)]
    ids = [m.pk for m in members]
    out = seed_history(ids, 12, today=date(2026, 6, 20))
    assert out["history_bills"] == 120
    by_lag = {0: 12, 1: 11, 2: 10, 5: 7}
    expected = sum(by_lag[0 if i % 10 <= 6 else {7: 1, 8: 2, 9: 5}[i % 10]] for i in ids)
    assert out["history_payments"] == expected == Payment.objects.count()
    assert seed_history(ids, 12, today=date(2026, 6, 20)) == {"history_payments": 0, "history_bills": 0}
    from jaring.ledger.selectors import income, net_by_account

    # the history is booked once (a second run adds nothing): Rp16,800 for each payment
    assert income(net_by_account(kind="payment_history")) == expected * 16800
    # APBD: Rp16,800 every month, no discount
    assert set(Payment.objects.values_list("amount", flat=True)) == {16800}
    out = refresh_coverage("2026-06-20")
    assert out["members"] == 10 and out["inactive"] == sum(1 for i in ids if i % 10 == 9)


def test_jobs_scheduled_for_the_worker(make_member):
    from jaring.contributions import jobs as contribution_jobs  # noqa: F401  (registers)
    from jaring.core.jobs import REGISTRY

    byname = {j.name: j for j in REGISTRY}
    from datetime import datetime

    now = datetime(2026, 5, 3, 1, 0)
    assert byname["contributions.billing_run"].period(now) == "2026-05"
    assert byname["contributions.coverage_refresh"].period(now) == "2026-05-03"
    make_member(first_month=date(2026, 1, 1))
    assert byname["contributions.billing_run"].run("2026-05")["bills_created"] == 1
    assert byname["contributions.coverage_refresh"].run("2026-05-03")["inactive"] == 1
