"""Reads for sponsors' portal, officers' and managers' views, and the API.

A sponsor sees only the workers it sponsors (any sponsorship of its own, past or present) and only
its own invoices; an unknown KPJ and another sponsor's worker look the same (404), so the portal does
not reveal who else is a member. Staff see sponsors of the branches in their scope.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from jaring.accounts import policy
from jaring.accounts.models import Role
from jaring.accounts.scoping import scope_for
from jaring.accounts.services import role_of
from jaring.contributions.rates import current_schedule
from jaring.core.errors import Forbidden, NotFound
from jaring.members.models import Member
from jaring.rules.sponsorship import programme_cost

from .models import GroupInvoice, InvoiceLine, RegionalProgram, Sponsor, Sponsorship


def sponsor_of(user) -> Sponsor | None:
    if role_of(user) != Role.SPONSOR:
        return None
    return Sponsor.objects.filter(user=user).select_related("branch").first()

def require_sponsor(user) -> Sponsor:
    sponsor = sponsor_of(user)
    if sponsor is None:
        raise Forbidden("Akun ini belum terhubung ke sponsor; hubungi kantor cabang.")
    return sponsor

def sponsors_for(user, q: str = "", kind: str = "") -> QuerySet:
    """Sponsors visible to staff (scoped by the sponsor's branch), with worker counts and amounts."""
    if not policy.is_staff(user):
        raise Forbidden()
    qs = scope_for(user).filter(Sponsor.objects.all(), field="branch").select_related("branch", "region")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(contact_name__icontains=q))
    if kind:
        qs = qs.filter(kind=kind)
    invoiced = (GroupInvoice.objects.filter(sponsor=OuterRef("pk")).exclude(status="cancelled")
                .values("sponsor").annotate(s=Sum("amount")).values("s"))
    paid = (GroupInvoice.objects.filter(sponsor=OuterRef("pk")).values("sponsor").annotate(s=Sum("paid_amount"))
            .values("s"))
    active = (Sponsorship.objects.filter(sponsor=OuterRef("pk"), status="active").values("sponsor")
              .annotate(n=Count("member", distinct=True)).values("n"))
    from django.db.models import Subquery

    return qs.annotate(invoiced=Subquery(invoiced), paid=Subquery(paid), active_workers=Subquery(active)).order_by("name")

def get_sponsor_for(user, pk: int) -> Sponsor:
    sponsor = Sponsor.objects.select_related("branch", "region", "user").filter(pk=pk).first()
    if sponsor is None:
        raise NotFound("Sponsor tidak ditemukan.")
    own = sponsor_of(user)
    if own is not None:
        if own.pk != sponsor.pk:
            raise NotFound("Sponsor tidak ditemukan.")
        return sponsor
    if not policy.is_staff(user) or not scope_for(user).allows_branch(sponsor.branch_id):
        raise Forbidden()
    return sponsor

def workers_of(sponsor: Sponsor, q: str = "", status: str = "") -> QuerySet:
    """The sponsor's workers: members with a sponsorship of this sponsor, and members its portal account
    registered (e.g. through ``POST /api/v1/members`` or the members import) that are not billed yet.
    ``status``: active | ended | unbilled."""

    mine = Sponsorship.objects.filter(sponsor=sponsor)
    sponsored = Exists(mine.filter(member=OuterRef("pk")))
    registered = Q(created_by=sponsor.user, channel="sponsor_import") if sponsor.user_id else Q(pk__in=[])
    qs = Member.objects.filter(Q(sponsored) | registered)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(kpj__startswith=q.strip()))
    if status == "unbilled":
        qs = qs.exclude(sponsored)
    elif status:
        qs = qs.filter(Exists(mine.filter(member=OuterRef("pk"), status=status)))
    return qs.annotate(sponsored_until=Max("sponsorships__end_month", filter=Q(sponsorships__sponsor=sponsor))) \
        .order_by("name", "pk")

def worker_of(sponsor: Sponsor, kpj: str):
    member = workers_of(sponsor).filter(kpj=str(kpj).strip()).first()
    if member is None:
        raise NotFound(f"Pekerja dengan KPJ {kpj} tidak ada di daftar Anda.")
    return member

def invoices_of(sponsor: Sponsor) -> QuerySet:
    return (GroupInvoice.objects.filter(sponsor=sponsor).select_related("program")
            .annotate(workers=Count("lines")).order_by("-issued_at", "-id"))

def invoice_for(user, number: str) -> GroupInvoice:
    """An invoice by number or payment code: its sponsor's own, or a staff member's in scope."""
    key = str(number or "").strip()
    invoice = (GroupInvoice.objects.select_related("sponsor", "program")
               .filter(Q(number=key) | Q(payment_code=key)).first())
    if invoice is None:
        raise NotFound(f"Tagihan {key} tidak ditemukan.")
    own = sponsor_of(user)
    if own is not None:
        if invoice.sponsor_id != own.pk:
            raise NotFound(f"Tagihan {key} tidak ditemukan.")
        return invoice
    if not policy.is_staff(user) or not scope_for(user).allows_branch(invoice.sponsor.branch_id):
        raise Forbidden()
    return invoice

def lines_of(invoice: GroupInvoice) -> QuerySet:
    return InvoiceLine.objects.filter(invoice=invoice).select_related("member").order_by("position")

def programs_for(user) -> QuerySet:
    own = sponsor_of(user)
    if own is not None:
        return RegionalProgram.objects.filter(sponsor=own).select_related("sponsor")
    if not policy.is_staff(user):
        raise Forbidden()
    return scope_for(user).filter(RegionalProgram.objects.select_related("sponsor"), field="sponsor__branch")

def program_estimate(program: RegionalProgram, income: int | None = None, schedule=None) -> dict:
    """What the programme costs at full quota: every month of its period at the minimum declared income,
    JKK+JKM (+JHT when funded), funded as the sponsor funds (APBD: no PP 50/2025 discount, SPEC 2.2)."""

    cost = programme_cost(schedule or current_schedule(), program.quota, program.start_month, program.end_month,
                          income=income, programs="JKK,JKM,JHT" if program.jht else "JKK,JKM",
                          funding=program.sponsor.funding)
    return {**cost, "budget": program.budget, "covered": cost["total"] <= program.budget}

def notices_for(user) -> QuerySet:
    from .models import Notice

    own = sponsor_of(user)
    if own is not None:
        return Notice.objects.filter(sponsor=own)
    if not policy.is_staff(user):
        raise Forbidden()
    return scope_for(user).filter(Notice.objects.all(), field="sponsorship__sponsor__branch")

def ending_soon(sponsor: Sponsor, today: date | None = None, days: int = 31) -> int:
    from datetime import timedelta

    today = today or timezone.localdate()
    horizon = (today + timedelta(days=days)).replace(day=1)
    return Sponsorship.objects.filter(sponsor=sponsor, status="active", end_month__lte=horizon).count()

def monthly_runs(monthly) -> list[dict]:
    """``[["2026-05", 8400], ["2026-06", 8400], ["2027-01", 16800]]`` → runs of equal amounts:
    ``[{"first": "2026-05", "last": "2026-06", "months": 2, "amount": 8400}, ...]`` for a compact breakdown."""
    runs: list[dict] = []
    for month, amount in monthly or []:
        if runs and runs[-1]["amount"] == amount:
            runs[-1]["last"] = month
            runs[-1]["months"] += 1
        else:
            runs.append({"first": month, "last": month, "months": 1, "amount": amount})
    return runs
