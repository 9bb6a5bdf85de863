from django.apps import AppConfig


class SponsorsConfig(AppConfig):
    name = "jaring.sponsors"
    label = "sponsors"
    verbose_name = "Sponsor (Sertakan)"
