"""Reads of the communities app shared by pages, API and jobs.

A treasurer sees only the current members of their own collective (anyone else answers 404); staff see the
collectives of the branches in their office scope (403 outside it).
"""

from __future__ import annotations

from datetime import date

from django.db.models import Exists, Max, OuterRef, Q, QuerySet, Subquery, Sum

from jaring.accounts import policy
from jaring.accounts.models import Role
from jaring.accounts.policy import STAFF
from jaring.accounts.scoping import scope_for
from jaring.accounts.services import role_of
from jaring.contributions.models import Bill
from jaring.core.errors import Forbidden, NotFound
from jaring.members.models import Member
from jaring.rules.periods import add_months, months_between

from .models import Collective, GroupPayment, Membership


def _bills():
    return Bill

def visible_collectives(user) -> QuerySet:
    role = role_of(user)
    qs = Collective.objects.select_related("branch")
    if role == Role.TREASURER:
        return qs.filter(treasurer=user)
    if role in STAFF:
        return scope_for(user).filter(qs, "branch")
    return qs.none()

def get_collective(user, code: str) -> Collective:
    code = str(code or "").strip().upper()
    found = visible_collectives(user).filter(code=code).first()
    if found is not None:
        return found
    if policy.is_staff(user) and Collective.objects.filter(code=code).exists():
        raise Forbidden("Wadah ini terdaftar di kantor cabang di luar wilayah kerja Anda.")
    raise NotFound(f"Wadah {code} tidak ditemukan.")

def treasurer_collective(user) -> Collective:
    found = Collective.objects.filter(treasurer=user).order_by("-active", "id").first()
    if found is None:
        raise NotFound("Akun Anda belum terhubung ke wadah; hubungi kantor cabang.")
    return found

def current_members(collective: Collective) -> QuerySet:
    return Member.objects.filter(collective_memberships__collective=collective,
                                 collective_memberships__left_on__isnull=True)

def with_month(qs: QuerySet, month: date) -> QuerySet:
    """Annotate ``paid`` (the bill of ``month`` is paid) and ``paid_through`` (last paid month)."""
    Bill = _bills()
    paid = Bill.objects.filter(member=OuterRef("pk"), month=month, status="paid")
    last = (Bill.objects.filter(member=OuterRef("pk"), status="paid", month__gte=OuterRef("first_month"))
            .values("member").annotate(m=Max("month")).values("m"))
    return qs.annotate(paid=Exists(paid), paid_through=Subquery(last[:1]))

def members_of(collective: Collective, month: date, q: str = "", state: str = "") -> QuerySet:
    qs = with_month(current_members(collective), month).select_related("branch").order_by("name", "kpj")
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(kpj__startswith=q))
    if state == "paid":
        qs = qs.filter(paid=True)
    elif state == "unpaid":
        qs = qs.filter(paid=False)
    return qs

def unpaid_members(collective: Collective, month: date) -> QuerySet:
    return members_of(collective, month, state="unpaid")

def get_member(user, collective: Collective, kpj: str) -> Member:
    """A current member of the collective; anyone else is 404, whether or not the KPJ exists."""
    member = current_members(collective).filter(kpj=str(kpj or "").strip()).first()
    if member is None:
        raise NotFound(f"Peserta {kpj} bukan anggota {collective.name}.")
    return member

def unpaid_months(member, month: date) -> int:
    """Unpaid months from the oldest unpaid one up to and including ``month`` (0 when paid through it)."""
    paid_through = getattr(member, "paid_through", None)
    start = member.first_month if paid_through is None else max(member.first_month, add_months(paid_through, 1))
    return 0 if start > month else months_between(start, month) + 1

def summary(collective: Collective, month: date) -> dict:
    """Size, how many paid ``month``, the paid rate (percent, one decimal) and the Rupiah the group paid."""
    qs = with_month(current_members(collective), month)
    size, paid = current_members(collective).count(), qs.filter(paid=True).count()
    amount = (GroupPayment.objects.filter(collective=collective, month=month).aggregate(t=Sum("total"))["t"] or 0)
    return {"size": size, "paid": paid, "unpaid": size - paid,
            "paid_rate": round(paid * 100 / size, 1) if size else 0.0, "amount_paid": amount,
            "left": Membership.objects.filter(collective=collective, left_on__isnull=False).count()}

def lapse_list(collective: Collective, month: date) -> list[dict]:
    """Members not paid for ``month``, most unpaid months first: the branch's and treasurer's follow-up list."""
    rows = []
    for m in unpaid_members(collective, month):
        rows.append({"member": m, "kpj": m.kpj, "name": m.name, "status": m.status,
                     "paid_through": m.paid_through, "unpaid_months": unpaid_months(m, month)})
    rows.sort(key=lambda r: (-r["unpaid_months"], r["name"]))
    return rows

def payments_of(collective: Collective) -> QuerySet:
    return GroupPayment.objects.filter(collective=collective).select_related("recorded_by")

def get_payment(collective: Collective, reference: str) -> GroupPayment:
    gp = payments_of(collective).filter(reference=str(reference or "").strip()).first()
    if gp is None:
        raise NotFound(f"Pembayaran kelompok {reference} tidak ditemukan.")
    return gp

def membership_of(user):
    """The worker's own current membership (for the worker's page), or None."""
    member = Member.objects.filter(user=user).first()
    if member is None:
        return None
    return Membership.objects.filter(member=member, left_on__isnull=True).select_related("collective").first()
