"""Report reads from a PostgreSQL read replica (``DATABASE_REPLICA_URL``), with a lag guard.

Nothing reads from the replica unless it asks to: dashboards, the stats API, exports and report
queries run inside :func:`reports` (a context manager) or :func:`reads_from_replica` (a view
decorator). Everything else — every write, and every read that must see a write just made — stays on
the primary, because the router only sends *reads* to the replica while such a block is open, and only
until the block writes something (after a write, the rest of the block reads from the primary too).

The lag guard: when the replica is behind by more than ``JARING_REPLICA_MAX_LAG`` seconds (default 30),
cannot be reached, or is not configured, the block reads from the primary instead. The lag is measured
on the replica (time since the last replayed commit, 0 when it has replayed all it received) and kept
for ``JARING_REPLICA_CHECK_SECONDS`` (default 2) per process, so a busy dashboard costs one extra query
every two seconds, not one per request. Where the figures were read from, and how old the replica was,
is in :func:`current` (and in the ``X-Jaring-Read-From`` / ``X-Jaring-Replica-Lag`` response headers of
decorated views).
"""

from __future__ import annotations

import contextvars
import functools
import logging
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

log = logging.getLogger(__name__)

REPLICA = "replica"

LAG_SQL = """SELECT CASE
    WHEN NOT pg_is_in_recovery() THEN 0
    WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0
    ELSE COALESCE(EXTRACT(EPOCH FROM (clock_timestamp() - pg_last_xact_replay_timestamp())), 0)
END"""


@dataclass
class ReadState:
    """Where the reads of one report block go; ``alias`` None means the primary."""

    alias: str | None
    lag: float | None = None  # seconds the replica was behind when the block started (None: not measured)
    reason: str = ""  # why the primary serves the block: "", "no-replica", "lagging", "unreachable", "write"

    @property
    def source(self) -> str:
        return "replica" if self.alias else "primary"


_state: contextvars.ContextVar[ReadState | None] = contextvars.ContextVar("jaring_report_reads", default=None)
_lock = threading.Lock()
_cache: dict = {"at": 0.0, "lag": None}


def configured() -> bool:
    return REPLICA in settings.DATABASES and getattr(settings, "JARING_READ_REPLICA", True)


def max_lag() -> float:
    return float(getattr(settings, "JARING_REPLICA_MAX_LAG", 30))


def measure_lag() -> float | None:
    """Seconds the replica is behind now (a query on the replica); None when it cannot be reached."""
    try:
        with connections[REPLICA].cursor() as cur:
            cur.execute(LAG_SQL)
            return float(cur.fetchone()[0] or 0)
    except Exception as e:  # noqa: BLE001 - a replica that is down must never take the reports down
        log.warning("read replica unreachable, reports read from the primary: %s", e)
        try:
            connections[REPLICA].close()
        except Exception:  # noqa: BLE001
            pass
        return None


UNREACHABLE_RETRY_SECONDS = 30


def replica_lag() -> float | None:
    """The replica's lag, measured at most every ``JARING_REPLICA_CHECK_SECONDS`` per process; after the
    replica could not be reached, tried again only after ``UNREACHABLE_RETRY_SECONDS`` (a replica that is
    down costs one connection attempt per process every 30 s, not one per report)."""
    ttl = float(getattr(settings, "JARING_REPLICA_CHECK_SECONDS", 2))
    now = time.monotonic()
    with _lock:
        wait = ttl if _cache["lag"] is not None or ttl <= 0 else max(ttl, UNREACHABLE_RETRY_SECONDS)
        if ttl > 0 and _cache["at"] and now - _cache["at"] < wait:
            return _cache["lag"]
    lag = measure_lag()
    with _lock:
        _cache.update(at=time.monotonic(), lag=lag)
    return lag


def forget_lag() -> None:
    """Drop the cached lag (tests; after failing over)."""
    with _lock:
        _cache.update(at=0.0, lag=None)


def choose() -> ReadState:
    if not configured():
        return ReadState(None, reason="no-replica")
    lag = replica_lag()
    if lag is None:
        return ReadState(None, reason="unreachable")
    if lag > max_lag():
        return ReadState(None, lag=lag, reason="lagging")
    return ReadState(REPLICA, lag=lag)


def current() -> ReadState | None:
    """The open report block's state (None outside :func:`reports`)."""
    return _state.get()


@contextmanager
def reports():
    """Reads inside go to the replica when it is fresh enough (see the module docstring)."""
    outer = _state.get()
    if outer is not None:  # nested: keep the outer decision
        yield outer
        return
    state = choose()
    token = _state.set(state)
    try:
        yield state
    finally:
        _state.reset(token)


def reads_from_replica(view):
    """View decorator: the view's reads go through :func:`reports`; the response says where from."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        with reports() as state:
            request.read_state = state
            response = view(request, *args, **kwargs)
        if hasattr(response, "headers"):
            response.headers["X-Jaring-Read-From"] = state.source
            if state.lag is not None:
                response.headers["X-Jaring-Replica-Lag"] = f"{state.lag:.1f}"
        return response

    return wrapper


class ReplicaRouter:
    """``DATABASE_ROUTERS`` entry: replica for reads inside :func:`reports`, the primary for the rest."""

    def db_for_read(self, model, **hints):
        state = _state.get()
        if state is not None and state.alias:
            return state.alias
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        state = _state.get()
        if state is not None and state.alias:
            # read-your-write: once a report block writes, its later reads go to the primary too
            state.alias, state.reason = None, "write"
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a physical copy of the primary: same rows, same ids

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS
