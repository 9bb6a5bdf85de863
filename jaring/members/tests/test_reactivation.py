"""Reactivation (SPEC 2.3): "After 3 consecutive unpaid months membership becomes non-active (deactivated in
month 4) ... Reactivation after that is treated like a new registration (valid data, current economic
activity)."

The same record, KPJ and NIK (the same person) take the new data; registered today; first contribution month
the new registration's; status by channel; arrears from before are no longer owed; payments stay.

Figures (rules/data/contributions.json): JKK 1% of declared income, JKM Rp6,800 a month (PP 44/2015 as amended
by PP 82/2019); PP 50/2025 takes 50% off JKK and JKM for other sectors in contribution months 2026-04..2026-12
and for transport in 2026-01..2027-03 (not when paid from APBD/APBN). So Rp1,000,000 costs Rp16,800 a month,
Rp8,400 with the discount; Rp2,000,000 in transport Rp13,400 with the discount (10,000 + 3,400).
"""

import json
import threading
from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from jaring.contributions.billing import refresh_coverage, run_billing
from jaring.contributions.models import Bill, MemberCoverage, Payment
from jaring.contributions.selectors import coverage_on, owed
from jaring.contributions.services import cost_of_months, paid_through, post_payment
from jaring.core.errors import Conflict
from jaring.core.models import AuditEvent
from jaring.members import importer, services
from jaring.members.models import Member

from .conftest import FEMALE_NIK, MALE_NIK, VILLAGE, worker_data

pytestmark = pytest.mark.django_db

REGISTERED = date(2026, 1, 10)
BACK = date(2026, 6, 20)  # he comes back in the month he was deactivated in
NEW_DATA = {"phone": "0813-5555-0000", "occupation": "petani", "address": "Jl. Sungai Andai RT 07"}


def lapse(member):
    """Bills for March to June 2026 (the June run comes first on 1 June), then the refresh of 1 June: March,
    April and May ended unpaid, so the member is deactivated in the 4th month."""
    for month in ("2026-03", "2026-04", "2026-05", "2026-06"):
        run_billing(month)
    assert refresh_coverage("2026-06-01")["deactivated"] == 1
    member.refresh_from_db()
    assert member.status == "inactive"
    return member


@pytest.fixture
def lapsed(db):
    """Ahmad, a trader declaring Rp1,000,000, registered at the branch on 10 January 2026, paid January and
    February (2 x Rp16,800: other sectors get the discount only from April 2026), then nothing."""
    m = services.register_member(worker_data(), channel="branch", on=REGISTERED)
    post_payment(member=m, months=2, amount=2 * 16_800, channel="BRANCH", reference="KC-LAMA-1",
                 paid_at="2026-01-20T10:00", source="branch")
    return lapse(m)


def bills(member):
    return list(Bill.objects.filter(member=member).order_by("month").values_list("month", "amount", "status"))


OLD_BILLS = [(date(2026, 1, 1), 16_800, "paid"), (date(2026, 2, 1), 16_800, "paid"),
             (date(2026, 3, 1), 16_800, "due"), (date(2026, 4, 1), 8_400, "due"),
             (date(2026, 5, 1), 8_400, "due"), (date(2026, 6, 1), 8_400, "due")]


def test_inactive_member_reactivates_as_a_new_registration(lapsed, make_user):
    officer = make_user("petugas1", "officer", "KC-6371")
    # before: a non-active member owes only the month paid in, June (continuation, SPEC 2.3), not the arrears
    before = owed(lapsed, today=BACK)
    assert (before["total"], before["continuation"]) == (8_400, True)
    payments = list(Payment.objects.filter(member=lapsed).values_list("pk", "reference", "amount"))

    m = services.register_member(worker_data(**NEW_DATA), actor=officer, channel="branch", on=BACK)

    assert m.reactivated and m.pk == lapsed.pk and m.kpj == lapsed.kpj and m.nik == MALE_NIK
    assert Member.objects.filter(nik=MALE_NIK).count() == 1
    m.refresh_from_db()
    assert (m.status, m.status_reason, m.channel, m.funding) == ("active", "", "branch", "self")
    assert m.registered_on == BACK and m.first_month == date(2026, 6, 1)
    assert (m.occupation, m.phone, m.address) == ("petani", "+6281355550000", "Jl. Sungai Andai RT 07")
    assert m.created_by == officer

    event = AuditEvent.objects.get(action="member.reactivate", object_id=str(m.pk))
    assert event.actor == officer and event.note == "branch"
    assert event.changes["status"] == ["inactive", "active"]
    assert event.changes["first_month"] == ["2026-01-01", "2026-06-01"]
    assert event.changes["registered_on"] == ["2026-01-10", "2026-06-20"]
    assert event.changes["occupation"] == ["pedagang", "petani"]
    assert event.changes["status_reason"][1] == "" and "3 bulan" in event.changes["status_reason"][0]
    assert "income" not in event.changes and "bills_repriced" not in event.changes  # same Rp1,000,000

    # payment history stays: the payment, the paid months and the old unpaid bills
    assert list(Payment.objects.filter(member=m).values_list("pk", "reference", "amount")) == payments
    assert bills(m) == OLD_BILLS
    assert paid_through(m) is None  # nothing paid yet in the new registration

    # what is owed starts at the new first month: June 2026 at the PP 50/2025 price, Rp8,400
    now = owed(m, today=BACK)
    assert (now["first_unpaid"], now["months"], now["total"]) == (date(2026, 6, 1), 1, 8_400)
    assert cost_of_months(m, 1) == [(date(2026, 6, 1), 8_400)]
    # in January 2027 the discount for other sectors has ended: June–December 7 x 8,400 + January 16,800
    later = owed(m, today=date(2027, 1, 20))
    assert (later["months"], later["total"]) == (8, 7 * 8_400 + 16_800) and later["total"] == 75_600
    cov = coverage_on(m, BACK)
    assert (cov["state"], cov["unpaid_months"], cov["paid_through"]) == ("active", 0, None)
    # the nightly coverage table says so at once, exactly as the next refresh will
    row = lambda: MemberCoverage.objects.filter(member=m).values_list(  # noqa: E731
        "state", "paid_through", "unpaid_months", "protected", "as_of").get()
    assert row() == ("active", None, 0, False, BACK)
    refresh_coverage(BACK)
    assert row() == ("active", None, 0, False, BACK)

    # and he pays again: June is credited, not March
    p, created = post_payment(member=m, months=1, amount=8_400, channel="BRANCH", reference="KC-BARU-1",
                              paid_at="2026-06-22T09:00", source="branch")
    assert created and p.first_month == date(2026, 6, 1) and paid_through(m) == date(2026, 6, 1)
    assert bills(m)[2] == (date(2026, 3, 1), 16_800, "due")  # the old arrears stay recorded, not owed


def test_new_occupation_and_income_reprice_the_open_bill_of_the_new_first_month(lapsed):
    """The June bill was made by the run of 1 June for the old data (trader, Rp1,000,000: Rp8,400). He now drives
    an online ojek declaring Rp2,000,000: transport, JKK 20,000 + JKM 6,800, half off = Rp13,400."""
    m = services.register_member(worker_data(occupation="ojek_online", income=2_000_000), channel="branch", on=BACK)
    m.refresh_from_db()
    assert (m.sector, m.income) == ("transport", 2_000_000)
    june = Bill.objects.get(member=m, month=date(2026, 6, 1))
    assert (june.jkk, june.jkm, june.discount, june.amount, june.status) == (10_000, 3_400, 13_400, 13_400, "due")
    assert bills(m)[:5] == OLD_BILLS[:5]  # earlier months keep the old registration's amounts
    assert owed(m, today=BACK)["total"] == 13_400
    event = AuditEvent.objects.get(action="member.reactivate", object_id=str(m.pk))
    assert event.changes["bills_repriced"] == [None, ["2026-06"]]
    assert event.changes["income"] == [1_000_000, 2_000_000] and event.changes["sector"] == ["other", "transport"]


@pytest.mark.parametrize("channel, status", [("self", "pending"), ("agent", "pending"), ("branch", "active"),
                                             ("sponsor_import", "active")])
def test_status_by_channel_like_a_new_registration(lapsed, make_user, channel, status):
    actor = make_user("agen1", "agent", "KC-6371") if channel == "agent" else None
    funding = "sponsor" if channel == "sponsor_import" else "self"
    m = services.register_member(worker_data(**NEW_DATA), actor=actor, channel=channel, funding=funding, on=BACK)
    m.refresh_from_db()
    assert (m.kpj, m.status, m.channel, m.funding, m.first_month) == (lapsed.kpj, status, channel, funding,
                                                                     date(2026, 6, 1))


def test_membership_linked_to_another_account_is_refused(lapsed, make_user):
    owner = make_user("w-ahmad", "worker", None)
    services.link_user(lapsed, owner)
    other = make_user("w-lain", "worker", None)
    with pytest.raises(Conflict) as e:
        services.register_member(worker_data(**NEW_DATA), actor=other, channel="self", user=other, on=BACK)
    assert e.value.status == 409 and lapsed.kpj in e.value.message
    lapsed.refresh_from_db()
    assert (lapsed.status, lapsed.user, lapsed.first_month) == ("inactive", owner, date(2026, 1, 1))
    assert not AuditEvent.objects.filter(action="member.reactivate").exists()
    # an agent helping the owner keeps the owner's login linked
    agent = make_user("agen1", "agent", "KC-6371")
    m = services.register_member(worker_data(**NEW_DATA), actor=agent, channel="agent", on=BACK)
    m.refresh_from_db()
    assert (m.status, m.user) == ("pending", owner)


def test_active_or_pending_nik_is_still_a_duplicate(lapsed):
    services.register_member(worker_data(**NEW_DATA), channel="branch", on=BACK)
    with pytest.raises(Conflict) as e:
        services.register_member(worker_data(name="Orang Lain"), channel="branch", on=BACK)
    assert e.value.status == 409 and "nik" in e.value.errors
    services.register_member(worker_data(nik=FEMALE_NIK, gender="P", name="Siti Aminah"), on=BACK)  # pending
    with pytest.raises(Conflict):
        services.register_member(worker_data(nik=FEMALE_NIK, gender="P", name="Siti Aminah"), on=BACK)
    assert AuditEvent.objects.filter(action="member.reactivate").count() == 1


def test_anonymous_self_registration(lapsed, make_user):
    """Without a login of his own (an officer registered him) he may reactivate and get one, named by the KPJ;
    with one, he is told to sign in first."""
    m = services.register_self(worker_data(**NEW_DATA), "kata-sandi-kuat-77", on=BACK)
    assert m.reactivated and m.kpj == lapsed.kpj and m.user.username == m.kpj and m.status == "pending"
    other = services.register_member(worker_data(nik=FEMALE_NIK, gender="P", name="Siti Aminah"),
                                     channel="branch", on=REGISTERED)
    services.link_user(other, make_user("w-siti", "worker", None))
    lapse(other)
    with pytest.raises(Conflict) as e:
        services.register_self(worker_data(nik=FEMALE_NIK, gender="P", name="Siti Aminah"), "kata-sandi-kuat-77",
                               on=BACK)
    assert other.kpj in e.value.message and "daftar ulang" in e.value.message


def test_import_names_an_inactive_nik_clearly(lapsed, make_user):
    rows = [dict(worker_data(**NEW_DATA), birth_date="", gender=""),
            dict(worker_data(nik=FEMALE_NIK, gender="P", name="Siti Aminah"))]
    result = importer.import_rows(rows, actor=make_user("petugas1", "officer", "KC-6371"), channel="branch",
                                  funding="self", on=BACK)
    assert len(result.imported) == 1 and result.imported[0].nik == FEMALE_NIK
    (number, _row, errors), = result.errors
    assert number == 2 and "nonaktif" in errors["nik"] and "formulir pendaftaran" in errors["nik"]
    lapsed.refresh_from_db()
    assert lapsed.status == "inactive"


# --- API ---------------------------------------------------------------------------------------------------

def post(client, body):
    return client.post("/api/v1/members", data=json.dumps(body), content_type="application/json")


@pytest.fixture
def back_today(monkeypatch):
    monkeypatch.setattr(services, "today", lambda: BACK)


def test_api_reactivates_with_201_and_says_so(lapsed, make_user, api_client, back_today):
    c = api_client(make_user("petugas1", "officer", "KC-6371"))
    r = post(c, worker_data(**NEW_DATA))
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["reactivated"] is True and body["kpj"] == lapsed.kpj and body["nik"] == MALE_NIK
    assert (body["status"], body["registered_on"], body["first_month"], body["occupation"]) == (
        "active", "2026-06-20", "2026-06", "petani")
    # a brand-new registration says reactivated: false; an active NIK is still 409
    new = post(c, worker_data(nik=FEMALE_NIK, gender="P", name="Siti Aminah"))
    assert new.status_code == 201 and new.json()["reactivated"] is False
    again = post(c, worker_data(**NEW_DATA))
    assert again.status_code == 409 and "nik" in again.json()["errors"]


def test_api_worker_reactivates_own_membership_not_someone_elses(lapsed, make_user, api_client, back_today):
    owner = make_user("w-ahmad", "worker", None)
    services.link_user(lapsed, owner)
    other = make_user("w-lain", "worker", None)
    r = post(api_client(other), worker_data(**NEW_DATA))
    assert r.status_code == 409 and "nik" in r.json()["errors"]
    c = api_client(owner)
    assert post(c, worker_data(nik=FEMALE_NIK, gender="P", name="Siti Aminah")).status_code == 409  # one account
    r = post(c, worker_data(**NEW_DATA))
    assert r.status_code == 201 and r.json()["reactivated"] is True
    assert (r.json()["status"], r.json()["channel"], r.json()["kpj"]) == ("pending", "self", lapsed.kpj)
    assert post(c, worker_data(**NEW_DATA)).status_code == 409  # now pending: not twice


# --- pages -------------------------------------------------------------------------------------------------

def step(c, mode, step_name, **data):
    return c.post(reverse("members:register_step" if mode == "self" else "members:assist_step", args=[step_name]), data)


def test_worker_follows_the_card_to_register_again(lapsed, make_user, back_today):
    owner = make_user("w-ahmad", "worker", None)
    services.link_user(lapsed, owner)
    c = Client()
    c.force_login(owner)
    card = c.get(reverse("members:card", args=[lapsed.kpj])).content.decode()
    assert 'data-testid="reregister"' in card and reverse("members:register") in card
    # the form starts with the KTP identity filled in; phone, address and work are asked again
    r = c.get(reverse("members:register"))
    assert r["Location"] == reverse("members:register_step", args=["identitas"])
    assert c.session["members_draft_self"]["nik"] == MALE_NIK
    assert step(c, "self", "identitas", name="Ahmad Fauzi", birth_date="1990-08-15", gender="L",
                phone="0813 5555 0000").status_code == 302
    assert step(c, "self", "alamat", village_code=VILLAGE, address="Jl. Sungai Andai RT 07").status_code == 302
    assert step(c, "self", "pekerjaan", occupation="petani", income="1000000").status_code == 302
    r = step(c, "self", "konfirmasi", consent="1")
    assert r.status_code == 302 and r["Location"] == reverse("members:card", args=[lapsed.kpj]) + \
        "?baru=1&aktif_kembali=1"
    page = c.get(r["Location"]).content.decode()
    assert 'data-testid="reactivated"' in page and "Kepesertaan diaktifkan kembali" in page
    assert "2026-06" in page and lapsed.kpj in page
    m = Member.objects.get(pk=lapsed.pk)
    assert (m.status, m.channel, m.user, m.first_month) == ("pending", "self", owner, date(2026, 6, 1))


def test_officer_reactivates_through_the_assisted_form(lapsed, make_user, back_today):
    officer = make_user("petugas1", "officer", "KC-6371")
    c = Client()
    c.force_login(officer)
    detail = c.get(reverse("members:detail", args=[lapsed.kpj])).content.decode()
    assert 'data-testid="reregister"' in detail and reverse("members:assist") in detail
    assert step(c, "assist", "nik", nik=MALE_NIK).status_code == 302  # not "already registered"
    assert step(c, "assist", "identitas", name="Ahmad Fauzi", birth_date="1990-08-15", gender="L",
                phone="0813 5555 0000").status_code == 302
    assert step(c, "assist", "alamat", village_code=VILLAGE, address="").status_code == 302
    assert step(c, "assist", "pekerjaan", occupation="petani", income="1000000").status_code == 302
    r = step(c, "assist", "konfirmasi", consent="1", funding="self")
    assert r["Location"].endswith("?baru=1&aktif_kembali=1")
    page = c.get(r["Location"]).content.decode()
    assert "Kepesertaan diaktifkan kembali sebagai pendaftaran baru. Nomor KPJ tetap" in page
    assert Member.objects.get(pk=lapsed.pk).status == "active"
    detail = c.get(reverse("members:detail", args=[lapsed.kpj])).content.decode()
    assert 'data-testid="reregister"' not in detail


# --- concurrency -------------------------------------------------------------------------------------------

@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions (PostgreSQL)")
def test_two_reactivations_at_the_same_moment():
    """The row lock lets one reactivation through; the other sees the membership no longer non-active: 409."""
    m = services.register_member(worker_data(), channel="branch", on=REGISTERED)
    lapse(m)
    barrier = threading.Barrier(2)
    results = []

    def attempt(occupation):
        from django.db import connection as conn

        try:
            barrier.wait()
            got = services.register_member(worker_data(occupation=occupation), channel="branch", on=BACK)
            results.append(("ok", got.kpj))
        except Conflict as e:
            results.append(("conflict", e.status))
        finally:
            conn.close()

    threads = [threading.Thread(target=attempt, args=(o,)) for o in ("petani", "nelayan")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r[0] for r in results) == ["conflict", "ok"]
    assert AuditEvent.objects.filter(action="member.reactivate", object_id=str(m.pk)).count() == 1


# --- follow-ups: audit labels, the worker's contribution pages ---------------------------------------------

def test_audit_trail_names_deactivation_and_reactivation(lapsed, make_user, back_today):
    from jaring.members.selectors import audit_trail

    services.register_member(worker_data(**NEW_DATA), channel="branch", on=BACK)
    labels = [(e.action, str(e.label)) for e in audit_trail(lapsed)]
    assert ("member.reactivate", "Diaktifkan kembali (pendaftaran baru)") in labels
    assert ("member.deactivate", "Dinonaktifkan: 3 bulan tidak membayar") in labels
    c = Client()
    c.force_login(make_user("petugas1", "officer", "KC-6371"))
    detail = c.get(reverse("members:detail", args=[lapsed.kpj])).content.decode()
    assert "Diaktifkan kembali (pendaftaran baru)" in detail and "Dinonaktifkan: 3 bulan tidak membayar" in detail
    assert "member.reactivate" not in detail


def test_inactive_worker_contribution_pages_link_to_registration(lapsed, make_user, back_today):
    owner = make_user("w-ahmad", "worker", None)
    services.link_user(lapsed, owner)
    c = Client()
    c.force_login(owner)
    link = f'href="{reverse("members:register")}"'
    for name in ("contributions:mine", "contributions:pay"):
        page = c.get(reverse(name)).content.decode()
        assert 'data-testid="reregister"' in page and link in page, name
        assert "Daftar ulang untuk mengaktifkan kembali" in page
    # SPEC 2.3: paying this month continues the membership too, so the page offers it
    assert 'data-testid="continue"' in c.get(reverse("contributions:mine")).content.decode()
    # once reactivated (pending verification after self-registration) the link is gone
    services.register_member(worker_data(**NEW_DATA), actor=owner, channel="self", user=owner, on=BACK)
    for name in ("contributions:mine", "contributions:pay"):
        assert 'data-testid="reregister"' not in c.get(reverse(name)).content.decode(), name
