"""Due dates (SPEC 2.3): the 15th, or the next working day over real 2026 Indonesian holidays."""

from datetime import date

import pytest

from jaring.rules.billing import bill_status, due_date, is_working_day


@pytest.mark.parametrize("month,expected,why", [
    (date(2026, 1, 1), date(2026, 1, 15), "Thursday 15 Jan 2026 is a working day"),
    (date(2026, 2, 1), date(2026, 2, 18), "15 Feb Sunday, 16 Feb cuti bersama Imlek, 17 Feb Imlek 2577"),
    (date(2026, 3, 1), date(2026, 3, 16), "15 Mar Sunday; Monday 16 Mar is a working day"),
    (date(2026, 5, 1), date(2026, 5, 18), "15 May 2026 cuti bersama Kenaikan Yesus Kristus, then the weekend"),
    (date(2026, 8, 1), date(2026, 8, 18), "15 Aug Saturday, 16 Sunday, 17 Aug Proklamasi Kemerdekaan"),
    (date(2026, 11, 1), date(2026, 11, 16), "15 Nov 2026 is a Sunday"),
    (date(2026, 6, 1), date(2026, 6, 15), "Monday 15 Jun 2026 is a working day"),
])
def test_due_date_moves_to_next_working_day_over_2026_holidays(month, expected, why):
    assert due_date(month) == expected, why


def test_outside_the_official_calendar_only_weekends_are_skipped():
    # lokal-id has no SKB calendar for 2028: 15 Jan 2028 is a Saturday -> Monday 17 Jan.
    assert due_date(date(2028, 1, 1)) == date(2028, 1, 17)
    assert is_working_day(date(2028, 1, 14))
    # 15 Dec 2025 is a Monday: weekend rule only (no 2025 data in lokal-id)
    assert due_date(date(2025, 12, 1)) == date(2025, 12, 15)


def test_bill_status_no_fines_just_states():
    feb = date(2026, 2, 1)
    assert bill_status(feb, False, date(2026, 1, 20)) == "upcoming"
    assert bill_status(feb, False, date(2026, 2, 18)) == "due"  # due date itself still on time
    assert bill_status(feb, False, date(2026, 2, 19)) == "overdue"
    assert bill_status(feb, True, date(2026, 2, 19)) == "paid"


def test_new_registrant_is_not_overdue_on_day_one():
    """Overdue only after the due date AND for a month the person was a member on that due date."""
    nov = date(2026, 11, 1)  # due 16 Nov 2026 (15 Nov is a Sunday)
    assert due_date(nov) == date(2026, 11, 16)
    # registered on the 26th: this month is owed but not late
    assert bill_status(nov, False, date(2026, 11, 26), member_since=date(2026, 11, 26)) == "due"
    # a member since before the due date who has not paid is overdue
    assert bill_status(nov, False, date(2026, 11, 26), member_since=date(2026, 11, 16)) == "overdue"
    assert bill_status(nov, False, date(2026, 11, 26), member_since=date(2026, 10, 1)) == "overdue"
    # her first month was never late for her: still owed, still not overdue later on
    assert bill_status(nov, False, date(2027, 1, 5), member_since=date(2026, 11, 26)) == "due"
    # her next month is overdue after its own due date
    assert bill_status(date(2026, 12, 1), False, date(2026, 12, 20), member_since=date(2026, 11, 26)) == "overdue"
