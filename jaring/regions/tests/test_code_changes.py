"""Old Kemendagri codes from before a region was split off: a NIK keeps them for life (SPEC 2.6)."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from jaring.members import services
from jaring.members.models import Member
from jaring.members.tests.conftest import worker_data
from jaring.regions.codes import nik_region_of, translate
from jaring.regions.models import RegionCodeChange

pytestmark = pytest.mark.django_db

TARAKAN_NIK = "6473011508900001"  # Tarakan Barat before North Kalimantan (UU 20/2012); man born 15-08-1990
MERAUKE_NIK = "9101015508900002"  # Merauke before Papua Selatan (UU 14/2022); woman born 15-08-1990
TARAKAN_VILLAGE = "65.71.01.1001"  # Karang Anyar, Tarakan Barat, Kota Tarakan (KC-6571)
MERAUKE_VILLAGE = "93.01.01.1002"  # Samkai, Merauke, Kabupaten Merauke (KC-9301)


def test_shipped_table_covers_the_province_splits_with_their_laws():
    rows = {r.old_code: r for r in RegionCodeChange.objects.all()}
    assert rows["64.73"].new_code == "65.71" and "UU 20/2012" in rows["64.73"].law
    assert rows["64.05"].new_code == "65.01" and rows["91.01"].new_code == "93.01"
    assert {rows[c].new_code[:2] for c in ("91.01", "91.04", "91.02", "92.01")} == {"93", "94", "95", "96"}
    laws = " ".join(r.law for r in rows.values())
    for law in ("UU 23/2000", "UU 27/2000", "UU 38/2000", "UU 25/2002", "UU 45/1999", "UU 26/2004", "UU 14/2022",
                "UU 15/2022", "UU 16/2022", "UU 29/2022"):
        assert law in laws
    assert translate("64.73.01.1001") == ("65.71.01.1001", translate("64.73")[1])
    assert translate("63.71.04") == ("63.71.04", None)


def test_nik_with_an_old_code_names_todays_region():
    r = nik_region_of(TARAKAN_NIK)
    assert (r.regency_code, r.regency, r.province_code, r.province) == ("65.71", "Kota Tarakan", "65",
                                                                      "Kalimantan Utara")
    assert r.old_code == "64.73" and r.district_code == "65.71.01" and r.district == "Tarakan Barat"
    m = nik_region_of(MERAUKE_NIK)
    assert (m.regency_code, m.province, m.old_code) == ("93.01", "Papua Selatan", "91.01")
    assert nik_region_of("6371041508900001").old_code is None  # today's code: nothing changed
    assert nik_region_of("6499011508900001") is None  # not a region, then or now


@pytest.mark.parametrize("nik,village,branch,province", [
    (TARAKAN_NIK, TARAKAN_VILLAGE, "KC-6571", "Kalimantan Utara"),
    (MERAUKE_NIK, MERAUKE_VILLAGE, "KC-9301", "Papua Selatan"),
])
def test_api_registers_an_old_code_nik_routed_to_todays_branch(make_user, api_client, nik, village, branch, province):
    officer = make_user("petugas", "officer", branch)
    body = worker_data(nik=nik, village_code=village, birth_date="1990-08-15",
                       gender="L" if nik == TARAKAN_NIK else "P")
    r = api_client(officer).post("/api/v1/members", data=json.dumps(body), content_type="application/json")
    assert r.status_code == 201, r.content
    out = r.json()
    assert out["branch"] == branch and out["nik"] == nik
    assert out["nik_region"]["province"] == province and out["nik_region"]["old_code"] == nik[:2] + "." + nik[2:4]
    assert Member.objects.get(nik=nik).branch_id == branch
    again = api_client(officer).get(f"/api/v1/members/{out['kpj']}").json()
    assert again["nik_region"]["regency_code"] == out["nik_region"]["regency_code"]


def test_village_written_with_the_old_code_is_served_by_todays_branch():
    m = services.register_member(worker_data(nik=TARAKAN_NIK, village_code="64.73.01.1001"), channel="branch")
    assert m.village_id == TARAKAN_VILLAGE and m.branch_id == "KC-6571"


def test_unknown_regency_code_still_refused_with_a_clear_message():
    _, errors = services.clean_registration(worker_data(nik="6499011508900001"))
    assert "64.99" in errors["nik"] and "pemekaran" in errors["nik"]


def test_registration_form_explains_the_old_code_and_the_detail_page_shows_todays_region(make_user):
    c = Client()
    c.force_login(make_user("petugas", "officer", "KC-6571"))
    r = c.post(reverse("members:assist_step", args=["nik"]), {"nik": TARAKAN_NIK}, follow=True)
    html = r.content.decode()
    assert r.status_code == 200 and "kode wilayah lama 64.73" in html and "Kota Tarakan, Kalimantan Utara" in html
    c.post(reverse("members:assist_step", args=["identitas"]),
           {"name": "Ahmad Fauzi", "birth_date": "1990-08-15", "gender": "L", "phone": "0812 3456 7890"})
    c.post(reverse("members:assist_step", args=["alamat"]), {"village_code": TARAKAN_VILLAGE, "address": "Jl. Mulawarman"})
    c.post(reverse("members:assist_step", args=["pekerjaan"]), {"occupation": "pedagang", "income": "1500000"})
    page = c.get(reverse("members:assist_step", args=["konfirmasi"])).content.decode()
    assert 'data-testid="nik-region-note"' in page
    r = c.post(reverse("members:assist_step", args=["konfirmasi"]), {"consent": "1"})
    assert r.status_code == 302, r.content.decode()[:3000]
    m = Member.objects.get(nik=TARAKAN_NIK)
    assert m.branch_id == "KC-6571"
    detail = c.get(reverse("members:detail", args=[m.kpj])).content.decode()
    assert "Kota Tarakan, Kalimantan Utara" in detail and "kode lama 64.73" in detail
