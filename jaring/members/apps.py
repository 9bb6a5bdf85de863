from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "jaring.members"
    label = "members"
    verbose_name = "Peserta"
