from __future__ import annotations

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


def diff(before: dict, after: dict) -> dict:
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
