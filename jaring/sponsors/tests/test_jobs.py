"""The worker's schedule runs the sponsors' and agents' jobs once per period."""

from datetime import datetime

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_jobs_registered_and_run_once(sponsor_factory):
    from jaring.core import jobs
    from jaring.core.plugins import modules

    list(modules("jobs"))
    names = {j.name for j in jobs.REGISTRY}
    assert {"sponsors.renewal_reminders", "sponsors.end_sponsorships", "agents.commissions"} <= names
    now = timezone.make_aware(datetime(2026, 6, 1, 1, 0))
    done = {name: (period, result) for name, period, result in jobs.run_due(now)}
    assert done["agents.commissions"][0] == "2026-06" and done["agents.commissions"][1]["month"] == "2026-05"
    assert done["sponsors.end_sponsorships"] == ("2026-06-01", {"ended": 0, "invited": 0})
    assert "agents.commissions" not in {n for n, _p, _r in jobs.run_due(now)}
