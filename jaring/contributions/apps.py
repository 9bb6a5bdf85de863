from django.apps import AppConfig

from jaring.core import events


class ContributionsConfig(AppConfig):
    name = "jaring.contributions"
    label = "contributions"
    verbose_name = "Iuran"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from .models import ContributionDiscount, ContributionRate, IncomeBand
        from .rates import forget_schedule

        # the per-process schedule cache (rates.current_schedule) forgets on any change of its rows
        for model in (ContributionRate, IncomeBand, ContributionDiscount):
            post_save.connect(forget_schedule, sender=model, dispatch_uid=f"schedule-{model.__name__}-save")
            post_delete.connect(forget_schedule, sender=model, dispatch_uid=f"schedule-{model.__name__}-delete")
        # registers the members' prepaid balances with the ledger's control check
        from . import prepaid  # noqa: F401  (import for its registration; apps are not loaded at module import)

        # registrations with lower apps (members, ledger): they need the models loaded
        from jaring.members import pricing, services as members  # why: needs the models loaded

        from . import bookkeeping, money, seed, selectors, services

        bookkeeping.register()
        pricing.register(schedule=services.current_schedule, quote=services.quote_contribution,
                         coverage_on=selectors.coverage_on, income_error=money.income_error)
        events.subscribe(members.MEMBER_REACTIVATED, services.on_member_reactivated, when="now")
        events.subscribe(members.MEMBERS_SEEDED, seed.on_members_seeded, when="now")
        events.subscribe(members.MEMBER_CONTINUED, services.on_member_continued, when="now")
        events.subscribe(members.MEMBER_CONTINUATION_UNDONE, services.on_member_continuation_undone, when="now")
