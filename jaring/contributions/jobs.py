"""Scheduled for ``jaring worker``: the billing run each month, the coverage refresh each day."""

from jaring.core.jobs import daily, monthly, register


@register("contributions.billing_run", period=monthly)
def billing_run(period: str) -> dict:
    from .billing import run_billing

    return run_billing(period)


@register("contributions.coverage_refresh", period=daily)
def coverage_refresh(period: str) -> dict:
    from .billing import refresh_coverage

    return refresh_coverage(period)
