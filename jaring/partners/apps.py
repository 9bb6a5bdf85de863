from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "jaring.partners"
    label = "partners"
    verbose_name = "Mitra & paket (bundle)"
