from django.apps import AppConfig


class AgentsConfig(AppConfig):
    name = "jaring.agents"
    label = "agents"
    verbose_name = "Agen Perisai"
