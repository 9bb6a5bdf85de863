from django.apps import AppConfig


class SnapConfig(AppConfig):
    name = "jaring.snap"
    label = "snap"
    verbose_name = "SNAP"
    default_auto_field = "django.db.models.BigAutoField"
