from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "jaring.insights"
    label = "insights"
    verbose_name = "Dasbor"
