from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "jaring.regions"
    label = "regions"
    verbose_name = "Wilayah dan kantor"
