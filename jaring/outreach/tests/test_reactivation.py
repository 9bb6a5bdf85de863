"""Reminders and the lapse list after a reactivation (SPEC 2.3: reactivation is a new registration).

Ahmad lapsed and registered again on 20 June 2026: the same KPJ, first contribution month June 2026. The
unpaid bills of March to May stay in the database as history (status 'due') but are no longer owed, so they
must not drive a reminder or the follow-up list. Real figures (rules/data/contributions.json): Rp1,000,000
declared, JKK 1% + JKM Rp6,800 = Rp16,800 a month; PP 50/2025 halves it to Rp8,400 for other sectors in
contribution months 2026-04..2026-12. Due dates 2026: 16 March, 15 April, 18 May, 15 June, 15 July, 18 August.
"""

from datetime import date

import pytest

from jaring.contributions.billing import refresh_coverage, run_billing
from jaring.contributions.services import post_payment
from jaring.members import services

pytestmark = pytest.mark.django_db

BACK = date(2026, 6, 20)
AHMAD_NIK = "6371041508900001"  # Banjarmasin Utara, born 15-08-1990, man
SITI_NIK = "6371045508900002"   # Banjarmasin Utara, born 15-08-1990, woman (day + 40)


def worker(**over):
    data = {"nik": AHMAD_NIK, "name": "Ahmad Fauzi", "birth_date": "1990-08-15", "gender": "L",
            "phone": "0812-3456-7890", "village_code": "63.71.04.1001", "occupation": "pedagang",
            "income": 1_000_000, "programs": "JKK,JKM", "address": "Jl. Alalak Tengah RT 03"}
    return {**data, **over}


@pytest.fixture
def people():
    """Ahmad: registered 10 January 2026, paid January and February on time, then nothing: deactivated on
    1 June (March, April, May unpaid), registered again at the branch on 20 June with a new phone.
    Siti: registered the same day, paid January to March on time, then nothing: still active on 20 June with
    April, May and June overdue — genuinely behind."""
    ahmad = services.register_member(worker(), channel="branch", on=date(2026, 1, 10))
    siti = services.register_member(worker(nik=SITI_NIK, gender="P", name="Siti Aminah", phone="0812-7777-0002"),
                                    channel="branch", on=date(2026, 1, 10))
    post_payment(member=ahmad, months=2, amount=2 * 16_800, channel="BRANCH", reference="KC-A-1",
                 paid_at="2026-01-12T10:00", source="branch")
    post_payment(member=siti, months=3, amount=3 * 16_800, channel="BRANCH", reference="KC-S-1",
                 paid_at="2026-01-12T11:00", source="branch")
    for month in ("2026-03", "2026-04", "2026-05", "2026-06"):
        run_billing(month)
    assert refresh_coverage("2026-06-01")["deactivated"] == 1
    ahmad.refresh_from_db()
    assert ahmad.status == "inactive"
    again = services.register_member(worker(phone="0813-5555-0000", occupation="petani"), channel="branch", on=BACK)
    assert again.reactivated and again.pk == ahmad.pk
    ahmad.refresh_from_db()
    assert (ahmad.status, ahmad.first_month) == ("active", date(2026, 6, 1))
    return ahmad, siti


def messages_for(member):
    from jaring.outreach.models import Message

    return list(Message.objects.filter(member=member).order_by("kind", "period").values_list("kind", "period", "body"))


def test_old_arrears_are_not_reminded_after_reactivation(people):
    from jaring.contributions.models import Bill
    from jaring.outreach.reminders import queue_reminders

    ahmad, siti = people
    # the old membership's bills are still there, unpaid: March 16,800 + April, May 2 x 8,400 (and June, now
    # the new first month, 8,400): Rp42,000 over 4 months if they were all counted
    old = Bill.objects.filter(member=ahmad, status="due")
    assert old.count() == 4 and sum(old.values_list("amount", flat=True)) == 16_800 + 3 * 8_400 == 42_000

    out = queue_reminders(BACK)
    assert out["queued"] == 1

    # Ahmad: nothing. The old months are written off, and June — the new first month — fell due on 15 June,
    # before he registered again on the 20th: a month is overdue only for someone who was a member on its
    # due date, so he is not told he is in arrears on the day he comes back
    assert messages_for(ahmad) == []

    # Siti is genuinely behind: April, May, June overdue, 3 x 8,400 — the last warning before deactivation
    (kind, period, body), = messages_for(siti)
    assert (kind, period) == ("last_warning", "2026-06")
    assert body.startswith("PERINGATAN TERAKHIR: Yth. Siti Aminah") and "sudah 3 bulan belum dibayar" in body
    assert "(total Rp25.200)" in body


def test_reactivated_member_who_stops_paying_again_is_warned_on_the_new_months(people):
    """No payment after reactivation: by 20 August June, July and August (due 18 August) are overdue, 3 x 8,400.
    Counting the old months too would have said 6 months, Rp58,800."""
    from jaring.outreach.reminders import queue_reminders

    ahmad, _ = people
    for month, refresh in (("2026-07", "2026-07-01"), ("2026-08", "2026-08-01")):
        run_billing(month)
        refresh_coverage(refresh)
    ahmad.refresh_from_db()
    assert ahmad.status == "active"  # 2 unpaid months since June on 1 August: not yet non-active

    queue_reminders(date(2026, 8, 20))
    (kind, period, body), = messages_for(ahmad)
    assert (kind, period) == ("last_warning", "2026-08")
    assert "sudah 3 bulan belum dibayar (total Rp25.200)" in body and ahmad.kpj in body
    assert "6 bulan" not in body and "Rp58.800" not in body
    # and on 1 September the new registration lapses after the same 3 months
    assert refresh_coverage("2026-09-01")["deactivated"] == 1


def test_lapse_list_counts_only_the_new_months(people, client, make_user, monkeypatch):
    from jaring.members.models import Member
    from jaring.outreach.lapse import follow_up_list

    ahmad, siti = people
    rows = {r["name"]: r for r in follow_up_list(Member.objects.filter(branch_id="KC-6371"), BACK)}
    # Ahmad: June only (25) and a new registration (< 3 months, 15) — not 4 months in arrears (60 + 15)
    assert (rows["Ahmad Fauzi"]["months_in_arrears"], rows["Ahmad Fauzi"]["score"]) == (1, 40)
    assert rows["Ahmad Fauzi"]["reasons"] == "1 bulan menunggak (+25); peserta baru (< 3 bulan) (+15)"
    # Siti: April, May, June (capped at 60) and registered 5 months ago (8)
    assert (rows["Siti Aminah"]["months_in_arrears"], rows["Siti Aminah"]["score"]) == (3, 68)
    assert rows["Siti Aminah"]["reasons"] == "3 bulan menunggak (+60); peserta baru (< 6 bulan) (+8)"

    import django.utils.timezone

    monkeypatch.setattr(django.utils.timezone, "localdate", lambda *a, **k: BACK)
    client.force_login(make_user("kc", "officer", "KC-6371"))
    page = client.get("/outreach/risiko/").content.decode()
    assert "1 bulan menunggak (+25)" in page and "4 bulan menunggak" not in page
    assert "3 bulan menunggak (+60)" in page
