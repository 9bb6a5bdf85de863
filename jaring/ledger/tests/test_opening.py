"""Upgrading: existing records become one opening entry that balances and ties every check (ledger.0002)."""

import importlib

import pytest
from django.apps import apps as global_apps
from django.utils import timezone

from jaring.ledger.models import Entry, Line
from jaring.ledger.selectors import is_ok, trial_balance

pytestmark = pytest.mark.django_db


def test_existing_money_becomes_one_balanced_opening_entry(member, bank):
    from jaring.agents import services as agents
    from jaring.agents.tests.helpers import make_agent
    from jaring.contributions.services import post_payment
    from jaring.savings.services import credit_contributions

    a, b = member(), member(jht=True)
    post_payment(member=a, months=3, amount=50_400, channel=bank, reference="O-1", paid_at="2026-01-03T09:00",
                 source="notification")
    post_payment(member=b, months=1, amount=36_800, channel="BRANCH", reference="O-2", paid_at="2026-01-03T09:00",
                 source="branch")
    agent = make_agent()
    c = member()
    agents.attribute_member(c, agent)
    agents.collect(agent, c, 1, amount=16_800)
    agents.run_commissions(timezone.localdate().replace(day=1), today=timezone.localdate())
    credit_contributions()
    expected = {x["code"]: x["balance"] for x in trial_balance()["accounts"] if x["balance"]}
    # an installation from before the journal: the same records, no journal at all
    Line.objects.all().delete()
    Entry.objects.all().delete()
    assert not is_ok(trial_balance())
    migration = importlib.import_module("jaring.ledger.migrations.0002_chart_and_opening")
    migration.forwards(global_apps, None)
    migration.forwards(global_apps, None)  # a second run books nothing more
    assert Entry.objects.filter(kind="opening").count() == 1 and Entry.objects.count() == 2  # + the month's commission
    tb = trial_balance()
    # debit balances: bank channel Rp50,400 + its Rp1,500 fee, branch Rp36,800, agent cash Rp16,800,
    # commission 7.5% = Rp1,260, JHT credited Rp20,000
    assert is_ok(tb) and tb["debits"] == 50_400 + 1_500 + 36_800 + 16_800 + 1_260 + 20_000 == 126_760
    assert {x["code"]: x["balance"] for x in tb["accounts"] if x["balance"]} == expected
    # a re-run of the month after the upgrade books only a difference (none here)
    agents.run_commissions(timezone.localdate().replace(day=1), today=timezone.localdate())
    assert is_ok(trial_balance()) and Entry.objects.count() == 2
