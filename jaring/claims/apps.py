from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "jaring.claims"
    label = "claims"
    verbose_name = "Klaim"

    def ready(self):
        from . import bookkeeping  # the ledger's control checks, registered once the models are loaded

        bookkeeping.register()
