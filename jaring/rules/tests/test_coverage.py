"""Coverage state month by month (SPEC 2.3): active, arrears (1-2 unpaid months), inactive in month 4."""

from datetime import date

import pytest

from jaring.rules.coverage import coverage_on, unpaid_months

JAN = date(2026, 1, 1)


@pytest.mark.parametrize("on,state,unpaid,protected", [
    (date(2026, 1, 10), "active", 0, True),     # January paid
    (date(2026, 1, 31), "active", 0, True),
    (date(2026, 2, 10), "active", 0, True),     # February unpaid but within its window (due 18 Feb)
    (date(2026, 2, 18), "active", 0, True),     # due date itself
    (date(2026, 2, 19), "active", 0, False),    # past the due date: not protected, not yet in arrears
    (date(2026, 3, 1), "arrears", 1, False),    # February ended unpaid
    (date(2026, 4, 1), "arrears", 2, False),    # February, March
    (date(2026, 4, 30), "arrears", 2, False),   # the third month can still be paid
    (date(2026, 5, 1), "inactive", 3, False),   # Feb, Mar, Apr unpaid: deactivated in month 4 (May)
    (date(2026, 6, 1), "inactive", 4, False),
])
def test_month_by_month_after_paying_only_january(on, state, unpaid, protected):
    c = coverage_on("active", JAN, JAN, on)
    assert (c.state, c.unpaid_months, c.protected) == (state, unpaid, protected)
    assert c.as_dict()["paid_through"] == "2026-01"


def test_paying_catches_up_arrears_and_advance_keeps_active():
    # paid through March on 1 Apr: nothing ended unpaid
    assert coverage_on("active", JAN, date(2026, 3, 1), date(2026, 4, 1)).state == "active"
    # 12 months in advance: protected all year
    c = coverage_on("active", JAN, date(2026, 12, 1), date(2026, 11, 30))
    assert (c.state, c.protected, c.unpaid_months) == ("active", True, 0)


def test_never_paid_new_member():
    # registered for January, nothing paid: not protected; February 1 is arrears of one month
    c = coverage_on("active", JAN, None, date(2026, 1, 5))
    assert (c.state, c.protected, c.paid_through) == ("active", False, None)
    assert coverage_on("active", JAN, None, date(2026, 2, 1)).state == "arrears"
    assert coverage_on("active", JAN, None, date(2026, 4, 1)).state == "inactive"


def test_pending_and_deactivated_members():
    c = coverage_on("pending", JAN, None, date(2026, 6, 1))
    assert (c.state, c.protected, c.unpaid_months) == ("pending", False, 0)
    # reactivation is a new registration: a late payment does not revive an inactive member
    c = coverage_on("inactive", JAN, date(2026, 12, 1), date(2026, 6, 1))
    assert (c.state, c.protected) == ("inactive", False)


def test_unpaid_months_counts_ended_months_only():
    assert unpaid_months(JAN, None, date(2026, 1, 31)) == 0
    assert unpaid_months(JAN, None, date(2027, 1, 1)) == 12
    assert unpaid_months(date(2026, 5, 1), None, date(2026, 3, 1)) == 0  # first month in the future
