"""A finance officer reads the trial balance, opens an account and drills down to the journal entry."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "benar-sekali-99"


def test_officer_drills_down_from_trial_balance_to_entry(live_server, page, make_user, member, bank):
    import os
    import shutil

    from jaring.contributions.services import post_payment

    post_payment(member=member(), months=2, amount=33_600, channel=bank, reference="N-B1",
                 paid_at="2026-01-03T09:00", source="notification")
    make_user("keuangan", "officer", "KC-6371", password=PASSWORD)
    page.goto(live_server.url + "/masuk")
    page.fill("input[name=username]", "keuangan")
    page.fill("input[name=password]", PASSWORD)
    page.click("[data-testid=login-submit]")
    page.wait_for_load_state()
    page.goto(live_server.url + "/ledger/")
    page.wait_for_selector("[data-testid=checks]")
    assert "Seimbang" in page.inner_text("[data-testid=tb-status]")
    shot = page.shot("neraca-saldo")
    page.click("[data-testid=accounts] >> text=1100-BANKUJI")
    page.wait_for_selector("[data-testid=lines]")
    assert "Rp35.100" in page.inner_text("[data-testid=account-summary]")  # Rp33,600 + the Rp1,500 fee
    page.click("[data-testid=lines] a >> nth=0")
    page.wait_for_selector("[data-testid=entry-lines]")
    text = page.inner_text("[data-testid=entry-lines]")
    assert "Rp20.000" in text and "Rp13.600" in text and "Rp1.500" in text
    shot2 = page.shot("jurnal")
    target = os.environ.get("JARING_SHOTS_DIR")
    if target:
        os.makedirs(target, exist_ok=True)
        shutil.copy(shot, target)
        shutil.copy(shot2, target)
