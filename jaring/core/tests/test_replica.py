"""Report reads from the read replica (jaring.core.replica).

The router tests run everywhere. The ``real_replica`` tests need a streaming replica of the PostgreSQL
under test (``DATABASE_REPLICA_URL``; ``.ci/run`` and ``make replica`` start one with ``.ci/replica``)
and are skipped without it: a dashboard read goes to the replica, a write and the read-your-write after
it go to the primary, a lagging replica (replay paused with ``pg_wal_replay_pause()``) sends the reads to
the primary.
"""

from __future__ import annotations

import csv
import io
import time
from datetime import date

import pytest
from django.conf import settings
from django.db import connections
from django.test.utils import CaptureQueriesContext

from jaring.core import replica
from jaring.core.replica import REPLICA, ReadState, ReplicaRouter, reports

HAS_REPLICA = REPLICA in settings.DATABASES


# --- the router, without a replica ------------------------------------------------------------------

def test_without_a_replica_reports_read_from_the_primary(settings):
    settings.JARING_READ_REPLICA = True
    with reports() as state:
        assert state.alias is None
        assert state.source == "primary"
        assert state.reason == ("no-replica" if not HAS_REPLICA else state.reason)
        assert ReplicaRouter().db_for_read(None) == "default"


def test_router_sends_report_reads_to_the_replica_until_the_block_writes(monkeypatch):
    monkeypatch.setattr(replica, "choose", lambda: ReadState(REPLICA, lag=0.4))
    router = ReplicaRouter()
    assert router.db_for_read(None) == "default"  # outside a report block: the primary
    with reports() as state:
        assert router.db_for_read(None) == REPLICA
        with reports() as inner:  # nested blocks keep the outer decision
            assert inner is state
        assert router.db_for_write(None) == "default"
        # read-your-write: after a write, the rest of the block reads from the primary
        assert router.db_for_read(None) == "default"
        assert (state.source, state.reason) == ("primary", "write")
    assert router.db_for_read(None) == "default"
    assert router.allow_migrate(REPLICA, "members") is False
    assert router.allow_migrate("default", "members") is True


def test_lag_guard_thresholds(monkeypatch, settings):
    monkeypatch.setattr(replica, "configured", lambda: True)
    settings.JARING_REPLICA_MAX_LAG = 30
    monkeypatch.setattr(replica, "replica_lag", lambda: 29.9)
    assert (replica.choose().alias, replica.choose().lag) == (REPLICA, 29.9)
    monkeypatch.setattr(replica, "replica_lag", lambda: 30.1)
    assert (replica.choose().alias, replica.choose().reason) == (None, "lagging")
    monkeypatch.setattr(replica, "replica_lag", lambda: None)
    assert (replica.choose().alias, replica.choose().reason) == (None, "unreachable")


def test_lag_is_measured_once_per_interval(monkeypatch, settings):
    calls = []
    monkeypatch.setattr(replica, "measure_lag", lambda: calls.append(1) or 1.5)
    settings.JARING_REPLICA_CHECK_SECONDS = 60
    replica.forget_lag()
    try:
        assert [replica.replica_lag() for _ in range(5)] == [1.5] * 5
        assert len(calls) == 1
    finally:
        replica.forget_lag()


def test_an_unreachable_replica_is_tried_again_after_30_seconds(monkeypatch, settings):
    calls = []
    monkeypatch.setattr(replica, "measure_lag", lambda: calls.append(1) and None)
    settings.JARING_REPLICA_CHECK_SECONDS = 2
    replica.forget_lag()
    try:
        assert replica.replica_lag() is None and len(calls) == 1
        replica._cache["at"] -= 5  # past the 2 s check interval, within the 30 s retry
        assert replica.replica_lag() is None and len(calls) == 1
        replica._cache["at"] -= 30
        assert replica.replica_lag() is None and len(calls) == 2
    finally:
        replica.forget_lag()


def test_a_replica_that_is_down_sends_reports_to_the_primary(monkeypatch, settings):
    """A real connection attempt to a closed port: the guard answers "unreachable", nothing raises."""
    from django.db import connections as conns

    from django.db.utils import load_backend

    monkeypatch.setattr(replica, "configured", lambda: True)
    settings.JARING_REPLICA_CHECK_SECONDS = 0
    closed = conns.configure_settings({"default": {}, REPLICA: {
        "ENGINE": "django.db.backends.postgresql", "HOST": "127.0.0.1", "PORT": "1", "NAME": "x", "USER": "x",
        "OPTIONS": {"connect_timeout": 2}}})[REPLICA]
    wrapper = load_backend("django.db.backends.postgresql").DatabaseWrapper(closed, alias=REPLICA)
    monkeypatch.setattr(replica, "connections", {REPLICA: wrapper})
    replica.forget_lag()
    try:
        state = replica.choose()
        assert (state.alias, state.reason) == (None, "unreachable")
    finally:
        replica.forget_lag()


# --- a real streaming replica -----------------------------------------------------------------------

DAY = date(2026, 5, 20)


def _wait_for_replay(timeout=20.0):
    """Until the replica has replayed everything the primary has written so far."""
    with connections["default"].cursor() as cur:
        cur.execute("SELECT pg_current_wal_lsn()::text")
        target = cur.fetchone()[0]
    deadline = time.monotonic() + timeout
    while True:
        with connections[REPLICA].cursor() as cur:
            cur.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
            if cur.fetchone()[0]:
                return
        if time.monotonic() > deadline:
            raise AssertionError("the replica did not catch up with the primary")
        time.sleep(0.05)


def _tables(ctx) -> str:
    return " ".join(q["sql"] for q in ctx.captured_queries)


@pytest.fixture
def on_replica(settings):
    settings.JARING_READ_REPLICA = True
    settings.JARING_REPLICA_CHECK_SECONDS = 0
    settings.JARING_REPLICA_MAX_LAG = 30
    replica.forget_lag()
    with connections[REPLICA].cursor() as cur:
        cur.execute("SELECT pg_is_in_recovery()")
        assert cur.fetchone()[0] is True, "DATABASE_REPLICA_URL must point at a standby, not the primary"
    yield
    replica.forget_lag()


@pytest.fixture
def snap(on_replica, make_user):
    from jaring.insights.services import refresh_snapshots
    from jaring.insights.tests.helpers import make_member

    for status in ["active", "active", "active", "inactive"]:
        make_member("63.71.04.1001", status)
    make_member("64.71.01.1001", "active")
    refresh_snapshots(DAY)
    user = make_user("nas", "manager", None)
    _wait_for_replay()
    return user


@pytest.mark.skipif(not HAS_REPLICA, reason="DATABASE_REPLICA_URL not set (make replica)")
@pytest.mark.django_db(transaction=True, databases=["default", REPLICA])
def test_dashboard_export_and_stats_api_read_from_the_replica(client, api_client, snap):
    client.force_login(snap)
    with CaptureQueriesContext(connections[REPLICA]) as on_rep, \
            CaptureQueriesContext(connections["default"]) as on_pri:
        r = client.get("/insights/", {"level": "national"})
    assert r.status_code == 200
    assert r.headers["X-Jaring-Read-From"] == "replica"
    assert float(r.headers["X-Jaring-Replica-Lag"]) <= 30
    assert "insights_areasnapshot" in _tables(on_rep)
    assert "insights_areasnapshot" not in _tables(on_pri)  # the primary only served the session and user

    with CaptureQueriesContext(connections[REPLICA]) as on_rep:
        r = client.get("/insights/ekspor/areas.csv", {"level": "regional", "code": "KW-KALIMANTAN"})
    assert r.status_code == 200 and r.headers["X-Jaring-Read-From"] == "replica"
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert [(row[0], row[2], row[3]) for row in rows[1:]] == [("KC-6371", "3", "1"), ("KC-6471", "1", "0")]
    assert "insights_areasnapshot" in _tables(on_rep)

    with CaptureQueriesContext(connections[REPLICA]) as on_rep:
        r = api_client(snap).get("/api/v1/stats/coverage", {"level": "province"})
    assert r.status_code == 200
    rows = {row["code"]: row for row in r.json()}
    assert (rows["63"]["active"], rows["63"]["inactive"], rows["64"]["active"]) == (3, 1, 1)
    assert "insights_areasnapshot" in _tables(on_rep)


@pytest.mark.skipif(not HAS_REPLICA, reason="DATABASE_REPLICA_URL not set (make replica)")
@pytest.mark.django_db(transaction=True, databases=["default", REPLICA])
def test_a_write_and_the_read_after_it_go_to_the_primary(snap):
    from jaring.members.models import Member

    member = Member.objects.order_by("pk").first()
    _pause_replay()
    try:
        with reports() as state, CaptureQueriesContext(connections[REPLICA]) as on_rep, \
                CaptureQueriesContext(connections["default"]) as on_pri:
            assert state.source == "replica"
            m = Member.objects.get(pk=member.pk)  # a report read: the replica
            assert m._state.db == REPLICA
            m.name = "Nama Baru Sekali"
            m.save(update_fields=["name"])  # the write: the primary
            again = Member.objects.get(pk=member.pk)  # read-your-write: the primary, replica is paused
            assert again._state.db == "default" and again.name == "Nama Baru Sekali"
            assert state.reason == "write"
        assert "members_member" in _tables(on_rep) and "UPDATE" not in _tables(on_rep)
        assert 'UPDATE "members_member"' in _tables(on_pri)
        # the paused replica still has the old name: the read above could only have come from the primary
        assert Member.objects.using(REPLICA).get(pk=member.pk).name == member.name
    finally:
        _resume_replay()
    _wait_for_replay()
    assert Member.objects.using(REPLICA).get(pk=member.pk).name == "Nama Baru Sekali"


def _pause_replay():
    with connections[REPLICA].cursor() as cur:
        cur.execute("SELECT pg_wal_replay_pause()")


def _resume_replay():
    with connections[REPLICA].cursor() as cur:
        cur.execute("SELECT pg_wal_replay_resume()")


@pytest.mark.skipif(not HAS_REPLICA, reason="DATABASE_REPLICA_URL not set (make replica)")
@pytest.mark.django_db(transaction=True, databases=["default", REPLICA])
def test_a_lagging_replica_sends_report_reads_to_the_primary(client, settings, snap):
    from jaring.insights.tests.helpers import make_member

    settings.JARING_REPLICA_MAX_LAG = 1
    client.force_login(snap)
    _pause_replay()
    try:
        make_member("63.71.04.1002", "active")  # written on the primary, received but not replayed
        time.sleep(1.5)
        lag = replica.measure_lag()
        assert lag is not None and lag > 1
        with CaptureQueriesContext(connections[REPLICA]) as on_rep, \
                CaptureQueriesContext(connections["default"]) as on_pri:
            r = client.get("/insights/", {"level": "national"})
        assert r.status_code == 200
        assert r.headers["X-Jaring-Read-From"] == "primary"
        assert float(r.headers["X-Jaring-Replica-Lag"]) > 1
        assert "insights_areasnapshot" in _tables(on_pri)
        assert "insights_areasnapshot" not in _tables(on_rep)
    finally:
        _resume_replay()
    _wait_for_replay()
    replica.forget_lag()
    settings.JARING_REPLICA_MAX_LAG = 30
    r = client.get("/insights/", {"level": "national"})
    assert r.headers["X-Jaring-Read-From"] == "replica"  # caught up: back on the replica
