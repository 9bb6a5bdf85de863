"""Member pages through the Django test client: wizard, card, public check, queue, list, edit, import."""

import io

import pytest
from django.test import Client
from django.urls import reverse

from jaring.core.models import AuditEvent
from jaring.members import services
from jaring.members.models import ImportJob, Member

from .conftest import FEMALE_NIK, JAKARTA_VILLAGE, MALE_NIK, VILLAGE, worker_data

pytestmark = pytest.mark.django_db
PASSWORD = "rahasia-sekali-9"


def logged_in(make_user, username, role, office=None):
    user = make_user(username, role, office)
    c = Client()
    c.force_login(user)
    return c, user


def step(c, mode, step_name, **data):
    url = reverse("members:register_step" if mode == "self" else "members:assist_step", args=[step_name])
    return c.post(url, data)


def walk(c, mode="self", nik=FEMALE_NIK):
    assert step(c, mode, "nik", nik=nik).status_code == 302
    r = step(c, mode, "identitas", name="Siti Aminah", birth_date="1990-08-15", gender="P", phone="0812 3456 7890")
    assert r.status_code == 302, r.content.decode()[:2000]
    assert step(c, mode, "alamat", village_code=VILLAGE, address="Jl. Alalak").status_code == 302
    assert step(c, mode, "pekerjaan", occupation="pedagang", income="1500000", jht="1").status_code == 302


def test_self_registration_wizard_creates_member_login_and_card():
    c = Client()
    assert c.get(reverse("members:register")).status_code == 302
    r = step(c, "self", "nik", nik="1234")
    assert r.status_code == 200 and "16 digit" in r.content.decode()
    walk(c)
    # the identity step was prefilled from the NIK
    assert c.session["members_draft_self"]["gender"] == "P"
    r = c.get(reverse("members:register_step", args=["konfirmasi"]))
    assert "Siti Aminah" in r.content.decode() and "Alalak Tengah" in r.content.decode()
    r = step(c, "self", "konfirmasi", consent="1", password="kata-sandi-kuat-77", password2="kata-sandi-kuat-77")
    assert r.status_code == 302
    m = Member.objects.get(nik=FEMALE_NIK)
    assert m.status == "pending" and m.channel == "self" and m.jht and m.user.username == m.kpj
    assert r["Location"] == reverse("members:card", args=[m.kpj]) + "?baru=1"
    page = c.get(r["Location"]).content.decode()
    assert m.kpj in page and "<svg" in page and "Menunggu verifikasi" in page
    assert "members_draft_self" not in c.session
    # and the worker's menu leads to the card
    assert c.get(reverse("members:my_card"))["Location"] == reverse("members:card", args=[m.kpj])


def test_wizard_resumes_where_the_draft_stopped():
    c = Client()
    step(c, "self", "nik", nik=FEMALE_NIK)
    step(c, "self", "identitas", name="Siti Aminah", birth_date="1990-08-15", gender="P", phone="081234567890")
    assert c.get(reverse("members:register"))["Location"] == reverse("members:register_step", args=["alamat"])


def test_wizard_refuses_skipping_steps_and_mismatched_gender():
    c = Client()
    assert c.get(reverse("members:register_step", args=["pekerjaan"]))["Location"].endswith("/daftar/nik/")
    step(c, "self", "nik", nik=FEMALE_NIK)
    r = step(c, "self", "identitas", name="Siti", birth_date="1990-08-15", gender="L", phone="081234567890")
    assert r.status_code == 200 and "perempuan" in r.content.decode()


def test_rejected_worker_registers_again_after_signing_in(make_user):
    c = Client()
    walk(c)
    step(c, "self", "konfirmasi", consent="1", password="kata-sandi-kuat-77", password2="kata-sandi-kuat-77")
    m = Member.objects.get(nik=FEMALE_NIK)
    officer = make_user("petugas1", "officer", "KC-6371")
    services.reject_member(m, actor=officer, reason="Foto KTP buram")
    anonymous = Client()
    walk(anonymous)
    r = step(anonymous, "self", "konfirmasi", consent="1", password="lain-lagi-kuat-88", password2="lain-lagi-kuat-88")
    assert r.status_code == 409 and m.kpj in r.content.decode()  # told to sign in with the KPJ
    c.force_login(m.user)
    walk(c)
    r = step(c, "self", "konfirmasi", consent="1")
    m.refresh_from_db()
    assert r.status_code == 302 and m.status == "pending" and m.status_reason == ""


def test_wizard_tells_age_at_first_step():
    from datetime import timedelta

    from django.utils import timezone

    young = timezone.localdate() - timedelta(days=17 * 365)  # 17 years old
    nik = f"637104{young:%d%m%y}0001"
    r = step(Client(), "self", "nik", nik=nik)
    assert r.status_code == 200 and "minimal 18 tahun" in r.content.decode()


def test_wizard_refuses_registered_nik_at_first_step():
    services.register_member(worker_data(), channel="branch")
    r = step(Client(), "self", "nik", nik=MALE_NIK)
    assert r.status_code == 200 and "sudah terdaftar" in r.content.decode()


def test_confirm_needs_consent_and_matching_passwords():
    c = Client()
    walk(c)
    r = step(c, "self", "konfirmasi", password="kata-sandi-kuat-77", password2="kata-sandi-kuat-77")
    assert r.status_code == 422 and "Centang persetujuan" in r.content.decode()
    r = step(c, "self", "konfirmasi", consent="1", password="kata-sandi-kuat-77", password2="lain")
    assert r.status_code == 422 and not Member.objects.exists()


def test_agent_assisted_registration(make_user):
    c, agent = logged_in(make_user, "agen1", "agent", "KC-6371")
    assert c.get(reverse("members:register_step", args=["nik"]))["Location"] == reverse("members:assist")
    walk(c, "assist")
    r = step(c, "assist", "konfirmasi", consent="1")
    m = Member.objects.get(nik=FEMALE_NIK)
    assert (m.channel, m.status, m.created_by) == ("agent", "pending", agent) and m.user is None
    page = c.get(r["Location"]).content.decode()
    assert m.kpj in page and FEMALE_NIK not in page  # the card shows the masked NIK only in files


def test_officer_assisted_registration_may_be_budget_funded(make_user):
    c, officer = logged_in(make_user, "petugas1", "officer", "KC-6371")
    walk(c, "assist")
    assert "Sumber dana iuran" in c.get(reverse("members:assist_step", args=["konfirmasi"])).content.decode()
    step(c, "assist", "konfirmasi", consent="1", funding="apbd")
    m = Member.objects.get(nik=FEMALE_NIK)
    assert (m.channel, m.status, m.funding) == ("branch", "active", "apbd")


def test_worker_cannot_open_assisted_form(make_user):
    c, _ = logged_in(make_user, "w1", "worker")
    assert c.get(reverse("members:assist_step", args=["nik"])).status_code == 403


def test_village_picker_and_live_quote():
    r = Client().get(reverse("members:village_search"), {"village_q": "Alalak Tengah"})
    assert VILLAGE in r.content.decode() and "Banjarmasin" in r.content.decode()
    r = Client().get(reverse("members:register_quote"), {"income": "1000000", "occupation": "pedagang",
                                                         "jht": "1", "month": "2025-06"})
    assert r.status_code == 200 and "data-testid=\"quote-total\"" in r.content.decode()
    # budget-funded (APBD) members get no PP 50/2025 discount: JKK 1% + JKM Rp6,800 = Rp16,800 in full
    r = Client().get(reverse("members:register_quote"), {"income": "1000000", "occupation": "pedagang",
                                                         "funding": "apbd"})
    assert "Rp16.800" in r.content.decode() and "Diskon" not in r.content.decode()
    r = Client().get(reverse("members:register_quote"), {"income": "500000", "occupation": "pedagang"})
    assert "Rp1.000.000" in r.content.decode()


def test_card_png_pdf_and_public_check(make_user):
    m = services.register_member(worker_data(), channel="branch")
    c, _ = logged_in(make_user, "petugas1", "officer", "KC-6371")
    png = c.get(reverse("members:card_png", args=[m.kpj]))
    assert png["Content-Type"] == "image/png" and png.content[:8] == b"\x89PNG\r\n\x1a\n"
    pdf = c.get(reverse("members:card_pdf", args=[m.kpj]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content[:5] == b"%PDF-"
    public = Client().get(reverse("members:verify", args=[m.kpj])).content.decode()
    assert "A**** F****" in public and "JKK + JKM" in public
    assert "Ahmad" not in public and MALE_NIK not in public and "6371" not in public.split("<main")[1]
    assert Client().get(reverse("members:verify", args=["12345678901"])).status_code == 404


@pytest.mark.parametrize("protected,text", [(True, "Aktif — terlindungi"), (False, "Tidak aktif")])
def test_public_check_shows_protection_from_coverage(monkeypatch, protected, text):
    from jaring.members import selectors

    m = services.register_member(worker_data(), channel="branch")
    monkeypatch.setattr(selectors, "coverage", lambda member, on=None: {
        "state": "active" if protected else "inactive", "protected": protected, "paid_through": None})
    page = Client().get(reverse("members:verify", args=[m.kpj])).content.decode()
    assert text in page


def test_card_outside_scope_is_refused(make_user):
    m = services.register_member(worker_data(village_code=JAKARTA_VILLAGE), channel="branch")
    c, _ = logged_in(make_user, "petugas1", "officer", "KC-6371")
    assert c.get(reverse("members:card", args=[m.kpj])).status_code == 403
    assert c.get(reverse("members:detail", args=[m.kpj])).status_code == 403


def test_queue_approve_and_reject_with_reason(make_user):
    a = services.register_member(worker_data())
    b = services.register_member(worker_data(nik=FEMALE_NIK, gender="P", name="Siti Aminah"))
    services.register_member(worker_data(nik="6371041508900009", village_code=JAKARTA_VILLAGE))
    c, officer = logged_in(make_user, "petugas1", "officer", "KC-6371")
    page = c.get(reverse("members:queue")).content.decode()
    assert page.count('data-testid="queue-item"') == 2  # the Jakarta registration is another branch's
    c.post(reverse("members:verify_action", args=[a.kpj]), {"action": "approve"})
    r = c.post(reverse("members:verify_action", args=[b.kpj]), {"action": "reject", "reason": ""}, follow=True)
    assert "alasan" in r.content.decode().lower()
    c.post(reverse("members:verify_action", args=[b.kpj]), {"action": "reject", "reason": "KTP bukan milik pendaftar"})
    a.refresh_from_db(), b.refresh_from_db()
    assert (a.status, b.status, b.status_reason) == ("active", "rejected", "KTP bukan milik pendaftar")
    assert AuditEvent.objects.filter(action="member.reject", actor=officer).exists()
    assert 'data-testid="queue-empty"' in c.get(reverse("members:queue")).content.decode()


def test_list_search_masks_nik_and_paginates(make_user):
    for i in range(1, 28):
        services.register_member(worker_data(nik=f"63710415089{i:05d}"), channel="branch")
    c, _ = logged_in(make_user, "petugas1", "officer", "KC-6371")
    page = c.get(reverse("members:list")).content.decode()
    assert "6371********0027" in page and "6371041508900027" not in page and "Halaman 1 dari 2" in page
    page = c.get(reverse("members:list"), {"q": "6371041508900003"}).content.decode()
    assert page.count("<tr>") == 2  # header + one row
    empty = c.get(reverse("members:list"), {"q": "Tidak Ada Orang"}).content.decode()
    assert "Tidak ada peserta yang cocok" in empty


def test_worker_edits_own_data_with_audit(make_user):
    c, worker = logged_in(make_user, "w1", "worker")
    m = services.register_member(worker_data(), channel="branch", user=worker)
    r = c.post(reverse("members:my_data"), {"phone": "0813 2222 3333", "village_code": VILLAGE, "address": "Jl. Baru",
                                            "occupation": "kurir", "second_occupation": "", "income": "2000000"})
    assert r.status_code == 302
    m.refresh_from_db()
    assert (m.phone, m.occupation, m.sector, m.income, m.jht) == ("+6281322223333", "kurir", "transport", 2_000_000,
                                                                   False)
    ev = AuditEvent.objects.get(action="member.update", object_id=str(m.pk))
    assert ev.actor == worker and ev.changes["income"] == [1_000_000, 2_000_000]
    r = c.post(reverse("members:my_data"), {"phone": "123", "village_code": VILLAGE, "occupation": "kurir",
                                            "income": "2000000"})
    assert r.status_code == 422 and "Nomor HP tidak valid" in r.content.decode()


def test_import_upload_preview_run_and_error_file(make_user):
    c, officer = logged_in(make_user, "petugas1", "officer", "KC-6371")
    csv_text = ("nik,nama,no_hp,kode_desa,pekerjaan,penghasilan\n"
                f"{MALE_NIK},Ahmad Fauzi,081234567890,{VILLAGE},pedagang,1500000\n"
                f"{FEMALE_NIK},Siti Aminah,081234567891,{VILLAGE},pedagang,500000\n")
    f = io.BytesIO(csv_text.encode())
    f.name = "daftar.csv"
    r = c.post(reverse("members:import"), {"file": f, "funding": "apbd"})
    job = ImportJob.objects.get()
    assert r["Location"] == reverse("members:import_job", args=[job.pk])
    page = c.get(r["Location"]).content.decode()
    assert "2 baris dibaca; 1 baris bergalat" in page and "1 baris siap diimpor" in page
    c.post(reverse("members:import_job", args=[job.pk]))
    r = c.get(reverse("members:import_progress", args=[job.pk]))
    assert r["HX-Refresh"] == "true"
    job.refresh_from_db()
    assert (job.state, job.imported, len(job.errors)) == ("done", 1, 1)
    assert Member.objects.get(nik=MALE_NIK).funding == "apbd"
    err = c.get(reverse("members:import_errors", args=[job.pk])).content.decode("utf-8-sig")
    assert err.splitlines()[0].startswith("baris,galat") and "Rp1.000.000" in err
    # another user cannot see this job
    other, _ = logged_in(make_user, "petugas2", "officer", "KC-6371")
    assert other.get(reverse("members:import_job", args=[job.pk])).status_code == 404


def test_menu_entries_per_role(make_user):
    from jaring.web.context import nav_items

    labels = lambda u: {i["label"] for i in nav_items(u)}  # noqa: E731
    assert {"Kartu saya", "Data saya"} <= labels(make_user("w1", "worker", None))
    assert {"Peserta", "Verifikasi", "Impor daftar"} <= labels(make_user("o1", "officer", "KC-6371"))
    assert {"Daftarkan pekerja", "Impor daftar"} <= labels(make_user("a1", "agent", "KC-6371"))
    sponsor = make_user("s1", "sponsor", None)
    assert "Impor daftar" not in labels(sponsor)  # sponsors import in their portal (with the invoice)
    c = Client()
    c.force_login(sponsor)
    assert c.get(reverse("members:import"))["Location"] == reverse("sponsors:upload")


def test_officer_edits_member_and_sees_audit_trail(make_user):
    m = services.register_member(worker_data(name="Ahmad Fauzy"), channel="branch")
    c, officer = logged_in(make_user, "petugas1", "officer", "KC-6371")
    page = c.get(reverse("members:edit", args=[m.kpj])).content.decode()
    assert 'name="name"' in page and "Ahmad Fauzy" in page
    r = c.post(reverse("members:edit", args=[m.kpj]), {
        "name": "Ahmad Fauzi", "phone": "0812-3456-7890", "village_code": VILLAGE, "address": "",
        "occupation": "pedagang", "second_occupation": "", "income": "1000000"})
    assert r["Location"] == reverse("members:detail", args=[m.kpj])
    detail = c.get(r["Location"]).content.decode()
    assert "Ahmad Fauzi" in detail and "Perubahan data" in detail and "petugas1" in detail
    outsider, _ = logged_in(make_user, "petugas2", "officer", "KC-3171")
    assert outsider.get(reverse("members:edit", args=[m.kpj])).status_code == 403


def test_export_streams_scope_with_masked_nik(make_user):
    services.register_member(worker_data(), channel="branch")
    services.register_member(worker_data(nik=FEMALE_NIK, gender="P", name="Siti Aminah",
                                         village_code=JAKARTA_VILLAGE), channel="branch")
    c, _ = logged_in(make_user, "petugas1", "officer", "KC-6371")
    r = c.get(reverse("members:export"))
    body = b"".join(r.streaming_content).decode("utf-8-sig").splitlines()
    assert body[0].startswith("kpj,nama,nik") and len(body) == 2  # only the Banjarmasin member
    assert "6371********0001" in body[1] and MALE_NIK not in body[1] and "Alalak Tengah" in body[1]
    agent, _ = logged_in(make_user, "agen1", "agent", "KC-6371")
    assert agent.get(reverse("members:export")).status_code == 403
