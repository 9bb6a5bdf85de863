"""Claims: eligibility on the event date, documents, maker–checker, payment, audit trail, scholarships."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jaring.claims import services
from jaring.claims.models import Claim, Scholarship, Status
from jaring.claims.tests.factories import make_bills, make_member
from jaring.core.errors import DomainError
from jaring.core.models import AuditEvent
from jaring.rules.periods import add_months

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def pdf(name="akta.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def base_data(**kw):
    data = {"program": "JKM", "case": "death", "cause": "Sakit jantung di rumah", "claimant_name": "Ahmad",
            "claimant_relation": "suami", "claimant_phone": "+628111", "bank_name": "BRI",
            "bank_account": "0123-4567-8901", "account_holder": "Ahmad"}
    data.update(kw)
    return data


@pytest.fixture
def officers(make_user):
    return make_user("maker", "officer", "KC-6371"), make_user("checker", "officer", "KC-6371")


def paid_member(months=6, **kw):
    """A member paying from six months ago up to this month (protected today)."""
    this = timezone.localdate().replace(day=1)
    first = add_months(this, -(months - 1))
    m = make_member(first_month=first, **kw)
    make_bills(m, first, this)
    return m


def test_jkm_42_million_needs_a_second_officer(officers):
    maker, checker = officers
    m = paid_member()
    today = timezone.localdate()
    claim = services.file_claim(m, base_data(event_date=today.isoformat()), [("death_certificate", pdf())],
                                actor=maker)
    assert claim.status == Status.SUBMITTED and claim.number.startswith("KL")
    assert claim.components == {"lump_sum": 20_000_000, "periodic": 12_000_000, "funeral": 10_000_000}
    assert claim.amount == 42_000_000
    assert claim.documents.get().content_type == "application/pdf"
    services.review(claim, actor=maker)
    claim.refresh_from_db()
    assert claim.status == Status.REVIEWED  # above Rp20,000,000: waits for a second officer
    with pytest.raises(DomainError) as e:
        services.approve(claim, actor=maker)  # maker–checker: not the same officer
    assert e.value.status == 403
    claim.refresh_from_db()
    assert claim.status == Status.REVIEWED
    services.approve(claim, actor=checker)
    claim.refresh_from_db()
    assert claim.status == Status.APPROVED and claim.approved_by == checker and claim.payment_reference
    services.mark_paid(claim, actor=checker, reference="TRF-20260101-1")
    claim.refresh_from_db()
    assert claim.status == Status.PAID
    actions = list(AuditEvent.objects.filter(object_type="claims.claim", object_id=str(claim.pk))
                   .order_by("id").values_list("action", flat=True))
    assert actions == ["claim.file", "claim.review", "claim.approve", "claim.pay"]


def test_below_threshold_one_officer_approves(officers, settings):
    maker, _ = officers
    settings.JARING_CLAIM_CHECKER_ABOVE = 50_000_000
    m = paid_member()
    claim = services.file_claim(m, base_data(event_date=timezone.localdate().isoformat()), [("ktp", pdf())],
                                actor=maker)
    services.review(claim, actor=maker)
    claim.refresh_from_db()
    assert claim.status == Status.APPROVED and claim.approved_by == maker


def test_jkm_before_3_consecutive_paid_months_pays_santunan_and_funeral(officers):
    maker, _ = officers
    m = paid_member(months=2)
    claim = services.file_claim(m, base_data(event_date=timezone.localdate().isoformat()), [("ktp", pdf())],
                                actor=maker)
    assert claim.components == {"lump_sum": 8_000_000, "funeral": 2_000_000} and claim.amount == 10_000_000
    services.review(claim, actor=maker)  # Rp10,000,000 is under the threshold: approved by one officer
    claim.refresh_from_db()
    assert claim.status == Status.APPROVED


def test_claim_refused_when_event_date_falls_in_an_inactive_period(officers):
    maker, _ = officers
    m = make_member(first_month=date(2025, 1, 1))
    make_bills(m, date(2025, 1, 1), date(2025, 3, 1))  # April, May, June, July unpaid
    with pytest.raises(DomainError) as e:
        services.file_claim(m, base_data(event_date="2025-08-10"), [("ktp", pdf())], actor=maker)
    assert "nonaktif" in e.value.message and "2025-03" in e.value.message
    assert not Claim.objects.exists()
    assert AuditEvent.objects.filter(action="claim.refused", object_id=str(m.pk)).exists()
    # the same member was protected in March 2025
    claim = services.file_claim(m, base_data(program="JKK", case="death", event_date="2025-03-10",
                                             cause="Jatuh dari motor saat berdagang"), [("ktp", pdf())], actor=maker)
    assert claim.components == {"lump_sum": 48_000_000, "funeral": 10_000_000, "periodic": 12_000_000}


def test_unpaid_month_past_due_date_is_not_protected(officers):
    maker, _ = officers
    m = make_member(first_month=date(2025, 1, 1))
    make_bills(m, date(2025, 1, 1), date(2025, 4, 1))
    with pytest.raises(DomainError) as e:
        services.file_claim(m, base_data(event_date="2025-05-20"), [("ktp", pdf())], actor=maker)
    assert "belum lunas" in e.value.message


def test_documents_checked_by_size_and_magic_bytes(officers):
    maker, _ = officers
    m = paid_member()
    today = timezone.localdate().isoformat()
    with pytest.raises(DomainError) as e:
        services.file_claim(m, base_data(event_date=today), [("ktp", pdf("virus.pdf", b"MZ\x90\x00 not a pdf"))],
                            actor=maker)
    assert "bukan PDF" in e.value.errors["documents"]
    big = pdf("besar.pdf", PDF + b"0" * (5 * 1024 * 1024))
    with pytest.raises(DomainError) as e:
        services.file_claim(m, base_data(event_date=today), [("ktp", big)], actor=maker)
    assert "5 MB" in e.value.errors["documents"]
    with pytest.raises(DomainError) as e:
        services.file_claim(m, base_data(event_date=today), [], actor=maker)
    assert "documents" in e.value.errors
    claim = services.file_claim(m, base_data(event_date=today), [("ktp", SimpleUploadedFile("ktp.png", PNG))],
                                actor=maker)
    assert claim.documents.get().content_type == "image/png"


def test_rejection_with_reason_and_duplicate_refused(officers):
    maker, checker = officers
    m = paid_member()
    today = timezone.localdate().isoformat()
    claim = services.file_claim(m, base_data(event_date=today), [("ktp", pdf())], actor=maker)
    with pytest.raises(DomainError) as e:
        services.file_claim(m, base_data(event_date=today), [("ktp", pdf())], actor=maker)
    assert e.value.status == 409
    with pytest.raises(DomainError):
        services.reject(claim, actor=checker, reason="")
    services.reject(claim, actor=checker, reason="Akta kematian tidak terbaca; unggah ulang yang jelas.")
    claim.refresh_from_db()
    assert claim.status == Status.REJECTED and "Akta" in claim.status_reason


def test_officer_outside_branch_cannot_review(officers, make_user):
    from jaring.regions.models import BranchOffice

    maker, _ = officers
    far = make_user("jauh", "officer", BranchOffice.objects.exclude(code="KC-6371").first().code)
    m = paid_member()
    claim = services.file_claim(m, base_data(event_date=timezone.localdate().isoformat()), [("ktp", pdf())],
                                actor=maker)
    with pytest.raises(DomainError) as e:
        services.review(claim, actor=far)
    assert e.value.status == 403


def test_worker_files_own_claim_only(make_user):
    me = make_user("wati", "worker", None)
    mine = paid_member(user=me)
    other = paid_member()
    today = timezone.localdate()
    data = base_data(program="JKK", case="temporary_incapacity", months=14, event_date=(today - timedelta(days=1)).isoformat(),
                     claimant_relation="", cause="Tangan patah saat menurunkan barang")
    claim = services.file_claim(mine, data, [("medical", pdf())], actor=me)
    assert claim.filed_by == "member"
    assert claim.components == {"temporary_incapacity": 12 * mine.income + 2 * mine.income // 2}
    with pytest.raises(DomainError) as e:
        services.file_claim(other, data, [("medical", pdf())], actor=me)
    assert e.value.status == 403


def test_scholarship_schedule_yearly_after_approval(officers):
    maker, checker = officers
    m = paid_member()
    today = timezone.localdate()
    data = base_data(program="JKK", case="death", event_date=today.isoformat(), cause="Kecelakaan di pasar",
                     child1_name="Rina", child1_level="SMA", child1_birth_date="2010-02-01",
                     child2_name="Dodi", child2_level="SD", child2_years_done="5")
    claim = services.file_claim(m, data, [("death_certificate", pdf())], actor=maker)
    assert claim.extras["scholarship_max"] == 174_000_000
    services.review(claim, actor=maker)
    services.approve(claim, actor=checker)
    rina = list(Scholarship.objects.filter(claim=claim, child_number=1).order_by("year"))
    assert [s.level for s in rina] == ["SMA"] * 3 + ["PT"] * 5
    assert sum(s.amount for s in rina) == 3 * 3_000_000 + 5 * 12_000_000
    dodi = list(Scholarship.objects.filter(claim=claim, child_number=2).order_by("year"))
    assert sum(s.amount for s in dodi) == 1 * 1_500_000 + 2_000_000 * 3 + 3_000_000 * 3 + 12_000_000 * 5
    first, future = rina[0], rina[1]
    services.pay_scholarship(first, actor=checker)
    with pytest.raises(DomainError):
        services.pay_scholarship(first, actor=checker)  # once per child per year
    with pytest.raises(DomainError):
        services.pay_scholarship(future, actor=checker)  # next year's is claimed next year
    # Rina starts working: her remaining years stop, with the reason
    assert services.stop_scholarships(claim, 1, actor=checker, reason="Sudah bekerja di toko") == 7
    assert Scholarship.objects.filter(claim=claim, child_number=1, state="paid").count() == 1
    assert Scholarship.objects.filter(claim=claim, child_number=2, state="scheduled").count() == len(dodi)


def test_jht_withdrawal_at_56_debits_the_savings_account(officers):
    from jaring.savings.models import Account

    maker, checker = officers
    today = timezone.localdate()
    m = paid_member(birth_date=date(today.year - 60, 1, 1))
    claim = services.file_claim(m, base_data(program="JHT", case="age", event_date=today.isoformat(),
                                             cause="Usia 60 tahun", claimant_relation=""), [("ktp", pdf())],
                                actor=maker)
    assert claim.components == {"jht_balance": 6 * 20_000} and claim.amount == 120_000
    services.review(claim, actor=maker)
    services.mark_paid(claim, actor=maker, reference="TRF-JHT-1")
    acc = Account.objects.get(member=m)
    assert (acc.contributions, acc.withdrawals, acc.balance) == (120_000, 120_000, 0)


def test_jht_refused_before_56_with_the_reason(officers):
    maker, _ = officers
    today = timezone.localdate()
    m = paid_member(birth_date=date(today.year - 40, 1, 1))
    with pytest.raises(DomainError) as e:
        services.file_claim(m, base_data(program="JHT", case="age", event_date=today.isoformat(), cause="ingin"),
                            [("ktp", pdf())], actor=maker)
    assert "56" in e.value.message


def test_jkk_transport_and_home_care_reimbursed_up_to_their_caps(officers):
    maker, _ = officers
    m = paid_member()
    data = base_data(program="JKK", case="temporary_incapacity", months=1, event_date=timezone.localdate().isoformat(),
                     cause="Jatuh dari perahu", transport_mode="sea", transport_cost="3500000",
                     home_care_cost="25000000", home_care_months="6")
    claim = services.file_claim(m, data, [("medical", pdf())], actor=maker)
    assert claim.components == {"temporary_incapacity": 1_000_000, "transport": 2_000_000, "home_care": 20_000_000}
    assert claim.amount == 23_000_000
    with pytest.raises(DomainError) as e:
        services.file_claim(m, base_data(program="JKK", case="partial_disability", percent=5,
                                         event_date=timezone.localdate().isoformat(), home_care_cost="1000000",
                                         home_care_months="13"), [("medical", pdf())], actor=maker)
    assert "12 bulan" in e.value.message


def test_member_deactivated_after_the_death_is_still_covered_on_the_event_date(officers):
    """The worker died in June; nobody paid after, so the member was deactivated in October. The JKM
    claim filed in November is judged on the death date, when contributions were paid."""
    maker, _ = officers
    m = make_member(first_month=date(2025, 1, 1))
    make_bills(m, date(2025, 1, 1), date(2025, 6, 1))
    m.status = "inactive"
    m.save(update_fields=["status"])
    claim = services.file_claim(m, base_data(event_date="2025-06-10"), [("ktp", pdf())], actor=maker)
    assert claim.amount == 42_000_000
    with pytest.raises(DomainError) as e:  # but not for an event in the inactive period
        services.file_claim(m, base_data(program="JKK", case="temporary_incapacity", months=2,
                                         event_date="2025-10-02"), [("ktp", pdf())], actor=maker)
    assert "nonaktif" in e.value.message


def test_one_death_is_paid_by_jkk_or_jkm_not_both_jht_balance_apart(officers):
    maker, _ = officers
    m = paid_member()
    today = timezone.localdate().isoformat()
    services.file_claim(m, base_data(program="JKK", case="death", event_date=today), [("ktp", pdf())], actor=maker)
    with pytest.raises(DomainError) as e:
        services.file_claim(m, base_data(event_date=today), [("ktp", pdf())], actor=maker)
    assert e.value.status == 409 and "JKK" in e.value.message
    jht = services.file_claim(m, base_data(program="JHT", case="death", event_date=today), [("ktp", pdf())],
                              actor=maker)
    assert jht.components == {"jht_balance": 6 * 20_000}
