"""Browser: an officer files and approves a JKM claim (a second officer checks it) and the member sees it paid."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from jaring.claims.tests.test_workflow import PDF, paid_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "benar-sekali-99"


def login(page, base, username):
    page.goto(base + "/masuk")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("[data-testid=login-submit]")
    page.wait_for_selector("[data-testid=home-title]")


def logout(page):
    page.click("[data-testid=logout]")


def test_officer_files_and_approves_jkm_member_sees_paid(live_server, page, phone_page, make_user):
    worker = make_user("wati", "worker", None, password=PASSWORD)
    make_user("petugas_a", "officer", "KC-6371", password=PASSWORD)
    make_user("petugas_b", "officer", "KC-6371", password=PASSWORD)
    member = paid_member(user=worker, name="Wati Susanti")
    base = live_server.url

    login(page, base, "petugas_a")
    page.click("text=Antrian klaim")
    page.click("[data-testid=new-claim]")
    page.fill("[data-testid=kpj]", member.kpj)
    page.select_option("[data-testid=program]", "JKM")
    page.select_option("[data-testid=case]", "death")
    page.fill("[data-testid=event_date]", timezone.localdate().isoformat())
    page.fill("[data-testid=cause]", "Meninggal karena sakit di rumah")
    page.fill("[data-testid=claimant_name]", "Joko")
    page.fill("[data-testid=claimant_relation]", "suami")
    page.fill("[data-testid=bank_name]", "BRI")
    page.fill("[data-testid=bank_account]", "012345678901")
    page.fill("[data-testid=account_holder]", "Joko")
    page.set_input_files("[data-testid=doc_event]", files=[{"name": "akta.pdf", "mimeType": "application/pdf",
                                                            "buffer": PDF}])
    page.click("[data-testid=claim-submit]")
    page.wait_for_selector("[data-testid=components]")
    assert page.inner_text("[data-testid=claim-total]").replace(",", ".") == "Rp42.000.000"
    page.shot("claim-filed")
    page.click("[data-testid=review]")
    page.wait_for_selector("text=Diperiksa, menunggu persetujuan kedua")
    assert page.locator("[data-testid=approve]").count() == 0  # the maker cannot approve it
    url = page.url
    logout(page)

    login(page, base, "petugas_b")
    page.goto(url)
    page.click("[data-testid=approve]")
    page.wait_for_selector("[data-testid=payment-instruction]")
    page.fill("[data-testid=pay-reference]", "TRF-BRI-000123")
    page.click("[data-testid=pay]")
    page.wait_for_selector("[data-testid=paid-note]")
    page.shot("claim-paid-officer")
    logout(page)

    login(phone_page, base, "wati")
    phone_page.click("details.menu > summary")  # on a phone the menu is collapsed (base.html)
    phone_page.click("details.menu >> text=Klaim saya")
    phone_page.wait_for_selector("[data-testid=my-claim]")
    assert phone_page.inner_text("[data-testid=claim-status]") == "Dibayar"
    phone_page.click("[data-testid=my-claim] a")
    phone_page.wait_for_selector("[data-testid=paid-note]")
    assert "42.000.000" in phone_page.inner_text("[data-testid=paid-note]").replace(",", ".")
    shot = phone_page.shot("claim-paid-member")
    assert shot.stat().st_size > 5000
    phone_page.click("details.menu > summary")
    phone_page.click("details.menu >> text=Saldo JHT")
    phone_page.wait_for_selector("[data-testid=jht-balance]")
    assert phone_page.inner_text("[data-testid=jht-balance]").replace(",", ".") == "Rp120.000"  # 6 × Rp20,000
    phone_page.shot("jht-balance")

    make_user("manajer", "manager", None, password=PASSWORD)
    login(page, base, "manajer")
    page.click("text=Klaim dibayar")
    page.wait_for_selector("[data-testid=paid-row]")
    assert page.inner_text("[data-testid=paid-amount]").replace(",", ".") == "Rp42.000.000"
    page.shot("paid-report")


def test_simulation_page_updates_live(live_server, phone_page):
    phone_page.goto(live_server.url + "/claims/simulasi")
    phone_page.wait_for_selector("[data-testid=estimate-total]")
    assert phone_page.inner_text("[data-testid=estimate-total]").replace(",", ".") == "Rp70.000.000"
    phone_page.fill("input[name=wage]", "5000000")
    # expect() polls without eval (the page's Content-Security-Policy forbids it; wait_for_function needs it)
    total = phone_page.locator("[data-testid=estimate-total]")
    expect(total).to_contain_text(re.compile(r"262[.,]000[.,]000"))
    phone_page.select_option("[data-testid=scenario]", "jkm_death")
    expect(total).to_have_text(re.compile(r"Rp\s*42[.,]000[.,]000"))
    phone_page.shot("simulate")
