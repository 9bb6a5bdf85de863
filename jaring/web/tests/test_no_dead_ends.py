"""No dead ends: pay page copy/save, settlement upload without a command line, sponsors search villages,
one-time codes visible on the outbox only in development, friendly data sources, province names."""

from datetime import date

import pytest
from django.test import override_settings

from jaring.insights.tests.helpers import make_member

pytestmark = pytest.mark.django_db


def test_pay_page_offers_copy_code_and_save_qr(client, make_user):
    user = make_user("bayar_w", "worker", None)
    m = make_member(name="Ani", user=user, registered_on=date(2026, 10, 1))
    client.force_login(user)
    html = client.get("/contributions/bayar/?bulan=2").content.decode()
    assert f'data-copy="{m.nik}"' in html and "Salin kode bayar" in html
    assert 'data-testid="save-qr"' in html and 'href="data:image/png;base64,' in html and "Simpan QR" in html


def test_settlement_page_uploads_and_never_asks_for_the_command_line(client, make_user):
    client.force_login(make_user("petugas_s", "officer", "KC-6371"))
    html = client.get("/contributions/rekonsiliasi/").content.decode()
    assert 'enctype="multipart/form-data"' in html and 'type="file"' in html
    assert "jaring payments import" not in html and "<code>jaring" not in html


def test_sponsor_picks_a_village_by_search(client):
    from jaring.sponsors.services import create_sponsor

    sponsor = create_sponsor({"kind": "individual", "name": "Ibu Ratna Sari", "branch": "KC-6371",
                              "phone": "081233344455", "username": "sponsor_v", "password": "rahasia-sekali-9"})
    client.force_login(sponsor.user)
    html = client.get("/sponsors/pekerja/tambah/").content.decode()
    assert 'hx-get="/members/daftar/desa"' in html and "Kode Kemendagri 10 digit" not in html
    rows = client.get("/members/daftar/desa?village_q=Sungai&nik=6371040101900001").content.decode()
    first = rows.split('name="village_code" value="')[1][:13]
    assert first.startswith("63.71.04.")  # the NIK's district (Banjarmasin Utara) first


def test_recovery_codes_on_the_outbox_only_in_development(client, make_user):
    from jaring.outreach.access import send_recovery_code

    class Quiet:
        name = "test"

        def send(self, *a):
            from jaring.outreach.gateways import Result
            return Result(True)

    m = make_member(name="Budi", phone="+6281277770001", channel="agent")
    msg = send_recovery_code(m.kpj, gateway=Quiet())
    code = msg.body.split(": ")[1][:6]
    client.force_login(make_user("petugas_o", "officer", "KC-6371"))
    with override_settings(DEBUG=True):
        assert code in client.get("/outreach/pengingat/").content.decode()
    with override_settings(DEBUG=False):
        html = client.get("/outreach/pengingat/").content.decode()
        assert code not in html and "Kode masuk (disembunyikan)" in html


def test_sources_shown_without_internal_references():
    from jaring.web.templatetags.friendly import friendly_source

    assert friendly_source("Target 10 juta peserta BPU aktif pada 2024 (SPEC 2.7, H)") == \
        "Target 10 juta peserta BPU aktif pada 2024"
    assert friendly_source("Target nasional (RPJMN/BPJS Ketenagakerjaan; SPEC 2.7, H)") == \
        "Target nasional (RPJMN/BPJS Ketenagakerjaan)"


def test_province_map_has_names():
    from jaring.insights.selectors import province_tiles

    class National:
        national = True

    tiles = {t["code"]: t for t in province_tiles(National(), None)}
    assert tiles["63"]["name"] == "Kalimantan Selatan" and tiles["63"]["short_name"] == "Kalsel"
    assert len(tiles) == 38 and all(t["short_name"] for t in tiles.values())
