from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "jaring.core"
    label = "core"
    verbose_name = "Inti"
