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
        yield browser
        browser.close()


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


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Reference data (regions, offices, rate tables) comes from data migrations; a transactional test's
    flush empties those tables, so put them back before the next test that needs a database."""
    kind = _wants_db(request)
    if kind is None:
        return
    request.getfixturevalue(kind)
    from jaring.contributions.models import ContributionRate
    from jaring.regions.models import Region

    if not Region.objects.filter(level=4).exists() or not ContributionRate.objects.exists():
        from jaring.contributions.rates import load_schedule_rows
        from jaring.regions.loader import load_regions

        load_regions()
        load_schedule_rows()
