"""Perisai agents: onboarding, attribution, collection, the commission ledger (SPEC 2.5)."""

from datetime import date

import pytest

from jaring.agents import services
from jaring.agents.models import Agent, Collection, CommissionLine, Recruitment
from jaring.core.errors import Conflict, DomainError, Forbidden

from .helpers import at, make_agent, register

pytestmark = pytest.mark.django_db


def test_onboarding_gives_code_branch_bank_and_sign_in(make_user):
    officer = make_user("petugas", "officer", "KC-6371")
    agent = make_agent(actor=officer)
    assert agent.code == f"PRS-{agent.pk:06d}" and len(agent.code) == 10
    assert agent.branch_id == "KC-6371" and agent.bank_account == "0123010001115 09".replace(" ", "")
    assert agent.status == "active" and agent.user.profile.role == "agent"
    assert agent.user.check_password("rahasia-sekali-9")


def test_onboarding_refuses_bad_data_and_other_branches(make_user):
    with pytest.raises(DomainError) as e:
        services.onboard_agent({"username": "x", "password": "p", "name": "", "branch": "KC-9999",
                                "bank_account": "12ab", "bank_name": ""})
    assert set(e.value.errors) == {"name", "branch", "bank_account", "bank_name"}
    officer = make_user("petugas_jkt", "officer", "KC-3171")
    with pytest.raises(Forbidden):
        make_agent("agen_lain", actor=officer)


def test_agent_registration_attributes_the_member_once():
    agent = make_agent()
    member = register(1, channel="agent", actor=agent.user)
    rec = Recruitment.objects.get(member=member)
    assert rec.agent == agent and rec.recruited_on == date(2026, 5, 10)
    other = make_agent("agen2")
    assert services.attribute_member(member, other) == rec  # the first recruiter keeps the member
    assert Recruitment.objects.filter(member=member).count() == 1


def test_attribute_member_ignores_users_who_are_not_agents(make_user):
    officer = make_user("petugas", "officer", "KC-6371")
    member = register(2)
    assert services.attribute_member(member, officer) is None
    assert not Recruitment.objects.exists()


def test_collection_is_posted_on_the_agent_channel_once():
    from jaring.contributions.models import Bill, Payment

    agent = make_agent()
    member = register(3, channel="agent", actor=agent.user)
    # May and June 2026 for 'other' sector: PP 50/2025 halves JKK+JKM → Rp8,400 a month
    col, created = services.collect(agent, member, 2, amount=16_800, reference="hp-0001", now=at(2026, 5, 20))
    assert created and col.reference == f"{agent.code}-hp-0001" and col.amount == 16_800
    pay = Payment.objects.get(pk=col.payment_id)
    assert (pay.channel.code, pay.reference, pay.amount, pay.months, pay.source) == (
        "AGENT", col.reference, 16_800, 2, "agent")
    assert list(Bill.objects.filter(member=member, status="paid").values_list("month", flat=True).order_by("month")) \
        == [date(2026, 5, 1), date(2026, 6, 1)]
    again, created = services.collect(agent, member, 2, amount=16_800, reference="hp-0001", now=at(2026, 5, 20))
    assert not created and again.pk == col.pk and Payment.objects.count() == 1
    with pytest.raises(Conflict):
        services.collect(agent, member, 3, reference="hp-0001", now=at(2026, 5, 20))
    # without a client reference every collection gets its own
    col2, _ = services.collect(agent, member, 1, now=at(2026, 5, 21))
    assert col2.reference == f"{agent.code}-{col2.pk:08d}" and col2.amount == 8_400


def test_collection_refuses_wrong_amount_and_suspended_agent():
    agent = make_agent()
    member = register(4, channel="agent", actor=agent.user)
    with pytest.raises(DomainError) as e:
        services.collect(agent, member, 1, amount=16_800, now=at(2026, 5, 20))
    assert "Rp8.400" in e.value.message
    Agent.objects.filter(pk=agent.pk).update(status="suspended")
    agent.refresh_from_db()
    with pytest.raises(Forbidden):
        services.collect(agent, member, 1, amount=8_400, now=at(2026, 5, 20))
    assert not Collection.objects.exists()


def _recruit(agent, n, start=100, on=date(2026, 5, 10)):
    return [register(start + i, channel="agent", actor=agent.user, on=on) for i in range(n)]


@pytest.mark.parametrize("recruits,commission,bonus", [
    # 49 recruits × Rp8,400 (May 2026, PP 50/2025) = Rp411,600 collected; 7.5% = Rp30,870; no bonus
    (49, 30_870, 0),
    # 50 recruits × Rp8,400 = Rp420,000; 7.5% = Rp31,500; + Rp500,000 at the 50-recruit threshold
    (50, 31_500, 500_000),
])
def test_commission_month_around_the_bonus_threshold(cli_run, recruits, commission, bonus):
    agent = make_agent()
    members = _recruit(agent, recruits)
    for i, m in enumerate(members):
        services.collect(agent, m, 1, amount=8_400, now=at(2026, 5, 20 + i % 5))
    out = cli_run(["commissions", "run", "--month", "2026-05"])
    assert out == {"month": "2026-05", "agents": 1, "commission": commission, "bonus": bonus,
                   "total": commission + bonus, "suspended": 0}
    line = CommissionLine.objects.get(agent=agent, month=date(2026, 5, 1))
    assert (line.recruits, line.collected, line.payments, line.rate_bp) == (recruits, recruits * 8_400, recruits, 750)
    # idempotent: the month's rows are replaced, never doubled
    assert cli_run(["commissions", "run", "--month", "2026-05"]) == out
    assert CommissionLine.objects.filter(month=date(2026, 5, 1)).count() == 1


def test_commission_counts_recruits_payments_through_any_channel_but_not_fees_or_other_members():
    from jaring.contributions.services import create_channel, post_payment

    agent = make_agent()
    mine = register(10, channel="agent", actor=agent.user)
    stranger = register(11)
    bank = create_channel(code="BANKX", name="Bank X", secret="rahasia-webhook-bank-x", fee=2_500)
    post_payment(member=mine, months=3, amount=25_200, channel=bank, reference="B-1", paid_at=at(2026, 6, 2),
                 source="notification")
    post_payment(member=stranger, months=1, amount=8_400, channel=bank, reference="B-2", paid_at=at(2026, 6, 2),
                 source="notification")
    out = services.run_commissions("2026-06", today=date(2026, 6, 15))
    # 7.5% of Rp25,200 = Rp1,890 (the Rp2,500 channel fee is not contribution)
    assert (out["commission"], out["bonus"], out["total"]) == (1_890, 0, 1_890)
    assert CommissionLine.objects.get(agent=agent, month=date(2026, 6, 1)).recruits == 0


def test_idle_agent_suspended_after_three_months_and_may_rejoin_six_months_later():
    agent = make_agent(joined_on="2026-01-05")
    busy = make_agent("agen_rajin", joined_on="2026-01-05")
    member = register(20, channel="agent", actor=busy.user, on=date(2026, 3, 3))
    # agent: nothing in February, March, April → suspended from 1 May, may rejoin from 1 November
    services.collect(busy, member, 1, amount=16_800, now=at(2026, 3, 4))  # March 2026, before the discount
    out = services.run_commissions("2026-04", today=date(2026, 5, 2))
    assert out["suspended"] == 1
    agent.refresh_from_db()
    busy.refresh_from_db()
    assert (agent.status, agent.suspended_on, agent.rejoin_on) == ("suspended", date(2026, 5, 1), date(2026, 11, 1))
    assert busy.status == "active"
    assert services.attribute_member(register(21), agent) is None  # no attribution while suspended
    with pytest.raises(DomainError) as e:
        services.rejoin_agent(agent, on=date(2026, 10, 31))
    assert "01-11-2026" in e.value.message
    services.rejoin_agent(agent, on=date(2026, 11, 1))
    agent.refresh_from_db()
    assert agent.status == "active" and agent.joined_on == date(2026, 11, 1) and agent.rejoin_on is None


def test_open_month_never_suspends():
    agent = make_agent(joined_on="2025-06-01")
    assert services.run_commissions("2026-04", today=date(2026, 4, 20))["suspended"] == 0
    agent.refresh_from_db()
    assert agent.status == "active"


def test_commission_cli_refuses_bad_month(capsys):
    from jaring.cli import main

    with pytest.raises(SystemExit) as e:
        main(["commissions", "run", "--month", "2026-13"])
    assert e.value.code == 2
    assert "TTTT-BB" in capsys.readouterr().err
