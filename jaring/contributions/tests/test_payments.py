"""Amounts from the schedule incl. the PP 50/2025 discount by month, sector and funding; posting payments."""

from datetime import date

import pytest

from jaring.contributions.models import Bill, Payment
from jaring.ledger.selectors import income, net_by_account
from jaring.contributions.services import cost_of_months, post_payment
from jaring.core.errors import DomainError

pytestmark = pytest.mark.django_db


def months(costs):
    return [(m.strftime("%Y-%m"), a) for m, a in costs]


def test_discount_months_vs_full_price_transport(make_member):
    # transport: 50% off JKK+JKM Jan 2026 - Mar 2027 (PP 50/2025): Rp16,800 -> Rp8,400
    m = make_member(sector="transport", first_month=date(2025, 12, 1))
    assert months(cost_of_months(m, 2)) == [("2025-12", 16800), ("2026-01", 8400)]
    assert months(cost_of_months(m, 2, start=date(2027, 3, 1))) == [("2027-03", 8400), ("2027-04", 16800)]


def test_discount_months_vs_full_price_other_sectors(make_member):
    # other sectors: Apr 2026 - Dec 2026 only
    m = make_member(sector="other", first_month=date(2026, 3, 1))
    assert months(cost_of_months(m, 2)) == [("2026-03", 16800), ("2026-04", 8400)]
    assert months(cost_of_months(m, 2, start=date(2026, 12, 1))) == [("2026-12", 8400), ("2027-01", 16800)]


def test_jht_is_never_discounted(make_member):
    m = make_member(sector="other", jht=True, first_month=date(2026, 5, 1))
    # JKK 10,000 -> 5,000; JKM 6,800 -> 3,400; JHT 20,000 full: Rp28,400 (full price Rp36,800)
    assert months(cost_of_months(m, 1)) == [("2026-05", 28400)]
    assert months(cost_of_months(m, 1, start=date(2027, 1, 1))) == [("2027-01", 36800)]


@pytest.mark.parametrize("sector", ["transport", "other"])
def test_apbd_funded_members_pay_full_price(make_member, sector):
    m = make_member(sector=sector, funding="apbd", first_month=date(2026, 5, 1))
    assert months(cost_of_months(m, 1)) == [("2026-05", 16800)]


def test_advance_payment_across_end_of_discount_window(make_member):
    m = make_member(sector="other", first_month=date(2026, 10, 1))
    costs = cost_of_months(m, 6)
    # Oct, Nov, Dec 2026 discounted (3 x 8,400) + Jan, Feb, Mar 2027 full (3 x 16,800) = Rp75,600
    assert months(costs) == [("2026-10", 8400), ("2026-11", 8400), ("2026-12", 8400),
                             ("2027-01", 16800), ("2027-02", 16800), ("2027-03", 16800)]
    with pytest.raises(DomainError) as e:
        post_payment(member=m, months=6, amount=6 * 8400, channel="BRANCH", reference="KC-1", paid_at="2026-10-02T10:00",
                     source="branch")
    assert e.value.status == 422 and "75.600" in e.value.errors["amount"]
    p, created = post_payment(member=m, months=6, amount=75600, channel="BRANCH", reference="KC-1",
                              paid_at="2026-10-02T10:00", source="branch")
    assert created and p.first_month == date(2026, 10, 1) and p.last_month == date(2027, 3, 1)
    bills = list(Bill.objects.filter(member=m).order_by("month").values_list("month", "amount", "discount", "status"))
    assert bills[2] == (date(2026, 12, 1), 8400, 8400, "paid")
    assert bills[3] == (date(2027, 1, 1), 16800, 0, "paid")
    assert sum(b[1] for b in bills) == 75600
    # the next payment starts after the advance months (credited in order)
    assert months(cost_of_months(m, 1)) == [("2027-04", 16800)]


def test_post_payment_is_idempotent_and_fee_kept_apart(make_member, channel):
    m = make_member(first_month=date(2026, 4, 1))
    args = dict(member=m, months=2, amount=16800, channel=channel, reference="TRX-1", paid_at="2026-04-10T09:00:00+07:00",
                source="notification")
    p1, c1 = post_payment(**args)
    p2, c2 = post_payment(**args)
    assert (c1, c2) == (True, False) and p1.pk == p2.pk
    assert Payment.objects.count() == 1
    net = net_by_account(kind="payment")  # booked once: contribution Rp16,800, the channel's fee Rp1,500 apart
    assert income(net) == 16800 and net["2100"] == -1500 and net["1100-" + channel.code] == 18300
    from jaring.core.errors import Conflict

    with pytest.raises(Conflict):
        post_payment(**{**args, "amount": 8400, "months": 1})


def test_inactive_member_continues_by_paying(make_member):
    """SPEC 2.3: no "register again first" refusal; the payment continues the membership from its month."""
    m = make_member(status="inactive")
    payment, created = post_payment(member=m, months=1, amount=16800, channel="BRANCH", reference="X",
                                    paid_at="2026-02-02T10:00", source="branch")
    m.refresh_from_db()
    assert created and payment.first_month == date(2026, 2, 1) and payment.continued_from == date(2026, 1, 1)
    assert (m.status, m.first_month, m.confirm_data) == ("active", date(2026, 2, 1), True)


def test_rejected_member_cannot_pay(make_member):
    m = make_member(status="rejected")
    with pytest.raises(DomainError) as e:
        post_payment(member=m, months=1, amount=16800, channel="BRANCH", reference="X", paid_at="2026-01-02T10:00",
                     source="branch")
    assert "ditolak" in e.value.message


@pytest.mark.parametrize("bad", [0, 13, "dua"])
def test_months_must_be_1_to_12(make_member, bad):
    m = make_member()
    with pytest.raises(DomainError) as e:
        cost_of_months(m, bad)
    assert "months" in e.value.errors
