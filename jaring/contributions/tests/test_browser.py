"""The worker pays from a phone: owed months, pay-now with NIK and QRIS; the officer sees rejected rows."""

from datetime import date

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "benar-sekali-99"


def keep(*shots):
    """Copy screenshots to $JARING_SHOTS_DIR when set (to look at them), else leave them in tmp."""
    import os
    import shutil

    target = os.environ.get("JARING_SHOTS_DIR")
    if target:
        os.makedirs(target, exist_ok=True)
        for s in shots:
            shutil.copy(s, target)


def login(page, live_server, username):
    page.goto(live_server.url + "/masuk")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("[data-testid=login-submit]")
    page.wait_for_load_state()


def test_worker_pays_with_qris_on_a_phone(live_server, phone_page, make_user, make_member, request):
    user = make_user("warga_hp", "worker", None, password=PASSWORD)
    make_member(first_month=date(2026, 9, 1), user=user)
    page = phone_page
    login(page, live_server, "warga_hp")
    page.goto(live_server.url + "/contributions/")
    page.wait_for_selector("[data-testid=owed]")
    shot = page.shot("iuran-saya")
    page.select_option("select[name=bulan]", "3")
    page.click("[data-testid=pay-form] button")
    page.wait_for_selector("[data-testid=qris] svg")
    assert page.inner_text("[data-testid=pay-total]") == "Rp25.200"  # Sep-Nov 2026: 3 x Rp8,400
    pay_shot = page.shot("bayar")
    assert shot.stat().st_size > 1000 and pay_shot.stat().st_size > 1000
    keep(shot, pay_shot)


def test_officer_reconciliation_page(live_server, page, make_user, make_member, request):
    from jaring.contributions.services import create_channel
    from jaring.contributions.settlement import import_settlement

    create_channel(code="BANKUJI", name="Bank Uji", secret="rahasia-kanal-uji-123", fee=1500)
    m = make_member(first_month=date(2026, 9, 1))
    data = (f"reference,customer,amount,months,paid_at\nR-1,{m.nik},8400,1,2026-09-02T10:00:00+07:00\n"
            f"R-2,{m.nik},1,1,2026-09-02T10:00:00+07:00\n").encode()
    out = import_settlement(data, "BANKUJI", filename="bankuji-0902.csv")
    make_user("petugas_r", "officer", "KC-6371", password=PASSWORD)
    login(page, live_server, "petugas_r")
    page.goto(live_server.url + f"/contributions/rekonsiliasi/{out['file_id']}/")
    page.wait_for_selector("[data-testid=rejected]")
    assert "seharusnya 8400" in page.inner_text("[data-testid=rejected]")
    shot = page.shot("rekonsiliasi")
    keep(shot)
