from django.apps import AppConfig


class ContributionsConfig(AppConfig):
    name = "jaring.contributions"
    label = "contributions"
    verbose_name = "Iuran"

    def ready(self):
        # why: registrations with lower apps (members, ledger) need this app's models loaded
        from jaring.core import events
        from jaring.members import pricing
        from jaring.members import services as members

        from . import bookkeeping, money, seed, selectors, services

        bookkeeping.register()
        pricing.register(schedule=services.current_schedule, quote=services.quote_contribution,
                         coverage_on=selectors.coverage_on, income_error=money.income_error)
        events.subscribe(members.MEMBER_REACTIVATED, services.on_member_reactivated, when="now")
        events.subscribe(members.MEMBERS_SEEDED, seed.on_members_seeded, when="now")
