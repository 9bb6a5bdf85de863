"""Registration rules (SPEC 2.1, 2.6), KPJ issuing, verification and data updates."""

import threading
from datetime import date

import pytest
from django.db import connection

from jaring.core.errors import Conflict, DomainError, Forbidden
from jaring.core.models import AuditEvent
from jaring.members import services
from jaring.members.models import KpjSerial, Member
from jaring.rules.identifiers import is_valid_kpj, make_kpj

from .conftest import FEMALE_NIK, JAKARTA_VILLAGE, MALE_NIK, worker_data

ON = date(2026, 11, 21)
pytestmark = pytest.mark.django_db


def register(**over):
    kwargs = {k: over.pop(k) for k in ("channel", "funding", "actor") if k in over}
    return services.register_member(worker_data(**over), on=ON, **kwargs)


def errors_of(**over):
    with pytest.raises(DomainError) as e:
        register(**over)
    return e.value.errors


def test_man_registers_with_everything_derived():
    m = register()
    assert m.nik == MALE_NIK and m.gender == "L" and m.birth_date == date(1990, 8, 15)
    assert is_valid_kpj(m.kpj) and len(m.kpj) == 11
    assert (m.district_code, m.regency_code, m.province_code) == ("63.71.04", "63.71", "63")
    assert m.branch_id == "KC-6371"
    assert m.phone == "+6281234567890" and m.whatsapp == "6281234567890"
    assert m.first_month == date(2026, 11, 1) and m.registered_on == ON
    assert m.status == "pending" and m.channel == "self" and m.sector == "other" and not m.jht
    ev = AuditEvent.objects.get(action="member.register", object_id=str(m.pk))
    assert ev.changes["kpj"] == [None, m.kpj]


def test_woman_nik_has_day_plus_forty():
    m = register(nik=FEMALE_NIK, name="Siti Aminah", gender="P", programs=["JKK", "JKM", "JHT"])
    assert m.gender == "P" and m.birth_date == date(1990, 8, 15) and m.jht


def test_birth_date_and_gender_may_come_from_the_nik():
    m = register(nik=FEMALE_NIK, birth_date="", gender="")
    assert (m.gender, m.birth_date) == ("P", date(1990, 8, 15))


def test_gender_must_match_nik():
    err = errors_of(nik=FEMALE_NIK, gender="L")
    assert "perempuan" in err["gender"] and "40" in err["gender"]


def test_birth_date_must_match_nik():
    err = errors_of(birth_date="1990-08-16")
    assert "15-08-1990" in err["birth_date"]


@pytest.mark.parametrize("nik,needle", [
    ("637104150890001", "16 digit"),          # 15 digits
    ("9971041508900001", "provinsi 99"),      # no such province
    ("6371991508900001", "63.71.99"),         # no such district in Banjarmasin
    ("6371043102900001", "Tanggal lahir"),    # 31 February
    ("6371041508900000", "0000"),             # serial 0000
])
def test_nik_structure_and_region(nik, needle):
    assert needle in errors_of(nik=nik, birth_date="", gender="")["nik"]


def test_age_18_to_64_at_registration():
    # born 22-11-2008: 17 on 21-11-2026
    assert "minimal 18" in errors_of(nik="6371042211080001", birth_date="2008-11-22")["birth_date"]
    assert register(nik="6371042111080001", birth_date="2008-11-21").birth_date == date(2008, 11, 21)
    # born 21-11-1961: 65 on 21-11-2026
    assert "paling tinggi 64" in errors_of(nik="6371042111610001", birth_date="1961-11-21")["birth_date"]
    assert register(nik="6371042211610001", birth_date="1961-11-22").birth_date.year == 1961


def test_income_range_from_the_contribution_schedule():
    assert "Rp1.000.000" in errors_of(income=999_999)["income"]
    assert "Rp20.700.000" in errors_of(income=20_700_001)["income"]
    assert register(income="Rp20.700.000").income == 20_700_000
    assert "angka" in errors_of(nik=FEMALE_NIK, gender="P", income="sejuta")["income"]


def test_at_most_two_activities():
    assert "Paling banyak 2" in errors_of(occupation="petani; pedagang", second_occupation="nelayan")[
        "second_occupation"]
    m = register(occupation="petani", second_occupation="nelayan")
    assert (m.occupation, m.second_occupation) == ("petani", "nelayan")
    assert "tidak dikenal" in errors_of(occupation="astronot")["occupation"]


def test_transport_sector_derived_from_occupation():
    assert register(occupation="ojek_online").sector == "transport"


def test_phone_format():
    assert "Nomor HP tidak valid" in errors_of(phone="12345")["phone"]
    assert "bukan telepon rumah" in errors_of(phone="(021) 555-1234")["phone"]
    assert register(phone="+62 813 1111 2222").whatsapp == "6281311112222"


def test_village_must_exist_but_need_not_match_nik_region():
    assert "tidak ada di data Kemendagri" in errors_of(village_code="63.71.04.9999")["village_code"]
    assert "tidak ada" in errors_of(village_code="63.71.04")["village_code"]
    moved = register(village_code=JAKARTA_VILLAGE.replace(".", ""))  # undotted input is accepted
    assert moved.village_id == JAKARTA_VILLAGE and moved.branch_id != "KC-6371"
    assert moved.province_code == "31"


def test_programs_jkk_jkm_required_jp_refused():
    assert "JKK dan JKM wajib" in errors_of(programs="JHT")["programs"]
    assert "tidak tersedia" in errors_of(programs="JKK,JKM,JP")["programs"]


def test_missing_fields_reported_together():
    with pytest.raises(DomainError) as e:
        services.register_member({}, on=ON)
    assert {"nik", "name", "phone", "village_code", "occupation", "income", "programs"} <= set(e.value.errors)


def test_channel_decides_starting_status():
    assert register(channel="branch").status == "active"
    assert register(nik=FEMALE_NIK, gender="P", channel="agent").status == "pending"


def test_duplicate_nik_is_conflict():
    register()
    with pytest.raises(Conflict) as e:
        register(name="Orang Lain")
    assert e.value.status == 409 and "sudah terdaftar" in e.value.errors["nik"]
    assert "6371********0001" in e.value.message  # the NIK is masked in the message


def test_duplicate_nik_caught_by_the_database_constraint(monkeypatch):
    """If two requests both pass the early check, the unique constraint refuses the second one."""
    register()
    monkeypatch.setattr(services, "nik_holder", lambda nik: None)
    serial_before = KpjSerial.objects.get(pk=1).last
    with pytest.raises(Conflict):
        register(name="Orang Lain")
    assert Member.objects.filter(nik=MALE_NIK).count() == 1
    assert KpjSerial.objects.get(pk=1).last == serial_before  # rolled back: no number issued


def test_kpj_numbers_are_sequential_valid_and_never_reused(make_user):
    officer = make_user("petugas1", "officer", "KC-6371")
    a = register()
    services.reject_member(a, actor=officer, reason="KTP tidak terbaca")
    b = register(nik=FEMALE_NIK, gender="P")
    assert int(b.kpj[:10]) == int(a.kpj[:10]) + 1
    assert b.kpj == make_kpj(int(a.kpj[:10]) + 1) and is_valid_kpj(b.kpj)
    assert services.allocate_kpj(3) == [make_kpj(int(b.kpj[:10]) + i) for i in (1, 2, 3)]


def test_verification_queue_actions_are_scoped_and_audited(make_user):
    mine = make_user("petugas1", "officer", "KC-6371")
    other = make_user("petugas2", "officer", "KC-3171")
    m = register()
    with pytest.raises(Forbidden):
        services.approve_member(m, actor=other)
    with pytest.raises(DomainError) as e:
        services.request_correction(m, actor=mine, reason="")
    assert "alasan" in e.value.errors["reason"]
    m = services.request_correction(m, actor=mine, reason="Foto KTP buram, unggah ulang")
    assert m.status == "pending" and m.correction_requested
    m = services.approve_member(m, actor=mine)
    assert m.status == "active" and not m.correction_requested
    with pytest.raises(Conflict):
        services.reject_member(m, actor=mine, reason="sudah terlambat")
    actions = list(AuditEvent.objects.filter(object_id=str(m.pk)).values_list("action", flat=True))
    assert {"member.register", "member.request_correction", "member.approve"} <= set(actions)


def test_reject_needs_reason_and_sets_status(make_user):
    officer = make_user("petugas1", "officer", "KC-6371")
    m = services.reject_member(register(), actor=officer, reason="NIK bukan milik pendaftar")
    assert m.status == "rejected" and m.status_reason == "NIK bukan milik pendaftar"


def test_rejected_person_may_register_again_with_the_same_kpj(make_user):
    officer = make_user("petugas1", "officer", "KC-6371")
    first = services.reject_member(register(), actor=officer, reason="Foto KTP tidak terbaca")
    again = register(name="Ahmad Fauzi", phone="0813 5555 6666", income=1_500_000)
    assert again.pk == first.pk and again.kpj == first.kpj
    assert (again.status, again.status_reason, again.income, again.phone) == ("pending", "", 1_500_000,
                                                                              "+6281355556666")
    assert AuditEvent.objects.filter(action="member.register_again", object_id=str(again.pk)).exists()
    with pytest.raises(Conflict):  # now pending again: a second registration is a duplicate
        register()


def test_update_member_audits_who_changed_what(make_user):
    officer = make_user("petugas1", "officer", "KC-6371")
    outsider = make_user("petugas2", "officer", "KC-3171")
    m = register(channel="branch")
    with pytest.raises(Forbidden):
        services.update_member(m, {"income": 2_000_000}, actor=outsider)
    m = services.update_member(m, {"income": "2.500.000", "phone": "0813 9999 8888", "programs": "JKK,JKM,JHT"},
                               actor=officer)
    assert (m.income, m.phone, m.jht) == (2_500_000, "+6281399998888", True)
    ev = AuditEvent.objects.get(action="member.update", object_id=str(m.pk))
    assert ev.actor == officer
    assert ev.changes["income"] == [1_000_000, 2_500_000] and ev.changes["jht"] == [False, True]
    with pytest.raises(DomainError) as e:
        services.update_member(m, {"income": 500_000}, actor=officer)
    assert "Rp1.000.000" in e.value.errors["income"]


def test_only_officers_correct_the_name(make_user):
    officer = make_user("petugas1", "officer", "KC-6371")
    worker = make_user("w1", "worker", None)
    m = register(name="Ahmad Fauzy")
    services.link_user(m, worker)
    with pytest.raises(DomainError) as e:
        services.update_member(m, {"name": "Ahmad Fauzi"}, actor=worker)
    assert "petugas" in e.value.message
    m = services.update_member(m, {"name": "Ahmad  Fauzi"}, actor=officer)
    assert m.name == "Ahmad Fauzi"
    assert AuditEvent.objects.get(action="member.update").changes["name"] == ["Ahmad Fauzy", "Ahmad Fauzi"]


def test_member_updates_own_data_and_clears_correction(make_user):
    officer = make_user("petugas1", "officer", "KC-6371")
    worker = make_user("w1", "worker", None)
    m = register()
    services.link_user(m, worker)
    services.request_correction(m, actor=officer, reason="Alamat kurang lengkap")
    m = services.update_member(m, {"address": "Jl. Alalak Tengah RT 03 No. 12"}, actor=worker)
    assert not m.correction_requested and m.address.endswith("No. 12")


def test_self_registration_creates_login_named_by_kpj():
    m = services.register_self(worker_data(), "kata-sandi-kuat-77", on=ON)
    assert m.user.username == m.kpj and m.user.check_password("kata-sandi-kuat-77")
    assert m.user.profile.role == "worker"
    with pytest.raises(DomainError) as e:
        services.register_self(worker_data(nik=FEMALE_NIK, gender="P"), "123", on=ON)
    assert "password" in e.value.errors
    assert not Member.objects.filter(nik=FEMALE_NIK).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions (PostgreSQL)")
@pytest.mark.parametrize("early_check", [True, False])
def test_duplicate_nik_under_two_concurrent_requests(early_check, monkeypatch):
    """Two requests with the same NIK at the same moment: exactly one member, the other gets 409 (also when
    the early check is skipped, so only the database constraint stands in the way)."""
    if not early_check:
        monkeypatch.setattr(services, "nik_holder", lambda nik: None)
    barrier = threading.Barrier(2)
    results = []

    def attempt(name):
        from django.db import connection as conn

        try:
            barrier.wait()
            m = services.register_member(worker_data(name=name), on=ON)
            results.append(("ok", m.kpj))
        except Conflict as e:
            results.append(("conflict", e.status))
        finally:
            conn.close()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in ("Ahmad Fauzi", "Ahmad Fauzy")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r[0] for r in results) == ["conflict", "ok"]
    assert Member.objects.filter(nik=MALE_NIK).count() == 1


def test_a_mistyped_kpj_never_reaches_another_member(make_user):
    """Hypothesis over every issued KPJ: any single-digit error or adjacent swap is refused by the check digit
    (404 "tidak valid"), so a typo can never open someone else's record."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from jaring.core.errors import NotFound
    from jaring.members.selectors import get_member_for

    officer = make_user("petugas1", "officer", "KC-6371")
    members = [register(channel="branch"), register(nik=FEMALE_NIK, gender="P", channel="branch")]
    services.allocate_kpj(500)  # numbers further on are issued too

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.sampled_from(members), st.integers(0, 10), st.integers(1, 9), st.booleans())
    def check(member, pos, delta, swap):
        kpj = member.kpj
        if swap:
            pos = min(pos, 9)
            if kpj[pos] == kpj[pos + 1]:
                return
            typo = kpj[:pos] + kpj[pos + 1] + kpj[pos] + kpj[pos + 2:]
        else:
            typo = kpj[:pos] + str((int(kpj[pos]) + delta) % 10) + kpj[pos + 1:]
        assert not is_valid_kpj(typo)
        with pytest.raises(NotFound) as e:
            get_member_for(officer, typo)
        assert "tidak valid" in e.value.message
        assert get_member_for(officer, kpj) == member

    check()
