"""Each domain app may contribute pieces by module name; the project collects them here.

- ``<app>/urls.py``  ``urlpatterns`` mounted at ``/<app>/`` (``app_name`` = the app label)
- ``<app>/api.py``   ``router`` (a ninja Router) mounted at ``/api/v1/``
- ``<app>/cli.py``   ``register(subparsers)`` adding ``jaring`` subcommands
- ``<app>/nav.py``   ``ITEMS``: ``[(label, url_name, roles)]`` for the menu and home page
- ``<app>/jobs.py``  registers periodic jobs with ``jaring.core.jobs.register``
- ``<app>/demo.py``  ``load(stdout)`` called by ``jaring demo`` (in this order)
"""

from __future__ import annotations

import importlib
from importlib.util import find_spec

DOMAIN_APPS = ["regions", "members", "contributions", "sponsors", "agents", "outreach", "claims", "savings",
               "insights", "ledger", "communities", "partners", "snap", "field"]


def modules(name: str):
    for app in DOMAIN_APPS:
        dotted = f"jaring.{app}.{name}"
        if find_spec(dotted) is not None:
            yield app, importlib.import_module(dotted)
