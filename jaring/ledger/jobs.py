"""Daily: the trial balance. A difference is logged as an error and kept (TrialBalanceRun) for the
admins' banner and the finance page; it is never silent."""

import logging

from jaring.core.jobs import daily, register

log = logging.getLogger("jaring.ledger")


# due at the first tick of each day: the trial balance as of that moment (every posting of the day
# that just ended is in; control records are compared as they are, so nothing is "in transit")
@register("ledger.trial_balance", period=daily)
def trial_balance_job(period):
    from datetime import date

    from .services import record_trial_balance

    run = record_trial_balance(date.fromisoformat(period))
    return {"date": period, "balanced": run.balanced, "ok": run.ok, "failed": run.failed}
