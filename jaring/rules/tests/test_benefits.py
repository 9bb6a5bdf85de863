"""SPEC 2.4 benefits with the regulation figures (PP 82/2019, Permenaker 5/2021)."""

from datetime import date

import pytest

from jaring.rules.benefits import (default_tables, estimate, jkk_death, jkk_partial_disability,
                                   jkk_temporary_incapacity, jkk_total_disability, jkm_death, scholarship_max,
                                   scholarship_per_child, scholarship_schedule)
from jaring.rules.errors import RuleError

T = default_tables()


def test_jkm_is_42_million_after_3_consecutive_paid_months():
    e = jkm_death(consecutive_paid_months=3, contribution_months=3)
    assert e.components == {"lump_sum": 20_000_000, "periodic": 12_000_000, "funeral": 10_000_000}
    assert e.total == 42_000_000


def test_jkm_before_3_consecutive_paid_months_is_8_million_santunan_and_2_million_funeral():
    e = jkm_death(consecutive_paid_months=2, contribution_months=30)
    assert e.components == {"lump_sum": 8_000_000, "funeral": 2_000_000}
    assert e.total == 10_000_000
    assert e.extras["waiting_period_met"] is False
    assert jkm_death(consecutive_paid_months=0).components == {"lump_sum": 8_000_000, "funeral": 2_000_000}
    assert jkm_death(consecutive_paid_months=3).extras["waiting_period_met"] is True


def test_jkm_scholarship_only_after_3_years_of_contributions():
    assert jkm_death(12, 35).extras["scholarship_max"] == 0
    assert jkm_death(12, 36).extras["scholarship_max"] == 174_000_000
    assert jkm_death(12, 36, children=1).extras["scholarship_max"] == 87_000_000


def test_jkk_work_accident_death_48_times_wage_plus_funeral_and_periodic():
    e = jkk_death(1_000_000)
    assert e.components == {"lump_sum": 48_000_000, "funeral": 10_000_000, "periodic": 12_000_000}
    assert e.total == 70_000_000
    e = jkk_death(5_000_000)
    assert e.components["lump_sum"] == 240_000_000
    assert e.total == 240_000_000 + 10_000_000 + 12_000_000


def test_jkk_death_never_below_the_jkm_lump_sum_20_million():
    # 48 × Rp400,000 = Rp19,200,000 < Rp20,000,000: the JKM death benefit is the floor
    e = jkk_death(400_000)
    assert e.components["lump_sum"] == 20_000_000
    assert e.total == 42_000_000


def test_total_permanent_disability_56_times_wage():
    e = jkk_total_disability(1_000_000)
    assert e.components == {"lump_sum": 56_000_000, "periodic": 12_000_000}
    assert jkk_total_disability(5_000_000).components["lump_sum"] == 280_000_000


def test_partial_disability_percent_times_80_times_wage():
    assert jkk_partial_disability(2_000_000, 10).components == {"lump_sum": 16_000_000}  # 10% × 80 × 2m
    assert jkk_partial_disability(1_000_000, 2.5).components["lump_sum"] == 2_000_000
    assert jkk_partial_disability(1_000_000, 100).components["lump_sum"] == 80_000_000


def test_stmb_14_months_is_12_at_100_percent_plus_2_at_50_percent():
    e = jkk_temporary_incapacity(2_000_000, 14)
    assert e.components == {"temporary_incapacity": 12 * 2_000_000 + 2 * 1_000_000}
    assert e.total == 26_000_000
    assert jkk_temporary_incapacity(1_000_000, 6).total == 6_000_000


def test_scholarship_87_million_per_child_174_million_for_two_at_most():
    assert scholarship_per_child(T) == 87_000_000
    assert scholarship_max(T, 1) == 87_000_000
    assert scholarship_max(T, 2) == 174_000_000
    assert scholarship_max(T, 3) == 174_000_000  # at most 2 children


def test_scholarship_schedule_yearly_entitlements_until_the_limits():
    rows = scholarship_schedule(2026, "TK")
    assert len(rows) == 2 + 6 + 3 + 3 + 5
    assert sum(r.amount for r in rows) == 87_000_000
    assert rows[0].level == "TK" and rows[0].amount == 1_500_000 and rows[0].year == 2026
    assert rows[-1].level == "PT" and rows[-1].amount == 12_000_000 and rows[-1].year == 2044
    smp = scholarship_schedule(2026, "SMP", years_done=1)
    assert [r.level for r in smp[:3]] == ["SMP", "SMP", "SMA"]
    assert sum(r.amount for r in smp) == 2 * 2_000_000 + 3 * 3_000_000 + 5 * 12_000_000
    # the child must be under 23: born 2006-06-01 → 2029 is the last year at age 22
    rows = scholarship_schedule(2026, "PT", birth_date=date(2006, 6, 1))
    assert [r.year for r in rows] == [2026, 2027, 2028, 2029]


def test_estimate_bodies_follow_the_contract():
    out = estimate({"program": "JKK", "case": "death", "wage": 1_000_000})
    assert out["components"] == {"lump_sum": 48_000_000, "funeral": 10_000_000, "periodic": 12_000_000}
    assert out["total"] == 70_000_000 and out["scholarship_max"] == 174_000_000
    out = estimate({"program": "JKM", "consecutive_paid_months": 3, "contribution_months": 3})
    assert out["total"] == 42_000_000 and out["scholarship_max"] == 0
    out = estimate({"program": "JKK", "case": "temporary_incapacity", "wage": 1_000_000, "months": 14})
    assert out["components"] == {"temporary_incapacity": 13_000_000}


@pytest.mark.parametrize("body,field", [
    ({"program": "JKK", "case": "sprained_ankle", "wage": 1_000_000}, "case"),
    ({"program": "JKK", "case": "death", "wage": -1}, "wage"),
    ({"program": "JKK", "case": "partial_disability", "wage": 1_000_000, "percent": 101}, "percent"),
    ({"program": "JP", "wage": 1_000_000}, "program"),
    ({"program": "JKM", "consecutive_paid_months": -3}, "consecutive_paid_months"),
])
def test_invalid_bodies_are_refused_with_the_field(body, field):
    with pytest.raises(RuleError) as e:
        estimate(body)
    assert field in e.value.errors


def test_every_row_names_its_source():
    for kind, rows in T.data.items():
        if kind.startswith("_"):
            continue
        for row in rows:
            assert "PP 82/2019" in row["source"] or "Permenaker 4/2022" in row["source"]


from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@given(st.integers(min_value=0, max_value=50_000_000))
def test_jkk_death_is_48_times_wage_with_the_20_million_floor_and_total_is_the_sum(wage):
    e = jkk_death(wage)
    assert e.components["lump_sum"] == max(48 * wage, 20_000_000)
    assert e.total == sum(e.components.values()) == e.components["lump_sum"] + 22_000_000


@given(st.integers(min_value=0, max_value=50_000_000), st.integers(min_value=0, max_value=120))
def test_stmb_never_more_than_full_wage_and_half_after_12_months(wage, months):
    total = jkk_temporary_incapacity(wage, months).total
    # 50% of each later month, rounded half-up to whole Rupiah
    assert total == min(months, 12) * wage + (max(months - 12, 0) * wage + 1) // 2
    assert total <= months * wage


def test_jkk_transport_caps_5m_land_2m_sea_10m_air_and_home_care_20m_for_12_months():
    from jaring.rules.benefits import jkk_costs

    assert jkk_costs("land", 7_000_000) == {"transport": 5_000_000}
    assert jkk_costs("sea", 1_500_000) == {"transport": 1_500_000}
    assert jkk_costs("air", 15_000_000) == {"transport": 10_000_000}
    assert jkk_costs(home_care_cost=30_000_000, home_care_months=12) == {"home_care": 20_000_000}
    with pytest.raises(RuleError):
        jkk_costs(home_care_cost=1_000_000, home_care_months=13)
    with pytest.raises(RuleError):
        jkk_costs("space", 1_000)
