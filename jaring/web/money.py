"""Moved to jaring.contributions.money (contribution breakdowns read the rate schedule)."""

from jaring.contributions.money import *  # noqa: F401,F403
from jaring.contributions.money import breakdown_of, income_error, of_bills, of_quote, rupiah_text  # noqa: F401
