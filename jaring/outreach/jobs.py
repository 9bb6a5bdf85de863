from jaring.core.jobs import daily, register


def hourly_outside_quiet_hours(now):
    """Due once an hour from 07:00 to 20:59 WIB (quiet hours from reminders.json are skipped)."""
    from .reminders import in_quiet_hours

    if in_quiet_hours(now):
        return None
    return now.strftime("%Y-%m-%dT%H")


@register("outreach.reminders", period=hourly_outside_quiet_hours)
def send(period: str) -> dict:
    from datetime import date

    from .reminders import send_reminders

    return send_reminders(date.fromisoformat(period[:10]))


@register("outreach.experiments", period=daily)
def record_experiments(period: str) -> dict:
    """Record the outcomes of running reminder experiments known today (set-based, idempotent)."""
    from datetime import date

    from .experiments import record_all

    return record_all(date.fromisoformat(period[:10]))
