"""Perisai commission (SPEC 2.5, 2018 figures): 7.5% of collections, Rp500,000 at 50 new recruits,
suspension after 3 idle months, rejoin 6 months later."""

from datetime import date

import pytest

from jaring.rules import commission as c
from jaring.rules.errors import RuleError

TERMS = c.terms_for(date(2026, 5, 1))


def test_shipped_terms_are_the_2018_figures_with_source():
    assert TERMS.collection_bp == 750
    assert TERMS.bonus_threshold == 50 and TERMS.bonus_amount == 500_000
    assert TERMS.idle_months == 3 and TERMS.rejoin_after_months == 6
    assert "SPEC 2.5" in TERMS.source


def test_commission_without_bonus_at_49_recruits():
    # 49 recruits each paying Rp16,800 → Rp823,200 collected; 7.5% = Rp61,740; no bonus
    r = c.commission_for(date(2026, 5, 1), recruits=49, collected=49 * 16_800)
    assert (r.collected, r.commission, r.bonus, r.total) == (823_200, 61_740, 0, 61_740)


def test_commission_with_bonus_at_50_recruits():
    r = c.commission_for(date(2026, 5, 1), recruits=50, collected=50 * 16_800)
    assert (r.collected, r.commission, r.bonus, r.total) == (840_000, 63_000, 500_000, 563_000)


def test_commission_rounds_half_up_to_whole_rupiah():
    # 7.5% of Rp8,400 = Rp630; of Rp8,410 = 630.75 → 631; of Rp8,406 = 630.45 → 630
    assert c.commission_for(date(2026, 5, 1), 0, 8_400).commission == 630
    assert c.commission_for(date(2026, 5, 1), 0, 8_410).commission == 631
    assert c.commission_for(date(2026, 5, 1), 0, 8_406).commission == 630


def test_terms_are_effective_dated_data():
    table = c.terms_from_dict({"terms": [
        {"valid_from": "2018-01-01", "valid_to": "2026-12-31", "collection_bp": 750, "bonus_threshold": 50,
         "bonus_amount": 500000, "idle_months": 3, "rejoin_after_months": 6},
        {"valid_from": "2027-01-01", "valid_to": None, "collection_bp": 1000, "bonus_threshold": 40,
         "bonus_amount": 750000, "idle_months": 3, "rejoin_after_months": 6},
    ]})
    t27 = c.terms_for(date(2027, 2, 1), table)
    assert c.commission_for(date(2027, 2, 1), 40, 100_000, t27).total == 10_000 + 750_000
    assert c.terms_for(date(2026, 12, 1), table).collection_bp == 750
    with pytest.raises(RuleError):
        c.terms_for(date(2017, 12, 1), table)


def test_suspension_after_three_idle_months_and_rejoin_six_months_later():
    # the window closing with April 2026 is Feb, Mar, Apr: idle through it → suspended 1 May 2026 (the
    # month after the window, as agents.services.suspend_idle_agents books), may rejoin 1 November 2026
    assert c.idle_window(date(2026, 4, 1), TERMS) == (date(2026, 2, 1), date(2026, 4, 1))
    assert c.rejoin_date(date(2026, 5, 1), TERMS) == date(2026, 11, 1)


def test_rejoin_date_clamps_to_month_end():
    assert c.rejoin_date(date(2026, 8, 31), TERMS) == date(2027, 2, 28)


def test_negative_inputs_refused():
    with pytest.raises(RuleError):
        c.commission_for(date(2026, 5, 1), -1, 0)
