"""Browser (Debian's chromium, a 360×740 phone): the treasurer's monthly round — see who has paid, tick the
members who handed over their money, record one transfer, register a new member."""

import pytest

from jaring.agents.tests.helpers import PASSWORD, nik

from .helpers import collective, fill, officer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(chromium, tmp_path):
    context = chromium.new_context(viewport={"width": 360, "height": 740}, locale="id-ID", is_mobile=True,
                                   has_touch=True, device_scale_factor=2)
    pg = context.new_page()
    pg.set_default_timeout(15000)

    def shot(name):
        path = tmp_path / f"{name}.png"
        pg.screenshot(path=str(path), full_page=True)
        return path
    pg.shot = shot
    yield pg
    context.close()


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_treasurer_monthly_round_on_a_phone(live_server, phone):
    from jaring.communities.models import GroupPayment
    from jaring.contributions.models import Bill

    c = collective(officer())
    members = fill(c, 6)  # registered 10 June 2026: June is their first month, Rp8,400 each (PP 50/2025)
    page = phone
    page.goto(live_server.url + "/masuk")
    page.fill("input[name=username]", c.treasurer.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("[data-testid=login-submit]")
    page.wait_for_selector("[data-testid=home-title]")
    page.click("details.menu > summary")  # on a phone the menu is collapsed (base.html)
    page.click("details.menu a[data-nav]:has-text('Wadah saya')")
    page.wait_for_selector("[data-testid=collective-name]")
    page.goto(live_server.url + "/communities/wadah-saya/?month=2026-06")
    assert page.inner_text("[data-testid=size]") == "6"
    assert page.inner_text("[data-testid=paid-count]") == "0"
    _no_sideways_scroll(page)
    page.shot("round-start")
    for m in members[:4]:
        page.check(f"[data-testid=pick-{m.kpj}]")
    page.click("[data-testid=pay-next]")
    page.wait_for_selector("[data-testid=pay-total]")
    assert page.inner_text("[data-testid=pay-total]") == "Rp33.600"  # 4 × Rp8,400
    page.fill("[data-testid=reference]", "TRF-BRI-0612")
    _no_sideways_scroll(page)
    page.shot("round-total")
    page.click("[data-testid=pay-confirm]")
    page.wait_for_selector("[data-testid=round-summary]")
    assert "TRF-BRI-0612" in page.inner_text("main")
    assert page.inner_text("[data-testid=paid-count]") == "4"
    page.click("[data-testid=filter-unpaid]")
    rows = page.inner_text("[data-testid=member-rows]")
    assert members[4].name in rows and members[5].name in rows and members[0].name not in rows
    page.shot("round-unpaid")
    gp = GroupPayment.objects.get(reference="TRF-BRI-0612")
    assert (gp.total, gp.members) == (33_600, 4)
    assert Bill.objects.filter(member__in=members[:4], status="paid").count() == 4
    # a new member joins the round
    page.click("[data-testid=register-link]")
    page.fill("[data-testid=nik]", nik(77))
    page.fill("[data-testid=name]", "Hairil Anwar")
    page.fill("[data-testid=phone]", "0812-5100-7777")
    page.select_option("[data-testid=occupation]", "ojek_pangkalan")
    page.fill("[data-testid=income]", "1500000")
    _no_sideways_scroll(page)
    page.click("[data-testid=register-submit]")
    page.wait_for_selector("[data-testid=round-summary]")
    assert "Hairil Anwar terdaftar" in page.inner_text("main")
    page.goto(live_server.url + "/communities/wadah-saya/?month=2026-06")
    assert page.inner_text("[data-testid=size]") == "7"
    page.shot("round-end")
