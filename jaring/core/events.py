"""Domain events: how a lower app lets higher ones react, without importing them (docs/architecture.md).

An app that owns a fact publishes it (``publish("payment.posted", payment=p)``); apps above it subscribe in
their ``AppConfig.ready``. Two kinds of handler:

* ``when="commit"`` (the default): a reaction after the fact (snapshots, messages, …), run by
  ``transaction.on_commit`` once the publisher's transaction commits, never if it rolls back;
* ``when="now"``: part of the same change (re-pricing a member's open bills when the member is
  reactivated, …), run at once inside the publisher's transaction, so it commits or rolls back with it.
  ``publish`` returns their results, in subscription order.
"""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction

_HANDLERS: dict[str, list[tuple[object, str]]] = defaultdict(list)


def subscribe(name: str, handler, *, when: str = "commit"):
    """Call ``handler(**payload)`` for every ``publish(name, **payload)``. Idempotent per handler."""
    if when not in ("commit", "now"):
        raise ValueError(f"when must be 'commit' or 'now', not {when!r}")
    if (handler, when) not in _HANDLERS[name]:
        _HANDLERS[name].append((handler, when))
    return handler


def publish(name: str, **payload) -> list:
    """Run the ``now`` handlers (their results are returned) and schedule the ``commit`` ones."""
    results = []
    for handler, when in list(_HANDLERS.get(name, ())):
        if when == "now":
            results.append(handler(**payload))
        else:
            transaction.on_commit(lambda h=handler: h(**payload))
    return results


def first(name: str, default=None, **payload):
    """The first ``now`` handler's result (an answer only a higher app can give), or ``default``."""
    results = publish(name, **payload)
    return results[0] if results else default


def subscribers(name: str) -> list:
    return [h for h, _w in _HANDLERS.get(name, ())]
