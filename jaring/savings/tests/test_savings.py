"""JHT savings: paid bills credited once, yearly returns compounding on the grown balance, invariant."""

from datetime import date

import pytest

from jaring.claims.tests.factories import make_bills, make_member
from jaring.core.errors import DomainError
from jaring.savings import selectors, services
from jaring.savings.models import Account, Entry

pytestmark = pytest.mark.django_db


def assert_invariant(account):
    account.refresh_from_db()
    totals = selectors.ledger_totals(account)
    assert account.contributions == totals["contributions"]
    assert account.returns == totals["returns"]
    assert account.withdrawals == totals["withdrawals"]
    assert account.balance == totals["balance"] == account.contributions + account.returns - account.withdrawals


def test_paid_bills_jht_credited_once_unpaid_ignored():
    m = make_member(first_month=date(2024, 1, 1))
    make_bills(m, date(2024, 1, 1), date(2024, 12, 1))
    make_bills(m, date(2025, 1, 1), date(2025, 2, 1), paid=False)
    other = make_member(jht=False)
    make_bills(other, date(2024, 1, 1), date(2024, 3, 1))
    out = services.credit_contributions()
    assert out == {"accounts_opened": 1, "contributions_credited": 12, "amount": 240_000}
    assert services.credit_contributions() == {"accounts_opened": 0, "contributions_credited": 0, "amount": 0}
    acc = Account.objects.get(member=m)
    assert acc.balance == 240_000 and acc.opened_on == date(2024, 1, 1)
    assert not Account.objects.filter(member=other).exists()
    assert_invariant(acc)


def test_three_years_of_returns_compound_on_the_grown_balance(cli_run):
    m = make_member(first_month=date(2021, 1, 1))
    make_bills(m, date(2021, 1, 1), date(2023, 12, 1))  # Rp20,000 JHT a month for 3 years
    r21 = services.credit_returns(2021, today=date(2026, 1, 10))
    assert r21["rate_bp"] == 559 and r21["accounts_credited"] == 1 and r21["amount"] == 6_149
    assert r21["contributions_credited"] == 36
    # the same command again credits nothing
    again = services.credit_returns(2021, today=date(2026, 1, 10))
    assert again["accounts_credited"] == 0 and again["already_credited"] == 1
    assert services.credit_returns(2022, today=date(2026, 1, 10))["amount"] == 19_909
    assert services.credit_returns(2023, today=date(2026, 1, 10))["amount"] == 34_438
    acc = Account.objects.get(member=m)
    # the same figures as rules.jht.project(0, 20_000, 3, 559): 2021-2023 are 5.59% (assumed, 2020 carried)
    assert (acc.contributions, acc.returns, acc.balance) == (720_000, 60_496, 780_496)
    assert_invariant(acc)
    st = selectors.statement(acc, 2022)
    assert (st["opening"], st["contributions"], st["returns"], st["closing"]) == (246_149, 240_000, 19_909, 506_058)


def test_declared_2016_rate_7_19_percent():
    m = make_member(first_month=date(2016, 1, 1))
    make_bills(m, date(2016, 1, 1), date(2016, 1, 1), jht=1_200_000)  # one January contribution earns 11/12
    out = services.credit_returns(2016, today=date(2026, 1, 1))
    assert out["rate_bp"] == 719 and out["amount"] == 79_090  # 1,200,000 × 11/12 × 7.19% = 79,090


def test_withdrawal_keeps_the_invariant_and_weights_the_year():
    from jaring.claims.models import Claim

    m = make_member(first_month=date(2024, 1, 1))
    make_bills(m, date(2024, 1, 1), date(2024, 12, 1))
    services.credit_contributions()
    claim = Claim.objects.create(number="KL-T-1", member=m, branch_id="KC-6371", program="JHT",
                                 case="partial_other", event_date=date(2025, 7, 1), cause="uji", filed_by="member",
                                 claimant_name=m.name, bank_name="BRI", bank_account="1234", account_holder=m.name,
                                 wage=m.income)
    services.withdraw(m, 24_000, claim=claim, on=date(2025, 7, 1))
    with pytest.raises(DomainError):
        services.withdraw(m, 24_000, claim=claim, on=date(2025, 7, 1))
    with pytest.raises(DomainError):
        services.withdraw(m, 10_000_000, claim=Claim.objects.create(
            number="KL-T-2", member=m, branch_id="KC-6371", program="JHT", case="age", event_date=date(2025, 7, 1),
            cause="uji", filed_by="member", claimant_name=m.name, bank_name="BRI", bank_account="1",
            account_holder=m.name, wage=m.income), on=date(2025, 7, 2))
    acc = Account.objects.get(member=m)
    assert acc.balance == 216_000
    assert_invariant(acc)
    services.credit_returns(2024, today=date(2026, 1, 1))
    r = services.credit_returns(2025, today=date(2026, 1, 1))
    # 2025 (declared 5.51%): opening (240,000 + 6,149) × 12 − 24,000 × (12 − 7) = 2,833,788
    # → × 5.51% / 12 = 13,011.8 → 13,012
    assert r["rate_bp"] == 551 and r["amount"] == 13_012
    assert_invariant(Account.objects.get(member=m))


def test_current_year_cannot_be_credited():
    with pytest.raises(DomainError) as e:
        services.credit_returns(2026, today=date(2026, 6, 1))
    assert "year" in e.value.errors


@pytest.fixture
def cli_run(capsys):
    from jaring.cli import main

    def run(*args):
        code = 0
        try:
            main(list(args))
        except SystemExit as e:
            code = e.code
        out = capsys.readouterr()
        return code, out.out, out.err
    return run


def test_cli_credit_returns_prints_json_and_is_idempotent(cli_run):
    import json

    m = make_member(first_month=date(2021, 1, 1))
    make_bills(m, date(2021, 1, 1), date(2021, 12, 1))
    code, out, err = cli_run("savings", "credit-returns", "--year", "2021")
    assert code in (0, None), err
    first = json.loads(out)
    assert first["accounts_credited"] == 1 and first["amount"] == 6_149 and first["rate_bp"] == 559
    code, out, _ = cli_run("savings", "credit-returns", "--year", "2021")
    assert json.loads(out)["accounts_credited"] == 0
    code, out, err = cli_run("savings", "credit-returns", "--year", "20x1")
    assert code == 2 and "Tahun" in err and out == ""


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(1, 200_000), st.integers(1, 3), st.lists(st.integers(1, 400_000), max_size=3))
def test_ledger_matches_the_projection_and_the_invariant_holds(monthly, years, outs):
    """Whatever the contributions and withdrawals: balance == contributions + returns − withdrawals, and
    without withdrawals the ledger equals rules.jht.project (same crediting convention)."""
    from django.db import transaction

    from jaring.claims.models import Claim
    from jaring.rules.jht import project

    with transaction.atomic():
        m = make_member(first_month=date(2021, 1, 1))
        make_bills(m, date(2021, 1, 1), date(2020 + years, 12, 1), jht=monthly)
        for y in range(2021, 2021 + years):
            services.credit_returns(y, today=date(2026, 1, 1))
        acc = Account.objects.get(member=m)
        assert acc.balance == project(0, monthly, years, 559)[-1].closing
        for i, amount in enumerate(outs):
            acc.refresh_from_db()
            if amount > acc.balance:
                continue
            claim = Claim.objects.create(number=f"KL-H-{i}", member=m, branch_id="KC-6371", program="JHT",
                                         case="partial_other", event_date=date(2025, 3, 1), cause="uji",
                                         filed_by="member", claimant_name="x", bank_name="b", bank_account="1",
                                         account_holder="x", wage=1)
            services.withdraw(m, amount, claim=claim, on=date(2025, 3 + i, 1))
        services.credit_returns(2025, today=date(2026, 1, 1))
        assert_invariant(acc)
        transaction.set_rollback(True)
