"""Reads for the agent's phone workspace, officers' rankings and the API."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote as urlquote

from django.db.models import Count, IntegerField, Max, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from jaring.accounts import policy
from jaring.accounts.scoping import scope_for
from jaring.contributions.models import Bill, Payment
from jaring.contributions.selectors import coverage_on
from jaring.core.errors import Forbidden, NotFound
from jaring.members.models import Member
from jaring.rules.periods import add_months, month_str

from .models import Agent, Collection, CommissionLine, Recruitment


def agent_of(user) -> Agent:
    agent = Agent.objects.select_related("branch").filter(user=user).first() \
        if getattr(user, "is_authenticated", False) else None
    if agent is None:
        raise Forbidden("Akun ini belum terdaftar sebagai agen Perisai; hubungi kantor cabang.")
    return agent

def recruits(agent: Agent, q: str = "") -> QuerySet:
    qs = Member.objects.filter(recruitment__agent=agent).select_related("recruitment")
    if q:
        q = q.strip()
        qs = qs.filter(Q(name__icontains=q) | Q(kpj__startswith=q) | Q(nik__startswith=q))
    return qs.order_by("-recruitment__recruited_on", "name")

def _paid_through():
    return Subquery(Bill.objects.filter(member=OuterRef("pk"), status="paid").values("member")
                    .annotate(m=Max("month")).values("m")[:1])

def follow_up(agent: Agent, on: date | None = None) -> QuerySet:
    """Recruits whose contribution for this month (or earlier) is unpaid: due this month, in arrears, or
    lapsed — the longest unpaid first. Set-based: one query with the last paid month per member."""
    on = on or timezone.localdate()
    this_month = on.replace(day=1)
    qs = (recruits(agent).exclude(status="rejected").annotate(paid_through=_paid_through())
          .filter(Q(paid_through__lt=this_month) | Q(paid_through__isnull=True))
          .filter(first_month__lte=this_month))
    return qs.order_by(Coalesce("paid_through", "first_month").asc(), "name")

def with_coverage(members, on: date | None = None) -> list:
    """Attach ``coverage`` (contributions.selectors.coverage_on) and ``wa_link`` to one page of members."""

    on = on or timezone.localdate()
    out = []
    for m in members:
        m.cov = coverage_on(m, on)
        m.wa_link = whatsapp_link(m, m.cov)
        out.append(m)
    return out

def whatsapp_link(member, coverage: dict | None = None) -> str:
    digits = "".join(ch for ch in (member.whatsapp or member.phone or "") if ch.isdigit())
    if not digits:
        return ""
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    unpaid = (coverage or {}).get("unpaid_months") or 0
    text = (f"Halo {member.name}, iuran BPJS Ketenagakerjaan Anda (KPJ {member.kpj}) "
            + (f"belum dibayar {unpaid} bulan. " if unpaid else "bulan ini belum dibayar. ")
            + "Saya bisa bantu bayar hari ini agar perlindungan Anda tetap aktif.")
    return f"https://wa.me/{digits}?text={urlquote(text)}"

def collections_on(agent: Agent, day: date | None = None) -> QuerySet:
    day = day or timezone.localdate()
    return Collection.objects.filter(agent=agent, collected_on=day).select_related("member")

def statements(agent: Agent) -> QuerySet:
    return CommissionLine.objects.filter(agent=agent).order_by("-month")

def statement(agent: Agent, month: date) -> dict:
    """One month's statement: the ledger row and the payments behind it."""

    from .services import _month_bounds

    line = CommissionLine.objects.filter(agent=agent, month=month).first()
    start, end = _month_bounds(month)
    payments = (Payment.objects.filter(member__recruitment__agent=agent, paid_at__gte=start, paid_at__lt=end,
                                       months__gt=0)
                .select_related("member", "channel").order_by("paid_at"))
    new = Recruitment.objects.filter(agent=agent, recruited_on__gte=month, recruited_on__lt=add_months(month, 1))
    return {"line": line, "payments": payments, "recruits": new.select_related("member"), "month": month}

def agents_for(user, q: str = "", status: str = "") -> QuerySet:
    if not policy.is_staff(user):
        raise Forbidden()
    qs = scope_for(user).filter(Agent.objects.select_related("branch"), field="branch")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q))
    if status:
        qs = qs.filter(status=status)
    return qs

def get_agent_for(user, code: str) -> Agent:
    agent = agents_for(user).filter(code=str(code).strip().upper()).first()
    if agent is None:
        if Agent.objects.filter(code=str(code).strip().upper()).exists():
            raise Forbidden("Agen ini di luar wilayah kantor Anda.")
        raise NotFound(f"Agen {code} tidak ditemukan.")
    return agent

SORTS = {"recruits": "-recruits", "collected": "-collected", "retention": "-retention_pct"}


def ranking(user, month_from: date, month_to: date, sort: str = "recruits", q: str = "") -> QuerySet:
    """Agents in the user's scope ranked by recruits and collections over [month_from, month_to], and by
    retention: the share of all their recruits (registered by the end of the period) with ``month_to``
    paid. Every figure is a correlated aggregate subquery — one SQL statement for the whole page."""

    from .services import _month_bounds

    start, _ = _month_bounds(month_from)
    _, end = _month_bounds(month_to)
    after = add_months(month_to, 1)
    zero = Value(0, output_field=IntegerField())
    new = (Recruitment.objects.filter(agent=OuterRef("pk"), recruited_on__gte=month_from, recruited_on__lt=after)
           .values("agent").annotate(n=Count("id")).values("n"))
    total = (Recruitment.objects.filter(agent=OuterRef("pk"), recruited_on__lt=after)
             .values("agent").annotate(n=Count("id")).values("n"))
    collected = (Payment.objects.filter(member__recruitment__agent=OuterRef("pk"), paid_at__gte=start, paid_at__lt=end,
                                        months__gt=0)
                 .values("member__recruitment__agent").annotate(s=Sum("amount")).values("s"))
    retained = (Bill.objects.filter(member__recruitment__agent=OuterRef("pk"), month=month_to, status="paid",
                                    member__recruitment__recruited_on__lt=after)
                .values("member__recruitment__agent").annotate(n=Count("id")).values("n"))
    qs = agents_for(user, q).annotate(
        recruits=Coalesce(Subquery(new), zero), recruits_total=Coalesce(Subquery(total), zero),
        collected=Coalesce(Subquery(collected), zero), retained=Coalesce(Subquery(retained), zero))
    return qs.order_by("code"), SORTS.get(sort, "-recruits")

def ranked(user, month_from: date, month_to: date, sort: str = "recruits", q: str = "") -> list:
    """``ranking`` evaluated and sorted (retention is a ratio: computed per row, after the one query)."""
    rows, key = ranking(user, month_from, month_to, sort, q)
    out = list(rows)
    for a in out:
        a.retention_pct = round(100 * a.retained / a.recruits_total, 1) if a.recruits_total else 0.0
    field = key.lstrip("-")
    out.sort(key=lambda a: (-getattr(a, field), a.code))
    for i, a in enumerate(out, start=1):
        a.rank = i
    return out

def month_label(d: date) -> str:
    return month_str(d)

def payout(user, month: date) -> QuerySet:
    """The month's commission ledger rows of the agents in the user's scope, with their bank details."""
    if not policy.is_staff(user):
        raise Forbidden()
    qs = CommissionLine.objects.filter(month=month, total__gt=0).select_related("agent", "agent__branch")
    return scope_for(user).filter(qs, field="agent__branch").order_by("agent__code")
