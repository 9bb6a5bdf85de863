from django.apps import AppConfig

from jaring.core import events


class AgentsConfig(AppConfig):
    name = "jaring.agents"
    label = "agents"
    verbose_name = "Agen Perisai"

    def ready(self):
        # registrations with lower apps (members, ledger): they need the models loaded
        from jaring.members import selectors as members_selectors, services as members  # why: needs the models loaded

        from . import bookkeeping, services

        bookkeeping.register()
        events.subscribe(members.MEMBER_REGISTERED_BY_AGENT, services.on_member_registered, when="now")
        members_selectors.register_attributed_members("agent", services.attributed_member_ids)
