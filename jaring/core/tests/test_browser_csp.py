"""Browser: the pages work under the Content-Security-Policy (no violation reported, scripts run)."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "benar-sekali-99"


def _watch(page):
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.add_init_script("document.addEventListener('securitypolicyviolation', e => "
                         "console.error('Content Security Policy violation: ' + e.violatedDirective + ' ' + "
                         "e.blockedURI));")
    return violations


def test_public_and_staff_pages_pass_the_csp(live_server, strict_page, make_user):
    page = strict_page
    violations = _watch(page)
    base = live_server.url
    page.goto(base + "/")
    # the calculator's slider writes Rupiah through behaviours.js (no inline handler)
    slider = page.locator("[data-rupiah-output]")
    assert slider.count() == 1
    slider.evaluate("el => { el.value = 2000000; el.dispatchEvent(new Event('input', {bubbles: true})); }")
    assert page.locator("#income-out").text_content().strip() == "2.000.000"
    page.goto(base + "/members/daftar/")
    page.goto(base + "/claims/simulasi")
    page.goto(base + "/tidak-ada")
    assert page.locator("[data-testid=error-page]").is_visible()
    make_user("manajer_csp", "manager", None, password=PASSWORD)
    page.goto(base + "/masuk")
    page.fill("input[name=username]", "manajer_csp")
    page.fill("input[name=password]", PASSWORD)
    page.click("[data-testid=login-submit]")
    page.wait_for_selector("[data-testid=home-title]")
    page.goto(base + "/insights/")
    page.locator("#chart-monthly").scroll_into_view_if_needed()  # charts load when they come into view
    page.wait_for_selector("#chart-monthly canvas")  # echarts ran from the nonce'd inline script
    assert violations == []
