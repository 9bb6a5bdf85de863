"""Registration eligibility (SPEC 2.1): age 18–64 at registration, at most 2 economic activities."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jaring.rules.errors import RuleError
from jaring.rules.registration import (age_on, check_activities, check_age, default_rules, rule_on,
                                       rules_from_dict)

ON = date(2026, 11, 21)


def test_shipped_rule_figures_and_sources():
    r = rule_on(ON)
    assert (r.min_age, r.max_age, r.max_activities) == (18, 64, 2)
    assert "under 65" in r.sources["max_age_source"]
    assert all(x.sources for x in default_rules())


def test_age_counts_whole_years():
    assert age_on(date(2008, 11, 21), ON) == 18
    assert age_on(date(2008, 11, 22), ON) == 17
    assert age_on(date(2004, 2, 29), date(2026, 2, 28)) == 21
    assert age_on(date(2004, 2, 29), date(2026, 3, 1)) == 22


def test_eighteenth_birthday_is_allowed_the_day_before_is_not():
    assert check_age(date(2008, 11, 21), ON) == 18
    with pytest.raises(RuleError) as e:
        check_age(date(2008, 11, 22), ON)
    assert "minimal 18 tahun" in e.value.errors["birth_date"]


def test_sixty_four_allowed_sixty_five_refused():
    assert check_age(date(1961, 11, 22), ON) == 64
    with pytest.raises(RuleError) as e:
        check_age(date(1961, 11, 21), ON)
    assert "paling tinggi 64" in e.value.errors["birth_date"]


def test_future_birth_date_refused():
    with pytest.raises(RuleError):
        check_age(date(2027, 1, 1), ON)


@given(st.dates(date(1900, 1, 1), date(2026, 11, 21)))
def test_age_window_matches_rule(birth):
    age = age_on(birth, ON)
    if 18 <= age <= 64:
        assert check_age(birth, ON) == age
    else:
        with pytest.raises(RuleError):
            check_age(birth, ON)


def test_at_most_two_activities():
    assert check_activities(["petani", "pedagang"], ON) == ("petani", "pedagang")
    assert check_activities(["petani", "petani", ""], ON) == ("petani",)
    with pytest.raises(RuleError) as e:
        check_activities(["petani", "pedagang", "nelayan"], ON)
    assert "Paling banyak 2" in e.value.errors["second_occupation"]
    with pytest.raises(RuleError) as e:
        check_activities(["", None], ON)
    assert "occupation" in e.value.errors


def test_rule_change_is_data():
    rules = rules_from_dict({"rules": [
        {"valid_from": "2015-07-01", "valid_to": "2026-12-31", "min_age": 18, "max_age": 64, "max_activities": 2},
        {"valid_from": "2027-01-01", "valid_to": None, "min_age": 17, "max_age": 69, "max_activities": 3},
    ]})
    assert check_age(date(1958, 1, 1), date(2027, 6, 1), rules) == 69
    with pytest.raises(RuleError):
        check_age(date(1958, 1, 1), date(2026, 6, 1), rules)
    assert len(check_activities(["a", "b", "c"], date(2027, 6, 1), rules)) == 3
