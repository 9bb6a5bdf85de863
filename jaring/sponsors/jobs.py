"""Daily: renewal reminders to sponsors before a period ends; close ended sponsorships and invite the
workers to continue paying themselves (outbox ``sponsors.Notice``)."""

from datetime import date

from jaring.core.jobs import daily, register


@register("sponsors.renewal_reminders", period=daily)
def renewal_reminders(period: str) -> dict:
    from .services import send_renewal_reminders

    return send_renewal_reminders(date.fromisoformat(period))


@register("sponsors.end_sponsorships", period=daily)
def end_sponsorships(period: str) -> dict:
    from .services import end_sponsorships as end

    return end(date.fromisoformat(period))
