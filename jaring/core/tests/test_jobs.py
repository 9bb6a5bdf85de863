from datetime import datetime, timezone as tz

import pytest

from jaring.core import jobs
from jaring.core.models import JobRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(monkeypatch):
    monkeypatch.setattr(jobs, "REGISTRY", [])
    return jobs.REGISTRY


def test_a_job_runs_once_per_period(registry):
    calls = []
    jobs.register("billing-test", jobs.monthly)(lambda period: calls.append(period) or {"bills": 3})
    now = datetime(2026, 5, 2, 3, 0, tzinfo=tz.utc)
    assert jobs.run_due(now) == [("billing-test", "2026-05", {"bills": 3})]
    assert jobs.run_due(now) == []  # a restart or a second worker does nothing
    assert calls == ["2026-05"]
    jobs.run_due(datetime(2026, 6, 1, 3, 0, tzinfo=tz.utc))
    assert calls == ["2026-05", "2026-06"]
    assert JobRun.objects.get(job="billing-test", period="2026-05").result == {"bills": 3}


def test_a_failed_job_is_retried_next_tick(registry):
    attempts = []

    def flaky(period):
        attempts.append(period)
        if len(attempts) == 1:
            raise RuntimeError("database busy")
        return {"ok": 1}
    jobs.register("flaky", jobs.daily)(flaky)
    now = datetime(2026, 5, 2, 3, 0, tzinfo=tz.utc)
    assert jobs.run_due(now) == []
    assert jobs.run_due(now) == [("flaky", "2026-05-02", {"ok": 1})]
    assert attempts == ["2026-05-02", "2026-05-02"]


def test_audit_diff_and_record(make_user):
    from jaring.core.audit import diff, record
    from jaring.core.models import AuditEvent

    u = make_user("auditor", "admin", None)
    changes = diff({"phone": "+6281", "income": 1_000_000}, {"phone": "+6282", "income": 1_000_000})
    assert changes == {"phone": ["+6281", "+6282"]}
    ev = record(u, "member.update", object_type="members.member", object_id="12345678901", changes=changes)
    assert AuditEvent.objects.filter(pk=ev.pk, actor=u, action="member.update").exists()
