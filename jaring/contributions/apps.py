from django.apps import AppConfig


class ContributionsConfig(AppConfig):
    name = "jaring.contributions"
    label = "contributions"
    verbose_name = "Iuran"

    def ready(self):
        # registers the members' prepaid balances with the ledger's control check
        from . import prepaid  # noqa: F401  (import for its registration; apps are not loaded at module import)
