"""Sertakan group payments and programme costs (SPEC 2.2, 2.5)."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jaring.rules.contributions import default_schedule
from jaring.rules.errors import RuleError
from jaring.rules.sponsorship import allocate_whole, programme_cost

SCHEDULE = default_schedule()


def test_spec_2_5_penajam_paser_utara_apbd_15000_workers_cost_3_024_billion_a_year_even_in_2026():
    cost = programme_cost(SCHEDULE, 15_000, date(2026, 1, 1), date(2026, 12, 1), funding="apbd")
    assert (cost["monthly_first"], cost["per_worker"], cost["total"]) == (16_800, 201_600, 3_024_000_000)
    # the same workers paid by a company get PP 50/2025's 50% off JKK+JKM for April-December 2026
    company = programme_cost(SCHEDULE, 15_000, date(2026, 1, 1), date(2026, 12, 1), funding="sponsor")
    assert company["per_worker"] == 3 * 16_800 + 9 * 8_400 == 126_000


def test_partial_payment_takes_whole_workers_in_order():
    assert allocate_whole([694_400, 109_200, 134_400], 250_000) == ([1, 2], 6_400)
    assert allocate_whole([694_400, 109_200, 134_400], 938_000) == ([0, 1, 2], 0)
    assert allocate_whole([16_800], 16_799) == ([], 16_799)
    with pytest.raises(RuleError):
        allocate_whole([0], 10)


@given(st.lists(st.integers(1, 10_000_000), max_size=40), st.integers(0, 100_000_000))
def test_allocation_never_loses_or_invents_money(amounts, available):
    chosen, left = allocate_whole(amounts, available)
    assert sum(amounts[i] for i in chosen) + left == available
    assert left >= 0 and chosen == sorted(chosen)
    # nobody left out could still have been paid from what is left when their turn came
    assert all(amounts[i] > left for i in range(len(amounts)) if i not in chosen)
