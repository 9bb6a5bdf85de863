"""SPEC 2.2: JKK 1%, JKM Rp6,800, JHT 2%, income Rp1,000,000–Rp20,700,000, PP 50/2025 discount."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jaring.rules.contributions import default_schedule, quote
from jaring.rules.errors import RuleError

S = default_schedule()


def test_two_programs_at_minimum_income_is_16800():
    q = quote(S, 1_000_000, "JKK,JKM", "2025-06")
    assert (q.jkk, q.jkm, q.jht, q.total, q.discount) == (10_000, 6_800, 0, 16_800, 0)


def test_three_programs_at_minimum_income_is_36800():
    q = quote(S, 1_000_000, ["JKK", "JKM", "JHT"], "2025-06")
    assert (q.jkk, q.jkm, q.jht, q.total) == (10_000, 6_800, 20_000, 36_800)


def test_other_sector_discount_window_april_to_december_2026():
    assert quote(S, 1_000_000, "JKK,JKM", "2026-03").total == 16_800  # before the window
    q = quote(S, 1_000_000, "JKK,JKM", "2026-04")
    assert (q.jkk, q.jkm, q.total, q.discount) == (5_000, 3_400, 8_400, 8_400)
    assert quote(S, 1_000_000, "JKK,JKM", "2026-12").total == 8_400
    assert quote(S, 1_000_000, "JKK,JKM", "2027-01").total == 16_800  # after


def test_transport_discount_window_january_2026_to_march_2027():
    assert quote(S, 1_000_000, "JKK,JKM", "2025-12", sector="transport").total == 16_800
    assert quote(S, 1_000_000, "JKK,JKM", "2026-01", sector="transport").total == 8_400
    assert quote(S, 1_000_000, "JKK,JKM", "2027-03", sector="transport").total == 8_400
    assert quote(S, 1_000_000, "JKK,JKM", "2027-04", sector="transport").total == 16_800


def test_discount_never_touches_jht():
    q = quote(S, 1_000_000, "JKK,JKM,JHT", "2026-06")
    assert (q.jkk, q.jkm, q.jht, q.total, q.discount) == (5_000, 3_400, 20_000, 28_400, 8_400)


@pytest.mark.parametrize("funding", ["apbd", "apbn"])
def test_no_discount_when_paid_from_state_budgets(funding):
    q = quote(S, 1_000_000, "JKK,JKM", "2026-06", funding=funding)
    assert (q.total, q.discount) == (16_800, 0)


def test_sponsor_funding_gets_the_discount():
    assert quote(S, 1_000_000, "JKK,JKM", "2026-06", funding="sponsor").total == 8_400


def test_maximum_income_and_rounding():
    q = quote(S, 20_700_000, "JKK,JKM,JHT", "2025-01")
    assert (q.jkk, q.jkm, q.jht, q.total) == (207_000, 6_800, 414_000, 627_800)
    q = quote(S, 1_234_567, "JKK,JKM,JHT", "2025-01")  # 12,345.67 → 12,346; 24,691.34 → 24,691
    assert (q.jkk, q.jht, q.total) == (12_346, 24_691, 12_346 + 6_800 + 24_691)


@pytest.mark.parametrize("income", [999_999, 20_700_001, 0, -5])
def test_income_out_of_range_is_refused(income):
    with pytest.raises(RuleError) as e:
        quote(S, income, "JKK,JKM", "2025-06")
    assert "income" in e.value.errors
    assert "Rp1.000.000" in e.value.message and "Rp20.700.000" in e.value.message


@pytest.mark.parametrize("programs", ["JKK", "JKM", "JHT", "JKK,JHT", ""])
def test_jkk_and_jkm_are_required(programs):
    with pytest.raises(RuleError) as e:
        quote(S, 1_000_000, programs, "2025-06")
    assert "programs" in e.value.errors


@pytest.mark.parametrize("programs", ["JKK,JKM,JP", "JKK,JKM,JKP"])
def test_pension_and_job_loss_are_not_for_bpu(programs):
    with pytest.raises(RuleError, match="tidak tersedia untuk pekerja BPU"):
        quote(S, 1_000_000, programs, "2025-06")


def test_unknown_sector_or_funding_or_bad_month():
    with pytest.raises(RuleError, match="Sektor"):
        quote(S, 1_000_000, "JKK,JKM", "2025-06", sector="laut")
    with pytest.raises(RuleError, match="Sumber dana"):
        quote(S, 1_000_000, "JKK,JKM", "2025-06", funding="hibah")
    with pytest.raises(RuleError, match="TTTT-BB"):
        quote(S, 1_000_000, "JKK,JKM", "2025-13")


def test_a_regulation_change_is_a_data_change():
    data = {
        "rates": [
            {"program": "JKK", "basis": "percent_bp", "value": 100, "valid_from": "2015-07-01"},
            {"program": "JKM", "basis": "flat", "value": 6800, "valid_from": "2015-07-01", "valid_to": "2027-12-31"},
            {"program": "JKM", "basis": "flat", "value": 7500, "valid_from": "2028-01-01"},
            {"program": "JHT", "basis": "percent_bp", "value": 200, "valid_from": "2015-07-01"},
        ],
        "income_bands": [{"minimum": 1_000_000, "maximum": 20_700_000, "valid_from": "2015-07-01",
                          "steps": [[1_000_000, 1_000_000], [1_500_000, 1_500_000]]}],
    }
    from jaring.rules.contributions import Schedule

    s = Schedule.from_dict(data)
    assert quote(s, 1_000_000, "JKK,JKM", "2027-12").total == 16_800
    assert quote(s, 1_000_000, "JKK,JKM", "2028-01").total == 17_500
    # a step table maps 1,499,999 to the 1,000,000 step
    assert quote(s, 1_499_999, "JKK,JKM", "2028-01").jkk == 10_000


months = st.dates(date(2015, 7, 1), date(2030, 12, 1)).map(lambda d: d.replace(day=1))
incomes = st.integers(1_000_000, 20_700_000)


@given(a=incomes, b=incomes, month=months, sector=st.sampled_from(["transport", "other"]),
       funding=st.sampled_from(["self", "sponsor", "apbd", "apbn"]), jht=st.booleans())
def test_totals_are_monotone_in_income_and_never_negative(a, b, month, sector, funding, jht):
    programs = "JKK,JKM,JHT" if jht else "JKK,JKM"
    lo, hi = sorted((a, b))
    q_lo = quote(S, lo, programs, month, sector, funding)
    q_hi = quote(S, hi, programs, month, sector, funding)
    assert 0 <= q_lo.total <= q_hi.total
    assert q_lo.total == q_lo.jkk + q_lo.jkm + q_lo.jht
    assert q_lo.discount >= 0 and q_lo.total + q_lo.discount == sum(q_lo.gross.values())
