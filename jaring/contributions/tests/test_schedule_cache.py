"""The contribution schedule cached per process (rates.current_schedule): one query to load it, none
while it is fresh, forgotten when a rate, band or discount is saved, re-read when another process
changed the rows (version check), and never left holding a rolled-back edit."""

from datetime import date

import pytest
from django.db import transaction

from jaring.contributions import rates
from jaring.contributions.models import ContributionDiscount, ContributionRate, IncomeBand
from jaring.rules.contributions import Schedule, quote

pytestmark = pytest.mark.django_db
MAY = date(2026, 5, 1)


def _orm_schedule() -> Schedule:
    """The schedule as it was built before the cache: three ORM queries."""
    return Schedule.from_dict({
        "rates": list(ContributionRate.objects.values("program", "basis", "value", "valid_from", "valid_to",
                                                      "source")),
        "income_bands": list(IncomeBand.objects.values("minimum", "maximum", "valid_from", "valid_to", "steps",
                                                       "source")),
        "discounts": list(ContributionDiscount.objects.values("name", "programs", "percent_bp", "sectors",
                                                              "from_month", "to_month", "excluded_funding",
                                                              "source")),
    })


@pytest.fixture
def cached(settings):
    settings.JARING_SCHEDULE_CHECK_SECONDS = 60
    rates.clear_schedule_cache()
    yield
    rates.clear_schedule_cache()


def _jkm(schedule) -> int:
    return quote(schedule, 1_000_000, "JKK,JKM", MAY, "other", "self").jkm


def test_one_query_reads_the_same_schedule_as_the_models(django_assert_num_queries, cached):
    with django_assert_num_queries(1):
        schedule = rates.current_schedule()
    assert schedule == _orm_schedule()
    # Rp6,800 JKM with the 50% discount of April-December 2026: the discount rows are read too
    assert _jkm(schedule) == 3_400
    with django_assert_num_queries(0):
        assert rates.current_schedule() is schedule


def test_saving_a_rate_forgets_the_cached_schedule(cached):
    assert _jkm(rates.current_schedule()) == 3_400
    rate = ContributionRate.objects.get(program="JKM", valid_to__isnull=True)
    rate.value = 7_200
    rate.save()
    assert _jkm(rates.current_schedule()) == 3_600
    rate.delete()
    with pytest.raises(Exception, match="JKM"):
        _jkm(rates.current_schedule())


def test_a_change_made_elsewhere_is_seen_at_the_next_version_check(cached, django_assert_num_queries):
    assert _jkm(rates.current_schedule()) == 3_400
    # another process (no signal here): an UPDATE straight in the database
    ContributionRate.objects.filter(program="JKM", valid_to__isnull=True).update(value=7_500)
    assert _jkm(rates.current_schedule()) == 3_400  # still fresh: not read again
    rates._cache["checked"] -= 61  # the check interval has passed
    with django_assert_num_queries(1):
        assert _jkm(rates.current_schedule()) == 3_750


def test_a_rolled_back_edit_is_not_left_in_the_cache(cached):
    assert _jkm(rates.current_schedule()) == 3_400
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            rate = ContributionRate.objects.get(program="JKM", valid_to__isnull=True)
            rate.value = 9_900
            rate.save()
            assert _jkm(rates.current_schedule()) == 4_950  # the transaction sees its own edit
            raise RuntimeError("rolled back")
    assert _jkm(rates.current_schedule()) == 3_400
