from django.apps import AppConfig


class SavingsConfig(AppConfig):
    name = "jaring.savings"
    label = "savings"
    verbose_name = "Saldo JHT"
