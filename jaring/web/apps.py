from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "jaring.web"
    label = "web"
    verbose_name = "Halaman"
