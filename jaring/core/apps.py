from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "jaring.core"
    label = "core"
    verbose_name = "Inti"

    def ready(self):
        from .calendar import install

        install()  # due dates follow the holiday table (core.Holiday), not a hard-coded list
