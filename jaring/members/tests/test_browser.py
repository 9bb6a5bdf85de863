"""A worker registers through the mobile form on a 390×844 phone and sees the card (Debian's chromium)."""

import pytest

from jaring.members.models import Member

from .conftest import FEMALE_NIK

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_worker_registers_on_a_phone_and_sees_the_card(live_server, phone_page):
    pg = phone_page
    pg.goto(live_server.url + "/members/daftar/")
    pg.fill("[data-testid=nik]", FEMALE_NIK)
    pg.shot("1-nik")
    pg.click("[data-testid=next]")

    pg.wait_for_selector("[data-testid=step-identitas]")
    assert pg.input_value("input[name=birth_date]") == "1990-08-15"  # read from the NIK
    assert pg.is_checked("input[name=gender][value=P]")
    pg.fill("[data-testid=name]", "Siti Aminah")
    pg.fill("[data-testid=phone]", "0812-3456-7890")
    pg.shot("2-identitas")
    pg.click("[data-testid=next]")

    pg.wait_for_selector("[data-testid=step-alamat]")
    pg.fill("[data-testid=village-q]", "Alalak Tengah")
    pg.wait_for_selector("input[name=village_code][value='63.71.04.1001']")
    pg.check("input[name=village_code][value='63.71.04.1001']")
    pg.fill("input[name=address]", "Jl. Alalak Tengah RT 03")
    pg.shot("3-alamat")
    pg.click("[data-testid=next]")

    pg.wait_for_selector("[data-testid=step-pekerjaan]")
    pg.select_option("[data-testid=occupation]", "pedagang")
    pg.fill("[data-testid=income]", "1000000")
    pg.check("[data-testid=jht]")
    pg.wait_for_selector("#reg-quote [data-testid=quote-total]")
    pg.shot("4-pekerjaan")
    # the form is also kept on the phone: a reload (connection dropped) keeps what was typed
    stored = pg.evaluate("JSON.parse(localStorage.getItem('jaring-daftar-self'))")
    assert stored["nik"] == FEMALE_NIK and stored["income"] == "1000000" and stored["village_code"] == "63.71.04.1001"

    # the connection drops: the form is not sent, the worker is told, nothing typed is lost
    pg.context.set_offline(True)
    pg.click("[data-testid=next]")
    pg.wait_for_selector("#offline:not([hidden])")
    assert pg.input_value("[data-testid=income]") == "1000000"
    pg.context.set_offline(False)

    # worse: the server-side draft is gone too (new session); the phone's copy refills every step
    pg.context.clear_cookies()
    pg.goto(live_server.url + "/members/daftar/")
    pg.wait_for_selector("[data-testid=step-nik]")
    assert pg.input_value("[data-testid=nik]") == FEMALE_NIK
    pg.click("[data-testid=next]")
    pg.wait_for_selector("[data-testid=step-identitas]")
    assert pg.input_value("[data-testid=name]") == "Siti Aminah"
    pg.click("[data-testid=next]")
    pg.wait_for_selector("[data-testid=step-alamat]")
    assert pg.is_checked("input[name=village_code][value='63.71.04.1001']")
    pg.click("[data-testid=next]")
    pg.wait_for_selector("[data-testid=step-pekerjaan]")
    assert pg.input_value("[data-testid=occupation]") == "pedagang" and pg.is_checked("[data-testid=jht]")
    pg.click("[data-testid=next]")

    pg.wait_for_selector("[data-testid=step-konfirmasi]")
    assert "Jl. Alalak Tengah RT 03" in pg.inner_text("[data-testid=summary]")
    pg.fill("[data-testid=password]", "kata-sandi-kuat-77")
    pg.fill("[data-testid=password2]", "kata-sandi-kuat-77")
    pg.check("[data-testid=consent]")
    pg.shot("5-konfirmasi")
    pg.click("[data-testid=next]")

    pg.wait_for_selector("[data-testid=card]")
    member = Member.objects.get(nik=FEMALE_NIK)
    assert pg.inner_text("[data-testid=card-kpj]") == member.kpj
    assert pg.inner_text("[data-testid=card-name]") == "Siti Aminah"
    assert pg.locator("[data-testid=card] svg").count() == 1
    assert pg.evaluate("localStorage.getItem('jaring-daftar-self')") is None  # draft cleared once registered
    assert pg.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    shot = pg.shot("6-kartu")
    assert shot.stat().st_size > 5000


def test_officer_queue_and_import_on_desktop(live_server, page, make_user, tmp_path):
    from jaring.members import services

    from .conftest import MALE_NIK, worker_data

    make_user("petugas_m", "officer", "KC-6371", password="benar-sekali-99")
    pending = services.register_member(worker_data())
    page.goto(live_server.url + "/masuk")
    page.fill("input[name=username]", "petugas_m")
    page.fill("input[name=password]", "benar-sekali-99")
    page.click("[data-testid=login-submit]")
    page.goto(live_server.url + "/members/verifikasi/")
    page.wait_for_selector("[data-testid=queue-item]")
    page.shot("queue")
    page.click(f"[data-testid=approve-{pending.kpj}]")
    page.wait_for_selector("[data-testid=queue-empty]")
    pending.refresh_from_db()
    assert pending.status == "active"

    f = tmp_path / "daftar.csv"
    f.write_text("nik,nama,no_hp,kode_desa,pekerjaan,penghasilan\n"
                 + "".join(f"63710455089{i:05d},Siti Nurhaliza,0812{i:08d},63.71.04.1001,pedagang,1500000\n"
                           for i in range(1, 31))
                 + f"{MALE_NIK},Ahmad Lagi,081299990000,63.71.04.1001,pedagang,1500000\n")
    page.goto(live_server.url + "/members/impor/")
    page.set_input_files("[data-testid=import-file]", str(f))
    page.click("[data-testid=import-upload]")
    page.wait_for_selector("[data-testid=preview-summary]")
    assert "31 baris dibaca; 1 baris bergalat" in page.inner_text("[data-testid=preview-summary]")
    page.shot("import-preview")
    page.click("[data-testid=import-start]")
    page.wait_for_selector("[data-testid=import-done]")
    assert "30 dari 31" in page.inner_text("[data-testid=import-done]")
    page.shot("import-done")
    page.goto(live_server.url + "/members/?q=Siti")
    page.wait_for_selector("[data-testid=member-table]")
    page.shot("list")
