"""On a phone, a NIK with an old region code (Tarakan 64.73, before North Kalimantan) is explained, not refused."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_old_code_nik_is_explained_on_the_phone_form(live_server, phone_page):
    pg = phone_page
    pg.goto(live_server.url + "/members/daftar/")
    pg.fill("[data-testid=nik]", "6473011508900001")
    pg.click("[data-testid=next]")
    pg.wait_for_selector("[data-testid=step-identitas]")
    text = pg.inner_text("main")
    assert "kode wilayah lama 64.73" in text and "Kota Tarakan, Kalimantan Utara" in text
    assert pg.input_value("input[name=birth_date]") == "1990-08-15"
    pg.shot("nik-kode-lama")
