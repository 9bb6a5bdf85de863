"""Browser (phone): an agent opens Prospek, captures a lead at an event; officers see the lapse list."""

from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DOCS_SHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"


def shots_dir(tmp_path) -> Path:
    """README screenshots are rewritten only with JARING_UPDATE_SCREENSHOTS=1 (else into the test's tmp dir),
    so that an ordinary test run leaves the working tree clean."""
    import os

    return DOCS_SHOTS if os.environ.get("JARING_UPDATE_SCREENSHOTS") == "1" else tmp_path


def test_agent_captures_a_lead_on_a_phone(live_server, phone_page, make_user, tmp_path):
    from django.utils import timezone

    from jaring.outreach import services
    from jaring.outreach.models import Lead
    from jaring.rules.periods import add_months

    officer = make_user("petugas_o", "officer", "KC-6371")
    make_user("agen_o", "agent", "KC-6371", password="benar-sekali-99")
    today = timezone.localdate()
    c = services.create_campaign({"name": "KKBC Masuk Desa", "kind": "kkbc_desa", "starts_on": today.replace(day=1),
                                  "ends_on": add_months(today.replace(day=1), 2), "branches": ["KC-6371"]},
                                 actor=officer)
    ev = services.create_event(c, {"name": "Pasar Lama", "kind": "market", "village_code": "6371041001",
                                   "date": today, "agents": "agen_o"}, actor=officer)
    page = phone_page
    page.goto(live_server.url + "/masuk?next=/outreach/prospek/")
    page.fill("input[name=username]", "agen_o")
    page.fill("input[name=password]", "benar-sekali-99")
    page.click("[data-testid=login-submit]")
    page.click("text=Pasar Lama")
    page.wait_for_selector("[data-testid=event-title]")
    page.fill("[data-testid=lead-form] input[name=name]", "Siti Rahmah")
    page.fill("[data-testid=lead-form] input[name=phone]", "0812-5100-0001")
    page.select_option("[data-testid=lead-form] select[name=occupation]", "pedagang")
    page.click("[data-testid=lead-submit]")  # without consent: refused with the reason
    page.wait_for_selector("small.error")
    assert "setuju" in page.content()
    page.check("[data-testid=lead-form] input[name=consent]")
    SHOTS = shots_dir(tmp_path)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "lead-capture-phone.png"), full_page=True)
    page.click("[data-testid=lead-submit]")
    page.wait_for_selector("text=Prospek Siti Rahmah dicatat")
    lead = Lead.objects.get(event=ev)
    assert lead.phone == "+6281251000001" and lead.agent.username == "agen_o" and lead.consent
