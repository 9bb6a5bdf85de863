from django.apps import AppConfig


class AgentsConfig(AppConfig):
    name = "jaring.agents"
    label = "agents"
    verbose_name = "Agen Perisai"

    def ready(self):
        # why: registrations with lower apps (members, ledger) need this app's models loaded
        from jaring.core import events
        from jaring.members import selectors as members_selectors
        from jaring.members import services as members

        from . import bookkeeping, services

        bookkeeping.register()
        events.subscribe(members.MEMBER_REGISTERED_BY_AGENT, services.on_member_registered, when="now")
        members_selectors.register_attributed_members("agent", services.attributed_member_ids)
