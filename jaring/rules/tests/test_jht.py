"""JHT: yearly crediting compounding on the grown balance; withdrawal conditions (Permenaker 4/2022)."""

from datetime import date

import pytest

from jaring.rules.errors import RuleError
from jaring.rules.jht import default_rates, project, projection_estimate, rate_to_bp, withdrawal, year_return


def test_year_return_weights_each_month_by_the_months_left():
    # Rp20,000 a month at 5.63%: Σ(12 − m) = 66 → 20,000 × 66 / 12 × 5.63% = Rp6,193
    assert year_return(0, [(m, 20_000) for m in range(1, 13)], 563) == 6_193
    # the opening balance earns the whole year: 1,000,000 × 7.19% = 71,900
    assert year_return(1_000_000, [], 719) == 71_900
    # a December contribution earns nothing that year, a January one 11/12
    assert year_return(0, [(12, 1_200_000)], 600) == 0
    assert year_return(0, [(1, 1_200_000)], 600) == 66_000


def test_balance_after_three_years_compounds_on_the_grown_balance():
    rows = project(0, 20_000, 3, 563)
    assert [(r.opening, r.contributions, r.returns, r.closing) for r in rows] == [
        (0, 240_000, 6_193, 246_193),
        (246_193, 240_000, 20_054, 506_247),    # (246,193 × 12 + 1,320,000) × 5.63% / 12 = 20,053.67
        (506_247, 240_000, 34_695, 780_942),    # (506,247 × 12 + 1,320,000) × 5.63% / 12 = 34,694.71
    ]


def test_pure_compounding_without_contributions():
    rows = project(1_000_000, 0, 2, 719)
    assert [r.closing for r in rows] == [1_071_900, 1_148_970]  # 1,071,900 × 7.19% = 77,069.61 → 77,070


def test_projection_estimate_contract_body():
    out = projection_estimate({"program": "JHT", "balance": 0, "monthly_contribution": 20_000, "years": 3,
                               "annual_rate": 5.63})
    assert out["components"] == {"projected_balance": 780_942} and out["total"] == 780_942
    assert out["contributions"] == 720_000 and out["returns"] == 60_942
    # a fraction is read as a rate too (no declared JHT return was ever under 1%)
    assert projection_estimate({"balance": 0, "monthly_contribution": 20_000, "years": 3,
                                "annual_rate": 0.0563})["total"] == 780_942
    assert rate_to_bp(7.19) == 719


def test_declared_rates_2016_and_2020():
    rates = default_rates()
    assert rates.rate_for(2016) == 719
    assert rates.rate_for(2020) == 559
    with pytest.raises(RuleError):
        rates.rate_for(1990)


def test_full_withdrawal_at_56_not_before():
    born = date(1970, 5, 10)
    assert withdrawal("age", 5_000_000, claim_date=date(2026, 5, 10), birth_date=born).amount == 5_000_000
    with pytest.raises(RuleError, match="56"):
        withdrawal("age", 5_000_000, claim_date=date(2026, 5, 9), birth_date=born)


@pytest.mark.parametrize("reason", ["death", "total_disability", "leave_indonesia"])
def test_full_withdrawal_reasons(reason):
    w = withdrawal(reason, 3_000_000, claim_date=date(2026, 1, 5))
    assert w.full and w.amount == 3_000_000


def test_stopping_work_waits_one_month():
    with pytest.raises(RuleError, match="2026-03-15"):
        withdrawal("stop_work", 1_000_000, claim_date=date(2026, 3, 14), event_date=date(2026, 2, 15))
    assert withdrawal("stop_work", 1_000_000, claim_date=date(2026, 3, 15),
                      event_date=date(2026, 2, 15)).amount == 1_000_000


def test_partial_withdrawal_once_after_10_years_30_or_10_percent():
    since = date(2015, 1, 1)
    assert withdrawal("partial_housing", 10_000_000, claim_date=date(2025, 1, 1), member_since=since).amount == 3_000_000
    assert withdrawal("partial_other", 10_000_000, claim_date=date(2025, 1, 1), member_since=since).amount == 1_000_000
    with pytest.raises(RuleError, match="10 tahun"):
        withdrawal("partial_other", 10_000_000, claim_date=date(2024, 12, 31), member_since=since)
    with pytest.raises(RuleError, match="satu kali"):
        withdrawal("partial_housing", 10_000_000, claim_date=date(2026, 1, 1), member_since=since, partial_taken=True)


from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@given(st.integers(0, 500_000_000), st.integers(0, 500_000), st.integers(0, 40), st.integers(0, 1500))
def test_projection_rows_add_up_and_compound(balance, monthly, years, rate):
    rows = project(balance, monthly, years, rate)
    opening = balance
    for r in rows:
        assert r.opening == opening
        assert r.closing == r.opening + r.contributions + r.returns
        # the return is the rate on the opening balance for a year plus each contribution's months left
        assert abs(r.returns * 120_000 - rate * (r.opening * 12 + monthly * 66)) <= 60_000
        opening = r.closing
