from django.apps import AppConfig


class SavingsConfig(AppConfig):
    name = "jaring.savings"
    label = "savings"
    verbose_name = "Saldo JHT"

    def ready(self):
        from . import bookkeeping  # the ledger's control checks, registered once the models are loaded

        bookkeeping.register()
