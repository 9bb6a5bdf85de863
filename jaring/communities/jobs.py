"""The treasurer's list: once a month, ``days_before_due`` days (outreach/data/reminders.json) before the
month's due date (SPEC 2.3), each treasurer gets one message listing the members not yet paid; queued lists are
sent outside quiet hours."""

from datetime import timedelta

from jaring.core.jobs import register
from jaring.outreach.reminders import config, in_quiet_hours
from jaring.rules.billing import due_date


def monthly_before_due(now):
    if in_quiet_hours(now):
        return None
    month = now.date().replace(day=1)
    if now.date() < due_date(month) - timedelta(days=config()["days_before_due"]):
        return None
    return f"{month:%Y-%m}"


@register("communities.treasurer_lists", period=monthly_before_due)
def send(period: str) -> dict:
    from . import services

    out = services.queue_treasurer_reminders(period)
    out.update(services.send_treasurer_reminders())
    return out
