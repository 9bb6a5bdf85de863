"""Reminders that fit the money (SPEC 2.9): the shortfall of a member saving little by little, paying ahead at
harvest, and the follow-up list with balances."""

from datetime import date

import pytest

from jaring.insights.tests.helpers import bill, make_member, pay

pytestmark = pytest.mark.django_db


def _balance(member, amount):
    from jaring.contributions.models import PrepaidBalance

    PrepaidBalance.objects.update_or_create(member_id=member.pk, defaults={"balance": amount})


def test_due_reminder_tells_a_saver_how_much_is_still_short():
    from jaring.outreach.models import Message
    from jaring.outreach.reminders import queue_reminders

    saver = make_member(name="Sri", phone="+6281200000011", registered_on=date(2026, 1, 5))
    other = make_member(name="Joko", phone="+6281200000012", registered_on=date(2026, 1, 5))
    for m in (saver, other):
        bill(m, date(2026, 7, 1), amount=8400, due_date=date(2026, 7, 15))
    _balance(saver, 6000)
    queue_reminders(date(2026, 7, 13))
    body = Message.objects.get(member=saver).body
    assert "Saldo prabayar Anda Rp6.000: kurang Rp2.400 lagi" in body and body.endswith("tidak menerima pengingat.")
    assert "Saldo prabayar" not in Message.objects.get(member=other).body


def test_pay_ahead_month_reminder_suggests_months_until_the_next_chosen_month():
    from jaring.outreach.models import Message
    from jaring.outreach.reminders import queue_reminders, set_pay_ahead_months

    farmer = make_member(name="Pak Tani", phone="+6281200000013", registered_on=date(2026, 1, 5))
    pay(farmer, [date(2026, m, 1) for m in range(1, 8)], amount=8400)      # paid through July
    set_pay_ahead_months(farmer, [8, 2])                                       # harvests in August and February
    queue_reminders(date(2026, 8, 3))
    msg = Message.objects.get(member=farmer, kind="pay_ahead")
    # from August (first unpaid) up to January, the month before the next chosen month: 6 × 8,400 = 50,400
    assert msg.period == "2026-08" and "6 bulan sekaligus Rp50.400" in msg.body and "Januari 2027" in msg.body
    queue_reminders(date(2026, 8, 4))
    assert Message.objects.filter(member=farmer, kind="pay_ahead").count() == 1       # never twice a month
    queue_reminders(date(2026, 9, 3))
    assert Message.objects.filter(member=farmer, kind="pay_ahead").count() == 1       # not a chosen month


def test_pay_ahead_months_are_validated_and_set_by_the_worker(client, make_user):
    from jaring.core.errors import DomainError
    from jaring.outreach.reminders import pay_ahead_months, set_pay_ahead_months

    user = make_user("tani", role="worker", office=None)
    m = make_member(registered_on=date(2026, 1, 5), user=user)
    with pytest.raises(DomainError, match="1 sampai 12"):
        set_pay_ahead_months(m, [13])
    client.force_login(user)
    r = client.post("/outreach/bayar-di-muka/", {"months": ["3", "9"]})
    assert r.status_code == 302 and pay_ahead_months(m) == [3, 9]


def test_follow_up_list_shows_balance_and_orders_an_agents_round_by_shortfall():
    from jaring.outreach.lapse import follow_up_list
    from jaring.members.models import Member

    day = date(2026, 7, 20)
    near = make_member(name="Hampir", registered_on=date(2026, 1, 5))
    far = make_member(name="Jauh", registered_on=date(2026, 1, 5))
    for m in (near, far):
        pay(m, [date(2026, x, 1) for x in range(1, 5)], amount=8400)
        for x in (5, 6):
            bill(m, date(2026, x, 1), amount=8400, due_date=date(2026, x, 15))
    _balance(near, 15000)     # 16,800 overdue: 1,800 short
    rows = follow_up_list(Member.objects.filter(pk__in=[near.pk, far.pk]), day, order="impact")
    assert [r["name"] for r in rows] == ["Hampir", "Jauh"]
    assert (rows[0]["balance"], rows[0]["owed"], rows[0]["short_by"]) == (15000, 16800, 1800)
    assert (rows[1]["balance"], rows[1]["short_by"]) == (0, 16800)
