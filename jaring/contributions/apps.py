from django.apps import AppConfig


class ContributionsConfig(AppConfig):
    name = "jaring.contributions"
    label = "contributions"
    verbose_name = "Iuran"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from .models import ContributionDiscount, ContributionRate, IncomeBand
        from .rates import forget_schedule

        # the per-process schedule cache (rates.current_schedule) forgets on any change of its rows
        for model in (ContributionRate, IncomeBand, ContributionDiscount):
            post_save.connect(forget_schedule, sender=model, dispatch_uid=f"schedule-{model.__name__}-save")
            post_delete.connect(forget_schedule, sender=model, dispatch_uid=f"schedule-{model.__name__}-delete")
        # registers the members' prepaid balances with the ledger's control check
        from . import prepaid  # noqa: F401  (import for its registration; apps are not loaded at module import)
