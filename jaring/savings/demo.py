"""Demo JHT balances: credit paid contributions and last year's declared return (both idempotent)."""


def load(progress=None) -> dict:
    from django.utils import timezone

    from .services import credit_contributions, credit_returns

    out = credit_contributions()
    year = timezone.localdate().year - 1
    returns = credit_returns(year)
    return {"jht_accounts_opened": out["accounts_opened"], "jht_contributions_credited": out["contributions_credited"],
            "jht_returns_credited": returns["accounts_credited"], "jht_return_year": year}
