"""Browser (Debian's chromium): a sponsor uploads 20 workers with 2 bad rows and sees the invoice for 18;
an agent's follow-up list on a phone."""

from datetime import date

import pytest

from jaring.agents.tests.helpers import PASSWORD, make_agent, register, worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def system_channels(transactional_db):
    """A transactional test's flush also empties the system channels (AGENT, SPONSOR, BRANCH) that the
    contributions data migration made; the root conftest restores only regions and rates."""
    from jaring.contributions.models import SYSTEM_CHANNELS, Channel

    for code, name in SYSTEM_CHANNELS:
        Channel.objects.get_or_create(code=code, defaults={"name": name, "system": True, "fee": 0})


def sign_in(page, live_server, username):
    page.goto(live_server.url + "/masuk")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("[data-testid=login-submit]")
    page.wait_for_selector("[data-testid=home-title]")


def test_sponsor_uploads_20_workers_with_2_bad_rows_and_sees_invoice_for_18(live_server, page, tmp_path):
    from jaring.sponsors.services import create_sponsor

    sponsor = create_sponsor({"kind": "company", "name": "PT Maju Bersama", "branch": "KC-6371",
                              "username": "csr_maju", "password": PASSWORD})
    lines = ["nik,name,birth_date,gender,phone,village_code,occupation,income"]
    for i in range(1, 21):
        w = worker(500 + i)
        if i == 7:
            w["nik"] = "63710415089"  # too short
        if i == 15:
            w["income"] = 750_000  # below the Rp1,000,000 minimum
        lines.append(f"{w['nik']},{w['name']},1990-08-15,L,{w['phone']},{w['village_code']},pedagang,{w['income']}")
    csv_path = tmp_path / "pekerja-csr.csv"
    csv_path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    sign_in(page, live_server, "csr_maju")
    page.click("text=Pekerja saya")
    page.click("[data-testid=upload-link]")
    page.set_input_files("[data-testid=upload-file]", str(csv_path))
    page.select_option("[data-testid=months]", "12")
    page.click("[data-testid=upload-submit]")
    page.wait_for_selector("[data-testid=upload-summary]")
    assert "20 baris dibaca: 18 pekerja didaftarkan dan ditagihkan, 2 baris ditolak." in page.inner_text(
        "[data-testid=upload-summary]")
    rejected = page.inner_text("[data-testid=rejected-rows]")
    assert "8\t" in rejected and "16\t" in rejected  # file rows 8 and 16 (row 1 is the header)
    assert "1.000.000" in rejected  # says what the income must be
    assert page.inner_text("[data-testid=invoice-workers]") == "18"
    page.shot("upload-result")

    inv = sponsor.invoices.get()
    assert inv.lines.count() == 18 and inv.amount == sum(inv.lines.values_list("amount", flat=True))
    page.click("[data-testid=open-invoice]")
    page.wait_for_selector("[data-testid=invoice-lines]")
    assert page.locator("[data-testid=invoice-line]").count() == 18
    assert page.inner_text("[data-testid=payment-code]") == inv.payment_code
    total = page.inner_text("[data-testid=invoice-total]")
    assert total.replace(".", "") == f"Rp{inv.amount}"
    page.shot("invoice")


def test_agent_follow_up_on_a_phone(live_server, phone_page):
    agent = make_agent("agen_hp")
    for i in range(3):
        register(600 + i, channel="agent", actor=agent.user, on=date(2026, 5, 10))
    sign_in(phone_page, live_server, "agen_hp")
    phone_page.goto(live_server.url + "/agents/tindak-lanjut/")
    phone_page.wait_for_selector("[data-testid=follow-up-list]")
    links = phone_page.locator("[data-testid=wa-link]")
    assert links.count() == 3
    assert links.first.get_attribute("href").startswith("https://wa.me/62812")
    phone_page.shot("follow-up-phone")
    phone_page.goto(live_server.url + "/agents/setoran/")
    phone_page.fill("input[name=kpj]", agent.recruitments.first().member.kpj)
    with phone_page.expect_navigation():
        phone_page.click("text=Hitung")
    phone_page.wait_for_selector("[data-testid=collect-amount]")
    with phone_page.expect_navigation():
        phone_page.click("[data-testid=collect-confirm]")
    phone_page.wait_for_selector("[data-testid=collections-today]")
    assert "tercatat" in phone_page.inner_text("main")
    phone_page.shot("collections-phone")
    phone_page.click("details.menu > summary")  # on a phone the menu is collapsed (base.html)
    phone_page.click("details.menu >> text=Rekrutan saya")
    phone_page.wait_for_selector("[data-testid=agent-summary]")
    assert "Rp8.400" in phone_page.inner_text("[data-testid=agent-summary]")  # today's collection
    phone_page.shot("recruits-phone")


def test_officer_sees_sponsors_programmes_and_agent_ranking(live_server, page, make_user):
    from jaring.agents.services import collect
    from jaring.sponsors.services import create_invoice, create_program, create_sponsor

    make_user("petugas_kc", "officer", "KC-6371", password=PASSWORD)
    village = create_sponsor({"kind": "village", "name": "Pemerintah Desa Alalak Tengah", "branch": "KC-6371",
                              "region": "63.71.04.1001"})
    create_program(village, {"name": "Desa peduli nelayan", "budget": 50_000_000, "quota": 200,
                             "target_group": "nelayan dan buruh harian", "start_month": "2026-01",
                             "end_month": "2027-12"})
    workers = [register(800 + i, channel="sponsor_import", funding="sponsor") for i in range(3)]
    create_invoice(village, workers, months=6, program=village.programs.get())
    agent = make_agent("agen_rank")
    recruits = [register(850 + i, channel="agent", actor=agent.user, on=date(2026, 5, 10)) for i in range(2)]
    collect(agent, recruits[0], 1)
    sign_in(page, live_server, "petugas_kc")
    page.click("text=Sponsor & program")
    page.wait_for_selector("[data-testid=sponsor-table]")
    assert "Pemerintah Desa Alalak Tengah" in page.inner_text("[data-testid=sponsor-table]")
    assert "Desa peduli nelayan" in page.inner_text("[data-testid=program-table]")
    page.shot("sponsors-overview")
    page.click("nav.subnav >> text=Agen")
    page.wait_for_selector("[data-testid=agent-ranking]")
    assert agent.code in page.inner_text("[data-testid=agent-ranking]")
    page.shot("agent-ranking")
