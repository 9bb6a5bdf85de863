from django.apps import AppConfig


class ContributionsConfig(AppConfig):
    name = "jaring.contributions"
    label = "contributions"
    verbose_name = "Iuran"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from .rates import forget_schedule

        for name in ("ContributionRate", "IncomeBand", "ContributionDiscount"):
            model = self.get_model(name)
            post_save.connect(forget_schedule, sender=model, dispatch_uid=f"forget-schedule-save-{name}")
            post_delete.connect(forget_schedule, sender=model, dispatch_uid=f"forget-schedule-delete-{name}")
        # registers the members' prepaid balances with the ledger's control check
        from . import prepaid  # noqa: F401  (import for its registration; apps are not loaded at module import)
