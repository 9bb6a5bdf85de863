from __future__ import annotations

from django.utils import timezone

from jaring.rules.contributions import Quote, quote
from jaring.rules.periods import month_str

from .rates import current_schedule


def quote_contribution(income, programs, month: str | None = None, sector: str = "other",
                       funding: str = "self") -> Quote:
    """What a member pays per month (``month`` defaults to this month in Asia/Jakarta)."""
    month = month or month_str(timezone.localdate())
    return quote(current_schedule(), income, programs, month, sector or "other", funding or "self")
