"""Daily: credit paid JHT contributions. Each January: credit last year's declared return. Whenever an admin
enters a declared rate for a year already credited: post the difference (``recompute_returns``)."""

from jaring.core.jobs import daily, register


@register("savings.credit_contributions", period=daily)
def credit_contributions_job(period):
    from .services import credit_contributions

    return credit_contributions()


def last_year_in_january(now):
    return str(now.year - 1) if now.month == 1 else None


@register("savings.credit_returns", period=last_year_in_january)
def credit_returns_job(period):
    from .services import credit_returns

    return credit_returns(int(period))


def changed_rate(now):
    """Due when an admin has entered a rate that differs from the one a credited year was computed with;
    the key names the change, so each change is recomputed once (and the run itself is idempotent)."""
    from django.db.models import F

    from .models import ReturnRate

    row = (ReturnRate.objects.filter(applied_rate_bp__isnull=False).exclude(applied_rate_bp=F("rate_bp"))
           .order_by("year").values_list("year", "applied_rate_bp", "rate_bp").first())
    return None if row is None else f"{row[0]}:{row[1]}->{row[2]}"


@register("savings.recompute_returns", period=changed_rate)
def recompute_returns_job(period):
    from .services import recompute_changed_rates

    return recompute_changed_rates()
