from django.apps import AppConfig


class FieldConfig(AppConfig):
    name = "jaring.field"
    label = "field"
    verbose_name = "Aplikasi lapangan"
