"""Community collectives (*wadah*) over HTTP.

A treasurer's token reaches only its own collective and that collective's current members (anyone else: 404);
branch officers and managers reach the collectives of the branches in their scope (403 outside).
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.paginator import Paginator
from ninja import Query, Router, Schema, Status

from jaring.accounts import policy
from jaring.accounts.services import role_of
from jaring.api.errors import errors
from jaring.api.schemas import MONTH_PATTERN, InputSchema
from jaring.core.errors import Forbidden, NotFound
from jaring.members.models import Member
from jaring.members.selectors import get_member_for
from jaring.outreach.models import Campaign, Event
from jaring.outreach.services import check_campaign_access
from jaring.outreach.services import record_talk as record
from jaring.rules.identifiers import mask_nik
from jaring.rules.periods import month_str

from . import literacy, selectors, services

MONTH_OR_EMPTY = r"^$|" + MONTH_PATTERN  # YYYY-MM, or empty for this month

router = Router(tags=["communities"])
PAGE = 50


class CollectiveIn(InputSchema):
    name: str
    kind: str
    branch: str | None = None
    village_code: str | None = None
    treasurer_username: str
    treasurer_password: str
    treasurer_name: str
    treasurer_phone: str


class SummaryOut(Schema):
    month: str
    size: int
    paid: int
    unpaid: int
    paid_rate: float
    amount_paid: int
    left: int


class CollectiveOut(Schema):
    code: str
    name: str
    kind: str
    branch: str
    village_code: str | None
    treasurer: str
    treasurer_name: str
    active: bool
    summary: SummaryOut


def _collective_out(c, month) -> dict:
    return {"code": c.code, "name": c.name, "kind": c.kind, "branch": c.branch_id, "village_code": c.village_id,
            "treasurer": c.treasurer.username, "treasurer_name": c.treasurer_name, "active": c.active,
            "summary": {"month": month_str(month), **selectors.summary(c, month)}}


class CollectiveMemberRow(Schema):
    kpj: str
    nik: str
    name: str
    status: str
    monthly_contribution: int
    paid: bool
    paid_through: str | None
    unpaid_months: int
    months_due: int
    amount_due: int


def _member_row(m, month) -> dict:
    n = services.months_due(m, month)
    amount = services.line_for(m, month, n)[2] if 1 <= n <= services.MAX_MONTHS else 0
    return {"kpj": m.kpj, "nik": mask_nik(m.nik), "name": m.name, "status": m.status,
            "monthly_contribution": literacy.monthly_contribution(m, month), "paid": m.paid,
            "paid_through": month_str(m.paid_through) if m.paid_through else None,
            "unpaid_months": selectors.unpaid_months(m, month), "months_due": n, "amount_due": amount}


class CollectiveMemberPage(Schema):
    month: str
    count: int
    page: int
    pages: int
    results: list[CollectiveMemberRow]


class RegisterIn(InputSchema):
    nik: str
    name: str
    birth_date: date
    gender: str | None = None
    phone: str
    village_code: str
    occupation: str
    income: int
    programs: str = "JKK,JKM"


class JoinIn(InputSchema):
    kpj: str
    nik: str


class JoinedOut(Schema):
    kpj: str
    name: str
    status: str
    collective: str
    joined_on: date


class LeaveIn(InputSchema):
    reason: str = ""


class LineIn(InputSchema):
    kpj: str
    months: int | None = None


class GroupPaymentIn(InputSchema):
    reference: str
    total: int
    method: str = "transfer"
    month: str | None = None
    paid_at: datetime | None = None
    members: list[LineIn]


class GroupLineOut(Schema):
    kpj: str
    name: str
    months: int
    first_month: str
    amount: int
    payment_reference: str


class GroupPaymentOut(Schema):
    reference: str
    method: str
    total: int
    members: int
    month: str
    paid_at: datetime
    reconciled: bool
    bank_amount: int | None
    difference: int | None
    lines: list[GroupLineOut]


def _gp_out(gp) -> dict:
    lines = gp.lines.select_related("member", "payment")
    return {"reference": gp.reference, "method": gp.method, "total": gp.total, "members": gp.members,
            "month": month_str(gp.month), "paid_at": gp.paid_at, "reconciled": gp.reconciled,
            "bank_amount": gp.bank_amount, "difference": gp.difference,
            "lines": [{"kpj": ln.member.kpj, "name": ln.member.name, "months": ln.months,
                       "first_month": month_str(ln.first_month), "amount": ln.amount,
                       "payment_reference": ln.payment.reference} for ln in lines]}


class ReconcileIn(InputSchema):
    amount: int
    bank_date: date | None = None
    bank_reference: str = ""


class LapseOut(Schema):
    kpj: str
    name: str
    status: str
    paid_through: str | None
    unpaid_months: int


class ReminderOut(Schema):
    period: str
    queued: int


def _month(value):
    return services._month(value)


@router.post("/collectives", response={201: CollectiveOut}, summary="Register a collective and its treasurer (branch)")
def create_collective(request, data: CollectiveIn):
    c = services.create_collective(data.dict(), actor=request.user)
    return Status(201, _collective_out(c, services.this_month()))


class CollectivePage(Schema):
    count: int
    page: int
    pages: int
    results: list[CollectiveOut]


@router.get("/collectives", response=CollectivePage, summary="Collectives in scope (treasurer: their own), paged")
def list_collectives(request, month: str = Query("", pattern=MONTH_OR_EMPTY), page: int = 1):
    m = _month(month)
    p = Paginator(selectors.visible_collectives(request.user).order_by("name"), PAGE).get_page(page)
    return {"count": p.paginator.count, "page": p.number, "pages": p.paginator.num_pages,
            "results": [_collective_out(c, m) for c in p.object_list]}


@router.get("/collectives/{code}", response=CollectiveOut, summary="A collective: size, paid rate for the month")
def get_collective(request, code: str, month: str = Query("", pattern=MONTH_OR_EMPTY)):
    return _collective_out(selectors.get_collective(request.user, code), _month(month))


@router.get("/collectives/{code}/members", response=CollectiveMemberPage,
            summary="Current members with who has paid the month (state=paid|unpaid)")
def members(request, code: str, month: str = Query("", pattern=MONTH_OR_EMPTY), state: str = "", q: str = "", page: int = 1):
    c = selectors.get_collective(request.user, code)
    m = _month(month)
    p = Paginator(selectors.members_of(c, m, q, state), PAGE).get_page(page)
    return {"month": month_str(m), "count": p.paginator.count, "page": p.number, "pages": p.paginator.num_pages,
            "results": [_member_row(x, m) for x in p.object_list]}


@router.post("/collectives/{code}/members", response={201: JoinedOut},
             summary="The treasurer registers a worker into the collective (same checks as an agent)")
def register(request, code: str, data: RegisterIn):
    c = selectors.get_collective(request.user, code)
    ms = services.register_member(c, {**data.dict(), "birth_date": data.birth_date.isoformat()}, actor=request.user)
    return Status(201, {"kpj": ms.member.kpj, "name": ms.member.name, "status": ms.member.status,
                        "collective": c.code, "joined_on": ms.joined_on})


@router.post("/collectives/{code}/members/join", response={201: JoinedOut},
             summary="An already registered worker joins (KPJ and NIK from the card)")
def join(request, code: str, data: JoinIn):
    c = selectors.get_collective(request.user, code)
    ms = services.add_existing_member(c, data.kpj, data.nik, actor=request.user)
    return Status(201, {"kpj": ms.member.kpj, "name": ms.member.name, "status": ms.member.status,
                        "collective": c.code, "joined_on": ms.joined_on})


@router.get("/collectives/{code}/members/{kpj}", response=CollectiveMemberRow, summary="One current member (else 404)")
def member(request, code: str, kpj: str, month: str = Query("", pattern=MONTH_OR_EMPTY)):
    c = selectors.get_collective(request.user, code)
    m = _month(month)
    row = selectors.with_month(selectors.current_members(c).filter(pk=selectors.get_member(request.user, c, kpj).pk), m)
    return _member_row(row.get(), m)


@router.post("/collectives/{code}/members/{kpj}/leave", response=JoinedOut,
             summary="A member leaves the collective (keeps own card and coverage)")
def leave(request, code: str, kpj: str, data: LeaveIn):
    c = selectors.get_collective(request.user, code)
    ms = services.leave(c, selectors.get_member(request.user, c, kpj), actor=request.user, reason=data.reason)
    return {"kpj": ms.member.kpj, "name": ms.member.name, "status": ms.member.status, "collective": c.code,
            "joined_on": ms.joined_on}


@router.post("/collectives/{code}/payments", response={200: GroupPaymentOut, 201: GroupPaymentOut},
             summary="One transfer for many members: each member's own months, one bank credit")
def pay(request, code: str, data: GroupPaymentIn):
    """`total` must equal the sum of every member's months to the Rupiah (422 otherwise, nothing posted). A
    member's `months` defaults to every unpaid month up to and including `month` (default this month). The same
    `reference` again answers 200 with the first result; other content under it is 409."""
    c = selectors.get_collective(request.user, code)
    gp, created = services.record_group_payment(
        c, reference=data.reference, members=[ln.dict() for ln in data.members], total=data.total,
        method=data.method, month=data.month, paid_at=data.paid_at, actor=request.user)
    return Status(201 if created else 200, _gp_out(gp))


@router.get("/collectives/{code}/payments", response=list[GroupPaymentOut], summary="Group payments, newest first")
def payments(request, code: str):
    c = selectors.get_collective(request.user, code)
    return [_gp_out(gp) for gp in selectors.payments_of(c)[:100]]


@router.post("/collectives/{code}/payments/{reference}/reconcile", response=GroupPaymentOut,
             summary="The branch matches the bank credit to a group payment")
def reconcile(request, code: str, reference: str, data: ReconcileIn):
    c = selectors.get_collective(request.user, code)
    gp = services.reconcile(selectors.get_payment(c, reference), amount=data.amount, bank_date=data.bank_date,
                            bank_reference=data.bank_reference, actor=request.user)
    return _gp_out(gp)


@router.get("/collectives/{code}/lapses", response=list[LapseOut], summary="Members not paid for the month")
def lapses(request, code: str, month: str = Query("", pattern=MONTH_OR_EMPTY)):
    c = selectors.get_collective(request.user, code)
    return [{"kpj": r["kpj"], "name": r["name"], "status": r["status"],
             "paid_through": month_str(r["paid_through"]) if r["paid_through"] else None,
             "unpaid_months": r["unpaid_months"]} for r in selectors.lapse_list(c, _month(month))]


@router.post("/collectives/{code}/reminders", response=ReminderOut,
             summary="Queue one reminder to the treasurer listing the unpaid members (once per month)")
def remind(request, code: str, month: str = Query("", pattern=MONTH_OR_EMPTY)):
    c = selectors.get_collective(request.user, code)
    if not policy.is_staff(request.user):
        raise Forbidden("Pengingat ke bendahara dikirim oleh kantor cabang.")
    return services.queue_treasurer_reminders(_month(month), collectives=[c])


# --- benefit explainers (financial literacy) -----------------------------------------------------------------

class ExplainerOut(Schema):
    income: int
    programs: list[str]
    month: str
    contribution: int
    contribution_before_discount: int
    discount: int
    jkk_contribution: int
    jkm_contribution: int
    jht_contribution: int
    jkk_death: int
    jkk_total_disability: int
    jkk_stmb_month: int
    scholarship_max: int
    jkm_full: int
    jkm_now: int
    consecutive_paid_months: int
    jht_projection: int
    sentences: list[str]
    whatsapp_text: str
    whatsapp_link: str


def _explainer_out(f: dict, phone: str = "") -> dict:
    text = literacy.whatsapp_text(f)
    return {**{k: f[k] for k in ExplainerOut.model_fields if k in f}, "sentences": literacy.sentences(f),
            "whatsapp_text": text, "whatsapp_link": literacy.whatsapp_link(text, phone)}


@router.get("/explainers", response=ExplainerOut, auth=None, tags=["literacy"],
            summary="What JKK, JKM and JHT pay for an income (no auth; figures from the benefit rules)")
def explainer(request, income: int, programs: str = "JKK,JKM", month: str = Query("", pattern=MONTH_OR_EMPTY), sector: str = "other",
              funding: str = "self"):
    return _explainer_out(literacy.figures(income, programs, month=month or None, sector=sector, funding=funding))


@router.get("/explainers/me", response={200: ExplainerOut, **errors(401, 404)}, tags=["literacy"],
            summary="The signed-in worker's own explainer: own income, programs and paid months")
def my_explainer(request):
    member = Member.objects.filter(user=request.user).first()
    if member is None:
        raise NotFound("Akun Anda belum terhubung ke data peserta.")
    return _explainer_out(literacy.for_member(member))


@router.get("/explainers/members/{kpj}", response=ExplainerOut, tags=["literacy"],
            summary="A member's personal explainer (for whoever may see the member, and their treasurer)")
def member_explainer(request, kpj: str):
    return _explainer_out(literacy.for_member(_member_for(request.user, kpj)))


def _member_for(user, kpj):
    """Staff, agents and the worker through the members app's rules; a treasurer only their own members."""
    if role_of(user) == "treasurer":
        c = selectors.treasurer_collective(user)
        return selectors.get_member(user, c, kpj)
    return get_member_for(user, kpj)


class RadioOut(Schema):
    campaign: str
    area: str
    contribution: int
    jkm_full: int
    jkk_death: int
    script: str


@router.get("/campaigns/{code}/radio-script", response=RadioOut, tags=["literacy"],
            summary="A radio script for a branch's campaign, filled with its area and figures")
def radio_script(request, code: str, income: int | None = None):
    c = _campaign(request.user, code)
    f = literacy.campaign_figures(c, income)
    return {"campaign": c.code, "area": literacy.campaign_area(c), "contribution": f["contribution"],
            "jkm_full": f["jkm_full"], "jkk_death": f["jkk_death"], "script": literacy.radio_script(c, income)}


def _campaign(user, code):
    if not policy.is_staff(user):
        raise Forbidden("Bahan kampanye untuk petugas kantor cabang.")
    c = Campaign.objects.filter(code=code).first()
    if c is None:
        raise NotFound(f"Kampanye {code} tidak ditemukan.")
    check_campaign_access(user, c)
    return c


class TalkIn(InputSchema):
    attendance: int
    given_on: date | None = None


class TalkOut(Schema):
    event: int
    name: str
    talk_given_on: date
    attendance: int


@router.post("/events/{event_id}/talk", response=TalkOut, tags=["literacy"],
             summary="Record that the benefit talk was given at an outreach event and how many attended")
def record_talk(request, event_id: int, data: TalkIn):
    if not (policy.is_staff(request.user) or role_of(request.user) == "agent"):
        raise Forbidden("Hanya petugas atau agen kegiatan yang mencatat penyuluhan.")
    event = Event.objects.filter(pk=event_id).first()
    if event is None:
        raise NotFound(f"Kegiatan {event_id} tidak ditemukan.")
    ev = record(event, attendance=data.attendance, given_on=data.given_on, actor=request.user)
    return {"event": ev.pk, "name": ev.name, "talk_given_on": ev.talk_given_on, "attendance": ev.attendance}
