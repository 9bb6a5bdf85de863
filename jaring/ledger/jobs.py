"""Daily: the trial balance. A difference is logged as an error and kept (TrialBalanceRun) for the
admins' banner and the finance page; it is never silent."""

import logging

from jaring.core.jobs import register

log = logging.getLogger("jaring.ledger")


def yesterday(now):
    """Due every day for the day that just ended (all of its postings are in)."""
    from datetime import timedelta

    return (now.date() - timedelta(days=1)).isoformat()


@register("ledger.trial_balance", period=yesterday)
def trial_balance_job(period):
    from datetime import date

    from .services import record_trial_balance

    run = record_trial_balance(date.fromisoformat(period))
    return {"date": period, "balanced": run.balanced, "ok": run.ok, "failed": run.failed}
