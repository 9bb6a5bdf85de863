"""Shared test fixtures: users per role, API clients with tokens, Debian's chromium via Playwright."""

import os
import shutil

import pytest


@pytest.fixture
def make_user(db):
    from jaring.accounts.services import create_user

    def _make(username="u", role="officer", office="KC-6371", password="rahasia-sekali-9"):
        return create_user(username, password, role, office)
    return _make


@pytest.fixture
def api_client(db):
    """``api_client(user)`` → a Django test client sending ``Authorization: Bearer <token>``."""
    from django.test import Client

    from jaring.accounts.services import create_token

    def _client(user=None):
        if user is None:
            return Client()
        token = create_token(user.username)
        return Client(headers={"Authorization": f"Bearer {token}"})
    return _client


CHROMIUM = os.environ.get("JARING_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def chromium():
    """Debian's chromium driven by Playwright (never a downloaded browser)."""
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} not found: apt-get install -y chromium (make test does this as root)")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        # Test harness waits (wait_for_function) evaluate strings in the page, which the app's CSP forbids
        # ('unsafe-eval' is not allowed). Contexts therefore bypass the CSP unless a test asks otherwise; the
        # CSP itself is checked with strict contexts (the ``strict_page`` fixture, test_browser_csp.py).
        new_context = browser.new_context

        def _new_context(**kwargs):
            kwargs.setdefault("bypass_csp", True)
            return new_context(**kwargs)

        browser.new_context = _new_context
        yield browser
        browser.close()


@pytest.fixture
def strict_page(chromium):
    """A page that keeps the app's Content-Security-Policy in force (no bypass)."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID", bypass_csp=False)
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    context.close()


@pytest.fixture
def page(chromium, tmp_path):
    """A fresh browser page; ``page.shot(name)`` saves a screenshot under the test's temp dir."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    pg = context.new_page()
    pg.set_default_timeout(15000)

    def shot(name):
        path = tmp_path / f"{name}.png"
        pg.screenshot(path=str(path), full_page=True)
        return path
    pg.shot = shot
    yield pg
    context.close()


@pytest.fixture
def phone_page(chromium, tmp_path):
    """A 390×844 phone viewport page."""
    context = chromium.new_context(viewport={"width": 390, "height": 844}, locale="id-ID", is_mobile=True,
                                   has_touch=True)
    pg = context.new_page()
    pg.set_default_timeout(15000)

    def shot(name):
        path = tmp_path / f"{name}.png"
        pg.screenshot(path=str(path), full_page=True)
        return path
    pg.shot = shot
    yield pg
    context.close()


def _wants_db(request) -> str | None:
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    if (marker and marker.kwargs.get("transaction")) or {"transactional_db", "live_server"} & names:
        return "transactional_db"
    if marker or {"db", "django_db_setup"} & names:
        return "db"
    return None


def _replay_data_migrations():
    """Run again every RunPython step of the project's migrations (all are idempotent loaders:
    regions, offices, rate tables, system channels, the KPJ serial row, JHT return rates …)."""
    from django.apps import apps as global_apps
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations.special import RunPython

    loader = MigrationLoader(connection)
    seen = set()
    for key in loader.graph.leaf_nodes():
        for app_label, name in loader.graph.forwards_plan(key):
            if (app_label, name) in seen:
                continue
            seen.add((app_label, name))
            if not app_label or app_label not in {a.label for a in global_apps.get_app_configs()
                                                  if a.name.startswith("jaring.")}:
                continue
            for op in loader.get_migration(app_label, name).operations:
                if isinstance(op, RunPython):
                    op.code(global_apps, None)


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Reference data comes from data migrations; a transactional test's flush empties those tables,
    so replay the data migrations before the next test that needs a database."""
    kind = _wants_db(request)
    if kind is None:
        return
    request.getfixturevalue(kind)
    from jaring.core.models import JobRun  # noqa: F401  (apps are ready)
    from jaring.regions.models import Region

    if not Region.objects.filter(level=4).exists():
        _replay_data_migrations()
