"""Property: whatever sequence of business actions runs (register, pay by channel / branch / agent /
sponsor, reverse a channel payment or top-up at the till, top up a prepaid balance, remit, import settlement,
run and pay commissions, credit JHT contributions and returns, approve and pay claims), after each one the trial balance holds: debits = credits and every control
check is zero. On PostgreSQL each step also forces the deferred balance trigger (SET CONSTRAINTS)."""

import itertools
from datetime import date

import pytest
from django.db import connection, transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jaring.ledger.selectors import trial_balance

pytestmark = pytest.mark.django_db

ACTIONS = ["register", "channel", "branch", "agent", "remit", "sponsor", "settlement", "commissions",
           "jht", "claim", "reverse", "topup"]
_n = itertools.count(1)


class Book:
    """The actors of one example: a channel, an agent, a sponsor, and the members registered so far."""

    def __init__(self, make_user):
        from jaring.agents.tests.helpers import make_agent
        from jaring.contributions.services import create_channel
        from jaring.sponsors.services import create_sponsor

        k = next(_n)
        self.bank = create_channel(code=f"BANKP{k}", name="Bank Properti", secret="rahasia-kanal-uji-123", fee=2500)
        self.officer = make_user(f"petugas{k}", "officer", "KC-6371")
        self.agent = make_agent(username=f"agenp{k}", actor=self.officer)
        self.sponsor = create_sponsor({"kind": "individual", "name": "Ibu Ratna Sari", "branch": "KC-6371",
                                       "phone": "081233344455", "username": f"sponsorp{k}",
                                       "password": "rahasia-sekali-9"})
        self.members = []
        self.channel_refs = []  # references of today's channel payments and top-ups (reversible)

    def member(self, jht=False):
        from jaring.members.models import Member
        from jaring.rules.identifiers import make_kpj

        n = next(_n)
        m = Member.objects.create(
            kpj=make_kpj(800_000 + n), nik=f"637104150592{n:04d}", name=f"Peserta Properti {n}",
            birth_date=date(1990, 5, 15), gender="L", phone="+6281234567890", village_id="63.71.04.1001",
            district_code="63.71.04", regency_code="63.71", province_code="63", branch_id="KC-6371",
            occupation="pedagang", sector="other", income=1_000_000 + 500_000 * (n % 3), jht=jht, funding="self",
            channel="branch", status="active", registered_on=date(2026, 1, 1), first_month=date(2026, 1, 1))
        self.members.append(m)
        return m

    def pick(self, i):
        return self.members[i % len(self.members)] if self.members else self.member(jht=bool(i % 2))


def run(book, action, i, months):
    from jaring.agents import services as agents
    from jaring.claims import services as claims
    from jaring.claims.tests.factories import make_bills, make_member
    from jaring.contributions.services import cost_of_months, post_payment
    from jaring.contributions.settlement import import_settlement
    from jaring.rules.periods import add_months
    from jaring.savings.services import credit_contributions, credit_returns
    from jaring.sponsors import services as sponsors

    today = timezone.localdate()
    if action == "register":
        book.member(jht=bool(i % 2))
    elif action in ("channel", "branch"):
        m = book.pick(i)
        amount = sum(a for _, a in cost_of_months(m, months))
        ref = f"P-{next(_n)}"
        post_payment(member=m, months=months, amount=amount, channel=book.bank if action == "channel" else "BRANCH",
                     reference=ref, paid_at=timezone.now(), source="notification")
        if action == "channel":
            book.channel_refs.append(ref)
    elif action == "topup":
        from jaring.contributions.prepaid import top_up

        ref = f"TU-{next(_n)}"
        top_up(member=book.pick(i), amount=1_000 + 2_500 * i * months, channel=book.bank, reference=ref,
               source="notification")
        book.channel_refs.append(ref)
    elif action == "reverse":
        from jaring.contributions.services import reverse_payment
        from jaring.core.errors import Conflict

        if book.channel_refs:
            ref = book.channel_refs.pop(i % len(book.channel_refs))
            try:
                reverse_payment(channel=book.bank, reference=ref, reason="dibatalkan di kasir")
            except Conflict:  # later months paid after it, or its balance already spent: refused, nothing moves
                pass
    elif action == "agent":
        agents.collect(book.agent, book.pick(i), months)
    elif action == "remit":
        held = agents.cash_in_hand(book.agent)
        if held:
            agents.remit(book.agent, max(1, held * (i % 4 + 1) // 4), reference=f"R{next(_n)}", actor=book.officer)
    elif action == "sponsor":
        inv = sponsors.create_invoice(book.sponsor, [book.member(jht=bool(i % 2))], months=months)
        sponsors.pay_invoice(inv, amount=max(1, inv.amount * (i % 3 + 2) // 3), reference=f"T{next(_n)}")
    elif action == "settlement":
        rows = ["reference,customer,amount,months,paid_at"]
        for m in {book.pick(i + k).pk: book.pick(i + k) for k in range(1 + i % 3)}.values():
            amount = sum(a for _, a in cost_of_months(m, months)) + (1 if i % 5 == 0 else 0)  # some rejected
            rows.append(f"S{next(_n)},{m.nik},{amount},{months},2026-01-05T08:00:00+07:00")
        import_settlement(("\n".join(rows) + "\n").encode(), book.bank)
    elif action == "commissions":
        agents.attribute_member(book.pick(i), book.agent)
        month = today.replace(day=1)
        agents.run_commissions(month, today=today)
        if i % 2:
            try:
                agents.pay_commissions(month, reference=f"K{next(_n)}")
            except Exception as e:  # nothing owed this month
                assert "belum dibayar" in str(e)
    elif action == "jht":
        credit_contributions()
        credit_returns(today.year - 1, today=today)
    elif action == "claim":
        officer = book.officer
        m = make_member(first_month=add_months(today.replace(day=1), -1))
        make_bills(m, add_months(today.replace(day=1), -1), today.replace(day=1))
        from jaring.ledger.tests.test_trial_balance import _claim_data, _pdf

        claim = claims.file_claim(m, _claim_data(), [("death_certificate", _pdf())], actor=officer)
        claims.review(claim, actor=officer)
        if i % 2:
            claims.mark_paid(claim, actor=officer, reference=f"TRF{next(_n)}")


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(steps=st.lists(st.tuples(st.sampled_from(ACTIONS), st.integers(0, 11), st.integers(1, 3)),
                      min_size=1, max_size=8))
def test_any_sequence_of_actions_keeps_the_trial_balance(make_user, steps):
    with transaction.atomic():
        book = Book(make_user)
        for action, i, months in steps:
            run(book, action, i, months)
            if connection.vendor == "postgresql":
                with connection.cursor() as cur:
                    cur.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the balance trigger checks every entry now
                    cur.execute("SET CONSTRAINTS ALL DEFERRED")
            tb = trial_balance()
            assert tb["balanced"], (action, tb["debits"], tb["credits"])
            failed = [(c["name"], c["difference"]) for c in tb["checks"] if not c["ok"]]
            assert failed == [], (action, failed)
        transaction.set_rollback(True)
