from django.apps import AppConfig


class CommunitiesConfig(AppConfig):
    name = "jaring.communities"
    label = "communities"
    verbose_name = "Wadah komunitas"
