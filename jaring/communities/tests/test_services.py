"""Collectives (SPEC 2.10): the treasurer registers members, pays for many with one transfer, each member's
own months are credited, one bank credit reconciles, the treasurer sees only the collective's members."""

from datetime import date

import pytest

from jaring.core.errors import Conflict, DomainError, Forbidden, NotFound

from .helpers import ON, collective, fill, officer

pytestmark = pytest.mark.django_db

JUNE = date(2026, 6, 1)


@pytest.fixture
def group():
    off = officer()
    c = collective(off)
    members = fill(c, 30)
    return off, c, members


def test_thirty_members_twenty_five_paid_in_one_transfer(group):
    from jaring.communities import selectors, services
    from jaring.contributions.models import Bill, Payment

    off, c, members = group
    payers = members[:25]
    # PP 50/2025: JKK 10,000 + JKM 6,800 = 16,800 at Rp1,000,000, halved to 8,400 for June 2026
    gp, created = services.record_group_payment(c, reference="TRF-0601", members=[m.kpj for m in payers],
                                                total=25 * 8_400, month=JUNE, paid_at="2026-06-12T10:00:00+07:00",
                                                actor=c.treasurer)
    assert created and gp.total == 210_000 and gp.members == 25
    paid = Bill.objects.filter(month=JUNE, status="paid", member__in=members)
    assert paid.count() == 25 and sum(paid.values_list("amount", flat=True)) == 210_000
    assert set(paid.values_list("member_id", flat=True)) == {m.pk for m in payers}
    # each member's own payment, on the COMMUNITY channel, adding up to the one bank credit
    payments = Payment.objects.filter(channel__code="COMMUNITY")
    assert payments.count() == 25 and {p.member_id for p in payments} == {m.pk for m in payers}
    assert sum(p.amount for p in payments) == gp.total == 210_000
    unpaid = selectors.unpaid_members(c, JUNE)
    assert sorted(unpaid.values_list("kpj", flat=True)) == sorted(m.kpj for m in members[25:])
    s = selectors.summary(c, JUNE)
    assert (s["size"], s["paid"], s["unpaid"], s["paid_rate"], s["amount_paid"]) == (30, 25, 5, 83.3, 210_000)
    lapses = selectors.lapse_list(c, JUNE)
    assert [r["unpaid_months"] for r in lapses] == [1] * 5
    # one bank credit reconciles
    gp = services.reconcile(gp, amount=210_000, bank_date="2026-06-12", bank_reference="MUTASI-77", actor=off)
    assert gp.reconciled and gp.difference == 0
    # replaying the same transfer posts nothing
    again, created = services.record_group_payment(c, reference="TRF-0601", members=[m.kpj for m in payers],
                                                   total=210_000, month=JUNE, actor=c.treasurer)
    assert not created and again.pk == gp.pk and Payment.objects.filter(channel__code="COMMUNITY").count() == 25


def test_bank_credit_short_is_kept_unreconciled(group):
    from jaring.communities import services

    off, c, members = group
    gp, _ = services.record_group_payment(c, reference="TRF-A", members=[members[0].kpj], total=8_400, month=JUNE,
                                          actor=c.treasurer)
    gp = services.reconcile(gp, amount=8_000, actor=off)
    assert not gp.reconciled and gp.difference == -400


def test_wrong_total_posts_nothing(group):
    from jaring.communities import services
    from jaring.contributions.models import Payment

    off, c, members = group
    with pytest.raises(DomainError) as e:
        services.record_group_payment(c, reference="TRF-X", members=[m.kpj for m in members[:3]], total=25_000,
                                      month=JUNE, actor=c.treasurer)
    assert "Rp25.200" in e.value.message
    assert not Payment.objects.filter(channel__code="COMMUNITY").exists()


def test_member_in_arrears_pays_every_month_up_to_this_month(group):
    from jaring.communities import services
    from jaring.contributions.models import Bill

    off, c, members = group
    aug = date(2026, 8, 1)
    gp, _ = services.record_group_payment(c, reference="TRF-AUG", members=[members[0].kpj], total=3 * 8_400,
                                          month=aug, actor=c.treasurer)
    assert list(Bill.objects.filter(member=members[0], status="paid").values_list("month", flat=True)) == [
        JUNE, date(2026, 7, 1), aug]
    assert gp.lines.get().months == 3


def test_treasurer_cannot_see_or_pay_for_non_members(group):
    from jaring.agents.tests.helpers import register
    from jaring.communities import selectors, services
    from jaring.members.selectors import get_member_for

    off, c, members = group
    outsider = register(900, on=ON)  # registered at the branch, not in the collective
    with pytest.raises(NotFound):
        selectors.get_member(c.treasurer, c, outsider.kpj)
    with pytest.raises(NotFound):
        get_member_for(c.treasurer, outsider.kpj)
    with pytest.raises(NotFound):
        services.record_group_payment(c, reference="TRF-Y", members=[outsider.kpj], total=8_400, month=JUNE,
                                      actor=c.treasurer)
    other = collective(off, username="bendahara2", name="Kelompok Nelayan Kuin")
    with pytest.raises(NotFound):
        selectors.get_collective(c.treasurer, other.code)


def test_member_leaves_and_keeps_coverage(group):
    from jaring.communities import selectors, services
    from jaring.contributions.models import Bill

    off, c, members = group
    services.record_group_payment(c, reference="TRF-B", members=[members[0].kpj], total=8_400, month=JUNE,
                                  actor=c.treasurer)
    services.leave(c, members[0], actor=c.treasurer, reason="pindah kota")
    assert selectors.summary(c, JUNE)["size"] == 29
    assert Bill.objects.get(member=members[0], month=JUNE).status == "paid"  # own months stay paid
    other = collective(off, username="bendahara3", name="Koperasi Pasar Lama")
    services.add_existing_member(other, members[0].kpj, members[0].nik, actor=other.treasurer)
    with pytest.raises(Conflict):
        services.add_existing_member(other, members[1].kpj, members[1].nik, actor=other.treasurer)


def test_officer_outside_branch_is_refused(group):
    from jaring.communities import selectors

    off, c, members = group
    far = officer("petugas_ppu", "KC-6471")
    with pytest.raises(Forbidden):
        selectors.get_collective(far, c.code)


def test_treasurer_reminder_lists_unpaid_once(group):
    from jaring.communities import services
    from jaring.communities.models import TreasurerNotice

    off, c, members = group
    services.record_group_payment(c, reference="TRF-C", members=[m.kpj for m in members[:28]], total=28 * 8_400,
                                  month=JUNE, actor=c.treasurer)
    assert services.queue_treasurer_reminders(JUNE)["queued"] == 1
    assert services.queue_treasurer_reminders(JUNE)["queued"] == 0
    n = TreasurerNotice.objects.get()
    assert n.unpaid == 2 and n.to == "+6281255500100" and members[29].kpj in n.body and members[0].kpj not in n.body


def test_treasurer_list_job_runs_once_a_month_before_the_due_date(group):
    from datetime import datetime

    from django.utils import timezone

    from jaring.communities.jobs import monthly_before_due, send
    from jaring.communities.models import TreasurerNotice

    # June 2026: due Monday 15 June; lists go 3 days before (outreach/data/reminders.json), outside quiet hours
    assert monthly_before_due(timezone.make_aware(datetime(2026, 6, 11, 9))) is None
    assert monthly_before_due(timezone.make_aware(datetime(2026, 6, 12, 9))) == "2026-06"
    assert monthly_before_due(timezone.make_aware(datetime(2026, 6, 12, 22))) is None
    out = send("2026-06")
    assert out["queued"] == 1 and TreasurerNotice.objects.get().unpaid == 30
