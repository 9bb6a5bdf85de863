"""Sertakan group invoices, crediting, partial payments, APBD programmes (SPEC 2.2, 2.5)."""

from datetime import date

import pytest

from jaring.agents.tests.helpers import at, register
from jaring.core.errors import Conflict, DomainError
from jaring.sponsors import selectors, services
from jaring.sponsors.models import GroupInvoice, Notice, Sponsorship

pytestmark = pytest.mark.django_db

# 12 months from May 2026 (PP 50/2025: 50% off JKK+JKM, other sectors Apr–Dec 2026, transport Jan 2026–Mar 2027)
BUDI = 8 * (10_000 + 3_400 + 40_000) + 4 * (20_000 + 6_800 + 40_000)  # Rp2m with JHT: Rp694,400
DEWI = 11 * 8_400 + 16_800  # transport: Rp109,200
SITI = 8 * 8_400 + 4 * 16_800  # other sector: Rp134,400


def test_group_invoice_amounts_per_worker_and_month(sponsor_factory, trio):
    sponsor = sponsor_factory()
    budi, dewi, siti = trio()
    inv = services.create_invoice(sponsor, [siti, budi, dewi], months=12)
    assert (BUDI, DEWI, SITI) == (694_400, 109_200, 134_400)
    assert inv.amount == 938_000
    assert inv.number == f"SP-2026-{inv.pk:06d}" and len(inv.payment_code) == 16 and inv.payment_code.isdigit()
    lines = list(selectors.lines_of(inv))
    assert [(ln.member.name, ln.amount, ln.months) for ln in lines] == [
        (budi.name, BUDI, 12), (dewi.name, DEWI, 12), (siti.name, SITI, 12)]
    assert lines[2].monthly[0] == ["2026-05", 8_400] and lines[2].monthly[-1] == ["2027-04", 16_800]
    assert (inv.start_month, inv.end_month) == (date(2026, 5, 1), date(2027, 4, 1))
    assert Sponsorship.objects.filter(sponsor=sponsor, status="active", end_month=date(2027, 4, 1)).count() == 3


def test_paying_the_invoice_credits_every_workers_months_once(sponsor_factory, trio):
    from jaring.contributions.models import Bill, Payment

    sponsor = sponsor_factory()
    budi, dewi, siti = trio()
    inv = services.create_invoice(sponsor, [budi, dewi, siti], months=12)
    report, created = services.pay_invoice(inv, amount=938_000, reference="TRF-001", paid_at=at(2026, 5, 12))
    assert created and report["status"] == "paid" and report["applied"] == 938_000 and report["unapplied"] == 0
    assert report["credited"] == [budi.kpj, dewi.kpj, siti.kpj] and report["not_credited"] == []
    pays = Payment.objects.filter(channel__code="SPONSOR").order_by("amount")
    assert [(p.amount, p.months, p.source) for p in pays] == [(DEWI, 12, "sponsor"), (SITI, 12, "sponsor"),
                                                                (BUDI, 12, "sponsor")]
    assert Bill.objects.filter(status="paid").count() == 36
    assert sum(Bill.objects.filter(member=siti).values_list("amount", flat=True)) == SITI
    # the same bank transfer reported again changes nothing
    again, created = services.pay_invoice(inv, amount=938_000, reference="TRF-001", paid_at=at(2026, 5, 12))
    assert not created and again["credited"] == report["credited"] and Payment.objects.count() == 3
    with pytest.raises(Conflict):
        services.pay_invoice(inv, amount=900_000, reference="TRF-001")
    with pytest.raises(Conflict):  # paid in full: no further money accepted
        services.pay_invoice(inv, amount=1_000, reference="TRF-002")


def test_partial_payment_credits_whole_workers_only_and_says_which(sponsor_factory, trio):
    from jaring.contributions.models import Bill

    sponsor = sponsor_factory()
    budi, dewi, siti = trio()
    inv = services.create_invoice(sponsor, [budi, dewi, siti], months=12)
    # Rp250,000 does not reach Budi's Rp694,400; Dewi (Rp109,200) and Siti (Rp134,400) fit whole: Rp6,400 waits
    report, _ = services.pay_invoice(inv, amount=250_000, reference="TRF-A", paid_at=at(2026, 5, 12))
    assert report["credited"] == [dewi.kpj, siti.kpj]
    assert [(x["kpj"], x["amount"]) for x in report["not_credited"]] == [(budi.kpj, BUDI)]
    assert report["not_credited"][0]["reason"] == "Dana yang tersedia (Rp6.400) tidak cukup untuk Rp694.400."
    assert (report["applied"], report["unapplied"], report["status"]) == (243_600, 6_400, "partial")
    assert not Bill.objects.filter(member=budi).exists()
    inv.refresh_from_db()
    assert (inv.paid_amount, inv.outstanding) == (243_600, 694_400)
    # the rest: Rp688,000 + the Rp6,400 left over = Budi's Rp694,400
    report, _ = services.pay_invoice(inv, amount=688_000, reference="TRF-B", paid_at=at(2026, 5, 20))
    assert report["credited"] == [budi.kpj] and report["status"] == "paid" and report["unapplied"] == 0
    inv.refresh_from_db()
    assert inv.paid_amount == inv.amount == 938_000


def test_large_payment_is_credited_in_the_background(sponsor_factory, trio, monkeypatch,
                                                    django_capture_on_commit_callbacks):
    from jaring.contributions.models import Payment

    monkeypatch.setattr(services, "SYNC_LINES", 1)
    monkeypatch.setattr(services, "CHUNK", 2)
    sponsor = sponsor_factory()
    budi, dewi, siti = trio()
    inv = services.create_invoice(sponsor, [budi, dewi, siti], months=12)
    with django_capture_on_commit_callbacks(execute=True):
        report, created = services.pay_invoice(inv, amount=938_000, reference="SP2D-9", paid_at=at(2026, 5, 12))
        # allocated at once, posted after the commit by the task (django-tasks), two workers per transaction
        assert report["crediting"] == [budi.kpj, dewi.kpj, siti.kpj] and report["credited"] == []
        assert not Payment.objects.exists()
    inv.refresh_from_db()
    assert (inv.status, inv.paid_amount, inv.unapplied) == ("paid", 938_000, 0)
    assert Payment.objects.filter(channel__code="SPONSOR").count() == 3
    again, created = services.pay_invoice(inv, amount=938_000, reference="SP2D-9")
    assert not created and again["credited"] == [budi.kpj, dewi.kpj, siti.kpj] and again["crediting"] == []


def test_worker_who_paid_meanwhile_is_released_with_the_reason(sponsor_factory, trio):
    from jaring.contributions.services import post_payment

    sponsor = sponsor_factory()
    budi, dewi, siti = trio()
    inv = services.create_invoice(sponsor, [dewi, siti], months=12)
    # Siti pays May herself before the sponsor's money arrives: her 12 months now start in June
    post_payment(member=siti, months=1, amount=8_400, channel="BRANCH", reference="LOKET-1", paid_at=at(2026, 5, 11),
                 source="branch")
    report, _ = services.pay_invoice(inv, amount=DEWI + SITI, reference="TRF-X", paid_at=at(2026, 5, 12))
    assert report["credited"] == [dewi.kpj] and report["not_credited"][0]["kpj"] == siti.kpj
    assert "tidak sama" in report["not_credited"][0]["reason"]
    assert (report["status"], report["applied"], report["unapplied"]) == ("partial", DEWI, SITI)


def test_apbd_programme_gets_no_discount_and_tracks_budget_and_quota(sponsor_factory):
    sponsor = sponsor_factory("ppu", kind="regional", name="Pemkab Penajam Paser Utara", region="64.09",
                              branch="KC-6471")
    assert sponsor.funding == "apbd"
    program = services.create_program(sponsor, {
        "name": "Perlindungan pekerja rentan PPU", "budget": "3.024.000.000", "quota": 15000,
        "target_group": "pekerja rentan: nelayan, petani, pedagang kecil", "start_month": "2026-05",
        "end_month": "2027-04"})
    workers = [register(50 + i, channel="sponsor_import", funding="apbd") for i in range(2)]
    inv = services.create_invoice(sponsor, workers, months=12, program=program)
    # APBD-funded: Rp16,800 every month even in PP 50/2025's window (self-paid would be Rp8,400 in 2026)
    assert [ln.monthly[0][1] for ln in selectors.lines_of(inv)] == [16_800, 16_800]
    assert inv.amount == 2 * 12 * 16_800 == 403_200
    usage = services.program_usage(program)
    assert usage == {"budget": 3_024_000_000, "committed": 403_200, "paid": 0,
                     "remaining_budget": 3_024_000_000 - 403_200, "quota": 15_000, "workers": 2,
                     "remaining_quota": 14_998, "consumed_percent": 0.0}
    services.pay_invoice(inv, amount=403_200, reference="SP2D-0001", paid_at=at(2026, 5, 25))
    assert services.program_usage(program)["paid"] == 403_200


def test_spec_2_5_penajam_paser_utara_costs_3_024_billion_a_year(sponsor_factory):
    """SPEC 2.5: 15,000 workers at Rp16,800 a month cost Rp3.024bn a year — APBD: no discount, even in 2026."""
    sponsor = sponsor_factory("ppu", kind="regional", name="Pemkab Penajam Paser Utara", region="64.09",
                              branch="KC-6471")
    program = services.create_program(sponsor, {
        "name": "BPU rentan 2026", "budget": 3_024_000_000, "quota": 15_000, "target_group": "pekerja rentan",
        "start_month": "2026-01", "end_month": "2026-12"})
    est = selectors.program_estimate(program)
    assert (est["monthly_first"], est["months"], est["per_worker"]) == (16_800, 12, 201_600)
    assert est["total"] == 3_024_000_000 and est["covered"] is True


def test_quota_is_enforced(sponsor_factory):
    sponsor = sponsor_factory("desa", kind="village", name="Pemdes Alalak Tengah", region="63.71.04.1001")
    assert sponsor.funding == "sponsor"  # APBDes is not APBD: the discount applies
    program = services.create_program(sponsor, {"name": "Desa peduli", "budget": 1_000_000, "quota": 1,
                                                "target_group": "nelayan", "start_month": "2026-05",
                                                "end_month": "2026-12"})
    a, b = (register(70 + i, channel="sponsor_import") for i in range(2))
    with pytest.raises(DomainError) as e:
        services.create_invoice(sponsor, [a, b], months=3, program=program)
    assert "Kuota" in e.value.message
    assert not GroupInvoice.objects.exists()  # nothing half-made
    inv = services.create_invoice(sponsor, [a], months=3, program=program)
    assert inv.amount == 3 * 8_400
    with pytest.raises(DomainError):  # past the programme's last month
        services.create_invoice(sponsor, [b], months=12, program=program)


def test_worker_cannot_be_on_two_open_invoices_or_two_sponsors(sponsor_factory, trio):
    s1 = sponsor_factory()
    s2 = sponsor_factory("sponsor2", kind="company", name="PT Maju Bersama")
    budi, dewi, siti = trio()
    services.create_invoice(s1, [budi], months=3)
    with pytest.raises(Conflict):
        services.create_invoice(s1, [budi], months=3)
    with pytest.raises(Conflict):
        services.create_invoice(s2, [budi, dewi], months=3)


def test_renewal_reminder_then_end_and_invitation_to_continue(sponsor_factory, trio):
    from jaring.members.models import Member

    sponsor = sponsor_factory()
    budi, dewi, siti = trio()
    inv = services.create_invoice(sponsor, [dewi, siti], months=3)  # May–July 2026
    services.pay_invoice(inv, amount=2 * 3 * 8_400, reference="TRF-9", paid_at=at(2026, 5, 12))
    assert services.send_renewal_reminders(date(2026, 5, 20)) == {"reminders": 0, "sponsorships": 0}
    assert services.send_renewal_reminders(date(2026, 7, 2)) == {"reminders": 1, "sponsorships": 2}
    assert services.send_renewal_reminders(date(2026, 7, 3)) == {"reminders": 0, "sponsorships": 0}
    note = Notice.objects.get(kind="renewal")
    assert note.sponsor == sponsor and "2 pekerja" in note.message and "2026-07" in note.message
    assert services.end_sponsorships(date(2026, 7, 31)) == {"ended": 0, "invited": 0}
    assert services.end_sponsorships(date(2026, 8, 1)) == {"ended": 2, "invited": 2}
    assert services.end_sponsorships(date(2026, 8, 2)) == {"ended": 0, "invited": 0}
    invites = Notice.objects.filter(kind="continue").order_by("member__name")
    assert [n.member for n in invites] == [dewi, siti]
    assert "mulai 2026-08" in invites[0].message and invites[0].phone == dewi.whatsapp
    assert set(Member.objects.filter(pk__in=[dewi.pk, siti.pk]).values_list("funding", flat=True)) == {"self"}


def test_invoices_pay_cli(sponsor_factory, trio, capsys):
    import json

    from jaring.cli import main

    sponsor = sponsor_factory()
    budi, dewi, siti = trio()
    inv = services.create_invoice(sponsor, [budi, dewi, siti], months=12)
    main(["invoices", "pay", "--invoice", inv.payment_code, "--amount", "250000", "--reference", "BNI-1",
          "--paid-at", "2026-05-12T10:00:00+07:00"])
    out = json.loads(capsys.readouterr().out)
    assert (out["credited"], out["applied"], out["unapplied"], out["duplicate"]) == ([dewi.kpj, siti.kpj], 243_600,
                                                                                     6_400, False)
    with pytest.raises(SystemExit) as e:
        main(["invoices", "pay", "--invoice", inv.number, "--amount", "1", "--reference", "BNI-1"])
    assert e.value.code == 2 and "BNI-1" in capsys.readouterr().err


def test_renewed_worker_gets_no_reminder_and_no_invitation(sponsor_factory, trio):
    from jaring.members.models import Member

    sponsor = sponsor_factory()
    budi, dewi, siti = trio()
    inv = services.create_invoice(sponsor, [dewi, siti], months=3)  # May–July 2026
    services.pay_invoice(inv, amount=2 * 3 * 8_400, reference="TRF-1", paid_at=at(2026, 5, 12))
    renewal = services.create_invoice(sponsor, [dewi], months=3)  # Dewi renewed: August–October
    assert (renewal.start_month, renewal.amount) == (date(2026, 8, 1), 3 * 8_400)
    assert services.send_renewal_reminders(date(2026, 7, 2))["reminders"] == 1
    assert "1 pekerja" in Notice.objects.get(kind="renewal").message  # Siti only
    assert services.end_sponsorships(date(2026, 8, 1)) == {"ended": 2, "invited": 1}
    assert [n.member for n in Notice.objects.filter(kind="continue")] == [siti]
    assert Member.objects.get(pk=dewi.pk).funding == "sponsor" and Member.objects.get(pk=siti.pk).funding == "self"
