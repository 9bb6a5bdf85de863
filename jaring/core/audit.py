from __future__ import annotations

from django.db import connection

from .models import AuditEvent


def record(actor, action: str, obj=None, *, object_type: str = "", object_id: str = "",
           changes: dict | None = None, note: str = "") -> AuditEvent:
    """Append one audit event. ``changes`` is ``{field: [old, new]}`` for updates."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(actor=user, action=action, object_type=object_type,
                                     object_id=str(object_id), changes=changes or {}, note=note)


def event(actor, action: str, obj, *, changes: dict | None = None, note: str = "") -> AuditEvent:
    """An unsaved audit event for :func:`record_many` (``actor``: a user, or None for the system)."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent(actor=user, action=action, object_type=obj._meta.label_lower, object_id=str(obj.pk),
                      changes=changes or {}, note=note)


def record_many(events, batch_size: int = 2000) -> None:
    """Append many audit events at once (bulk paths: imports, seeding)."""
    AuditEvent.objects.bulk_create(events, batch_size=batch_size)


def record_set(cur, action: str, object_type: str, ids_sql: str, params, *, at, changes: str, note: str) -> int:
    """Set-based: one system event (no actor) per id selected by ``ids_sql`` (its ``params``), with the
    same ``changes`` (a JSON text) and ``note``, created at ``at``. Returns the number of events."""
    cast = "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"
    cur.execute(f"""INSERT INTO {AuditEvent._meta.db_table}
                        (created_at, actor_id, action, object_type, object_id, changes, note)
                    SELECT %s, NULL, %s, %s, CAST(x.id AS varchar(20)), {cast}, %s FROM ({ids_sql}) x""",
                [at, action, object_type, changes, note, *params])
    return max(cur.rowcount, 0)


def diff(before: dict, after: dict) -> dict:
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
