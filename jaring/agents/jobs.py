"""Monthly: the commission ledger for the month just closed (which also suspends idle agents)."""

from jaring.core.jobs import monthly, register
from jaring.rules.periods import add_months, month_str, parse_month


@register("agents.commissions", period=monthly)
def commissions(period: str) -> dict:
    from .services import run_commissions

    return run_commissions(month_str(add_months(parse_month(period), -1)))
