"""Daily: credit paid JHT contributions. Each January: credit last year's declared return."""

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
