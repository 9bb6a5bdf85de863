from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "jaring.ledger"
    label = "ledger"
    verbose_name = "Jurnal keuangan"
