from typing import Annotated

from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from pydantic import Field

from jaring.accounts.models import Role
from jaring.accounts.services import role_of
from jaring.api.errors import errors
from jaring.api.schemas import InputSchema
from jaring.core.errors import DomainError, Forbidden
from jaring.members.selectors import get_member_for

from . import selectors, services
from .models import Campaign, Event

router = Router(tags=["outreach"])
FIELD = (Role.OFFICER, Role.MANAGER, Role.ADMIN, Role.AGENT)


def _field_user(request):
    if role_of(request.user) not in FIELD:
        raise Forbidden("Hanya petugas, manajer dan agen.")

class LeadIn(InputSchema):
    name: str
    phone: str
    occupation: str
    village_code: str | None = None
    consent: bool = False
    agent: str | None = None

class LeadOut(Schema):
    id: int
    event: int
    campaign: str
    name: str
    phone: str
    occupation: str
    village_code: str
    status: str
    agent: str | None = None

@router.post("/outreach/events/{event_id}/leads", response={201: LeadOut, **errors(403, 404, 409)},
             summary="Capture a lead at an event (agents' phones)")
def capture_lead(request, event_id: int, payload: LeadIn):
    """A worker met at an event. ``consent`` must be true (the worker agreed to be contacted and to have
    their data kept for registration); one lead per phone number per event (409 for a repeat). Agents are
    credited automatically; officers may name one of the event's agents in ``agent``."""
    _field_user(request)
    ev = get_object_or_404(Event, pk=event_id)
    lead = services.capture_lead(ev, payload.dict(), actor=request.user)
    return Status(201, LeadOut(id=lead.pk, event=ev.pk, campaign=ev.campaign.code, name=lead.name, phone=lead.phone,
                        occupation=lead.occupation, village_code=lead.village_id, status=lead.status,
                        agent=lead.agent.username if lead.agent else None))

class FunnelRow(Schema):
    label: str
    leads: int
    registered: int
    first_paid: int
    paying_3: int
    paying_6: int
    paying_12: int
    conversion_pct: float

@router.get("/outreach/campaigns/{code}/funnel", response={200: list[FunnelRow], **errors(403, 404)}, summary="Campaign funnel")
def campaign_funnel(request, code: str, by: str | None = None):
    """Leads → registered → first month paid → still paying 3, 6 and 12 months after the first contribution
    month; overall, or ``by=event`` | ``agent``. Officers and managers of the campaign's branches."""
    if role_of(request.user) not in (Role.OFFICER, Role.MANAGER, Role.ADMIN):
        raise Forbidden("Hanya petugas dan manajer.")
    c = get_object_or_404(Campaign, code=code)
    services.check_campaign_access(request.user, c)
    if by not in (None, "event", "agent"):
        raise DomainError("Pengelompokan tidak dikenal.", {"by": "pilih event atau agent"})
    from .models import Lead

    stages = ("leads", "registered", "first_paid", "paying_3", "paying_6", "paying_12", "conversion_pct")
    return [FunnelRow(label=str(r["label"]), **{k: r[k] for k in stages})
            for r in selectors.funnel(Lead.objects.filter(campaign=c), by)]

class RiskRow(Schema):
    kpj: str
    name: str
    phone: str
    score: int
    band: str
    reasons: str

@router.get("/outreach/lapse-risk", response={200: list[RiskRow], **errors(403, 404)}, summary="Members likely to stop paying")
def lapse_risk(request, branch: str | None = None, band: str | None = None, limit: int = 100):
    """Active members ranked by the lapse-risk score (``jaring/rules/lapse.py``) with the reasons: an agent's
    own recruits, or one branch for officers and managers (``branch``, default the first in scope)."""
    _field_user(request)
    from django.utils import timezone

    from . import lapse

    members, _, _ = lapse.members_in_view(request.user, branch)
    rows = lapse.follow_up_list(members, timezone.localdate(), band)
    return [RiskRow(kpj=r["kpj"], name=r["name"], phone=r["phone"], score=r["score"], band=r["band"],
                    reasons=r["reasons"]) for r in rows[:max(1, min(limit, 1000))]]


class PayAheadIn(InputSchema):
    months: list[Annotated[int, Field(ge=1, le=12)]] = Field(max_length=12, description="months of the year, 1–12")


class PayAheadOut(Schema):
    kpj: str
    months: list[int]

@router.put("/members/{kpj}/pay-ahead", response=PayAheadOut, summary="Months a member prefers to pay ahead")
def put_pay_ahead(request, kpj: str, body: PayAheadIn):
    """SPEC 2.9: the months of the year (1–12) in which the member prefers to pay ahead, e.g. at harvest.
    In such a month the reminders suggest paying every month up to the next chosen month at once (at most
    12). An empty list clears the choice. The member themself or staff whose scope holds the member."""

    from .reminders import set_pay_ahead_months

    member = get_member_for(request.user, kpj)
    return {"kpj": member.kpj, "months": set_pay_ahead_months(member, body.months, actor=request.user)}

@router.get("/members/{kpj}/pay-ahead", response=PayAheadOut, summary="Months a member prefers to pay ahead")
def get_pay_ahead(request, kpj: str):
    from .reminders import pay_ahead_months

    member = get_member_for(request.user, kpj)
    return {"kpj": member.kpj, "months": pay_ahead_months(member)}
