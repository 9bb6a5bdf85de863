"""One browser test on Debian's chromium: log in and see the home page."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_logs_in_and_sees_home(live_server, page, make_user):
    make_user("petugas_b", "officer", "KC-6371", password="benar-sekali-99")
    page.goto(live_server.url + "/masuk")
    page.fill("input[name=username]", "petugas_b")
    page.fill("input[name=password]", "benar-sekali-99")
    page.click("[data-testid=login-submit]")
    page.wait_for_selector("[data-testid=home-title]")
    assert "petugas_b" in page.inner_text("[data-testid=home-title]")
    assert "Kantor Cabang Banjarmasin" in page.content()
    shot = page.shot("home")
    assert shot.exists() and shot.stat().st_size > 1000


def test_calculator_live_quote(live_server, page):
    page.goto(live_server.url + "/?month=2025-06")
    page.wait_for_selector("[data-testid=quote-total]")
    page.check("input[name=jht]")
    # expect() polls without eval (the Content-Security-Policy forbids the eval wait_for_function uses)
    expect(page.locator("[data-testid=quote-total]")).to_contain_text("36")
    assert page.inner_text("[data-testid=quote-total]").replace(".", ",") == "Rp36,800"
