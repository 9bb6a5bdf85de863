"""A banner for admins while the latest daily trial balance shows a difference (never silent)."""

from jaring.accounts import policy


def trial_balance_alert(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    if not policy.allowed(user, "ledger.alert"):
        return {}
    from .models import TrialBalanceRun

    last = TrialBalanceRun.objects.order_by("-on").first()
    return {"ledger_alert": last} if last is not None and not last.ok else {}
