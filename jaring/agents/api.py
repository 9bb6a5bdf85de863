"""Perisai agents over HTTP: onboarding and rankings for staff; the agent's own workspace (``/agents/me``)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from django.core.paginator import Paginator
from django.utils import timezone
from ninja import Query, Router, Schema, Status

from jaring.accounts import policy
from jaring.accounts.services import role_of
from jaring.api.errors import errors
from jaring.api.schemas import MONTH_PATTERN, InputSchema
from jaring.core.errors import DomainError, Forbidden, NotFound
from jaring.members.models import Member
from jaring.rules.periods import month_str, parse_month

from . import selectors, services

router = Router(tags=["agents"])
PAGE = 25


class AgentIn(InputSchema):
    username: str
    password: str | None = None
    name: str
    phone: str | None = None
    branch: str
    bank_name: str
    bank_account: str
    bank_holder: str | None = None
    joined_on: date | None = None

class AgentOut(Schema):
    code: str
    name: str
    username: str
    branch: str
    phone: str
    bank_name: str
    bank_account: str
    status: str
    joined_on: date
    suspended_on: date | None
    rejoin_on: date | None

def agent_out(a) -> dict:
    return {"code": a.code, "name": a.name, "username": a.user.username, "branch": a.branch_id, "phone": a.phone,
            "bank_name": a.bank_name, "bank_account": a.bank_account, "status": a.status, "joined_on": a.joined_on,
            "suspended_on": a.suspended_on, "rejoin_on": a.rejoin_on}

class RecruitOut(Schema):
    kpj: str
    name: str
    status: str
    recruited_on: date
    whatsapp: str

class RecruitPage(Schema):
    count: int
    page: int
    pages: int
    results: list[RecruitOut]

class FollowUpOut(Schema):
    kpj: str
    name: str
    state: str
    paid_through: str | None
    unpaid_months: int
    whatsapp_link: str

class FollowUpPage(Schema):
    count: int
    page: int
    pages: int
    results: list[FollowUpOut]

class CollectionIn(InputSchema):
    kpj: str
    months: int = 1
    amount: int | None = None
    reference: str | None = None

class CollectionOut(Schema):
    reference: str
    kpj: str
    name: str
    months: int
    amount: int
    collected_at: str
    duplicate: bool = False

class CollectionsToday(Schema):
    date: date
    count: int
    total: int
    results: list[CollectionOut]

class CommissionOut(Schema):
    month: str
    recruits: int
    collected: int
    rate_bp: int
    commission: int
    bonus: int
    total: int

class RankOut(Schema):
    rank: int
    code: str
    name: str
    branch: str
    status: str
    recruits: int
    collected: int
    recruits_total: int
    retained: int
    retention_pct: float

class CommissionRunOut(Schema):
    month: str
    agents: int
    commission: int
    bonus: int
    total: int
    suspended: int

def _collection_out(c, duplicate=False) -> dict:
    return {"reference": c.reference, "kpj": c.member.kpj, "name": c.member.name, "months": c.months,
            "amount": c.amount, "collected_at": timezone.localtime(c.collected_at).isoformat(), "duplicate": duplicate}

def _staff(request):
    if not policy.is_staff(request.auth):
        raise Forbidden("Hanya petugas dan manajer.")

@router.post("/agents", response={201: AgentOut, **errors(403, 404, 409)}, summary="Onboard a Perisai agent (officer/manager/admin)")
def create_agent(request, payload: AgentIn):
    _staff(request)
    return Status(201, agent_out(services.onboard_agent(payload.dict(), actor=request.auth)))

@router.get("/agents", response={200: list[RankOut], **errors(403, 404)},
            summary="Agents in scope ranked by recruits, collections or retention of their recruits",
            description="`month_from`/`month_to` as YYYY-MM (default: this month); `sort` = recruits | collected | "
                        "retention. Retention = recruits (registered by the end of the period) whose `month_to` "
                        "contribution is paid, over all their recruits.")
def ranking(request, month_from: str | None = Query(None, pattern=MONTH_PATTERN),
            month_to: str | None = Query(None, pattern=MONTH_PATTERN),
            sort: Literal["recruits", "collected", "retention"] = "recruits", q: str = Query("", max_length=100)):
    _staff(request)
    this = timezone.localdate().replace(day=1)
    m_to = parse_month(month_to, "month_to") if month_to else this
    m_from = parse_month(month_from, "month_from") if month_from else m_to
    if m_from > m_to:
        raise DomainError("month_from harus sebelum atau sama dengan month_to.", {"month_from": "Setelah month_to."})
    return [{"rank": a.rank, "code": a.code, "name": a.name, "branch": a.branch_id, "status": a.status,
             "recruits": a.recruits, "collected": a.collected, "recruits_total": a.recruits_total,
             "retained": a.retained, "retention_pct": a.retention_pct}
            for a in selectors.ranked(request.auth, m_from, m_to, sort, q)]

@router.get("/agents/me", response={200: AgentOut, **errors(403, 404)}, summary="The signed-in agent")
def me(request):
    return agent_out(selectors.agent_of(request.auth))

@router.get("/agents/me/recruits", response={200: RecruitPage, **errors(403, 404)}, summary="My recruits (newest first)")
def my_recruits(request, q: str = "", page: int = 1):
    agent = selectors.agent_of(request.auth)
    p = Paginator(selectors.recruits(agent, q), PAGE).get_page(page)
    return {"count": p.paginator.count, "page": p.number, "pages": p.paginator.num_pages,
            "results": [{"kpj": m.kpj, "name": m.name, "status": m.status,
                         "recruited_on": m.recruitment.recruited_on, "whatsapp": m.whatsapp} for m in p.object_list]}

@router.get("/agents/me/follow-up", response={200: FollowUpPage, **errors(403, 404)},
            summary="My recruits who are due or in arrears, with a WhatsApp link (https://wa.me/<digits>)")
def my_follow_up(request, page: int = 1):
    agent = selectors.agent_of(request.auth)
    p = Paginator(selectors.follow_up(agent), PAGE).get_page(page)
    rows = selectors.with_coverage(p.object_list)
    return {"count": p.paginator.count, "page": p.number, "pages": p.paginator.num_pages,
            "results": [{"kpj": m.kpj, "name": m.name, "state": m.cov["state"],
                         "paid_through": m.cov["paid_through"], "unpaid_months": m.cov["unpaid_months"],
                         "whatsapp_link": m.wa_link} for m in rows]}

@router.post("/agents/me/collections", response={201: CollectionOut, 200: CollectionOut, **errors(403, 404, 409)},
             summary="Cash collected from a worker, posted on channel AGENT",
             description="`amount` (optional) must equal the months owed; `reference` is the app's own id for "
                         "this collection: sending it again returns the first one (200, duplicate=true). "
                         "`months: 0` puts `amount` (any amount from Rp1,000) into the member's prepaid balance, "
                         "which pays whole months by itself (SPEC 2.9).")
def collect(request, payload: CollectionIn):
    agent = selectors.agent_of(request.auth)
    member = _member_for_agent(payload.kpj)
    col, created = services.collect(agent, member, payload.months, amount=payload.amount,
                                    reference=payload.reference, actor=request.auth)
    return Status(201 if created else 200, _collection_out(col, not created))

def _member_for_agent(kpj):
    """Any member by KPJ: ``services.collect`` refuses those outside the agent's recruits and branch."""

    member = Member.objects.filter(kpj=str(kpj).strip()).first()
    if member is None:
        raise NotFound(f"Peserta dengan KPJ {kpj} tidak ditemukan.")
    return member

@router.get("/agents/me/collections", response={200: CollectionsToday, **errors(403, 404)}, summary="My collections on a day (default today)")
def my_collections(request, day: date | None = None):
    agent = selectors.agent_of(request.auth)
    day = day or timezone.localdate()
    rows = list(selectors.collections_on(agent, day))
    return {"date": day, "count": len(rows), "total": sum(c.amount for c in rows),
            "results": [_collection_out(c) for c in rows]}

@router.get("/agents/me/commissions", response={200: list[CommissionOut], **errors(403, 404)}, summary="My monthly commission statements")
def my_commissions(request):
    agent = selectors.agent_of(request.auth)
    return [{"month": month_str(c.month), "recruits": c.recruits, "collected": c.collected, "rate_bp": c.rate_bp,
             "commission": c.commission, "bonus": c.bonus, "total": c.total}
            for c in selectors.statements(agent)[:36]]

@router.post("/agents/{code}/rejoin", response={200: AgentOut, **errors(403, 404, 409)},
             summary="Reinstate a suspended agent (allowed from its rejoin date)")
def rejoin(request, code: str):
    _staff(request)
    agent = selectors.get_agent_for(request.auth, code)
    return agent_out(services.rejoin_agent(agent, actor=request.auth))

@router.post("/commissions/run", response={200: CommissionRunOut, **errors(403, 404, 409)},
             summary="Compute agents' commission for a month (manager/admin; same as the CLI)")
def run(request, month: str = Query(..., pattern=MONTH_PATTERN, description="YYYY-MM")):
    if role_of(request.auth) not in ("manager", "admin"):
        raise Forbidden("Hanya manajer atau administrator yang menjalankan perhitungan komisi.")
    return services.run_commissions(month, actor=request.auth)
