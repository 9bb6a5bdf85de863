from django.apps import AppConfig


class SponsorsConfig(AppConfig):
    name = "jaring.sponsors"
    label = "sponsors"
    verbose_name = "Sponsor (Sertakan)"

    def ready(self):
        # registrations with lower apps (members, ledger): they need the models loaded
        from jaring.members import selectors as members_selectors, services as members  # why: needs the models loaded
        from jaring.members.models import Channel  # why: needs the models loaded

        from . import bookkeeping, services

        bookkeeping.register()
        members.register_registrar(Channel.SPONSOR_IMPORT, services.add_worker_for_user)
        members_selectors.register_attributed_members("sponsor", services.attributed_member_ids)
